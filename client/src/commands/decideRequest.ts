/**
 * `entitlements.approveRequest` / `entitlements.denyRequest`: records a decision on the stage of
 * a request's approval that is in progress, with a justification.
 * Argument object: `{tenantId?, requestId, justification?}` (no prompt). Returns
 * `{ok: true, requestId, stageId, decision, state}` (the request's state afterwards) or `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import { ConsoleApi, type Decision } from '../requests/consoleApi';
import { RequestNode } from '../tree/nodes/requestNode';
import { argObject, reportFailure, str, type CommandContext } from './context';
import { refreshRequests } from './refreshTree';
import { resolveTenant } from './resolve';

export type DecideResult =
  | { ok: true; requestId: string; stageId: string; decision: Decision; state: string }
  | { ok: false; code: string; message: string };

export async function decideRequest(
  ctx: CommandContext,
  decision: Decision,
  arg?: unknown,
): Promise<DecideResult | undefined> {
  const verb = decision === 'Approve' ? 'Approving' : 'Denying';
  try {
    const o = argObject(arg);
    const node = arg instanceof RequestNode ? arg : undefined;
    const requestId = node?.graphId ?? str(o, 'requestId');
    if (!requestId) {
      void vscode.window.showInformationMessage('Choose a request pending approval in the Entitlements view.');
      return undefined;
    }
    const tenant = await resolveTenant(ctx, node ?? arg, `${verb} a request`);
    if (!tenant) return undefined;
    const api = new ConsoleApi((await tenant.api()).graph);
    const approval = await api.approval(requestId);
    const stage = (approval.stages ?? []).find((s) => s.status === 'InProgress');
    if (!stage?.id) {
      const message = 'This request has no approval stage in progress.';
      if (!o) void vscode.window.showInformationMessage(message);
      return { ok: false, code: 'NoStageInProgress', message };
    }
    const who = node ? node.getTreeItem().label : requestId;
    const justification =
      o !== undefined
        ? (str(o, 'justification') ?? '')
        : await vscode.window.showInputBox({
            title: `${decision} the request of ${who}`,
            prompt: 'Justification (recorded with the decision; some policies require one)',
            ignoreFocusOut: true,
          });
    if (justification === undefined) return undefined;
    await api.decide(requestId, stage.id, decision, justification);
    const after = await api.request(requestId);
    ctx.output.info(`request ${requestId}: ${decision} (stage ${stage.id}); now ${after.state ?? ''}`);
    refreshRequests(ctx, tenant.key, after.accessPackage?.id ?? node?.parent.parent.graphId);
    if (!o)
      void vscode.window.showInformationMessage(
        `${decision === 'Approve' ? 'Approved' : 'Denied'}: the request of ${who} is now ${after.state ?? 'updated'}.`,
      );
    return { ok: true, requestId, stageId: stage.id, decision, state: after.state ?? '' };
  } catch (e) {
    return reportFailure(ctx, `${verb} the request`, e);
  }
}
