/**
 * Formatting of JSON documents with few, bounded edits. jsonc-parser computes the layout (one
 * edit per gap between two tokens whose whitespace changes); we then
 * - refuse when the formatted document would be longer than `maxLength` (the same size limit as
 *   every other request: indentation grows with depth, so a small deep document can format into
 *   a huge one);
 * - join the edits within one line of the original into one edit, so a minified document gets
 *   one edit per line instead of one per token, a re-indented document one per line, and an
 *   almost-formatted one keeps its few small edits. Linear in the document plus the formatted text.
 */
import { format as formatJson, type Edit, type FormattingOptions as JsonFormattingOptions } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver-types';

export type FormatResult = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

/**
 * jsonc-parser 3.3.1 leaves `content` undefined for a line break followed by exactly 200 columns
 * of indentation (an off-by-one in its cache of indentation strings); that content is a line
 * break and 200 indentation characters.
 */
function contentOf(edit: Edit, indentChar: string): string {
  return edit.content ?? `\n${indentChar.repeat(200)}`;
}

export function formatJsonDocument(doc: TextDocument, options: FormattingOptions, maxLength: number): FormatResult {
  const text = doc.getText();
  const jsonOptions: JsonFormattingOptions = {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    insertFinalNewline: options.insertFinalNewline === true,
    eol: '\n',
  };
  const indentChar = options.insertSpaces ? ' ' : '\t';
  const raw = formatJson(text, undefined, jsonOptions);
  let length = text.length;
  for (const e of raw) length += contentOf(e, indentChar).length - e.length;
  if (length > maxLength)
    return {
      ok: false,
      reason: `the formatted document would be ${length} characters, over the limit of ${maxLength}`,
    };
  // An edit that replaces a line break (re-indenting a line) stays on its own; edits within one
  // line of the original are joined with the text between them.
  const spansLines = (e: Edit) => e.length > 0 && text.slice(e.offset, e.offset + e.length).includes('\n');
  const edits: TextEdit[] = [];
  let i = 0;
  while (i < raw.length) {
    const first = raw[i] as Edit;
    const parts = [contentOf(first, indentChar)];
    let end = first.offset + first.length;
    let j = i + 1;
    if (!spansLines(first)) {
      for (; j < raw.length; j++) {
        const next = raw[j] as Edit;
        if (spansLines(next)) break;
        const gap = text.slice(end, next.offset);
        if (gap.includes('\n')) break;
        parts.push(gap, contentOf(next, indentChar));
        end = next.offset + next.length;
      }
    }
    edits.push({
      range: { start: doc.positionAt(first.offset), end: doc.positionAt(end) },
      newText: parts.join(''),
    });
    i = j;
  }
  return { ok: true, edits };
}
