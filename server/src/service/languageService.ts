/**
 * The door to the service: document-level features for every language the extension serves,
 * returning LSP types. Pure: no `vscode`, no connection, no file system, no network, no timers.
 * The language server, the command-line checker and the sandbox all go through here.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ASTNode } from 'vscode-json-languageservice';
import {
  CodeActionKind,
  DiagnosticSeverity,
  TextEdit,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type FormattingOptions,
  type Hover,
  type Position,
  type Range,
  type SelectionRange,
} from 'vscode-languageserver-types';
import { checkRule } from './rules/checker';
import { completeRule } from './rules/completion';
import { formatRule } from './rules/format';
import { hoverRule } from './rules/hover';
import { PolicyService } from './policy/policyService';
import { SOURCE, toCompletionItem, toDiagnostic, toHover, type FixData } from './convert';
import { jsonDepth, MAX_JSON_DEPTH } from './json/limits';

export const RULE_LANGUAGE_ID = 'entra-rule';
export const POLICY_LANGUAGE_ID = 'entra-policy';

export interface LanguageSettings {
  /** Hints where a name's casing differs from the documented one. */
  casingHints: boolean;
  /** Documents longer than this (in characters) are not analysed; one diagnostic says so. */
  maxDocumentLength: number;
  /**
   * The policy's access package comes from the folder the file is in (a policy-as-code layout,
   * where a sibling `*.accessPackage.json` names it), so a policy body without `accessPackage` is
   * complete.
   */
  accessPackageFromFolder?: boolean;
}

/** 4 MiB of text: 4x the largest Graph page of policies, and well under what would stall an editor. */
export const defaultSettings: LanguageSettings = { casingHints: true, maxDocumentLength: 4 * 1024 * 1024 };

/** The code of the one finding on a document too large to analyse. */
export const TOO_LARGE_CODE = 'E001';
/** The code of the one finding on a JSON document nested too deeply to analyse. */
export const TOO_DEEP_CODE = 'E002';
/** The code of the summary that stands for the findings of one kind beyond the first 100. */
export const MORE_FINDINGS_CODE = 'E003';
/** The code of the one finding on a document whose check failed (an internal error, reported as data). */
export const CHECK_FAILED_CODE = 'E004';
/** The code of the one finding on a file whose bytes are not text we can decode (command line). */
export const UNDECODABLE_CODE = 'E005';

/** How many findings of one kind a document shows before one summary stands for the rest. */
export const MAX_FINDINGS_PER_KIND = 100;

const origin = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** One document-level finding at 1:1 (too large, too deep, check failed, undecodable). */
export function documentFinding(code: string, message: string, severity: DiagnosticSeverity): Diagnostic {
  return { range: origin, severity, code, source: SOURCE, message };
}

function tooLarge(doc: TextDocument, settings: LanguageSettings): Diagnostic[] | undefined {
  const length = doc.getText().length;
  if (length <= settings.maxDocumentLength) return undefined;
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return [
    documentFinding(
      TOO_LARGE_CODE,
      `This document is ${mb(length)} MB; Entra Entitlements checks documents up to ${mb(settings.maxDocumentLength)} MB (setting entitlements.maxDocumentSizeMB), so it is not checked.`,
      DiagnosticSeverity.Warning,
    ),
  ];
}

/** Depth per document object and version, so a burst of requests after an edit scans once. */
const depths = new WeakMap<TextDocument, { version: number; depth: number; exceededAt?: number }>();

function tooDeep(doc: TextDocument): Diagnostic[] | undefined {
  let probe = depths.get(doc);
  if (probe?.version !== doc.version) {
    probe = { version: doc.version, ...jsonDepth(doc.getText(), MAX_JSON_DEPTH) };
    depths.set(doc, probe);
  }
  if (probe.exceededAt === undefined) return undefined;
  const at = doc.positionAt(probe.exceededAt);
  return [
    {
      range: { start: at, end: { line: at.line, character: at.character + 1 } },
      severity: DiagnosticSeverity.Error,
      code: TOO_DEEP_CODE,
      source: SOURCE,
      message: `This document nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (here); Graph payloads nest about 10, so it is not checked, outlined or formatted.`,
    },
  ];
}

/**
 * The size and depth guard every request passes first: undefined when the document can be
 * analysed, otherwise the one finding that says why not.
 */
function guard(doc: TextDocument, settings: LanguageSettings): Diagnostic[] | undefined {
  return tooLarge(doc, settings) ?? (doc.languageId === POLICY_LANGUAGE_ID ? tooDeep(doc) : undefined);
}

/** What a finding counts as for the per-kind limit: its code, and for schema findings the kind of message. */
function kindOf(d: Diagnostic): { key: string; label: string } {
  const code = String(d.code ?? '');
  if (!code.startsWith('P100')) return { key: code, label: `findings ${code}` };
  const message = typeof d.message === 'string' ? d.message : '';
  if (/ is not allowed\.$/.test(message)) return { key: `${code}:unknown`, label: 'unknown properties' };
  if (message.startsWith('Incorrect type')) return { key: `${code}:type`, label: 'values of the wrong type' };
  if (message.startsWith('Missing property')) return { key: `${code}:missing`, label: 'missing properties' };
  return { key: code, label: `schema findings ${code}` };
}

/**
 * At most `MAX_FINDINGS_PER_KIND` findings of one kind, in document order, then one summary (at
 * the first finding not shown, with the severity of the worst one not shown). Linear.
 */
