/**
 * `entitlements.apply` ("Apply"): plans, lists the changes in a modal confirmation, then carries
 * them out with progress and cancellation (changes not yet sent come back as `Canceled`); every
 * outcome goes to the log and the plan report. Argument object: `{folder?, tenantId?, prune?,
 * confirm?: true}` (`confirm` pre-answers the modal); returns `{ok, outcomes}`.
 */
import * as vscode from 'vscode';
import { applyPlan } from '../pac/apply';
import { describeChange } from '../pac/plan';
import { openReport, planReport, resolveAndPlan } from '../pacEditor/resolve';
import type { PacSession } from '../pacEditor/session';
import { abortOn, argObject, reportFailure, type CommandContext } from './context';

export async function applyFolder(ctx: CommandContext, session: PacSession, arg?: unknown) {
  const o = arg instanceof vscode.Uri ? undefined : argObject(arg);
  try {
    const planned = await resolveAndPlan(ctx, session, arg, {
      folder: 'Apply This Folder',
      tenant: 'Apply to which tenant?',
    });
    if (!planned?.ok) return planned;
    const { folder, tenant } = planned;
    const { plan, state, connected } = planned.planned;
    const pending = plan.changes.filter((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
    if (pending.length === 0) {
      ctx.output.info(`apply: nothing to apply (${folder} → ${tenant.label})`);
      if (!o) void vscode.window.showInformationMessage(`${tenant.label} already matches the folder.`);
      return { ok: true as const, outcomes: [] };
    }
    if (o?.confirm !== true) {
      const answer = await vscode.window.showWarningMessage(
        `Apply ${pending.length} change(s) to ${tenant.label}?`,
        { modal: true, detail: pending.map(describeChange).join('\n') },
        'Apply',
      );
      if (answer !== 'Apply') return undefined;
    }
    const outcomes = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Applying to ${tenant.label}`, cancellable: true },
      (progress, token) =>
        applyPlan(connected.graph, folder, plan, state, connected.key, {
          signal: abortOn(token),
          onOutcome: (out) => {
            progress.report({ increment: 100 / pending.length, message: out.change.file ?? out.change.displayName });
            const what = `${out.change.action} ${out.change.kind} ${out.change.file ?? out.change.displayName ?? ''}`;
            if (out.ok) ctx.output.info(`apply: ok ${what}`);
            else ctx.output.error(`apply: FAILED ${what}: ${out.code ?? ''}: ${out.message ?? ''}`);
          },
        }),
    );
    session.forget(connected);
    await session.refreshStatuses(folder, connected);
    const failed = outcomes.filter((x) => !x.ok);
    const lines = outcomes.map(
      (x) =>
        `${x.ok ? 'ok' : `FAILED (${x.code ?? ''}: ${x.message ?? ''})`} ${x.change.action} ${x.change.kind} ${x.change.file ?? x.change.displayName ?? ''}`,
    );
    await openReport(session, 'Apply.md', planReport(folder, tenant, plan, lines));
    const summary = `Applied ${outcomes.length - failed.length} change(s) to ${tenant.label}, ${failed.length} failed.`;
    ctx.output.info(`apply: ${summary}`);
    if (!o) {
      if (failed.length > 0)
        void vscode.window.showErrorMessage(summary, 'Show Log').then((c) => c && ctx.output.show());
      else void vscode.window.showInformationMessage(summary);
    }
    return {
      ok: failed.length === 0,
      outcomes: outcomes.map((x) => ({
        action: x.change.action,
        kind: x.change.kind,
        file: x.change.file,
        ok: x.ok,
        id: x.id,
        code: x.code,
        message: x.message,
      })),
    };
  } catch (e) {
    return reportFailure(ctx, 'Applying', e);
  }
}
