/**
 * The plan: what applying the folder to a tenant would do, per object. Files are matched to
 * objects through the state file first (the id recorded for this tenant, if that object still
 * exists under the same parent), then by display name within the parent. A matched object is
 * `noop` when every field the file names holds in the tenant, otherwise `update` naming the
 * fields; `drift` marks an update where the tenant changed since the state's last apply or pull.
 * Objects in the tenant that no file describes are `unmanaged`, or `delete` with `prune` when
 * their parent is managed by the folder (or they were, per the state). The built-in catalog is
 * never deleted.
 */
import type { Layout, LocalFile } from './layout';
import { differingFields, type Kind } from './normalise';
import type { TenantState } from './state';
import type { Remote, Snapshot } from './tenantSnapshot';

export type Action = 'create' | 'update' | 'noop' | 'unmanaged' | 'delete';

/** One entry of the plan, as `plan --format json` prints it. */
export interface Change {
  action: Action;
  kind: Kind;
  file: string | null;
  id: string | null;
  fields: string[];
  drift?: true;
  displayName?: string;
}

export interface PlannedChange extends Change {
  local?: LocalFile;
  remote?: Remote;
}

export interface Plan {
  changes: PlannedChange[];
  /** Local file → the object it is in the tenant (matched ones). */
  matches: Map<string, Remote>;
}

export const kinds: readonly Kind[] = ['catalog', 'accessPackage', 'policy'];

const listOf = (s: Snapshot, kind: Kind): Remote[] =>
  kind === 'catalog' ? s.catalogs : kind === 'accessPackage' ? s.packages : s.policies;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Which object each file is in the tenant: by the state's id, then by display name within the parent. */
export function matchFiles(layout: Layout, snapshot: Snapshot, state: TenantState): Map<string, Remote> {
  const result = new Map<string, Remote>();
  const claimed = new Set<string>();
  for (const kind of kinds) {
    const files = layout.files.filter((f) => f.kind === kind && f.content);
    const parentId = (f: LocalFile): string | undefined => (f.parent ? result.get(f.parent)?.id : undefined);
    for (const f of files) {
      const entry = state.files[f.path];
      const r = entry?.kind === kind ? snapshot.byId.get(entry.id) : undefined;
      if (!r || r.kind !== kind || claimed.has(r.id)) continue;
      if (kind !== 'catalog' && r.parentId !== parentId(f)) continue;
      result.set(f.path, r);
      claimed.add(r.id);
    }
    for (const f of files) {
      if (result.has(f.path)) continue;
      const parent = kind === 'catalog' ? undefined : parentId(f);
      if (kind !== 'catalog' && parent === undefined) continue;
      const candidates = listOf(snapshot, kind).filter(
        (r) => !claimed.has(r.id) && r.parentId === parent && r.displayName === f.displayName,
      );
      // Several objects of one name: the one whose content already matches, else the first by id.
      candidates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const r = candidates.find((c) => differingFields(f.content!, c.content).length === 0) ?? candidates[0];
      if (!r) continue;
      result.set(f.path, r);
      claimed.add(r.id);
    }
  }
  return result;
}

export function makePlan(layout: Layout, snapshot: Snapshot, state: TenantState, prune = false): Plan {
  const matches = matchFiles(layout, snapshot, state);
  const changes: PlannedChange[] = [];
  for (const kind of kinds) {
    for (const local of layout.files.filter((f) => f.kind === kind && f.content)) {
      const r = matches.get(local.path);
      const entry = state.files[local.path];
      if (!r) {
        const c: PlannedChange = {
          action: 'create',
          kind,
          file: local.path,
          id: null,
          fields: Object.keys(local.content!),
          local,
        };
        // The state knew this file's object in this tenant and it is gone: the tenant changed.
        if (entry && !snapshot.byId.has(entry.id)) c.drift = true;
        changes.push(c);
        continue;
      }
      const fields = differingFields(local.content!, r.content);
      const c: PlannedChange = {
        action: fields.length > 0 ? 'update' : 'noop',
        kind,
        file: local.path,
        id: r.id,
        fields,
        local,
        remote: r,
      };
      if (fields.length > 0 && entry && entry.id === r.id && !same(entry.content, r.content)) c.drift = true;
      changes.push(c);
    }
  }
  const claimed = new Set([...matches.values()].map((r) => r.id));
  const managedBefore = new Set(Object.values(state.files).map((e) => e.id));
  const leftovers: PlannedChange[] = [];
  for (const kind of kinds) {
    for (const r of listOf(snapshot, kind)) {
      if (claimed.has(r.id)) continue;
      const parentManaged = r.parentId !== undefined && claimed.has(r.parentId);
      const wasManaged = managedBefore.has(r.id);
      // Contents of an unmanaged catalog or package are not listed one by one.
      if (kind !== 'catalog' && !parentManaged && !wasManaged) continue;
      const deletable = prune && !r.builtIn && (parentManaged || wasManaged);
      leftovers.push({
        action: deletable ? 'delete' : 'unmanaged',
        kind,
        file: null,
        id: r.id,
        fields: [],
        displayName: r.displayName,
        remote: r,
      });
    }
  }
  // Deletes run children first.
  leftovers.sort((a, b) => kinds.indexOf(b.kind) - kinds.indexOf(a.kind));
  changes.push(...leftovers);
  return { changes, matches };
}

/**
 * The part of a plan that deploys one file: its own change, preceded by the creation of its
 * package and catalog when those are new too (the parents it needs, nothing else).
 */
export function planForFile(plan: Plan, file: string): Plan | undefined {
  const change = plan.changes.find((c) => c.file === file);
  if (!change) return undefined;
  const chain: PlannedChange[] = [change];
  for (let parent = change.local?.parent; parent;) {
    const pc = plan.changes.find((c) => c.file === parent);
    if (pc?.action === 'create') chain.unshift(pc);
    parent = pc?.local?.parent;
  }
  return { changes: chain, matches: plan.matches };
}

/** Whether applying would change the tenant (`unmanaged` entries alone do not count). */
export function hasChanges(plan: { changes: Change[] }): boolean {
  return plan.changes.some((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
}

/** The public form of a change (what `--format json` prints). */
export function publicChange(c: PlannedChange): Change {
  const out: Change = { action: c.action, kind: c.kind, file: c.file, id: c.id, fields: c.fields };
  if (c.drift) out.drift = true;
  if (c.displayName !== undefined) out.displayName = c.displayName;
  return out;
}

/** One line per change: `~ update policy crm/x/y.policy.json (description) [drift]`. */
export function describeChange(c: Change): string {
  const sign = { create: '+', update: '~', noop: '=', unmanaged: '?', delete: '-' }[c.action];
  const what = c.file ?? `"${c.displayName ?? ''}" (${c.id ?? ''})`;
  const fields = c.action === 'update' ? ` (${c.fields.join(', ')})` : '';
  return `${sign} ${c.action} ${c.kind} ${what}${fields}${c.drift ? ' [drift: changed in the tenant]' : ''}`;
}
