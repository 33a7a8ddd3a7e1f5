/**
 * `entitlements.filterRequests`: which states a Requests folder shows (several at once; none =
 * those needing attention). On a Requests folder or a package row, or
 * `{tenantId, accessPackageId, states: [...]}`. Returns the states applied.
 */
import * as vscode from 'vscode';
import { attentionStates, requestStates, type RequestState } from '../requests/consoleApi';
import { AccessPackageNode } from '../tree/nodes/accessPackageNode';
import { RequestsNode } from '../tree/nodes/requestsNode';
import { friendly } from '../tree/labels';
import { argObject, findTenant, str, strings, type CommandContext } from './context';
import { pickAccessPackage, pickTenant } from './pickers';
import { findPackage } from './treeCommands';

export async function filterRequests(ctx: CommandContext, arg?: unknown): Promise<readonly RequestState[] | undefined> {
  const o = argObject(arg);
  let folder = arg instanceof RequestsNode ? arg : arg instanceof AccessPackageNode ? arg.requests : undefined;
  if (!folder) {
    const tenant = o ? findTenant(ctx, str(o, 'tenantId')) : await pickTenant(ctx, 'Filter requests');
    const tn = tenant && ctx.root.tenantNode(tenant.key);
    const pkgId = o
      ? str(o, 'accessPackageId')
      : tenant && (await pickAccessPackage(await tenant.api(), 'Filter requests: access package'))?.id;
    if (tn && pkgId) folder = (await findPackage(tn, pkgId))?.requests;
  }
  if (!folder) return undefined;
  let states = strings(o, 'states')?.filter((s): s is RequestState => (requestStates as readonly string[]).includes(s));
  if (!o) {
    const picks = await vscode.window.showQuickPick(
      requestStates.map((s) => ({
        label: friendly(s),
        description: s,
        value: s,
        picked: folder.filter.includes(s),
      })),
      {
        title: 'Show requests in these states',
        placeHolder: `None = those needing attention (${attentionStates.map(friendly).join(', ')})`,
        canPickMany: true,
      },
    );
    if (!picks) return undefined;
    states = picks.map((p) => p.value);
  }
  folder.setFilter(states);
  ctx.tree.refresh(folder);
  return folder.filter;
}
