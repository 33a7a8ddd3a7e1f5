/**
 * `entitlements.assign`: pick the policy, then users (a search by display name, UPN or mail that
 * marks who already holds the package, a CSV of UPNs, or a group's members — userSources.ts),
 * optional start/end and justification, answers when the policy has questions → `adminAdd`
 * requests sent 20 per `$batch`, throttled ones retried after their Retry-After; the outcome per
 * user is logged, summarised and returned.
 * Argument object: `{tenantId?, accessPackageId, policyId, userIds | upns | groupId, justification?,
 * startDateTime?, endDateTime?, answers?}` (answers: Graph `accessPackageAnswer` objects; `upns`
 * are looked up first, unknown ones come back as `UserNotFound`).
 * Returns `AdminAddResult[]`: `{userId, ok: true, request}` or `{userId, ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import type { AccessPackageAssignmentPolicy, AccessPackageQuestion } from '@microsoft/microsoft-graph-types';
import { adminAddMany, groupMemberUsers, usersByUpn } from '../graph/bulkAssignments';
import type { AdminAddResult, EntitlementsApi } from '../graph/entitlements';
import { AccessPackageNode } from '../tree/nodes/accessPackageNode';
import { AssignmentsNode } from '../tree/nodes/assignmentsNode';
import { autoAssignmentRule, PolicyNode } from '../tree/nodes/policyNode';
import { argObject, reportFailure, str, strings, type CommandContext } from './context';
import { pickAccessPackage, pickPolicy } from './pickers';
import { resolveTenant } from './resolve';
import { chooseUsers } from './userSources';

export async function assign(ctx: CommandContext, arg?: unknown): Promise<AdminAddResult[] | undefined> {
  try {
    const tenant = await resolveTenant(ctx, arg, 'Assign users');
    if (!tenant) return undefined;
    const api = await tenant.api();
    const o = argObject(arg);
    const pkgNode =
      arg instanceof AccessPackageNode
        ? arg
        : arg instanceof AssignmentsNode
          ? arg.parent
          : arg instanceof PolicyNode
            ? arg.parent.parent
            : undefined;
    const accessPackageId =
      pkgNode?.graphId ??
      str(o, 'accessPackageId') ??
      (await pickAccessPackage(api, 'Assign users: access package'))?.id ??
      undefined;
    if (!accessPackageId) return undefined;
    let policy: AccessPackageAssignmentPolicy | undefined = arg instanceof PolicyNode ? arg.policy : undefined;
    if (!policy && str(o, 'policyId')) policy = { id: str(o, 'policyId') };
    policy ??= await pickPolicy(
      api,
      accessPackageId,
      'Assign users: policy',
      (p) => autoAssignmentRule(p) === undefined,
    );
    if (!policy?.id) return undefined;
    const notFound: AdminAddResult[] = [];
    let userIds = strings(o, 'userIds');
    const upns = strings(o, 'upns');
    if (!userIds && upns) {
      const found = await usersByUpn(api.graph, upns);
      userIds = found.flatMap((f) => (f.ok && f.user.id ? [f.user.id] : []));
      for (const f of found) if (!f.ok) notFound.push({ userId: f.upn, ok: false, code: f.code, message: f.message });
    }
    const groupId = str(o, 'groupId');
    if (!userIds && groupId)
      userIds = (await groupMemberUsers(api.graph, groupId)).flatMap((u) => (u.id ? [u.id] : []));
    if (!userIds && !o) {
      const chosen = await chooseUsers(api, accessPackageId);
      if (!chosen) return undefined;
      for (const n of chosen.notes) ctx.output.info(`assign: ${n}`);
      if (chosen.notes.length > 0 && chosen.userIds.length > 0)
        void vscode.window.showInformationMessage(chosen.notes.join(' '));
      if (chosen.userIds.length === 0) {
        void vscode.window.showInformationMessage(`Nobody to assign. ${chosen.notes.join(' ')}`);
        return [];
      }
      userIds = chosen.userIds;
    }
    if (!userIds || (userIds.length === 0 && notFound.length === 0)) return undefined;
    const details = o
      ? {
          justification: str(o, 'justification'),
          startDateTime: str(o, 'startDateTime'),
          endDateTime: str(o, 'endDateTime'),
        }
      : await askDetails();
    if (!details) return undefined;
    const answers = Array.isArray(o?.answers)
      ? (o.answers as unknown[])
      : o
        ? undefined
        : await askAnswers(api, policy.id);
    if (answers === null) return undefined;
    const inputs = userIds.map((userId) => ({
      accessPackageId,
      policyId: policy.id!,
      userId,
      ...details,
      answers: answers ?? undefined,
    }));
    const progress = {
      location: vscode.ProgressLocation.Notification,
      title: `Assigning ${userIds.length} user(s)…`,
      cancellable: true,
    };
    const sent = await vscode.window.withProgress(progress, (p, cancel) => {
      // Cancelling stops before the next batch; users not sent come back as Canceled, ready to resume.
      const abort = new AbortController();
      cancel.onCancellationRequested(() => abort.abort());
      let reported = 0;
      return adminAddMany(api.graph, inputs, {
        signal: abort.signal,
        onProgress: (done, total) => {
          p.report({ increment: ((done - reported) * 100) / total, message: `${done} of ${total}` });
          reported = done;
        },
      });
    });
    const results: AdminAddResult[] = [...sent.map(({ attempts: _attempts, ...r }) => r), ...notFound];
    for (const r of results) {
      if (r.ok) ctx.output.info(`assign ${r.userId}: request ${r.request.id} ${r.request.state ?? ''}`);
      else ctx.output.warn(`assign ${r.userId}: ${r.code}: ${r.message}`);
    }
    if (!o)
      reportResults(ctx, results, {
        tenantId: tenant.key,
        accessPackageId,
        policyId: policy.id,
        ...details,
        answers: answers ?? undefined,
      });
    pkgNode?.assignments.reset();
    ctx.tree.refresh(pkgNode?.assignments);
    return results;
  } catch (e) {
    reportFailure(ctx, 'Assigning', e);
    return undefined;
  }
}

/** Summarises the outcome; when some users failed (or were not sent), offers to retry just those. */
function reportResults(ctx: CommandContext, results: AdminAddResult[], request: Record<string, unknown>): void {
  const failed = results.filter((r) => !r.ok);
  const summary = `${results.length - failed.length} of ${results.length} assignment request(s) accepted.`;
  if (failed.length === 0) {
    void vscode.window.showInformationMessage(summary);
    return;
  }
  const detail = failed.map((f) => `${f.userId}: ${f.ok ? '' : `${f.code}: ${f.message}`}`).join(' · ');
  void vscode.window.showWarningMessage(`${summary} ${detail}`, 'Retry Failed', 'Show Log').then((choice) => {
    if (choice === 'Show Log') ctx.output.show();
    if (choice === 'Retry Failed')
      void vscode.commands.executeCommand('entitlements.assign', {
        ...request,
        userIds: failed.map((f) => f.userId),
        interactive: true,
      });
  });
}

