/**
 * Deploying one file of a policy-as-code folder goes through the same plan as "Apply": the file's
 * change (and the creation of its package and catalog when they are new), the diff before a live
 * object is replaced, a modal confirmation, a warning when the file still has errors, and a
 * question which tenant when several are configured. Argument object (from `deployPolicy`):
 * `{uri, tenantId?, confirm?: true, ignoreErrors?: true}`.
 */
import { basename, relative } from 'node:path';
import * as vscode from 'vscode';
import { GraphRequestError } from '../graph/graphClient';
import { applyPlan } from '../pac/apply';
import { readLayout } from '../pac/layout';
import { describeChange, makePlan, planForFile } from '../pac/plan';
import { readState, tenantState } from '../pac/state';
import { resolvePacTenant } from '../pacEditor/resolve';
import type { PacSession } from '../pacEditor/session';
import { compareWithDeployed } from './compareWithDeployed';
import { reportFailure, type CommandContext } from './context';

const kindLabel = { catalog: 'catalog', accessPackage: 'access package', policy: 'policy' } as const;

export async function deployLayoutFile(
  ctx: CommandContext,
  session: PacSession,
  doc: vscode.TextDocument,
  root: string,
  o: Record<string, unknown> | undefined,
) {
  const name = basename(doc.uri.fsPath);
  try {
    const tenant = await resolvePacTenant(ctx, o, `Deploy ${name} to which tenant?`);
    if (!tenant) return undefined;
    const errors = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    if (errors.length > 0 && o?.ignoreErrors !== true) {
      const message = `${name} has ${errors.length} error(s); the tenant will probably refuse it.`;
      if (o) return { ok: false as const, code: 'FileHasErrors', message };
      const answer = await vscode.window.showWarningMessage(
        `${message} Deploy anyway?`,
        {
          modal: true,
          detail: errors
            .slice(0, 10)
            .map((d) => `line ${d.range.start.line + 1}: ${d.message}`)
            .join('\n'),
        },
        'Deploy Anyway',
      );
      if (answer !== 'Deploy Anyway') return undefined;
    }
    if (doc.isDirty) await doc.save();
    const c = await session.connect(tenant);
    const layout = readLayout(root);
    const state = readState(root);
    const snapshot = await session.snapshot(c, undefined, true);
    const plan = makePlan(layout, snapshot, tenantState(state, c.key));
    const rel = relative(root, doc.uri.fsPath).split('\\').join('/');
    const sub = planForFile(plan, rel);
    const change = sub?.changes.at(-1);
    if (!sub || !change) {
      const message = `${rel} is not in a catalog or access package folder of ${root}.`;
      if (!o) void vscode.window.showErrorMessage(message);
      return { ok: false as const, code: 'NotInLayout', message };
    }
    const chain = sub.changes;
    if (chain.length === 1 && change.action === 'noop') {
      if (!o) void vscode.window.showInformationMessage(`${name} is already in sync with ${tenant.label}.`);
      return { ok: true as const, action: 'noop', id: change.id };
    }
    if (o?.confirm !== true) {
      let question = `Create ${kindLabel[change.kind]} "${change.local?.displayName ?? name}" in ${tenant.label}?`;
      if (change.action === 'update') {
        await compareWithDeployed(ctx, session, { uri: doc.uri.toString(), tenantId: tenant.key });
        question = `Replace the live ${kindLabel[change.kind]} "${change.remote?.displayName ?? name}" in ${tenant.label}?`;
      }
      const detail = [
        ...chain.map(describeChange),
        ...(change.drift
          ? ['It was changed in the tenant since the last apply or pull; those changes will be lost.']
          : []),
      ].join('\n');
      const go = change.action === 'update' ? 'Replace' : 'Create';
      if ((await vscode.window.showWarningMessage(question, { modal: true, detail }, go)) !== go) return undefined;
    }
    const outcomes = await applyPlan(c.graph, root, sub, state, c.key);
    session.forget(c);
    await session.refreshStatuses(root, c);
    const mine = outcomes.find((x) => x.change === change);
    const failed = outcomes.find((x) => !x.ok);
    for (const x of outcomes)
      ctx.output.info(
        `deploy: ${x.ok ? 'ok' : `FAILED ${x.code ?? ''}: ${x.message ?? ''}`} ${describeChange(x.change)}`,
      );
    if (failed) {
      if (failed === mine)
        ctx.documents.report(doc, new GraphRequestError(400, failed.code ?? 'Error', failed.message ?? ''));
      return reportFailure(
        ctx,
        `Deploying ${name}`,
        new GraphRequestError(0, failed.code ?? 'Error', failed.message ?? ''),
      );
    }
    ctx.documents.clear(doc.uri);
    ctx.root.tenantNode(tenant.key)?.reset();
    ctx.tree.refresh();
    if (!o)
      void vscode.window.showInformationMessage(
        `${kindLabel[change.kind]} "${change.local?.displayName ?? name}" ${change.action === 'create' ? 'created' : 'updated'} in ${tenant.label}.`,
      );
    return { ok: true as const, action: change.action, id: mine?.id ?? change.id };
  } catch (e) {
    return reportFailure(ctx, `Deploying ${name}`, e);
  }
}
