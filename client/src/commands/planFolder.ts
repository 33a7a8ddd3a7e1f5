/**
 * `entitlements.plan` ("Plan"): checks the folder's files, then shows what applying them to a
 * tenant would do, in the log and in a plan report. Argument object: `{folder?, tenantId?, prune?}`;
 * returns `{ok: true, changes, hasChanges}`, `{ok: false, code: 'FilesHaveErrors', errors}` or a
 * failure with Graph's code and message.
 */
import { describeChange, hasChanges, publicChange } from '../pac/plan';
import { openReport, planReport, resolveAndPlan } from '../pacEditor/resolve';
import type { PacSession } from '../pacEditor/session';
import { reportFailure, type CommandContext } from './context';

export async function planFolder(ctx: CommandContext, session: PacSession, arg?: unknown) {
  try {
    const r = await resolveAndPlan(ctx, session, arg, {
      folder: 'Plan This Folder',
      tenant: 'Plan against which tenant?',
    });
    if (!r?.ok) return r;
    const { folder, tenant } = r;
    const { plan } = r.planned;
    for (const c of plan.changes) if (c.action !== 'noop') ctx.output.info(`plan: ${describeChange(c)}`);
    const changes = hasChanges(plan);
    ctx.output.info(`plan: ${changes ? 'changes to apply' : 'no changes'} (${folder} → ${tenant.label})`);
    await openReport(session, 'Plan.md', planReport(folder, tenant, plan));
    return { ok: true as const, changes: plan.changes.map(publicChange), hasChanges: changes };
  } catch (e) {
    return reportFailure(ctx, 'Planning', e);
  }
}