const isoDate = (v: string): boolean => v.trim() === '' || !Number.isNaN(Date.parse(v.trim()));

async function askDetails(): Promise<
  { justification?: string; startDateTime?: string; endDateTime?: string } | undefined
> {
  const start = await vscode.window.showInputBox({
    title: 'Assign users: start (optional)',
    prompt: 'ISO date or date-time, e.g. 2025-07-01; empty = now',
    validateInput: (v) => (isoDate(v) ? undefined : 'Not a date'),
    ignoreFocusOut: true,
  });
  if (start === undefined) return undefined;
  const end = await vscode.window.showInputBox({
    title: 'Assign users: end (optional)',
    prompt: "ISO date or date-time; empty = the policy's expiration",
    validateInput: (v) => (isoDate(v) ? undefined : 'Not a date'),
    ignoreFocusOut: true,
  });
  if (end === undefined) return undefined;
  const justification = await vscode.window.showInputBox({
    title: 'Assign users: justification (optional)',
    ignoreFocusOut: true,
  });
  if (justification === undefined) return undefined;
  const iso = (v: string): string | undefined => (v.trim() ? new Date(Date.parse(v.trim())).toISOString() : undefined);
  return { justification: justification || undefined, startDateTime: iso(start), endDateTime: iso(end) };
}

/** Answers to the policy's questions (null when the user cancels). */
async function askAnswers(api: EntitlementsApi, policyId: string): Promise<unknown[] | undefined | null> {
  const policy = await api.policy(policyId);
  const questions = [...(policy.questions ?? [])].sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
  const answers: unknown[] = [];
  for (const q of questions) {
    const answer = await askOne(q);
    if (answer === null) return null;
    if (answer) answers.push(answer);
  }
  return answers.length > 0 ? answers : undefined;
}

async function askOne(q: AccessPackageQuestion): Promise<Record<string, unknown> | undefined | null> {
  const type = (q as { '@odata.type'?: string })['@odata.type'] ?? '#microsoft.graph.accessPackageTextInputQuestion';
  const choices = (q as { choices?: { actualValue?: string; text?: string }[] }).choices;
  let value: string | undefined;
  let display: string | undefined;
  if (choices && choices.length > 0) {
    const pick = await vscode.window.showQuickPick(
      choices.map((c) => ({ label: c.text ?? c.actualValue ?? '', value: c.actualValue ?? '' })),
      { title: q.text ?? 'Question', placeHolder: q.isRequired ? 'Required' : 'Optional (Esc to skip)' },
    );
    value = pick?.value;
    display = pick?.label;
  } else {
    const regex = (q as { regexPattern?: string }).regexPattern;
    value = await vscode.window.showInputBox({
      title: q.text ?? 'Question',
      prompt: q.isRequired ? 'Required' : 'Optional',
      ignoreFocusOut: true,
      validateInput: (v) =>
        regex && v && !safeTest(regex, v)
          ? `Must match ${regex}`
          : q.isRequired && !v
            ? 'An answer is required.'
            : undefined,
    });
    display = value;
  }
  if (value === undefined) return q.isRequired ? null : undefined;
  if (value === '') return undefined;
  return {
    '@odata.type': '#microsoft.graph.accessPackageAnswerString',
    value,
    displayValue: display ?? value,
    answeredQuestion: { '@odata.type': type, id: q.id },
  };
}

function safeTest(pattern: string, v: string): boolean {
  try {
    return new RegExp(pattern).test(v);
  } catch {
    return true;
  }
}
