/**
 * `entitlements.previewMatches`: who a rule selects among the tenant's users (paged, with progress
 * and cancel), shown as a read-only Markdown document; for an existing automatic policy also who
 * would gain and who would lose access compared with its current assignments.
 * Works on an automatic policy row, an open `.rule` or policy document, or an argument object
 * `{tenantId?, rule?, policyId?, accessPackageId?, open?: false}`.
 * Returns `{matched, scanned, gain?, lose?, uri}` (counts) or `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import { parse } from 'jsonc-parser';
import {
  allAssignments,
  compilePreviewRule,
  diffAccess,
  matchUsers,
  previewReport,
  type AccessDiff,
} from '../preview/matchPreview';
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
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const signal = abortOn(token);
        const result = await matchUsers(api.graph, compiled, {
          signal,
          onProgress: (p) => progress.report({ message: `${p.scanned} users read, ${p.matched} match` }),
        });
        let diff: AccessDiff | undefined;
        if (policy?.id && accessPackageId)
          diff = diffAccess(result.matched, await allAssignments(api.graph, accessPackageId, policy.id, signal));
        return { result, diff };
      },
    );
    const { result, diff } = outcome;
    ctx.output.info(
      `preview in ${tenant.label}: ${result.matched.length} of ${result.scanned} users match${diff ? `; ${diff.gain.length} would gain, ${diff.lose.length} would lose access` : ''}`,
    );
    const uri = previews.add(title, previewReport(title, rule, result, diff));
    if (o?.open !== false)
      await vscode.commands
        .executeCommand('markdown.showPreview', uri)
        .then(undefined, () => vscode.window.showTextDocument(uri));
    return {
      ok: true,
      matched: result.matched.length,
      scanned: result.scanned,
      gain: diff?.gain.length,
      lose: diff?.lose.length,
      uri: uri.toString(),
    };
  } catch (e) {
    return reportFailure(ctx, 'Previewing who matches', e);
  }
}
