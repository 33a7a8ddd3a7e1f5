/**
 * "Who matches": evaluates a membership rule against the tenant's users, page by page, with the
 * shared checker and evaluator (the same code the sandbox and the CLI run). For an existing
 * automatic policy, compares with its current assignments: who would gain and who would lose access.
 *
 * Bounded memory whatever the tenant's size: users are streamed one page at a time, the preview
 * keeps counts and a bounded sample of names (the first `sampleSize`), and the full list is only
 * ever written to a file, by a second pass (`saveMatchList`). Cancel is honoured between pages and
 * within a page (checked before every user, with a turn of the event loop every
 * `cancelCheckEvery` users so that a cancel request can arrive during a long page).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AccessPackageAssignment, User } from '@microsoft/microsoft-graph-types';
import type { AssignmentRow } from '../graph/assignmentRow';
import { toAssignmentRow } from '../graph/assignmentRow';
import { EM, odataString } from '../graph/entitlements';
import { GraphRequestError, query, type GraphClient } from '../graph/graphClient';
import type { CompiledPreviewRule } from './previewRule';
import { csvCell } from '../export/assignmentsCsv';

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

/** Users evaluated between two turns of the event loop (when a cancel request can arrive). */
export const cancelCheckEvery = 50;
/** Names kept for the report by default. */
export const defaultSampleSize = 100;

const canceled = (): GraphRequestError => new GraphRequestError(0, 'Canceled', 'The operation was canceled.');
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Streams every user the rule selects to `onMatch`, page by page; returns the counts. Holds one
 * page at a time. Throws GraphRequestError (`Canceled` on abort).
 */
export async function scanMatches(
  graph: GraphClient,
  rule: CompiledPreviewRule,
  onMatch: (u: MatchedUser) => void | Promise<void>,
  o: PreviewOptions = {},
): Promise<PreviewProgress> {
  let scanned = 0;
  let matched = 0;
  const path = `/users${query({ $select: rule.select.join(','), $top: o.pageSize ?? 999 })}`;
  for await (const users of graph.pages<User>(path, { permission: rule.permission, signal: o.signal })) {
    for (let i = 0; i < users.length; i++) {
      if (i > 0 && i % cancelCheckEvery === 0) await nextTurn();
      if (o.signal?.aborted) throw canceled();
      const u = users[i]!;
      scanned++;
      if (!rule.test(u as Record<string, unknown>)) continue;
      matched++;
      const pending = onMatch({
        id: u.id ?? '',
        displayName: u.displayName ?? '',
        userPrincipalName: u.userPrincipalName ?? '',
      });
      if (pending) await pending;
    }
    o.onProgress?.({ scanned, matched });
    if (o.signal?.aborted) throw canceled();
  }
  return { scanned, matched };
}

/** Who would gain and who would lose access, as counts and bounded samples. */
export interface AccessDiff {
  gain: number;
  lose: number;
  keep: number;
  gainSample: MatchedUser[];
  loseSample: AssignmentRow[];
}

export interface PreviewResult extends PreviewProgress {
  /** The first matches, at most the sample size. */
  sample: MatchedUser[];
  diff?: AccessDiff;
}

/**
 * Compares matches with current assignments as the matches stream by: memory grows with the
 * assignments (which the comparison needs) and the samples, never with the matches.
 */
export class AccessDiffCounter {
  /** Active assignment rows by lower-cased user id, and whether that user matched. */
  private readonly assigned = new Map<string, { rows: AssignmentRow[]; matched: boolean }>();
  private gain = 0;
  private keep = 0;
  private readonly gainSample: MatchedUser[] = [];

  constructor(
    current: readonly AssignmentRow[],
    private readonly sampleSize = defaultSampleSize,
  ) {
    for (const r of current) {
      if (r.state === 'expired') continue;
      const key = r.objectId.toLowerCase();
      const entry = this.assigned.get(key);
      if (entry) entry.rows.push(r);
      else this.assigned.set(key, { rows: [r], matched: false });
    }
  }

  match(u: MatchedUser): void {
    const entry = this.assigned.get(u.id.toLowerCase());
    if (entry) {
      if (!entry.matched) this.keep++;
      entry.matched = true;
    } else {
      this.gain++;
      if (this.gainSample.length < this.sampleSize) this.gainSample.push(u);
    }
  }

