/**
 * The language server's side of tenant-aware authoring. The server holds no token and opens no
 * socket: it asks the client (`entitlements/directoryLookup`, `entitlements/directorySearch`,
 * typed in `service/directory/protocol.ts`), which owns Graph access and the per-tenant cache.
 * Only a client that says so in `initializationOptions.directoryBridge` is asked.
 *
 * Id diagnostics never hold up the language diagnostics: those are published first, then the id
 * findings are looked up and the document is published again with both (if it has not changed).
 */
import type { Connection, InlayHintParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ASTNode } from 'vscode-json-languageservice';
import type {
  CompletionItem,
  CompletionList,
  Diagnostic,
  Hover,
  InlayHint,
  Position,
} from 'vscode-languageserver-types';
import {
  documentIdQueries,
  idCompletionAt,
  idCompletionItems,
  idDiagnostics,
  idHover,
  idInlayHints,
} from './service/directory/features';
import {
  CHANGED_NOTIFICATION,
  LOOKUP_REQUEST,
  SEARCH_REQUEST,
  VOCABULARY_REQUEST,
  type DirectoryLookup,
  type RuleVocabulary,
  type VocabularyParams,
  type DirectoryObject,
  type IdQuery,
  type LookupAnswer,
  type LookupParams,
  type SearchParams,
} from './service/directory/protocol';
import { POLICY_LANGUAGE_ID, RULE_LANGUAGE_ID } from './service/languageService';
import { hasRules, ruleTenantCompletionItems, ruleTenantDiagnostics } from './service/directory/ruleTenant';

/** A client that does not answer within this bound is treated as an unreadable directory. */
const ANSWER_TIMEOUT_MS = 30_000;

export interface TenantBridgeOptions {
  /** Publishes the diagnostics of a document (language + id findings). */
  publish(doc: TextDocument, diagnostics: Diagnostic[]): void;
  /** The current version of a document, or undefined once closed. */
  current(uri: string): TextDocument | undefined;
  /** Re-runs validation of every open document (after the client's directory changed). */
  revalidateAll(): void;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the editor did not answer the ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class TenantBridge {
  private enabled = false;
  private inlayHintsOn = true;
  /** Id findings per document, for the version they were computed on. */
  private readonly found = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  /** The running id check of each document (a newer version supersedes it). */
  private readonly running = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly options: TenantBridgeOptions,
  ) {}

  /** From `initialize`: whether the client answers directory requests. */
  initialize(initializationOptions: unknown): void {
    const o = initializationOptions as { directoryBridge?: unknown; inlayHints?: unknown } | null | undefined;
    this.enabled = o?.directoryBridge === true;
    if (o?.inlayHints === false) this.inlayHintsOn = false;
    this.connection.onNotification(CHANGED_NOTIFICATION, (p: { inlayHints?: boolean } | undefined) => {
      if (typeof p?.inlayHints === 'boolean') this.inlayHintsOn = p.inlayHints;
      this.found.clear();
      this.options.revalidateAll();
      void this.connection.languages.inlayHint.refresh().catch(() => undefined);
    });
  }

  get active(): boolean {
    return this.enabled;
  }

  lookupFor(uri: string, cachedOnly = false): DirectoryLookup {
    return async (ids: IdQuery[]): Promise<LookupAnswer> => {
      if (!this.enabled || ids.length === 0) return { objects: [] };
      const params: LookupParams = { uri, ids, cachedOnly };
      const answer = await withTimeout(
        this.connection.sendRequest<LookupAnswer | null>(LOOKUP_REQUEST, params),
        ANSWER_TIMEOUT_MS,
        'directory look-up',
      );
      return answer && Array.isArray(answer.objects) ? answer : { objects: [] };
    };
  }

  /** What rules can use in the document's tenant (extension properties, sampled values). */
  async vocabulary(uri: string): Promise<RuleVocabulary> {
    const none: RuleVocabulary = { extensions: [], values: {} };
    if (!this.enabled) return none;
    const params: VocabularyParams = { uri };
    const v = await withTimeout(
      this.connection.sendRequest<RuleVocabulary | null>(VOCABULARY_REQUEST, params),
      ANSWER_TIMEOUT_MS,
      'rule vocabulary',
    );
    return v && Array.isArray(v.extensions) && v.values && typeof v.values === 'object' ? v : none;
  }

