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

function tooLarge(doc: TextDocument, settings: LanguageSettings): Diagnostic[] | undefined {
  const length = doc.getText().length;
  if (length <= settings.maxDocumentLength) return undefined;
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return [
    {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Warning,
      code: TOO_LARGE_CODE,
      source: SOURCE,
      message: `This document is ${mb(length)} MB; Entra Entitlements checks documents up to ${mb(settings.maxDocumentLength)} MB (setting entitlements.maxDocumentSizeMB), so it is not checked.`,
    },
  ];
}

const defaultFormatting: FormattingOptions = { tabSize: 2, insertSpaces: true };

export interface LanguageService {
  /** Whether the service handles documents of this language id. */
  handles(languageId: string): boolean;
  validate(doc: TextDocument, settings?: LanguageSettings): Promise<Diagnostic[]>;
  complete(doc: TextDocument, position: Position): Promise<CompletionItem[] | CompletionList>;
  hover(doc: TextDocument, position: Position): Promise<Hover | null>;
  codeActions(doc: TextDocument, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[];
  format(doc: TextDocument, options?: FormattingOptions): TextEdit[];
  foldingRanges(doc: TextDocument): FoldingRange[];
  symbols(doc: TextDocument): DocumentSymbol[];
  selectionRanges(doc: TextDocument, positions: Position[]): SelectionRange[];
  /** A policy document's parse tree, as validation built it (tenant checks walk it: no second parse). */
  jsonRoot(doc: TextDocument): ASTNode | undefined;
}

export function getLanguageService(): LanguageService {
  const policy = new PolicyService();
  const isPolicy = (doc: TextDocument) => doc.languageId === POLICY_LANGUAGE_ID;
  return {
    handles: (languageId) => languageId === RULE_LANGUAGE_ID || languageId === POLICY_LANGUAGE_ID,
    validate: async (doc, settings = defaultSettings) =>
      tooLarge(doc, settings) ?? (isPolicy(doc) ? policy.validate(doc, settings) : validateRule(doc, settings)),
    complete: async (doc, position) => {
      if (tooLarge(doc, defaultSettings)) return [];
      return isPolicy(doc)
        ? policy.complete(doc, position)
        : completeRule(doc.getText(), doc.offsetAt(position)).map((c) => toCompletionItem(doc, c));
    },
    hover: async (doc, position) => {
      if (tooLarge(doc, defaultSettings)) return null;
      if (isPolicy(doc)) return policy.hover(doc, position);
      const h = hoverRule(doc.getText(), doc.offsetAt(position));
      return h ? toHover(doc, h) : null;
    },
    codeActions: (doc, _range, diagnostics) => quickFixes(doc.uri, diagnostics),
    format: (doc, options = defaultFormatting) =>
      isPolicy(doc) ? policy.format(doc, options) : formatRuleDocument(doc),
    foldingRanges: (doc) => (isPolicy(doc) ? policy.foldingRanges(doc) : []),
    symbols: (doc) => (isPolicy(doc) ? policy.symbols(doc) : []),
    selectionRanges: (doc, positions) => (isPolicy(doc) ? policy.selectionRanges(doc, positions) : []),
    jsonRoot: (doc) => (isPolicy(doc) && !tooLarge(doc, defaultSettings) ? policy.root(doc) : undefined),
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
