/**
 * Diagnostics as data. The service never throws on bad input: it reports what it found as
 * diagnostics with stable codes, offsets into the text they were computed on, and, where a
 * mechanical fix exists, the edits of that fix (so any front end can offer it as a quick fix).
 */
import type { OffsetRange } from './rules/ast';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface OffsetEdit {
  range: OffsetRange;
  newText: string;
}

export interface Fix {
  title: string;
  edits: OffsetEdit[];
  /** The fix to apply with "auto fix" / the first one offered. */
  preferred?: boolean;
}

export interface ServiceDiagnostic {
  range: OffsetRange;
  severity: Severity;
  /** Stable code, such as `R202`; see `rules/codes.ts` and `policy/codes.ts`. */
  code: string;
  message: string;
  /** Quick fixes for this finding, in the offsets of the same text. */
  fixes?: Fix[];
  /** Tags the editor shows specially (e.g. strike-through for deprecated). */
  tags?: ('unnecessary' | 'deprecated')[];
}

export function rangeOf(node: OffsetRange): OffsetRange {
  return { start: node.start, end: node.end };
}