  result(): AccessDiff {
    let lose = 0;
    const loseSample: AssignmentRow[] = [];
    for (const { rows, matched } of this.assigned.values()) {
      if (matched) continue;
      for (const r of rows) {
        lose++;
        if (loseSample.length < this.sampleSize) loseSample.push(r);
      }
    }
    return { gain: this.gain, lose, keep: this.keep, gainSample: [...this.gainSample], loseSample };
  }
}

/**
 * Counts the users the rule selects and keeps the first `sampleSize` of them; with `current`
 * (a policy's assignments) also who would gain and lose access. Throws GraphRequestError.
 */
export async function matchUsers(
  graph: GraphClient,
  rule: CompiledPreviewRule,
  o: PreviewOptions & { sampleSize?: number; current?: readonly AssignmentRow[] } = {},
): Promise<PreviewResult> {
  const sampleSize = o.sampleSize ?? defaultSampleSize;
  const sample: MatchedUser[] = [];
  const diff = o.current ? new AccessDiffCounter(o.current, sampleSize) : undefined;
  const counts = await scanMatches(
    graph,
    rule,
    (u) => {
      if (sample.length < sampleSize) sample.push(u);
      diff?.match(u);
    },
    o,
  );
  return diff ? { ...counts, sample, diff: diff.result() } : { ...counts, sample };
}

/**
 * The full list, on request: a second pass over the users that writes every match to `path` as
 * CSV (id, displayName, userPrincipalName; cells neutralised as in the assignments export), one
 * page at a time with back-pressure. A canceled or failed save removes the partial file.
 */
export async function saveMatchList(
  graph: GraphClient,
  rule: CompiledPreviewRule,
  path: string,
  o: PreviewOptions = {},
): Promise<PreviewProgress> {
  const out = createWriteStream(path, { encoding: 'utf8', flags: 'w' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const write = (s: string): Promise<void> =>
    Promise.race([failed, new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())))]);
  let buffered = '';
  try {
    await write(`${['id', 'displayName', 'userPrincipalName'].map(csvCell).join(',')}\r\n`);
    const counts = await scanMatches(
      graph,
      rule,
      async (u) => {
        buffered += `${csvCell(u.id)},${csvCell(u.displayName)},${csvCell(u.userPrincipalName)}\r\n`;
        if (buffered.length >= 64 * 1024) {
          const chunk = buffered;
          buffered = '';
          await write(chunk);
        }
      },
      o,
    );
    if (buffered) await write(buffered);
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    return counts;
  } catch (e) {
    out.destroy();
    await rm(path, { force: true }).catch(() => undefined);
    throw e;
  }
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

/** The preview as Markdown (for a read-only virtual document); lists are the bounded samples. */
export function previewReport(title: string, rule: string, result: PreviewResult): string {
  // A fence longer than any run of backticks in the rule, so the rule cannot close it.
  const fence = '`'.repeat((rule.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length + 1), 3));
  const lines = [
    `# ${title}`,
    '',
    fence,
    rule,
    fence,
    '',
    `**${result.matched}** of ${result.scanned} users match.`,
    '',
  ];
  const diff = result.diff;
  if (diff) {
    lines.push(
      `Compared with the current assignments: **${diff.gain}** would gain access, **${diff.lose}** would lose access, ${diff.keep} keep it.`,
      '',
      '## Would gain access',
      '',
      ...list(
        diff.gainSample.map((u) => `${u.displayName} <${u.userPrincipalName}> (${u.id})`),
        diff.gain,
      ),
      '',
      '## Would lose access',
      '',
      ...list(
        diff.loseSample.map((r) => `${r.targetName} <${r.principalName}> (${r.objectId})`),
        diff.lose,
      ),
      '',
    );
  }
  lines.push(
    '## Matching users',
    '',
    ...list(
      result.sample.map((u) => `${u.displayName} <${u.userPrincipalName}> (${u.id})`),
      result.matched,
    ),
    '',
  );
  return lines.join('\n');
}

/** A Markdown list of a sample, with a note when the sample is not everything. */
function list(items: readonly string[], total: number): string[] {
  if (total === 0) return ['_none_'];
  const out = items.map((i) => `- ${i.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}`);
  if (total > items.length)
    out.push(
      '',
      `_The first ${items.length} of ${total} are shown; "Save full list…" writes every matching user to a file._`,
    );
  return out;
}
