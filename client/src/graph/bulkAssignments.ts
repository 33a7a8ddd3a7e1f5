/**
 * Assigning and removing many users at once, and the lookups that feed it: users by display
 * name, UPN or mail; users from a list of UPNs (a CSV); a group's members; who already holds a
 * package. Writes and per-UPN lookups go through `$batch` (batch.ts); every user gets an outcome.
 * No `vscode` import.
 */
import type { AccessPackageAssignment, AccessPackageAssignmentRequest, User } from '@microsoft/microsoft-graph-types';
import { runBatched, type BatchCall, type BatchOptions, type BatchOutcome } from './batch';
import {
  EM,
  adminAddBody,
  assignmentsPath,
  odataString,
  type AdminAddInput,
  type AdminAddResult,
} from './entitlements';
import { query, type GraphClient, type RequestOptions } from './graphClient';

const userFields = 'id,displayName,userPrincipalName,mail';

/** `adminAdd` for every input, 20 per batch; one result per input, in order. */
export async function adminAddMany(
  graph: GraphClient,
  inputs: readonly AdminAddInput[],
  o: BatchOptions = {},
): Promise<(AdminAddResult & { attempts: number })[]> {
  const calls: BatchCall[] = inputs.map((input, i) => ({
    key: String(i),
    method: 'POST',
    url: `${EM}/assignmentRequests`,
    body: adminAddBody(input),
  }));
  const outcomes = await runBatched<AccessPackageAssignmentRequest>(graph, calls, o);
  return outcomes.map((r, i) => {
    const userId = inputs[i]!.userId;
    return r.ok
      ? { userId, ok: true, request: r.body, attempts: r.attempts }
      : { userId, ok: false, code: r.code, message: r.message, attempts: r.attempts };
  });
}

export type RemoveOutcome =
  | { assignmentId: string; ok: true; requestId: string; attempts: number }
  | { assignmentId: string; ok: false; code: string; message: string; attempts: number };

/** `adminRemove` of every assignment, 20 per batch; one result per id, in order. */
export async function adminRemoveMany(
  graph: GraphClient,
  assignmentIds: readonly string[],
  o: BatchOptions = {},
): Promise<RemoveOutcome[]> {
  const calls: BatchCall[] = assignmentIds.map((id, i) => ({
    key: String(i),
    method: 'POST',
    url: `${EM}/assignmentRequests`,
    body: { requestType: 'adminRemove', assignment: { id } },
  }));
  const outcomes = await runBatched<AccessPackageAssignmentRequest>(graph, calls, o);
  return outcomes.map((r, i) => {
    const assignmentId = assignmentIds[i]!;
    return r.ok
      ? { assignmentId, ok: true, requestId: r.body?.id ?? '', attempts: r.attempts }
      : { assignmentId, ok: false, code: r.code, message: r.message, attempts: r.attempts };
  });
}

/**
 * The `$filter` finding users whose display name, UPN or mail starts with `text` (each is
 * filterable with `startswith` without advanced-query headers); undefined for empty text.
 */
export function userSearchFilter(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const s = odataString(t);
  return `startswith(displayName,${s}) or startswith(userPrincipalName,${s}) or startswith(mail,${s})`;
}

/** Users whose display name, UPN or mail starts with `text` (the first page of users when empty). */
export async function findUsers(graph: GraphClient, text: string, o?: RequestOptions, top = 25): Promise<User[]> {
  const page = await graph.page<User>(
    `/users${query({ $filter: userSearchFilter(text), $select: userFields, $top: top })}`,
    {
      permission: 'User.ReadBasic.All',
      ...o,
    },
  );
  return page.items;
}

/**
 * UPNs (or mail addresses) from CSV text: the column headed `userPrincipalName`, `upn`, `mail` or
 * `email` (any case), or the first column; a first row without an `@` in that column is a header.
 * Separators `,`, `;` or tab; quoted cells with doubled quotes; duplicates (any case) dropped.
 * (Hand-written: no CSV parser is among the dependencies, and this reads one column.)
 */
