/** What the policy-as-code commands share: the folder, the tenant, the check, the plan, the report. */
import * as vscode from 'vscode';
import { checkLayout, type FileError } from '../pac/check';
import { readLayout, type Layout } from '../pac/layout';
import { describeChange, makePlan, type Plan } from '../pac/plan';
import { readState, tenantState, type StateFile } from '../pac/state';
import { layoutRootOf } from '../pac/status';
import { abortOn, argObject, findTenant, str, type CommandContext } from '../commands/context';
import { pickTenant } from '../commands/pickers';
import { isNode, resolveTenant } from '../commands/resolve';
import type { Tenant } from '../tenants/tenant';
import type { Connected, PacSession } from './session';

/**
 * The configuration folder: `folder` of the argument object, the folder of the active layout file,
 * the only workspace folder holding `.entitlements/`, or one the user picks.
 */
export async function resolveFolder(arg: unknown, pickLabel: string, forPull = false): Promise<string | undefined> {
  const o = arg instanceof vscode.Uri || isNode(arg) ? undefined : argObject(arg);
  const given = str(o, 'folder') ?? (arg instanceof vscode.Uri ? arg.fsPath : undefined);
  if (given) return given;
  if (o) return undefined;
  if (!forPull) {
    const active = vscode.window.activeTextEditor?.document.uri;
    const root = active?.scheme === 'file' ? layoutRootOf(active.fsPath) : undefined;
    if (root) return root;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: pickLabel,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0]?.fsPath;
}

/** The tenant named by `tenantId`, or the one the user picks (asked whenever there are several). */
export async function resolvePacTenant(ctx: CommandContext, arg: unknown, title: string): Promise<Tenant | undefined> {
  if (isNode(arg)) return resolveTenant(ctx, arg, title);
  const o = arg instanceof vscode.Uri ? undefined : argObject(arg);
  const key = str(o, 'tenantId');
  if (key) {
    const t = findTenant(ctx, key);
    if (!t) throw Object.assign(new Error(`No tenant '${key}' in the Entitlements view.`), { code: 'UnknownTenant' });
    return t;
  }
  return pickTenant(ctx, title);
}

export interface Planned {
  layout: Layout;
  state: StateFile;
  plan: Plan;
  connected: Connected;
}

/** Checks the files (refusing on errors) and plans against the tenant. */
export async function checkAndPlan(
  session: PacSession,
  folder: string,
  tenant: Tenant,
  signal: AbortSignal,
  prune: boolean,
): Promise<{ ok: true; planned: Planned } | { ok: false; errors: FileError[] }> {
  const layout = readLayout(folder);
  const errors = await checkLayout(layout);
  if (errors.length > 0) return { ok: false, errors };
  const connected = await session.connect(tenant);
  const state = readState(folder);
  const snapshot = await session.snapshot(connected, signal, true);
  const plan = makePlan(layout, snapshot, tenantState(state, connected.key), prune);
  await session.refreshStatuses(folder, connected, snapshot);
  return { ok: true, planned: { layout, state, plan, connected } };
}

/** The refusal both Plan and Apply answer when the folder's files have errors (nothing was sent). */
export type FilesHaveErrors = { ok: false; code: 'FilesHaveErrors'; message: string; errors: FileError[] };

/**
 * Plan and Apply's common start: the folder, the tenant, then the check and the plan under a
 * cancellable progress notification. Undefined when the user dismissed a prompt; the files'
 * errors are reported (log and message) and returned as `FilesHaveErrors`.
 */
export async function resolveAndPlan(
  ctx: CommandContext,
  session: PacSession,
  arg: unknown,
  prompts: { folder: string; tenant: string },
): Promise<{ ok: true; folder: string; tenant: Tenant; planned: Planned } | FilesHaveErrors | undefined> {
  const o = arg instanceof vscode.Uri ? undefined : argObject(arg);
  const folder = await resolveFolder(arg, prompts.folder);
  if (!folder) return undefined;
  const tenant = await resolvePacTenant(ctx, arg, prompts.tenant);
  if (!tenant) return undefined;
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Planning against ${tenant.label}`, cancellable: true },
    (_progress, token) => checkAndPlan(session, folder, tenant, abortOn(token), o?.prune === true),
  );
  if (!r.ok) {
    reportErrors(ctx, r.errors);
    return { ok: false, code: 'FilesHaveErrors', message: 'The files have errors.', errors: r.errors };
  }
  return { ok: true, folder, tenant, planned: r.planned };
}

export function reportErrors(ctx: CommandContext, errors: FileError[]): void {
  for (const e of errors) ctx.output.error(`${e.file}:${e.line}:${e.character}: ${e.code}: ${e.message}`);
  void vscode.window
    .showErrorMessage(`${errors.length} error(s) in the folder's files; nothing was sent to the tenant.`, 'Show Log')
    .then((c) => c && ctx.output.show());
}

/** The plan as a Markdown report. */
export function planReport(folder: string, tenant: Tenant, plan: Plan, outcomes?: string[]): string {
  const lines = [`# Plan: ${folder} → ${tenant.label}`, ''];
  const n = (a: string) => plan.changes.filter((c) => c.action === a).length;
  lines.push(
    `${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete, ${n('noop')} unchanged, ${n('unmanaged')} unmanaged`,
    '',
  );
  for (const c of plan.changes) if (c.action !== 'noop') lines.push(`- \`${describeChange(c)}\``);
  if (outcomes) lines.push('', '## Outcome', '', ...outcomes.map((o) => `- ${o}`));
  return `${lines.join('\n')}\n`;
}

/** Opens a report document beside the editor. */
export async function openReport(session: PacSession, name: string, text: string): Promise<void> {
  const uri = session.show(name, text);
  const doc = await vscode.workspace.openTextDocument(uri);
  // A report that is already open is refreshed by the content provider's change event, which the
  // editor applies a moment later: wait for it, so that whoever reads the report next (the user,
  // or a caller of the command) sees this run's text, not the previous one.
  if (doc.getText() !== text) await documentText(doc, text, 5_000);
  await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  await vscode.window.showTextDocument(doc, {
    preview: true,
    preserveFocus: true,
    viewColumn: vscode.ViewColumn.Beside,
  });
}

/** Resolves when `doc` holds `text` (or after `ms`, whichever comes first). */
function documentText(doc: vscode.TextDocument, text: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && doc.getText() === text) done();
    });
    const timer = setTimeout(done, ms);
    if (doc.getText() === text) done();
  });
}
