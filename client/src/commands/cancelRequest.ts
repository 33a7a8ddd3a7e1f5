/**
 * `entitlements.cancelRequest` (after a modal confirmation) and `entitlements.reprocessRequest`:
 * Graph v1.0's `cancel` and `reprocess` actions on an assignment request.
 * Argument object: `{tenantId?, requestId, confirmed: true}`. Returns `{ok: true, requestId, state}`
 * (the state afterwards) or `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import { ConsoleApi } from '../requests/consoleApi';
import { RequestNode } from '../tree/nodes/requestNode';
import { argObject, reportFailure, str, type CommandContext } from './context';
import { refreshRequests } from './refreshTree';
import { resolveTenant } from './resolve';

export type RequestActionResult =
  { ok: true; requestId: string; state: string } | { ok: false; code: string; message: string };

export async function requestAction(
  ctx: CommandContext,
  action: 'cancel' | 'reprocess',
  arg?: unknown,
): Promise<RequestActionResult | undefined> {
  const what = action === 'cancel' ? 'Canceling the request' : 'Reprocessing the request';
  try {
    const o = argObject(arg);
    const node = arg instanceof RequestNode ? arg : undefined;
    const requestId = node?.graphId ?? str(o, 'requestId');
    if (!requestId) {
      void vscode.window.showInformationMessage('Choose a request in the Entitlements view.');
      return undefined;
    }
    const tenant = await resolveTenant(ctx, node ?? arg, what);
    if (!tenant) return undefined;
    if (action === 'cancel' && o?.confirmed !== true) {
      const yes = await vscode.window.showWarningMessage(
        `Cancel the request of ${node ? node.getTreeItem().label : requestId}?`,
        { modal: true, detail: 'A canceled request cannot be resumed; the user has to request access again.' },
        'Cancel Request',
      );
      if (yes !== 'Cancel Request') return { ok: false, code: 'Canceled', message: 'Not confirmed.' };
    }
    const api = new ConsoleApi((await tenant.api()).graph);
    if (action === 'cancel') await api.cancel(requestId);
    else await api.reprocess(requestId);
    const after = await api.request(requestId);
    ctx.output.info(`request ${requestId}: ${action}; now ${after.state ?? ''}`);
    refreshRequests(ctx, tenant.key, after.accessPackage?.id ?? node?.parent.parent.graphId);
    if (!o)
      void vscode.window.showInformationMessage(
        `${action === 'cancel' ? 'Canceled' : 'Reprocessed'}: the request is now ${after.state ?? 'updated'}.`,
      );
    return { ok: true, requestId, state: after.state ?? '' };
  } catch (e) {
    return reportFailure(ctx, what, e);
  }
}