export function upnsFromCsv(text: string): string[] {
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
    .map(csvCells);
  if (rows.length === 0) return [];
  const header = rows[0]!.map((h) => h.toLowerCase());
  const named = header.findIndex((h) => ['userprincipalname', 'upn', 'mail', 'email'].includes(h));
  const column = Math.max(0, named);
  const hasHeader = named >= 0 || !(header[column] ?? '').includes('@');
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of hasHeader ? rows.slice(1) : rows) {
    const v = row[column] ?? '';
    if (v === '' || seen.has(v.toLowerCase())) continue;
    seen.add(v.toLowerCase());
    out.push(v);
  }
  return out;
}

function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',' || ch === ';' || ch === '\t') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

export type UpnLookup =
  { upn: string; ok: true; user: User } | { upn: string; ok: false; code: string; message: string };

/** Each UPN's user (by `userPrincipalName`, then `mail`), 20 lookups per batch; unknown ones are reported. */
export async function usersByUpn(
  graph: GraphClient,
  upns: readonly string[],
  o: BatchOptions = {},
): Promise<UpnLookup[]> {
  const calls: BatchCall[] = upns.map((upn, i) => ({
    key: String(i),
    method: 'GET',
    url: `/users${query({
      $filter: `userPrincipalName eq ${odataString(upn)} or mail eq ${odataString(upn)}`,
      $select: userFields,
    })}`,
  }));
  const outcomes = await runBatched<{ value?: User[] }>(graph, calls, { permission: 'User.ReadBasic.All', ...o });
  return outcomes.map((r, i): UpnLookup => {
    const upn = upns[i]!;
    if (!r.ok) return { upn, ok: false, code: r.code, message: r.message };
    const users = r.body?.value ?? [];
    const exact = users.find((u) => u.userPrincipalName?.toLowerCase() === upn.toLowerCase()) ?? users[0];
    return exact?.id
      ? { upn, ok: true, user: exact }
      : { upn, ok: false, code: 'UserNotFound', message: `No user has the UPN or mail '${upn}'.` };
  });
}

/** Groups whose display name starts with `text` (the first page of groups when empty). */
export async function findGroups(
  graph: GraphClient,
  text: string,
  o?: RequestOptions,
  top = 25,
): Promise<{ id?: string; displayName?: string | null; description?: string | null }[]> {
  const t = text.trim();
  const filter = t === '' ? undefined : `startswith(displayName,${odataString(t)})`;
  const page = await graph.page<{ id?: string; displayName?: string | null; description?: string | null }>(
    `/groups${query({ $filter: filter, $select: 'id,displayName,description', $top: top })}`,
    { permission: 'GroupMember.Read.All', ...o },
  );
  return page.items;
}

/** The users among a group's direct members (other member types are skipped). */
export async function groupMemberUsers(graph: GraphClient, groupId: string, o?: RequestOptions): Promise<User[]> {
  const out: User[] = [];
  const path = `/groups/${encodeURIComponent(groupId)}/members${query({ $select: userFields, $top: 999 })}`;
  for await (const page of graph.pages<User & { '@odata.type'?: string }>(path, {
    permission: 'GroupMember.Read.All',
    ...o,
  }))
    for (const m of page) if ((m['@odata.type'] ?? '#microsoft.graph.user') === '#microsoft.graph.user') out.push(m);
  return out;
}

/**
 * Ids of the users holding a delivered assignment of the package, read up to `limit` assignments
 * (`complete` is false when the package has more, so the caller can say the marks are partial).
 */
export async function packageHolders(
  graph: GraphClient,
  accessPackageId: string,
  o?: RequestOptions,
  limit = 20_000,
): Promise<{ ids: Set<string>; complete: boolean }> {
  const ids = new Set<string>();
  let read = 0;
  for await (const page of graph.pages<AccessPackageAssignment>(
    assignmentsPath({ accessPackageId, state: 'delivered', top: 999 }),
    o,
  )) {
    for (const a of page) {
      const id = a.target?.objectId ?? (a as { targetId?: string }).targetId;
      if (id) ids.add(id);
    }
    read += page.length;
    if (read >= limit) return { ids, complete: false };
  }
  return { ids, complete: true };
}

export type { BatchOutcome };