  /** The id findings already known for this version (published with the language diagnostics). */
  known(doc: TextDocument): Diagnostic[] {
    const f = this.found.get(doc.uri);
    return f?.version === doc.version ? f.diagnostics : [];
  }

  /**
   * After the language diagnostics were published: looks the ids up (through the client) and
   * publishes again with the id findings, unless the document changed meanwhile.
   */
  checkAfterPublish(doc: TextDocument, language: Diagnostic[], root?: ASTNode): void {
    if (!this.enabled || (doc.languageId !== POLICY_LANGUAGE_ID && doc.languageId !== RULE_LANGUAGE_ID)) return;
    if (this.found.get(doc.uri)?.version === doc.version) return;
    this.running.set(doc.uri, doc.version);
    void this.tenantDiagnostics(doc, root).then(
      (ids) => {
        if (this.running.get(doc.uri) === doc.version) this.running.delete(doc.uri);
        if (this.options.current(doc.uri)?.version !== doc.version) return;
        this.found.set(doc.uri, { version: doc.version, diagnostics: ids });
        if (ids.length > 0) this.options.publish(doc, [...language, ...ids]);
      },
      (err: unknown) => this.connection.console.error(`id check failed: ${String(err)}`),
    );
  }

  private async tenantDiagnostics(doc: TextDocument, root: ASTNode | undefined): Promise<Diagnostic[]> {
    const ids = doc.languageId === POLICY_LANGUAGE_ID ? idDiagnostics(doc, this.lookupFor(doc.uri), root) : [];
    const rules = hasRules(doc.languageId, doc.getText())
      ? this.vocabulary(doc.uri).then(
          (v) => ruleTenantDiagnostics(doc, v),
          () => [], // an unreadable vocabulary says nothing about rules; the id check reports the directory
        )
      : [];
    const [a, b] = await Promise.all([ids, rules]);
    return [...a, ...b];
  }

  forget(uri: string): void {
    this.found.delete(uri);
    this.running.delete(uri);
  }

  async hover(doc: TextDocument, position: Position): Promise<Hover | null> {
    if (!this.enabled || doc.languageId !== POLICY_LANGUAGE_ID) return null;
    try {
      return await idHover(doc, doc.offsetAt(position), this.lookupFor(doc.uri));
    } catch {
      return null; // the schema's hover answers instead
    }
  }

  /**
   * Completion: ids by name at an id place; elsewhere the language service's items (`language`)
   * plus, inside a rule, the tenant's extension properties and attribute values.
   */
  async complete(
    doc: TextDocument,
    position: Position,
    language: () => Promise<CompletionItem[] | CompletionList>,
  ): Promise<CompletionItem[] | CompletionList> {
    if (!this.enabled) return language();
    const ids = doc.languageId === POLICY_LANGUAGE_ID ? await this.completeId(doc, position) : undefined;
    if (ids) return ids;
    const base = await language();
    if (!hasRules(doc.languageId, doc.getText())) return base;
    let extra: CompletionItem[] = [];
    try {
      extra = ruleTenantCompletionItems(doc, doc.offsetAt(position), await this.vocabulary(doc.uri));
    } catch {
      // the language's own items still answer
    }
    if (extra.length === 0) return base;
    return Array.isArray(base) ? [...base, ...extra] : { ...base, items: [...base.items, ...extra] };
  }

  private async completeId(doc: TextDocument, position: Position): Promise<CompletionItem[] | undefined> {
    const ctx = idCompletionAt(doc, doc.offsetAt(position));
    if (!ctx) return undefined;
    const params: SearchParams = { uri: doc.uri, kind: ctx.kind, text: ctx.typed };
    try {
      const found = await withTimeout(
        this.connection.sendRequest<DirectoryObject[] | null>(SEARCH_REQUEST, params),
        ANSWER_TIMEOUT_MS,
        'directory search',
      );
      return Array.isArray(found) ? idCompletionItems(doc, ctx, found) : undefined;
    } catch {
      return undefined;
    }
  }

  async inlayHints(doc: TextDocument, params: InlayHintParams): Promise<InlayHint[]> {
    if (!this.enabled || !this.inlayHintsOn || doc.languageId !== POLICY_LANGUAGE_ID) return [];
    const queries = documentIdQueries(doc);
    if (queries.length === 0) return [];
    const answer = await this.lookupFor(doc.uri)(queries).catch(() => ({ objects: [] }));
    return idInlayHints(doc, answer, doc.offsetAt(params.range.start), doc.offsetAt(params.range.end));
  }
}
