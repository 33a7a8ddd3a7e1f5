/**
 * `entitlements.previewMatches`: who a rule selects among the tenant's users (paged, with progress
 * and cancel), shown as a read-only Markdown document; for an existing automatic policy also who
 * would gain and who would lose access compared with its current assignments.
 * Works on an automatic policy row, an open `.rule` or policy document, or an argument object
 * `{tenantId?, rule?, policyId?, accessPackageId?, open?: false, save?: PATH}`.
 * Returns `{matched, scanned, gain?, lose?, uri, saved?}` (counts) or `{ok: false, code, message}`.
 *
 * The report lists a bounded sample of names (memory does not grow with the matches); the
 * notification's "Save full list…" button (or `save` in the argument object) streams every
 * matching user to a CSV file in a second pass, with its own progress and cancel.
 */
import * as vscode from 'vscode';
import { parse } from 'jsonc-parser';
import { homedir } from 'node:os';
import {
  allAssignments,
  compilePreviewRule,
  matchUsers,
  previewReport,
  saveMatchList,
  type CompiledPreviewRule,
} from '../preview/matchPreview';
import type { EntitlementsApi } from '../graph/entitlements';
import { autoAssignmentRule, PolicyNode } from '../tree/nodes/policyNode';
import type { AccessPackageAssignmentPolicy } from '@microsoft/microsoft-graph-types';
import { abortOn, argObject, findTenant, reportFailure, str, type CommandContext } from './context';
import { pickTenant } from './pickers';
import { resolveTenant } from './resolve';

export const PREVIEW_SCHEME = 'entitlements-preview';

/** Holds the preview documents' text. */
export class PreviewDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private n = 0;

  add(title: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: PREVIEW_SCHEME,
      path: `/${++this.n}/${title.replace(/[^\w .-]+/g, '_')}.md`,
    });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > 20) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This preview is no longer available; run the preview again.';
  }
}

export interface PreviewResult {
  ok: true;
  matched: number;
  scanned: number;
  gain?: number;
  lose?: number;
  uri?: string;
  /** Where the full list was saved, when it was. */
  saved?: string;
}

/** The rule of the active editor: a `.rule` file, or the first membershipRule of a policy document. */
function ruleOfEditor(): { rule: string; policyId?: undefined } | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) return undefined;
  if (doc.languageId === 'entra-rule') return { rule: doc.getText().trim() };
  if (doc.languageId === 'entra-policy') {
    const rule = autoAssignmentRule((parse(doc.getText()) ?? {}) as AccessPackageAssignmentPolicy);
    return rule !== undefined ? { rule } : undefined;
  }
  return undefined;
}

export async function previewMatches(
  ctx: CommandContext,
  previews: PreviewDocuments,
  arg?: unknown,
): Promise<PreviewResult | { ok: false; code: string; message: string } | undefined> {
  try {
    const o = argObject(arg);
    let policy: AccessPackageAssignmentPolicy | undefined = arg instanceof PolicyNode ? arg.policy : undefined;
    let accessPackageId = arg instanceof PolicyNode ? arg.parent.parent.graphId : str(o, 'accessPackageId');
    const tenant =
      arg instanceof PolicyNode || o
        ? await resolveTenant(ctx, arg, 'Preview who matches')
        : (findTenant(
            ctx,
            ctx.documents.origin(vscode.window.activeTextEditor?.document.uri ?? vscode.Uri.parse('x:'))?.tenantKey,
          ) ?? (await pickTenant(ctx, 'Preview who matches in')));
    if (!tenant) return undefined;
    const api = await tenant.api();
    if (!policy && str(o, 'policyId')) {
      policy = await api.policy(str(o, 'policyId')!);
      accessPackageId ??= policy.accessPackage?.id ?? undefined;
    }
    const rule = str(o, 'rule') ?? (policy ? autoAssignmentRule(policy) : ruleOfEditor()?.rule);
    if (!rule) {
      const message =
        'Open a .rule file or an automatic-assignment policy, or choose an automatic policy in the Entitlements view.';
      void vscode.window.showInformationMessage(message);
      return { ok: false, code: 'NoRule', message };
    }
    const compiled = compilePreviewRule(rule);
    if ('error' in compiled) {
      void vscode.window.showErrorMessage(`This rule cannot be previewed: ${compiled.error}`);
      return { ok: false, code: 'InvalidRule', message: compiled.error };
    }
    const title = policy ? `Who matches ${policy.displayName ?? policy.id}` : 'Who matches the rule';
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const signal = abortOn(token);
        // The assignments first: the comparison then runs as the users stream by.
        const current =
          policy?.id && accessPackageId
            ? await allAssignments(api.graph, accessPackageId, policy.id, signal)
            : undefined;
        return matchUsers(api.graph, compiled, {
          signal,
          current,
          onProgress: (p) => progress.report({ message: `${p.scanned} users read, ${p.matched} match` }),
        });
      },
    );
    const diff = result.diff;
    ctx.output.info(
      `preview in ${tenant.label}: ${result.matched} of ${result.scanned} users match${diff ? `; ${diff.gain} would gain, ${diff.lose} would lose access` : ''}`,
    );
    const uri = previews.add(title, previewReport(title, rule, result));
    if (o?.open !== false)
      await vscode.commands
        .executeCommand('markdown.showPreview', uri)
        .then(undefined, () => vscode.window.showTextDocument(uri));
    let saved: string | undefined;
    const savePath = str(o, 'save');
    if (savePath) saved = await saveFullList(ctx, api, compiled, title, savePath);
    else if (!o && result.matched > 0) {
      // Not awaited: the command is done; the button starts a second pass when pressed.
      void vscode.window
        .showInformationMessage(
          `${result.matched} of ${result.scanned} users match${result.matched > result.sample.length ? ` (the preview lists the first ${result.sample.length})` : ''}.`,
          'Save full list…',
        )
        .then(async (choice) => {
          if (!choice) return;
          try {
            await saveFullList(ctx, api, compiled, title);
          } catch (e) {
            reportFailure(ctx, 'Saving the full list', e);
          }
        });
    }
    return {
      ok: true,
      matched: result.matched,
      scanned: result.scanned,
      gain: diff?.gain,
      lose: diff?.lose,
      uri: uri.toString(),
      saved,
    };
  } catch (e) {
    return reportFailure(ctx, 'Previewing who matches', e);
  }
}

/** Streams every matching user to a CSV file (asks where unless `path` is given); returns the path. */
async function saveFullList(
  ctx: CommandContext,
  api: EntitlementsApi,
  compiled: CompiledPreviewRule,
  title: string,
  path?: string,
): Promise<string | undefined> {
  let target = path;
  if (!target) {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(base, `${title.replace(/[^\w.-]+/g, '_')}.users.csv`),
      filters: { CSV: ['csv'] },
      title: 'Save every matching user',
    });
    target = uri?.fsPath;
  }
  if (!target) return undefined;
  const file = target;
  const counts = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Saving: ${title}`, cancellable: true },
    (progress, token) =>
      saveMatchList(api.graph, compiled, file, {
        signal: abortOn(token),
        onProgress: (p) => progress.report({ message: `${p.scanned} users read, ${p.matched} saved` }),
      }),
  );
  ctx.output.info(`saved ${counts.matched} matching user(s) to ${file}`);
  if (!path)
    void vscode.window
      .showInformationMessage(`Saved ${counts.matched} matching user(s).`, 'Open')
      .then((c) => c && vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file)));
  return file;
}
