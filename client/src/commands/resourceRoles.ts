/**
 * `entitlements.addGroupResourceRole`: the package grants membership (or ownership) of a group.
 * The group is onboarded into the package's catalog first when it is not there yet
 * (`resourceRequests`), then the role scope is added. `entitlements.removeResourceRole` removes
 * one role scope after a modal confirmation.
 * Argument objects: `{tenantId?, accessPackageId, groupId, role?: "Member"|"Owner"}` and
 * `{tenantId?, accessPackageId, roleScopeId, confirmed: true}`.
 * Returns `{ok: true, roleScopeId, onboarded}` / `{ok: true}` or `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import type { AccessPackage, AccessPackageResource, Group } from '@microsoft/microsoft-graph-types';
import { EM } from '../graph/entitlements';
import { query } from '../graph/graphClient';
import { ConsoleApi } from '../requests/consoleApi';
import { AccessPackageNode } from '../tree/nodes/accessPackageNode';
import { RoleScopeNode, RoleScopesNode } from '../tree/nodes/grantsNodes';
import { argObject, reportFailure, str, type CommandContext } from './context';
import { pickAccessPackage } from './pickers';
import { refreshGrants } from './refreshTree';
import { resolveTenant } from './resolve';

type Failure = { ok: false; code: string; message: string };

async function pickGroup(api: ConsoleApi): Promise<Group | undefined> {
  const page = await api.graph.page<Group>(`/groups${query({ $select: 'id,displayName,description', $top: 200 })}`, {
    permission: 'GroupMember.Read.All',
  });
  const pick = await vscode.window.showQuickPick(
    page.items.map((g) => ({ label: g.displayName ?? g.id ?? '', description: g.description ?? '', group: g })),
    { title: 'Add group as resource role: group', placeHolder: 'Group', matchOnDescription: true },
  );
  return pick?.group;
}

async function findResource(
  api: ConsoleApi,
  catalogId: string,
  groupId: string,
): Promise<AccessPackageResource | undefined> {
  for await (const items of api.graph.pages<AccessPackageResource>(
    `${EM}/catalogs/${encodeURIComponent(catalogId)}/resources${query({ $expand: 'roles,scopes' })}`,
  )) {
    const found = items.find((r) => r.originId === groupId);
    if (found) return found;
  }
  return undefined;
}

export async function addGroupResourceRole(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ ok: true; roleScopeId: string; onboarded: boolean } | Failure | undefined> {
  try {
    const o = argObject(arg);
    const pkgNode = arg instanceof RoleScopesNode ? arg.parent : arg instanceof AccessPackageNode ? arg : undefined;
    const tenant = await resolveTenant(ctx, pkgNode ?? arg, 'Add group as resource role');
    if (!tenant) return undefined;
    const api = new ConsoleApi((await tenant.api()).graph);
    let packageId = pkgNode?.graphId ?? str(o, 'accessPackageId');
    if (!packageId && !o)
      packageId =
        (await pickAccessPackage(await tenant.api(), 'Add group as resource role: access package'))?.id ?? undefined;
    if (!packageId) return undefined;
    const pkg =
      pkgNode?.accessPackage ??
      (await api.graph.get<AccessPackage>(
        `${EM}/accessPackages/${encodeURIComponent(packageId)}${query({ $expand: 'catalog' })}`,
      ));
    const catalogId = pkgNode?.catalogId ?? pkg.catalog?.id;
    if (!catalogId) throw Object.assign(new Error('The access package has no catalog.'), { code: 'NoCatalog' });
    let groupId = str(o, 'groupId');
    let groupName = groupId ?? '';
    if (!groupId && !o) {
      const g = await pickGroup(api);
      groupId = g?.id ?? undefined;
      groupName = g?.displayName ?? groupId ?? '';
    }
    if (!groupId) return undefined;
    let role = str(o, 'role') as 'Member' | 'Owner' | undefined;
    if (!role && !o)
      role = (
        await vscode.window.showQuickPick(
          [
            { label: 'Member', description: 'assigned users become members of the group' },
            { label: 'Owner', description: 'assigned users become owners of the group' },
          ],
          { title: `Add ${groupName} to ${pkg.displayName ?? packageId} as` },
        )
      )?.label as 'Member' | 'Owner' | undefined;
    role ??= o ? 'Member' : undefined;
    if (role !== 'Member' && role !== 'Owner') return undefined;
    let resource = await findResource(api, catalogId, groupId);
    const onboarded = !resource;
    if (!resource) {
      await api.addGroupToCatalog(catalogId, groupId, groupName);
      resource = await findResource(api, catalogId, groupId);
      if (!resource)
        throw Object.assign(new Error('The group was added to the catalog but is not listed yet; try again shortly.'), {
          code: 'ResourceNotYetListed',
        });
    }
    const rs = await api.addGroupRole(packageId, resource, role);
    ctx.output.info(`package ${packageId} now grants ${role} of ${resource.displayName ?? groupId} (${rs.id ?? ''})`);
    refreshGrants(ctx, tenant.key, packageId, catalogId);
    if (!o)
      void vscode.window.showInformationMessage(
        `${pkg.displayName ?? 'The package'} now grants ${role} of ${resource.displayName ?? groupName}${onboarded ? ' (added to the catalog first)' : ''}.`,
      );
    return { ok: true, roleScopeId: rs.id ?? '', onboarded };
  } catch (e) {
    return reportFailure(ctx, 'Adding the group as a resource role', e);
  }
}

export async function removeResourceRole(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ ok: true } | Failure | undefined> {
  try {
    const o = argObject(arg);
    const node = arg instanceof RoleScopeNode ? arg : undefined;
    const packageId = node?.parent.parent.graphId ?? str(o, 'accessPackageId');
    const roleScopeId = node?.graphId ?? str(o, 'roleScopeId');
    if (!packageId || !roleScopeId) {
      void vscode.window.showInformationMessage('Choose a resource role under a package in the Entitlements view.');
      return undefined;
    }
    const tenant = await resolveTenant(ctx, node ?? arg, 'Remove resource role');
    if (!tenant) return undefined;
    if (o?.confirmed !== true) {
      const label = node ? `${node.getTreeItem().description ?? ''} of ${node.getTreeItem().label}` : roleScopeId;
      const yes = await vscode.window.showWarningMessage(
        `Stop granting ${label}?`,
        { modal: true, detail: 'Users assigned to the package lose this role when Graph processes the change.' },
        'Remove',
      );
      if (yes !== 'Remove') return { ok: false, code: 'Canceled', message: 'Not confirmed.' };
    }
    await new ConsoleApi((await tenant.api()).graph).removeRoleScope(packageId, roleScopeId);
    ctx.output.info(`package ${packageId}: resource role scope ${roleScopeId} removed`);
    refreshGrants(ctx, tenant.key, packageId);
    return { ok: true };
  } catch (e) {
    return reportFailure(ctx, 'Removing the resource role', e);
  }
}
