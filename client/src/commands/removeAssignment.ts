/**
 * `entitlements.removeAssignment`: `adminRemove` of the selected assignment(s) after a modal
 * confirmation. Argument object: `{tenantId?, assignmentIds, confirmed: true}`.
 * Returns `[{assignmentId, ok: true, requestId} | {assignmentId, ok: false, code, message}]`.
 */
import * as vscode from 'vscode';
import { adminRemoveMany } from '../graph/bulkAssignments';
import { AssignmentNode } from '../tree/nodes/assignmentNode';
import { abortOn, argObject, reportFailure, strings, type CommandContext } from './context';
import { refreshAssignments } from './refreshTree';
import { resolveTenant } from './resolve';

export type RemoveResult =
  | { assignmentId: string; ok: true; requestId: string }
  | { assignmentId: string; ok: false; code: string; message: string };

export async function removeAssignment(
  ctx: CommandContext,
  arg?: unknown,
  selection?: unknown,
): Promise<RemoveResult[] | undefined> {
  try {
    const nodes = (Array.isArray(selection) && selection.length > 0 ? selection : [arg]).filter(
      (n): n is AssignmentNode => n instanceof AssignmentNode,
    );
    const o = argObject(arg);
    const ids = nodes.length > 0 ? nodes.map((n) => n.row.id) : (strings(o, 'assignmentIds') ?? []);
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(
        'Select one or more assignments in the Entitlements view to remove them.',
      );
      return undefined;
    }
    const tenant = await resolveTenant(ctx, nodes[0] ?? arg, 'Remove assignments');
    if (!tenant) return undefined;
    if (o?.confirmed !== true) {
      const who =
        nodes.length > 0
          ? nodes
              .slice(0, 5)
              .map((n) => n.row.targetName || n.row.principalName)
              .join(', ') + (nodes.length > 5 ? `, and ${nodes.length - 5} more` : '')
          : `${ids.length} assignment(s)`;
      const yes = await vscode.window.showWarningMessage(
        `Remove access for ${who}?`,
        {
          modal: true,
          detail: `An adminRemove request is filed for each of the ${ids.length} assignment(s) in ${tenant.label} (20 per batch).`,
        },
        'Remove',
      );
      if (yes !== 'Remove') return [];
    }
    const api = await tenant.api();
    const results: RemoveResult[] = [];
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Removing assignments', cancellable: true },
      async (progress, token) => {
        // 20 adminRemove requests per $batch; throttled ones are retried after their Retry-After.
        let reported = 0;
        const outcomes = await adminRemoveMany(api.graph, ids, {
          signal: abortOn(token),
          onProgress: (done, total) => {
            progress.report({ increment: ((done - reported) * 100) / total });
            reported = done;
          },
        });
        for (const { attempts: _attempts, ...r } of outcomes) {
          results.push(r);
          if (r.ok) ctx.output.info(`remove ${r.assignmentId}: request ${r.requestId}`);
          else ctx.output.warn(`remove ${r.assignmentId}: ${r.code}: ${r.message}`);
        }
      },
    );
    const failed = results.filter((r) => !r.ok).length;
    if (!o)
      void (failed
        ? vscode.window.showWarningMessage(`${results.length - failed} removed, ${failed} failed (see the log).`)
        : vscode.window.showInformationMessage(`${results.length} assignment(s) removed.`));
    refreshAssignments(ctx, tenant.key, { assignmentIds: ids });
    return results;
  } catch (e) {
    reportFailure(ctx, 'Removing assignments', e);
    return undefined;
  }
}
