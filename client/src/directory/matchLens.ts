/**
 * "Matches N of M users" above a membership rule (a `.rule` file, each `membershipRule` of a
 * policy), counted with the one evaluator over the users of the document's tenant
 * (`matchUsers`, as the preview does). Lenses are listed at once and resolved lazily: the count
 * starts once the rule has settled (debounce), a newer rule in the document aborts an older count
 * (cancellation), and counts are kept per tenant and rule for a minute. Clicking opens the
 * existing preview.
 */
import * as vscode from 'vscode';
import { compilePreviewRule, matchUsers } from '../preview/matchPreview';
import { toGraphError } from '../graph/graphClient';
import type { Tenant } from '../tenants/tenant';
import type { AuthoringDirectories } from './bridge';
import { rulesInDocument } from '../../../server/src/service/directory/ruleTenant';
import { LANGUAGES } from '../languageClient';

const DEBOUNCE_MS = 700;
const TTL_MS = 60_000;
/**
 * A failed count (the tenant busy, a timeout, a refused token) is shown for a few seconds only,
 * then the lenses are asked for again, so a passing failure does not hide the count for a minute.
 */
const FAILED_TTL_MS = 5_000;
/**
 * How long after a document with rules becomes the active editor VS Code may take to ask for its
 * lenses before it is told they changed. VS Code's CodeLens controller schedules that request
 * when the editor's model changes and cancels it when the editor text loses focus; a request
 * cancelled so is made again only when the text gets the focus back or a provider reports a
 * change. Seen in the real-editor check: a rule file opened and focused, and no request for its
 * lenses in 30 s until "Refresh Tenant Directory" fired a change, then at once.
 */
const ASK_AGAIN_MS = 2_000;

/** The document's rules that get a lens: every one with some text. */
function countedRules(doc: vscode.TextDocument): ReturnType<typeof rulesInDocument> {
  return rulesInDocument(doc.languageId, doc.getText()).filter((r) => r.rule.trim() !== '');
}

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
  /** Counts being computed, by tenant and rule; each document runs at most one. */
  private readonly running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  private readonly latestOf = new Map<string, string>();
  private readonly timers = new Map<string, { key: string; timer: ReturnType<typeof setTimeout> }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Documents VS Code asked lenses for since they last became the active editor. */
  private readonly asked = new Set<string>();
  private readonly watching: vscode.Disposable;
  private askAgain: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly dirs: AuthoringDirectories,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.watching = vscode.window.onDidChangeActiveTextEditor((e) => this.activated(e?.document));
  }

  /** A document with rules became active: if VS Code has not asked for its lenses soon after, say they changed. */
  private activated(doc: vscode.TextDocument | undefined): void {
    if (this.askAgain) clearTimeout(this.askAgain);
    this.askAgain = undefined;
    if (!doc || !(LANGUAGES as readonly string[]).includes(doc.languageId)) return;
    const uri = doc.uri.toString();
    this.asked.delete(uri);
    this.askAgain = setTimeout(() => {
      this.askAgain = undefined;
      if (this.asked.has(uri) || vscode.window.activeTextEditor?.document.uri.toString() !== uri) return;
      if (countedRules(doc).length === 0) return;
      this.output.debug(`no CodeLens request for ${uri} ${ASK_AGAIN_MS} ms after it became active; asking again`);
      this.changed.fire();
    }, ASK_AGAIN_MS);
  }

  provideCodeLenses(doc: vscode.TextDocument): RuleLens[] {
    this.asked.add(doc.uri.toString());
    if (this.asked.size > 200) this.asked.delete(this.asked.values().next().value!);
    if (!vscode.workspace.getConfiguration('entitlements.authoring').get<boolean>('matchCodeLens', true)) return [];
    return countedRules(doc).map((r) => {
      const at = doc.positionAt(r.start);
      return new RuleLens(new vscode.Range(at, at), doc.uri.toString(), r.rule.trim());
    });
  }

  /**
   * Resolves from the cache at once; otherwise shows "counting…" and schedules the count once the
   * rule has not changed for a moment (debounce, per document). The count does not depend on
   * VS Code's resolve token (VS Code cancels and re-asks whenever any provider changes); when it
   * ends, the lenses are asked for again and come from the cache. A newer rule in the same
   * document aborts the older count.
   */
  async resolveCodeLens(lens: RuleLens): Promise<RuleLens> {
    const tenant = await this.dirs.tenantFor(lens.uri);
    if (!tenant || !(await tenant.isSignedIn())) {
      lens.command = { title: 'Who matches? (choose a tenant)', command: 'entitlements.previewMatches', arguments: [] };
      return lens;
    }
    const key = `${tenant.key}\n${lens.rule}`;
    const cached = this.counts.get(key);
    if (!cached || cached.until <= Date.now()) this.schedule(key, lens.uri, lens.rule, tenant);
    lens.command = {
      title: cached && cached.until > Date.now() ? cached.title : 'Who matches? (counting…)',
      command: 'entitlements.previewMatches',
      arguments: [{ tenantId: tenant.key, rule: lens.rule }],
    };
    return lens;
  }

  private schedule(key: string, uri: string, rule: string, tenant: Tenant): void {
    if (this.running.has(key)) return;
    const waiting = this.timers.get(uri);
    if (waiting?.key === key) return;
    if (waiting) clearTimeout(waiting.timer);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      this.start(key, uri, rule, tenant);
    }, DEBOUNCE_MS);
    this.timers.set(uri, { key, timer });
  }

  private start(key: string, uri: string, rule: string, tenant: Tenant): void {
    const previous = this.latestOf.get(uri);
    if (previous !== undefined && previous !== key) this.running.get(previous)?.abort.abort();
    this.latestOf.set(uri, key);
    const abort = new AbortController();
    const done = this.count(key, rule, tenant, abort.signal).finally(() => {
      this.running.delete(key);
      this.changed.fire();
    });
    this.running.set(key, { done, abort });
  }

  private async count(key: string, rule: string, tenant: Tenant, signal: AbortSignal): Promise<void> {
    const compiled = compilePreviewRule(rule);
    let title: string;
    let ttl = TTL_MS;
    if ('error' in compiled) title = 'Who matches: the rule cannot be evaluated here';
    else {
      try {
        const graph = (await tenant.api()).graph;
        const r = await matchUsers(graph, compiled, { signal });
        title = `matches ${r.matched} of ${r.scanned} users in ${tenant.label}`;
      } catch (e) {
        const err = toGraphError(e);
        if (err.code === 'Canceled') return;
        this.output.warn(`counting rule matches failed: ${err.code}: ${err.message}`);
        title = `Who matches? (${err.code})`;
        ttl = FAILED_TTL_MS;
        const retry = setTimeout(() => this.changed.fire(), FAILED_TTL_MS + 50);
        retry.unref?.();
      }
    }
    this.counts.set(key, { until: Date.now() + ttl, title });
    if (this.counts.size > 200) this.counts.delete(this.counts.keys().next().value!);
  }

  /** Forget the counts (the refresh command). */
  clear(): void {
    for (const r of this.running.values()) r.abort.abort();
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.counts.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.clear();
    if (this.askAgain) clearTimeout(this.askAgain);
    this.watching.dispose();
    this.changed.dispose();
  }
}
