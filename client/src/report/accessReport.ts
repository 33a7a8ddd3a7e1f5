/**
 * "Access report": for a user, every access package they hold, through which policy, and what
 * each package grants; for a package, the matrix of its users × the resource roles it grants.
 * Read from Graph (assignments with their package and policy, each package's resource role
 * scopes), rendered as Markdown and as CSV (cells neutralised as in the assignments export).
 * No `vscode` import: tested against the sandbox in plain Node.
 */
import type { AccessPackageAssignment, AccessPackageResourceRoleScope } from '@microsoft/microsoft-graph-types';
import { csvCell } from '../export/assignmentsCsv';
import { EM, odataString } from '../graph/entitlements';
import { query, type GraphClient, type RequestOptions } from '../graph/graphClient';
import { ConsoleApi } from '../requests/consoleApi';

export interface Grant {
  resource: string;
  role: string;
  kind: string;
  originId: string;
}

export interface UserAccessRow {
  accessPackage: string;
  accessPackageId: string;
  policy: string;
  state: string;
  start: string;
  end: string;
  grants: Grant[];
}

export interface UserReport {
  kind: 'user';
  user: { id: string; displayName: string; principalName: string };
  rows: UserAccessRow[];
}

export interface PackageReport {
  kind: 'package';
  accessPackage: { id: string; displayName: string };
  grants: Grant[];
  users: { id: string; displayName: string; principalName: string; policy: string; state: string }[];
}

export type AccessReport = UserReport | PackageReport;

const kindWords: Record<string, string> = {
  AadGroup: 'group',
  AadApplication: 'application',
  SharePointOnline: 'site',
};

export function toGrant(rs: AccessPackageResourceRoleScope): Grant {
  const role = rs.role ?? undefined;
  const res = role?.resource ?? undefined;
  const origin = role?.originSystem ?? rs.scope?.originSystem ?? '';
  return {
    resource: res?.displayName ?? rs.scope?.displayName ?? role?.originId ?? '',
    role: role?.displayName ?? role?.originId ?? '',
    kind: kindWords[origin] ?? origin,
    originId: res?.originId ?? rs.scope?.originId ?? '',
  };
}

async function all<T>(graph: GraphClient, path: string, o?: RequestOptions, limit = 50_000): Promise<T[]> {
  const out: T[] = [];
  for await (const page of graph.pages<T>(path, o)) {
    out.push(...page);
    if (out.length >= limit) break;
  }
  return out;
}

async function grantsOf(
  api: ConsoleApi,
  packageId: string,
  cache: Map<string, Grant[]>,
  o?: RequestOptions,
): Promise<Grant[]> {
  let g = cache.get(packageId);
  if (!g) {
    const scopes: AccessPackageResourceRoleScope[] = [];
    let page = await api.roleScopes(packageId, undefined, o);
    scopes.push(...page.items);
    while (page.nextLink) {
      page = await api.roleScopes(packageId, page.nextLink, o);
      scopes.push(...page.items);
    }
    cache.set(packageId, (g = scopes.map(toGrant)));
  }
  return g;
}

/** A user's access: active assignments (not expired), each with its package's grants. */
export async function userReport(graph: GraphClient, userId: string, o?: RequestOptions): Promise<UserReport> {
  const api = new ConsoleApi(graph);
  const user = await graph.get<{ id?: string; displayName?: string; userPrincipalName?: string }>(
    `/users/${encodeURIComponent(userId)}${query({ $select: 'id,displayName,userPrincipalName' })}`,
    { permission: 'User.ReadBasic.All', ...o },
  );
  const assignments = await all<AccessPackageAssignment>(
    graph,
    `${EM}/assignments${query({
      $filter: `target/objectId eq ${odataString(userId)}`,
      $expand: 'accessPackage,assignmentPolicy,target',
    })}`,
    o,
  );
  const cache = new Map<string, Grant[]>();
  const rows: UserAccessRow[] = [];
  for (const a of assignments) {
    if (a.state === 'expired') continue;
    const pkgId = a.accessPackage?.id ?? '';
    rows.push({
      accessPackage: a.accessPackage?.displayName ?? pkgId,
      accessPackageId: pkgId,
      policy: a.assignmentPolicy?.displayName ?? a.assignmentPolicy?.id ?? '',
      state: a.state ?? '',
      start: a.schedule?.startDateTime ?? '',
      end: a.schedule?.expiration?.endDateTime ?? '',
      grants: pkgId ? await grantsOf(api, pkgId, cache, o) : [],
    });
  }
  rows.sort((x, y) => x.accessPackage.localeCompare(y.accessPackage));
  return {
    kind: 'user',
    user: { id: user.id ?? userId, displayName: user.displayName ?? '', principalName: user.userPrincipalName ?? '' },
    rows,
  };
}

