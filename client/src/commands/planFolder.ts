/**
 * `entitlements.plan` ("Plan"): checks the folder's files, then shows what applying them to a
 * tenant would do, in the log and in a plan report. Argument object: `{folder?, tenantId?, prune?}`;
 * returns `{ok: true, changes, hasChanges}`, `{ok: false, code: 'FilesHaveErrors', errors}` or a
 * failure with Graph's code and message.
 */
import * as vscode from 'vscode';
import { describeChange, hasChanges, publicChange } from '../pac/plan';
import {
  checkAndPlan,
  openReport,
  planReport,
  reportErrors,
  resolveFolder,
  resolvePacTenant,
} from '../pacEditor/resolve';
import type { PacSession } from '../pacEditor/session';
import { abortOn, argObject, reportFailure, type CommandContext } from './context';

export async function planFolder(ctx: CommandContext, session: PacSession, arg?: unknown) {
  const o = arg instanceof vscode.Uri ? undefined : argObject(arg);
  try {
    const folder = await resolveFolder(arg, 'Plan This Folder');
    if (!folder) return undefined;
    const tenant = await resolvePacTenant(ctx, arg, 'Plan against which tenant?');
    if (!tenant) return undefined;
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Planning against ${tenant.label}`, cancellable: true },
      async (_progress, token) => {
        const r = await checkAndPlan(session, folder, tenant, abortOn(token), o?.prune === true);
        if (!r.ok) {
          reportErrors(ctx, r.errors);
          return { ok: false as const, code: 'FilesHaveErrors', message: 'The files have errors.', errors: r.errors };
        }
        const { plan } = r.planned;
        for (const c of plan.changes) if (c.action !== 'noop') ctx.output.info(`plan: ${describeChange(c)}`);
        const changes = hasChanges(plan);
        ctx.output.info(`plan: ${changes ? 'changes to apply' : 'no changes'} (${folder} → ${tenant.label})`);
        await openReport(session, 'Plan.md', planReport(folder, tenant, plan));
        return { ok: true as const, changes: plan.changes.map(publicChange), hasChanges: changes };
      },
    );
  } catch (e) {
    return reportFailure(ctx, 'Planning', e);
  }
}
