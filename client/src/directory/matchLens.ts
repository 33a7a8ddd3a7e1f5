/**
 * "Matches N of M users" above a membership rule (a `.rule` file, each `membershipRule` of a
 * policy), counted with the one evaluator over the users of the document's tenant
 * (`matchUsers`, as the preview does). Lenses are listed at once and resolved lazily: a resolve
 * waits for typing to settle (debounce), is cancelled with VS Code's token, and its count is kept
 * per tenant and rule for a minute. Clicking opens the existing preview.
 */
import * as vscode from 'vscode';
import { compilePreviewRule, matchUsers } from '../preview/matchPreview';
import { toGraphError } from '../graph/graphClient';
import { abortOn } from '../commands/context';
import type { AuthoringDirectories } from './bridge';
import { rulesInDocument } from '../../../server/src/service/directory/ruleTenant';

const DEBOUNCE_MS = 700;
const TTL_MS = 60_000;

class RuleLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: string,
    readonly rule: string,
  ) {
    super(range);
  }
}

export class RuleMatchLens implements vscode.CodeLensProvider<RuleLens>, vscode.Disposable {
  private readonly counts = new Map<string, { until: number; title: string }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly dirs: AuthoringDirectories,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  provideCodeLenses(doc: vscode.TextDocument): RuleLens[] {
    if (!vscode.workspace.getConfiguration('entitlements.authoring').get<boolean>('matchCodeLens', true)) return [];
    return rulesInDocument(doc.languageId, doc.getText())
      .filter((r) => r.rule.trim() !== '')
      .map((r) => {
        const at = doc.positionAt(r.start);
        return new RuleLens(new vscode.Range(at, at), doc.uri.toString(), r.rule.trim());
      });
  }

  async resolveCodeLens(lens: RuleLens, token: vscode.CancellationToken): Promise<RuleLens> {
    const tenant = await this.dirs.tenantFor(lens.uri);
    if (!tenant || !(await tenant.isSignedIn())) {
      lens.command = { title: 'Who matches? (choose a tenant)', command: 'entitlements.previewMatches', arguments: [] };
      return lens;
    }
    const key = `${tenant.key}\n${lens.rule}`;
    const cached = this.counts.get(key);
    const open = {
      title: '',
      command: 'entitlements.previewMatches',
      arguments: [{ tenantId: tenant.key, rule: lens.rule }],
    };
    if (cached && cached.until > Date.now()) {
      lens.command = { ...open, title: cached.title };
      return lens;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DEBOUNCE_MS);
      token.onCancellationRequested(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (token.isCancellationRequested) return lens;
    const compiled = compilePreviewRule(lens.rule);
    if ('error' in compiled) {
      lens.command = { title: 'Who matches: the rule cannot be evaluated here', command: '', arguments: [] };
      return lens;
    }
    try {
      const graph = (await tenant.api()).graph;
      const r = await matchUsers(graph, compiled, { signal: abortOn(token) });
      const title = `matches ${r.matched.length} of ${r.scanned} users in ${tenant.label}`;
      this.counts.set(key, { until: Date.now() + TTL_MS, title });
      if (this.counts.size > 200) this.counts.delete(this.counts.keys().next().value!);
      lens.command = { ...open, title };
    } catch (e) {
      const err = toGraphError(e);
      if (err.code !== 'Canceled') this.output.warn(`counting rule matches failed: ${err.code}: ${err.message}`);
      lens.command = { ...open, title: `Who matches? (${err.code})` };
    }
    return lens;
  }

  /** Forget the counts (the refresh command). */
  clear(): void {
    this.counts.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
