/**
 * Assignments as CSV (RFC 4180, CRLF lines). Every field is quoted, so no separator inside a value
 * (`,` or the `;` of locales that use it) can start a new cell. A value a spreadsheet could read as
 * a formula gets a leading `'`: when its first visible character, after any whitespace or
 * invisible characters (spaces, no-break and zero-width spaces, NUL and other controls, bidi
 * marks, BOM), is `=`, `+`, `-`, `@` or a full-width or small form of them, when any
 * `;`-separated part of it starts that way, or when it starts with a tab or a line break. Nothing
 * is stripped: the data stays visible as it was.
 */
import type { AssignmentRow } from '../graph/assignmentRow';

const columns: [header: string, cell: (r: AssignmentRow) => string][] = [
  ['assignmentId', (r) => r.id],
  ['displayName', (r) => r.targetName],
  ['principalName', (r) => r.principalName],
  ['email', (r) => r.email],
  ['userObjectId', (r) => r.objectId],
  ['policy', (r) => r.policyName],
  ['policyId', (r) => r.policyId],
  ['state', (r) => r.state],
  ['status', (r) => r.status],
  ['start', (r) => r.start],
  ['end', (r) => r.end],
];

/** Whitespace and characters that render as nothing, which a spreadsheet may skip before a formula. */
const invisible =
  '\\s\\0-\\x1f\\x7f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff';
/** `=`, `+`, `-`, `@`, their full-width forms (`＝ ＋ － ＠`) and small forms (`﹦ ﹢ ﹣ ﹫`). */
const trigger = '=+\\-@\\uff1d\\uff0b\\uff0d\\uff20\\ufe66\\ufe62\\ufe63\\ufe6b';
const formulaLike = new RegExp(`(?:^|;)[${invisible}]*[${trigger}]|^[\\t\\r\\n]`, 'u');

/** One CSV field: neutralised when it could start a formula, always quoted. */
export function csvCell(value: string): string {
  const safe = formulaLike.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvHeader(): string {
  return `${columns.map(([h]) => csvCell(h)).join(',')}\r\n`;
}

export function csvLines(rows: readonly AssignmentRow[]): string {
  let out = '';
  for (const r of rows) out += `${columns.map(([, cell]) => csvCell(cell(r))).join(',')}\r\n`;
  return out;
}
