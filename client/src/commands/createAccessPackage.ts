/**
 * `entitlements.createAccessPackage`: pick a catalog, name, description → POST accessPackages.
 * Argument object: `{tenantId?, catalogId, displayName, description?}`. Returns the package
 * (`{ok: true, accessPackage}`) or `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import type { AccessPackage } from '@microsoft/microsoft-graph-types';
import { CatalogNode } from '../tree/nodes/catalogNode';
import { argObject, reportFailure, str, type CommandContext } from './context';
import { pickCatalog } from './pickers';
import { refreshCatalog } from './refreshTree';
import { resolveTenant } from './resolve';

export type CreateAccessPackageResult =
  { ok: true; accessPackage: AccessPackage } | { ok: false; code: string; message: string };

export async function createAccessPackage(
  ctx: CommandContext,
  arg?: unknown,
): Promise<CreateAccessPackageResult | undefined> {
  try {
    const tenant = await resolveTenant(ctx, arg, 'Create access package');
    if (!tenant) return undefined;
    const api = await tenant.api();
    const o = argObject(arg);
    const catalogId =
      arg instanceof CatalogNode
        ? arg.graphId
        : (str(o, 'catalogId') ?? (await pickCatalog(api, 'Create access package: catalog'))?.id ?? undefined);
    if (!catalogId) return undefined;
    const displayName =
      str(o, 'displayName') ??
      (await vscode.window.showInputBox({
        title: 'Create access package: name',
        validateInput: (v) => (v.trim() ? undefined : 'A name is required.'),
        ignoreFocusOut: true,
      }));
    if (!displayName?.trim()) return undefined;
    const description = o
      ? (str(o, 'description') ?? '')
      : await vscode.window.showInputBox({
          title: 'Create access package: description (optional)',
          ignoreFocusOut: true,
        });
    if (description === undefined) return undefined;
    const accessPackage = await api.createAccessPackage(catalogId, displayName.trim(), description);
    ctx.output.info(`access package ${accessPackage.displayName} (${accessPackage.id}) created in ${tenant.label}`);
    refreshCatalog(ctx, tenant.key, catalogId);
    if (!o) void vscode.window.showInformationMessage(`Access package "${accessPackage.displayName}" created.`);
    return { ok: true, accessPackage };
  } catch (e) {
    return reportFailure(ctx, 'Creating the access package', e);
  }
}
