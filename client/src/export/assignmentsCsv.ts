/**
 * Assignments as CSV (RFC 4180 quoting, CRLF lines). Cells that a spreadsheet would read as a
 * formula (starting with `=`, `+`, `-`, `@`, tab or CR) are neutralised with a leading `'`.
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

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvHeader(): string {
  return `${columns.map(([h]) => h).join(',')}\r\n`;
}

export function csvLines(rows: readonly AssignmentRow[]): string {
  let out = '';
  for (const r of rows) out += `${columns.map(([, cell]) => csvCell(cell(r))).join(',')}\r\n`;
  return out;
}
