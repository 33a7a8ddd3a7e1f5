/**
 * Splits a rule into tokens. Never throws: text it cannot classify becomes an `invalid` token,
 * and an unterminated string runs to the end of the text with `closed: false`.
 */

export type TokenKind =
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'comma'
  | 'string'
  | 'operator'
  | 'word'
  | 'number'
  | 'cop'
  | 'invalid'
  | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Raw text; for `operator`, the name without the hyphen; for `string`, the decoded value. */
  text: string;
  quote?: 'double' | 'single' | 'typographic';
  closed?: boolean;
}

const OPEN_TYPOGRAPHIC_DOUBLE = '\u201C';
const CLOSE_TYPOGRAPHIC_DOUBLE = '\u201D';
const OPEN_TYPOGRAPHIC_SINGLE = '\u2018';
const CLOSE_TYPOGRAPHIC_SINGLE = '\u2019';
const TYPOGRAPHIC = new Set([
  OPEN_TYPOGRAPHIC_DOUBLE,
  CLOSE_TYPOGRAPHIC_DOUBLE,
  OPEN_TYPOGRAPHIC_SINGLE,
  CLOSE_TYPOGRAPHIC_SINGLE,
  '\u201E',
  '\u00AB',
  '\u00BB',
]);

const C_STYLE = ['==', '!=', '<>', '<=', '>=', '&&', '||', '=', '!', '<', '>', '&', '|'];

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36; // A-Z a-z _ $
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === 46; // digits, dot
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
}

/** Characters that may continue an unquoted value starting with a digit (dates, versions). */
function isBareValuePart(c: number): boolean {
  return isWordPart(c) || c === 45 || c === 58 || c === 43; // - : +
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const ch = text[i] as string;
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ',') {
      const kind =
        ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : ch === '[' ? 'lbracket' : ch === ']' ? 'rbracket' : 'comma';
      tokens.push({ kind, start, end: i + 1, text: ch });
      i++;
    } else if (ch === '"') {
      i = readDoubleQuoted(text, i, tokens);
    } else if (ch === "'") {
      i = readSingleQuoted(text, i, tokens);
    } else if (TYPOGRAPHIC.has(ch)) {
      i = readTypographic(text, i, tokens);
    } else if (ch === '-' && i + 1 < n && isWordStart(text.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < n && isWordStart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'operator', start, end: j, text: text.slice(i + 1, j) });
      i = j;
    } else if (isDigit(c) || ((ch === '-' || ch === '+') && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && isBareValuePart(text.charCodeAt(j))) j++;
      const raw = text.slice(i, j);
      tokens.push({ kind: /^[-+]?\d+(\.\d+)?$/.test(raw) ? 'number' : 'word', start, end: j, text: raw });
      i = j;
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'word', start, end: j, text: text.slice(i, j) });
      i = j;
    } else {
      const op = C_STYLE.find((o) => text.startsWith(o, i));
      if (op) {
        tokens.push({ kind: 'cop', start, end: i + op.length, text: op });
        i += op.length;
      } else {
        // One whole code point, so a surrogate pair is never split.
        const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
        tokens.push({ kind: 'invalid', start, end: i + width, text: text.slice(i, i + width) });
        i += width;
      }
    }
  }
  tokens.push({ kind: 'eof', start: n, end: n, text: '' });
  return tokens;
}

function readDoubleQuoted(text: string, start: number, out: Token[]): number {
  let i = start + 1;
  let value = '';
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '`' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"') {
      out.push({ kind: 'string', start, end: i + 1, text: value, quote: 'double', closed: true });
      return i + 1;
    }
    value += ch;
    i++;
  }
  out.push({ kind: 'string', start, end: text.length, text: value, quote: 'double', closed: false });
  return text.length;
}

function readSingleQuoted(text: string, start: number, out: Token[]): number {
  let i = start + 1;
  let value = '';
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      out.push({ kind: 'string', start, end: i + 1, text: value, quote: 'single', closed: true });
      return i + 1;
    }
    value += ch;
    i++;
  }
  out.push({ kind: 'string', start, end: text.length, text: value, quote: 'single', closed: false });
  return text.length;
}

/** A string opened by a "smart" quote ends at the next quote of either kind. */
function readTypographic(text: string, start: number, out: Token[]): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (TYPOGRAPHIC.has(ch) || ch === '"' || ch === "'") {
      out.push({
        kind: 'string',
        start,
        end: i + 1,
        text: text.slice(start + 1, i),
        quote: 'typographic',
        closed: true,
      });
      return i + 1;
    }
    i++;
  }
  out.push({
    kind: 'string',
    start,
    end: text.length,
    text: text.slice(start + 1),
    quote: 'typographic',
    closed: false,
  });
  return text.length;
}

/** The C-style operators and the rule operators they were most likely meant to be. */
export const cStyleReplacements: Readonly<Record<string, string>> = {
  '==': '-eq',
  '=': '-eq',
  '!=': '-ne',
  '<>': '-ne',
  '<=': '-le',
  '>=': '-ge',
  '<': '-le',
  '>': '-ge',
  '&&': '-and',
  '&': '-and',
  '||': '-or',
  '|': '-or',
  '!': '-not',
};
