/**
 * "Who matches": evaluates a membership rule against the tenant's users, page by page, with the
 * shared checker and evaluator (the same code the sandbox and the CLI run). For an existing
 * automatic policy, compares with its current assignments: who would gain and who would lose access.
 */
import type { AccessPackageAssignment, User } from '@microsoft/microsoft-graph-types';
import type { AssignmentRow } from '../graph/assignmentRow';
import { toAssignmentRow } from '../graph/assignmentRow';
import { EM, odataString } from '../graph/entitlements';
import { GraphRequestError, query, type GraphClient } from '../graph/graphClient';
import type { CompiledPreviewRule } from './previewRule';

export interface MatchedUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

export { compilePreviewRule, type CompiledPreviewRule } from './previewRule';

export interface PreviewProgress {
  scanned: number;
  matched: number;
}

export interface PreviewOptions {
  signal?: AbortSignal;
  onProgress?: (p: PreviewProgress) => void;
  /** Users per page (`$top`, Graph allows up to 999). */
  pageSize?: number;
}

/** Pages through `/users` and keeps those the rule selects. Throws GraphRequestError (`Canceled` on abort). */
export async function matchUsers(
  graph: GraphClient,
  rule: CompiledPreviewRule,
  o: PreviewOptions = {},
): Promise<{ matched: MatchedUser[]; scanned: number }> {
  const matched: MatchedUser[] = [];
  let scanned = 0;
  const path = `/users${query({ $select: rule.select.join(','), $top: o.pageSize ?? 999 })}`;
  for await (const users of graph.pages<User>(path, { permission: rule.permission, signal: o.signal })) {
    for (const u of users) {
      if (rule.test(u as Record<string, unknown>))
        matched.push({
          id: u.id ?? '',
          displayName: u.displayName ?? '',
          userPrincipalName: u.userPrincipalName ?? '',
        });
    }
    scanned += users.length;
    o.onProgress?.({ scanned, matched: matched.length });
    if (o.signal?.aborted) throw new GraphRequestError(0, 'Canceled', 'The operation was canceled.');
  }
  return { matched, scanned };
}

/** Every assignment row of a package (optionally of one policy), following next links. */
export async function allAssignments(
  graph: GraphClient,
  accessPackageId: string,
  policyId?: string,
  signal?: AbortSignal,
): Promise<AssignmentRow[]> {
  const clauses = [`accessPackage/id eq ${odataString(accessPackageId)}`];
  if (policyId) clauses.push(`assignmentPolicy/id eq ${odataString(policyId)}`);
  const rows: AssignmentRow[] = [];
  const path = `${EM}/assignments${query({ $filter: clauses.join(' and '), $expand: 'target,assignmentPolicy($select=id,displayName)' })}`;
  for await (const page of graph.pages<AccessPackageAssignment>(path, { signal }))
    for (const a of page) rows.push(toAssignmentRow(a));
  return rows;
}

export interface AccessDiff {
  gain: MatchedUser[];
  lose: AssignmentRow[];
  keep: number;
}

/** Who the rule would add (matched, no active assignment) and remove (assigned, no longer matched). */
export function diffAccess(matched: readonly MatchedUser[], current: readonly AssignmentRow[]): AccessDiff {
  const active = current.filter((r) => r.state !== 'expired');
  const assigned = new Set(active.map((r) => r.objectId.toLowerCase()));
  const selected = new Set(matched.map((u) => u.id.toLowerCase()));
  return {
    gain: matched.filter((u) => !assigned.has(u.id.toLowerCase())),
    lose: active.filter((r) => !selected.has(r.objectId.toLowerCase())),
    keep: matched.filter((u) => assigned.has(u.id.toLowerCase())).length,
  };
}

/** The preview as Markdown (for a read-only virtual document). */
export function previewReport(
  title: string,
  rule: string,
  result: { matched: MatchedUser[]; scanned: number },
  diff?: AccessDiff,
): string {
  const lines = [
    `# ${title}`,
    '',
    '```',
    rule,
    '```',
    '',
    `**${result.matched.length}** of ${result.scanned} users match.`,
    '',
  ];
  if (diff) {
    lines.push(
      `Compared with the current assignments: **${diff.gain.length}** would gain access, **${diff.lose.length}** would lose access, ${diff.keep} keep it.`,
      '',
    );
    lines.push(
      '## Would gain access',
      '',
      ...list(diff.gain.map((u) => `${u.displayName} <${u.userPrincipalName}> (${u.id})`)),
      '',
    );
    lines.push(
      '## Would lose access',
      '',
      ...list(diff.lose.map((r) => `${r.targetName} <${r.principalName}> (${r.objectId})`)),
      '',
    );
  }
  lines.push(
    '## Matching users',
    '',
    ...list(result.matched.map((u) => `${u.displayName} <${u.userPrincipalName}> (${u.id})`)),
    '',
  );
  return lines.join('\n');
}

function list(items: string[]): string[] {
  return items.length === 0 ? ['_none_'] : items.map((i) => `- ${i.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}`);
}
