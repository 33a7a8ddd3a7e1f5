/**
 * What the evaluator and the `$filter` translation share: how they refuse a rule they cannot
 * translate (a thrown `Refusal` with the offending range), and readers over value nodes.
 */
import type { OffsetRange, Value } from './ast';

export class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly range?: OffsetRange,
  ) {
    super(reason);
  }
}

export function refuse(reason: string, at?: OffsetRange): never {
  throw new Refusal(reason, at ? { start: at.start, end: at.end } : undefined);
}

/** The text of a scalar value compared with a string property (`"a"`, `a`, `42`, `true`). */
export function scalarText(value: Value): string | undefined {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'bare':
      return value.text;
    case 'number':
      return value.raw;
    case 'boolean':
      return value.value ? 'true' : 'false';
    default:
      return undefined;
  }
}

/** The first value the parser flagged (unclosed string or list, smart quotes, unreadable), if any. */
export function valueSyntaxProblem(value: Value): { reason: string; at: OffsetRange } | undefined {
  switch (value.kind) {
    case 'string':
      if (!value.closed) return { reason: 'This string is never closed.', at: value };
      if (value.quote === 'typographic') return { reason: 'Typographic quotes are not quotes in rules.', at: value };
      return undefined;
    case 'array':
      if (!value.closed) return { reason: 'This list is never closed with ].', at: value };
      for (const item of value.items) {
        const p = valueSyntaxProblem(item);
        if (p) return p;
      }
      return undefined;
    case 'errorValue':
      return { reason: 'The value could not be read.', at: value };
    case 'now':
      return value.offset?.duration?.kind === 'string' ? valueSyntaxProblem(value.offset.duration) : undefined;
    default:
      return undefined;
  }
}
