/**
 * Text from documents (file names, rule text quoted in messages) must not drive the terminal the
 * report is printed on: control characters (C0, DEL, C1 including the 8-bit CSI), ESC sequences
 * and bidirectional overrides, which can hide or reorder what a reviewer reads, are shown as
 * escapes instead.
 */

// C0 except tab and line feed, DEL, C1, the bidi embeddings/overrides/isolates and marks, the
// line and paragraph separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(4, '0');

/** `s` with every unsafe character written as `\u{XXXX}`, newlines and tabs as `\n` and `\t`. */
export function escapeForTerminal(s: string): string {
  return s
    .replace(UNSAFE, (c) => `\\u{${hex(c).toUpperCase()}}`)
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t');
}

/**
 * JSON text (from `JSON.stringify`, which escapes C0 but leaves DEL, C1 and bidi controls raw)
 * with those written as `\uxxxx` escapes (lower case, as `JSON.stringify` writes C0): the same JSON value, safe to print. These characters can
 * only occur inside strings there, so replacing them never changes the structure.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${hex(c)}`);
}
