/**
 * Quick picks for what a command needs when it was neither given a tree node nor an argument
 * object: a tenant, a catalog, an access package, a policy. Lists are read page by page from Graph.
 */
import * as vscode from 'vscode';
import type {
  AccessPackage,
  AccessPackageAssignmentPolicy,
  AccessPackageCatalog,
} from '@microsoft/microsoft-graph-types';
import type { EntitlementsApi } from '../graph/entitlements';
import type { Page } from '../graph/graphClient';
import type { Tenant } from '../tenants/tenant';
import type { CommandContext } from './context';

async function all<T>(
  first: () => Promise<Page<T>>,
  next: (link: string) => Promise<Page<T>>,
  limit = 2000,
): Promise<T[]> {
  let page = await first();
  const out = [...page.items];
  while (page.nextLink && out.length < limit) {
    page = await next(page.nextLink);
    out.push(...page.items);
  }
  return out;
}

export async function pickTenant(ctx: CommandContext, title: string): Promise<Tenant | undefined> {
  const tenants = ctx.tenants();
  if (tenants.length === 1) return tenants[0];
  const pick = await vscode.window.showQuickPick(
    tenants.map((t) => ({ label: t.label, description: t.description, tenant: t })),
    { title, placeHolder: 'Tenant' },
  );
  return pick?.tenant;
}

export async function pickCatalog(api: EntitlementsApi, title: string): Promise<AccessPackageCatalog | undefined> {
  const items = await all(
    () => api.catalogs(),
    (l) => api.catalogs(l),
  );
  const pick = await vscode.window.showQuickPick(
    items.map((c) => ({ label: c.displayName ?? c.id ?? '', description: c.description ?? '', item: c })),
    { title, placeHolder: 'Catalog' },
  );
  return pick?.item;
}

export async function pickAccessPackage(api: EntitlementsApi, title: string): Promise<AccessPackage | undefined> {
  const catalog = await pickCatalog(api, title);
  if (!catalog?.id) return undefined;
  const items = await all(
    () => api.accessPackages(catalog.id!),
    (l) => api.accessPackages(catalog.id!, l),
  );
  const pick = await vscode.window.showQuickPick(
    items.map((p) => ({ label: p.displayName ?? p.id ?? '', description: p.description ?? '', item: p })),
    { title, placeHolder: 'Access package' },
  );
  return pick?.item;
}

export async function pickPolicy(
  api: EntitlementsApi,
  accessPackageId: string,
  title: string,
  filter: (p: AccessPackageAssignmentPolicy) => boolean = () => true,
): Promise<AccessPackageAssignmentPolicy | undefined> {
  const items = (
    await all(
      () => api.policies(accessPackageId),
      (l) => api.policies(accessPackageId, l),
    )
  ).filter(filter);
  if (items.length === 0) {
    void vscode.window.showWarningMessage('This access package has no policy that fits.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    items.map((p) => ({
      label: p.displayName ?? p.id ?? '',
      description: p.allowedTargetScope ?? '',
      detail: p.description ?? '',
      item: p,
    })),
    { title, placeHolder: 'Policy' },
  );
  return pick?.item;
}
