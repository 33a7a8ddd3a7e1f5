/**
 * The door to the service: document-level features for every language the extension serves,
 * returning LSP types. Pure: no `vscode`, no connection, no file system, no network, no timers.
 * The language server, the command-line checker and the sandbox all go through here.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, TextEdit, type CodeAction, type CompletionItem, type Diagnostic, type Hover, type Range } from 'vscode-languageserver-types';
import { checkRule } from './rules/checker';
import { completeRule } from './rules/completion';
import { formatRule } from './rules/format';
import { hoverRule } from './rules/hover';
import { toCompletionItem, toDiagnostic, toHover, type FixData } from './convert';

export const RULE_LANGUAGE_ID = 'entra-rule';

export interface LanguageSettings {
  /** Hints where a name's casing differs from the documented one. */
  casingHints: boolean;
}

export const defaultSettings: LanguageSettings = { casingHints: true };

export interface LanguageService {
  /** Whether the service handles documents of this language id. */
  handles(languageId: string): boolean;
  validate(doc: TextDocument, settings?: LanguageSettings): Diagnostic[];
  complete(doc: TextDocument, offset: number): CompletionItem[];
  hover(doc: TextDocument, offset: number): Hover | null;
  codeActions(doc: TextDocument, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[];
  format(doc: TextDocument): TextEdit[];
}

export function getLanguageService(): LanguageService {
  return {
    handles: (languageId) => languageId === RULE_LANGUAGE_ID,
    validate(doc, settings = defaultSettings) {
      const { diagnostics } = checkRule(doc.getText(), { casingHints: settings.casingHints });
      return diagnostics.map((d) => toDiagnostic(doc, d));
    },
    complete(doc, offset) {
      return completeRule(doc.getText(), offset).map((c) => toCompletionItem(doc, c));
    },
    hover(doc, offset) {
      const h = hoverRule(doc.getText(), offset);
      return h ? toHover(doc, h) : null;
    },
    codeActions: (doc, _range, diagnostics) => quickFixes(doc.uri, diagnostics),
    format(doc) {
      const text = doc.getText();
      const body = text.trim();
      const formatted = formatRule(body);
      if (formatted === undefined || formatted === body) return [];
      const start = text.length - text.trimStart().length;
      return [TextEdit.replace({ start: doc.positionAt(start), end: doc.positionAt(start + body.length) }, formatted)];
    },
  };
}

/** Quick fixes for diagnostics that carry fixes in their `data` (as published by `validate`). */
export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = d.data as Partial<FixData> | undefined;
    if (!data || !Array.isArray(data.fixes)) continue;
    for (const fix of data.fixes) {
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: fix.edits } } };
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}