/** A package's users (active assignments) and the resource roles each of them gets. */
export async function packageReport(graph: GraphClient, packageId: string, o?: RequestOptions): Promise<PackageReport> {
  const api = new ConsoleApi(graph);
  const pkg = await graph.get<{ id?: string; displayName?: string }>(
    `${EM}/accessPackages/${encodeURIComponent(packageId)}`,
    o,
  );
  const grants = await grantsOf(api, packageId, new Map(), o);
  const assignments = await all<AccessPackageAssignment>(
    graph,
    `${EM}/assignments${query({
      $filter: `accessPackage/id eq ${odataString(packageId)}`,
      $expand: 'target,assignmentPolicy($select=id,displayName)',
    })}`,
    o,
  );
  const users = assignments
    .filter((a) => a.state !== 'expired')
    .map((a) => ({
      id: a.target?.objectId ?? '',
      displayName: a.target?.displayName ?? '',
      principalName: a.target?.principalName ?? '',
      policy: a.assignmentPolicy?.displayName ?? '',
      state: a.state ?? '',
    }))
    .sort((x, y) => x.displayName.localeCompare(y.displayName));
  return {
    kind: 'package',
    accessPackage: { id: pkg.id ?? packageId, displayName: pkg.displayName ?? '' },
    grants,
    users,
  };
}

/** Markdown table cell: pipes and line breaks escaped. */
function md(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const grantText = (g: Grant): string => `${g.role} of ${g.resource} (${g.kind})`;

export function reportMarkdown(r: AccessReport, now = new Date().toISOString()): string {
  const out: string[] = [];
  if (r.kind === 'user') {
    out.push(`# Access of ${md(r.user.displayName || r.user.id)}`, '');
    out.push(`${md(r.user.principalName)} · user id \`${r.user.id}\` · ${now.slice(0, 16).replace('T', ' ')} UTC`, '');
    if (r.rows.length === 0) out.push('No active access package assignment.');
    else {
      out.push(`${r.rows.length} access package(s).`, '');
      out.push('| Access package | Policy | State | From | Until | Grants |', '|---|---|---|---|---|---|');
      for (const row of r.rows)
        out.push(
          `| ${md(row.accessPackage)} | ${md(row.policy)} | ${row.state} | ${row.start.slice(0, 10)} | ${row.end.slice(0, 10) || '—'} | ${md(row.grants.map(grantText).join('; ')) || '—'} |`,
        );
    }
  } else {
    out.push(`# Who has ${md(r.accessPackage.displayName || r.accessPackage.id)}`, '');
    out.push(`access package id \`${r.accessPackage.id}\` · ${now.slice(0, 16).replace('T', ' ')} UTC`, '');
    out.push(
      r.grants.length === 0
        ? 'The package grants no resource role.'
        : `Grants: ${r.grants.map((g) => md(grantText(g))).join('; ')}.`,
      '',
    );
    if (r.users.length === 0) out.push('No active assignment.');
    else {
      const cols = r.grants.map((g) => md(`${g.resource} (${g.role})`));
      out.push(`${r.users.length} user(s).`, '');
      out.push(`| User | Principal name | Policy | State | ${cols.join(' | ')}${cols.length ? ' |' : ''}`);
      out.push(`|---|---|---|---|${cols.map(() => '---|').join('')}`);
      for (const u of r.users)
        out.push(
          `| ${md(u.displayName)} | ${md(u.principalName)} | ${md(u.policy)} | ${u.state} | ${r.grants.map(() => (u.state === 'delivered' ? '✓' : '…')).join(' | ')}${r.grants.length ? ' |' : ''}`,
        );
    }
  }
  return `${out.join('\n')}\n`;
}

export function reportCsv(r: AccessReport): string {
  const line = (cells: string[]): string => `${cells.map(csvCell).join(',')}\r\n`;
  if (r.kind === 'user') {
    let out = line([
      'userId',
      'user',
      'accessPackage',
      'accessPackageId',
      'policy',
      'state',
      'start',
      'end',
      'resource',
      'role',
      'kind',
      'originId',
    ]);
    for (const row of r.rows) {
      const base = [
        r.user.id,
        r.user.displayName,
        row.accessPackage,
        row.accessPackageId,
        row.policy,
        row.state,
        row.start,
        row.end,
      ];
      if (row.grants.length === 0) out += line([...base, '', '', '', '']);
      for (const g of row.grants) out += line([...base, g.resource, g.role, g.kind, g.originId]);
    }
    return out;
  }
  let out = line([
    'userId',
    'user',
    'principalName',
    'policy',
    'state',
    ...r.grants.map((g) => `${g.resource} (${g.role})`),
  ]);
  for (const u of r.users)
    out += line([
      u.id,
      u.displayName,
      u.principalName,
      u.policy,
      u.state,
      ...r.grants.map(() => (u.state === 'delivered' ? 'yes' : 'pending')),
    ]);
  return out;
}