export function capFindings(diagnostics: Diagnostic[], limit = MAX_FINDINGS_PER_KIND): Diagnostic[] {
  const counts = new Map<string, number>();
  const hidden = new Map<string, { label: string; first: Diagnostic; count: number; severity: number }>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const { key, label } = kindOf(d);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n <= limit) {
      out.push(d);
      continue;
    }
    const severity = d.severity ?? DiagnosticSeverity.Error;
    const h = hidden.get(key);
    if (h) {
      h.count++;
      h.severity = Math.min(h.severity, severity);
    } else hidden.set(key, { label, first: d, count: 1, severity });
  }
  if (hidden.size === 0) return diagnostics;
  for (const h of hidden.values()) {
    out.push({
      range: h.first.range,
      severity: h.severity as DiagnosticSeverity,
      code: MORE_FINDINGS_CODE,
      source: SOURCE,
      message: `… and ${h.count.toLocaleString('en-US')} more ${h.label} not shown (the first ${limit} of each kind are listed).`,
    });
  }
  return out;
}

const defaultFormatting: FormattingOptions = { tabSize: 2, insertSpaces: true };

/**
 * Every request takes the settings whose size limit applies (the defaults when omitted) and
 * passes the size and depth guard first: a document too large or too deeply nested gets one
 * finding from `validate` and empty answers from everything else.
 */
export interface LanguageService {
  /** Whether the service handles documents of this language id. */
  handles(languageId: string): boolean;
  validate(doc: TextDocument, settings?: LanguageSettings): Promise<Diagnostic[]>;
  complete(
    doc: TextDocument,
    position: Position,
    settings?: LanguageSettings,
  ): Promise<CompletionItem[] | CompletionList>;
  hover(doc: TextDocument, position: Position, settings?: LanguageSettings): Promise<Hover | null>;
  codeActions(
    doc: TextDocument,
    range: Range,
    diagnostics: readonly Diagnostic[],
    settings?: LanguageSettings,
  ): CodeAction[];
  format(doc: TextDocument, options?: FormattingOptions, settings?: LanguageSettings): TextEdit[];
  foldingRanges(doc: TextDocument, settings?: LanguageSettings): FoldingRange[];
  symbols(doc: TextDocument, settings?: LanguageSettings): DocumentSymbol[];
  selectionRanges(doc: TextDocument, positions: Position[], settings?: LanguageSettings): SelectionRange[];
  /** A policy document's parse tree, as validation built it (tenant checks walk it: no second parse). */
  jsonRoot(doc: TextDocument): ASTNode | undefined;
}

export function getLanguageService(): LanguageService {
  const policy = new PolicyService();
  const isPolicy = (doc: TextDocument) => doc.languageId === POLICY_LANGUAGE_ID;
  return {
    handles: (languageId) => languageId === RULE_LANGUAGE_ID || languageId === POLICY_LANGUAGE_ID,
    validate: async (doc, settings = defaultSettings) =>
      guard(doc, settings) ??
      capFindings(isPolicy(doc) ? await policy.validate(doc, settings) : validateRule(doc, settings)),
    complete: async (doc, position, settings = defaultSettings) => {
      if (guard(doc, settings)) return [];
      return isPolicy(doc)
        ? policy.complete(doc, position)
        : completeRule(doc.getText(), doc.offsetAt(position)).map((c) => toCompletionItem(doc, c));
    },
    hover: async (doc, position, settings = defaultSettings) => {
      if (guard(doc, settings)) return null;
      if (isPolicy(doc)) return policy.hover(doc, position);
      const h = hoverRule(doc.getText(), doc.offsetAt(position));
      return h ? toHover(doc, h) : null;
    },
    codeActions: (doc, _range, diagnostics, settings = defaultSettings) =>
      guard(doc, settings) ? [] : quickFixes(doc.uri, diagnostics),
    format: (doc, options = defaultFormatting, settings = defaultSettings) => {
      if (guard(doc, settings)) return [];
      return isPolicy(doc) ? policy.format(doc, options, settings.maxDocumentLength) : formatRuleDocument(doc);
    },
    foldingRanges: (doc, settings = defaultSettings) =>
      isPolicy(doc) && !guard(doc, settings) ? policy.foldingRanges(doc) : [],
    symbols: (doc, settings = defaultSettings) => (isPolicy(doc) && !guard(doc, settings) ? policy.symbols(doc) : []),
    selectionRanges: (doc, positions, settings = defaultSettings) =>
      isPolicy(doc) && !guard(doc, settings) ? policy.selectionRanges(doc, positions) : [],
    jsonRoot: (doc) => (isPolicy(doc) && !guard(doc, defaultSettings) ? policy.root(doc) : undefined),
  };
}

function validateRule(doc: TextDocument, settings: LanguageSettings): Diagnostic[] {
  const { diagnostics } = checkRule(doc.getText(), { casingHints: settings.casingHints });
  return diagnostics.map((d) => toDiagnostic(doc, d));
}

function formatRuleDocument(doc: TextDocument): TextEdit[] {
  const text = doc.getText();
  const body = text.trim();
  const formatted = formatRule(body);
  if (formatted === undefined || formatted === body) return [];
  const start = text.length - text.trimStart().length;
  return [TextEdit.replace({ start: doc.positionAt(start), end: doc.positionAt(start + body.length) }, formatted)];
}

/** Quick fixes for diagnostics that carry fixes in their `data` (as published by `validate`). */
export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = d.data as Partial<FixData> | undefined;
    if (!data || !Array.isArray(data.fixes)) continue;
    for (const fix of data.fixes) {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [uri]: fix.edits } },
      };
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}
