/**
 * Conversion of the service's offset-based results into LSP types for a `TextDocument`. Offsets
 * pass through a `map` so results computed on a rule embedded in another document (a JSON
 * string) land on the right characters of the host document.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  InsertTextFormat,
  MarkupKind,
  TextEdit,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Range,
} from 'vscode-languageserver-types';
import type { OffsetRange } from './rules/ast';
import type { ServiceCompletion, ServiceHover } from './completionTypes';
import type { Fix, ServiceDiagnostic, Severity } from './diagnostics';

export const SOURCE = 'entitlements';

/** Maps a range of the analysed text to a range of the host document, and edit text likewise. */
export interface OffsetMap {
  range(r: OffsetRange): OffsetRange;
  /** Encodes text for insertion in the host (e.g. JSON-escapes it inside a string). */
  encode(text: string): string;
}

export const identityMap: OffsetMap = { range: (r) => r, encode: (t) => t };

/** The quick fixes of a diagnostic, carried in `Diagnostic.data`. */
export interface FixData {
  fixes: { title: string; edits: TextEdit[]; preferred?: boolean }[];
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(doc: TextDocument, r: OffsetRange): Range {
  return { start: doc.positionAt(r.start), end: doc.positionAt(r.end) };
}

export function toDiagnostic(doc: TextDocument, d: ServiceDiagnostic, map: OffsetMap = identityMap): Diagnostic {
  const out: Diagnostic = {
    range: toRange(doc, map.range(d.range)),
    severity: severities[d.severity],
    code: d.code,
    source: SOURCE,
    message: d.message,
  };
  if (d.fixes) out.data = { fixes: d.fixes.map((f) => toFix(doc, f, map)) } satisfies FixData;
  if (d.tags) out.tags = d.tags.map((t) => (t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary));
  return out;
}

function toFix(doc: TextDocument, fix: Fix, map: OffsetMap): FixData['fixes'][number] {
  const edits = fix.edits.map((e) => TextEdit.replace(toRange(doc, map.range(e.range)), map.encode(e.newText)));
  return fix.preferred ? { title: fix.title, edits, preferred: true } : { title: fix.title, edits };
}

const kinds: Record<ServiceCompletion['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  operator: CompletionItemKind.Operator,
  value: CompletionItemKind.Value,
  keyword: CompletionItemKind.Keyword,
  snippet: CompletionItemKind.Snippet,
  variable: CompletionItemKind.Variable,
  enumMember: CompletionItemKind.EnumMember,
};

export function toCompletionItem(
  doc: TextDocument,
  c: ServiceCompletion,
  map: OffsetMap = identityMap,
): CompletionItem {
  const item: CompletionItem = {
    label: c.label,
    kind: kinds[c.kind],
    textEdit: TextEdit.replace(toRange(doc, map.range(c.range)), map.encode(c.insertText)),
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (c.detail) item.detail = c.detail;
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.filterText) item.filterText = c.filterText;
  if (c.sortText) item.sortText = c.sortText;
  if (c.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  return item;
}

export function toHover(doc: TextDocument, h: ServiceHover, map: OffsetMap = identityMap): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: toRange(doc, map.range(h.range)) };
}
