/**
 * Maps between a JSON string literal in a document and the text it decodes to, so a rule
 * embedded in `"membershipRule": "..."` can be analysed as plain text and every offset of the
 * result mapped exactly back through the escapes (`\"`, `\\`, `\uXXXX`, surrogate pairs).
 */
import type { OffsetRange } from '../rules/ast';
import type { OffsetMap } from '../convert';

export interface DecodedString {
  /** The decoded value. */
  value: string;
  /** `starts[i]`: document offset where decoded character i begins; `starts[value.length]` is the end. */
  starts: number[];
  /** Document offset just after decoded character i (its escape may be several characters long). */
  ends: number[];
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Decodes the literal that starts at `literalStart` in `text` (at its opening quote). Never
 * throws: an invalid escape decodes to its characters as written, an unterminated string ends
 * at the end of the line.
 */
export function decodeJsonString(text: string, literalStart: number): DecodedString {
  let value = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = literalStart + 1;
  const push = (ch: string, from: number, to: number) => {
    value += ch;
    starts.push(from);
    ends.push(to);
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"' || ch === '\n' || ch === '\r') break;
    if (ch !== '\\') {
      push(ch, i, i + 1);
      i++;
      continue;
    }
    const next = text[i + 1];
    const simple = next === undefined ? undefined : simpleEscapes[next];
    if (simple !== undefined) {
      push(simple, i, i + 2);
      i += 2;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      push(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), i, i + 6);
      i += 6;
    } else {
      push('\\', i, i + 1);
      i++;
    }
  }
  starts.push(i);
  ends.push(i);
  return { value, starts, ends };
}

/** An `OffsetMap` from the decoded value into the document, with JSON-escaping of inserted text. */
export function stringOffsetMap(decoded: DecodedString): OffsetMap {
  const last = decoded.value.length;
  const startOf = (o: number) => decoded.starts[Math.max(0, Math.min(o, last))] as number;
  const endOf = (o: number) => (o <= 0 ? startOf(0) : (decoded.ends[Math.min(o, last) - 1] as number));
  return {
    range(r: OffsetRange): OffsetRange {
      if (r.start === r.end) {
        const at = startOf(r.start);
        return { start: at, end: at };
      }
      return { start: startOf(r.start), end: Math.max(startOf(r.start), endOf(r.end)) };
    },
    encode: (text: string) => JSON.stringify(text).slice(1, -1),
  };
}

/** The decoded offset of a document offset inside the literal (for completion and hover). */
export function decodedOffset(decoded: DecodedString, documentOffset: number): number {
  const { starts } = decoded;
  for (let i = 0; i < starts.length; i++) if ((starts[i] as number) >= documentOffset) return i;
  return decoded.value.length;
}
