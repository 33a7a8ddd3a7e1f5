/**
 * Limits that keep every request on a JSON document linear and bounded: how deep the document
 * nests (measured before anything recursive touches it), and how many findings of one kind a
 * document shows. vscode-json-languageservice's parser, its validator, our checks and the
 * serialisation of outlines and selection ranges all recurse once per level, so a document
 * nested deeper than `MAX_JSON_DEPTH` is never handed to them.
 */
import { createScanner } from 'jsonc-parser';

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read: its values.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/**
 * Graph's entitlement-management payloads nest about 10 levels (a page of policies with approval
 * stages and approvers); 64 leaves room for anything real and stays far below the ~2,000 levels at
 * which the JSON service's parser or the LSP serialisation of an outline overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

export interface DepthProbe {
  /** The deepest nesting seen, counted up to `limit + 1` (the scan stops there). */
  depth: number;
  /** Offset of the bracket that went past the limit, when it was exceeded. */
  exceededAt?: number;
}

/**
 * The nesting depth of a JSON text: one pass of jsonc-parser's scanner (iterative, strings and
 * comments handled), stopping at the first bracket beyond `limit`.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): DepthProbe {
  const scanner = createScanner(text, true);
  let depth = 0;
  let max = 0;
  for (let token: number = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      depth++;
      if (depth > max) max = depth;
      if (depth > limit) return { depth, exceededAt: scanner.getTokenOffset() };
    } else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) {
      if (depth > 0) depth--;
    }
  }
  return { depth: max };
}
