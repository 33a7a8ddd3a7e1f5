/**
 * Carries out a plan: catalogs, then packages, then policies (creates and updates), then deletes
 * children first. Each outcome is reported as it happens and recorded in the state file at once,
 * so a failure later in the run loses nothing already done. A change whose parent could not be
 * created is skipped; failures carry Graph's code and message. Matched objects that need no change
 * are recorded too (a display-name match becomes an id in the state).
 */
import { toGraphError, type GraphClient } from '../graph/graphClient';
import { EM } from '../graph/entitlements';
import { canonical, normalise, type Kind } from './normalise';
import type { Plan, PlannedChange } from './plan';
import { tenantState, writeState, type StateFile } from './state';

export interface Outcome {
  change: PlannedChange;
  ok: boolean;
  /** The object's id after the change. */
  id?: string;
  code?: string;
  message?: string;
}

export interface ApplyOptions {
  signal?: AbortSignal;
  onOutcome?: (o: Outcome) => void;
}

const collection: Record<Kind, string> = {
  catalog: `${EM}/catalogs`,
  accessPackage: `${EM}/accessPackages`,
  policy: `${EM}/assignmentPolicies`,
};

export async function applyPlan(
  graph: GraphClient,
  dir: string,
  plan: Plan,
  state: StateFile,
  tenantKey: string,
  options: ApplyOptions = {},
): Promise<Outcome[]> {
  const tstate = tenantState(state, tenantKey);
  const ids = new Map<string, string>();
  for (const [file, r] of plan.matches) ids.set(file, r.id);
  const outcomes: Outcome[] = [];
  const report = (o: Outcome): void => {
    outcomes.push(o);
    options.onOutcome?.(o);
  };
  let noopsChanged = false;
  for (const c of plan.changes) {
    if (c.action === 'noop' && c.file && c.remote) {
      const e = tstate.files[c.file];
      if (!e || e.id !== c.remote.id || JSON.stringify(e.content) !== JSON.stringify(c.remote.content)) {
        tstate.files[c.file] = { kind: c.kind, id: c.remote.id, content: c.remote.content };
        noopsChanged = true;
      }
      continue;
    }
    if (c.action === 'noop' || c.action === 'unmanaged') continue;
    if (options.signal?.aborted) {
      report({ change: c, ok: false, code: 'Canceled', message: 'Not sent: the operation was canceled.' });
      continue;
    }
    const parentFile = c.local?.parent;
    const parentId = parentFile ? ids.get(parentFile) : undefined;
    if (c.action === 'create' && c.kind !== 'catalog' && !parentId) {
      report({
        change: c,
        ok: false,
        code: 'DependencyFailed',
        message: `Not sent: ${parentFile ?? 'its parent'} was not created.`,
      });
      continue;
    }
    try {
      const id = await run(graph, c, parentId, tstate.files, options.signal);
      if (id && c.file) ids.set(c.file, id);
      writeState(dir, state);
      report({ change: c, ok: true, id });
    } catch (e) {
      const err = toGraphError(e);
      report({ change: c, ok: false, code: err.code, message: err.message });
    }
  }
  if (noopsChanged) writeState(dir, state);
  return outcomes;
}

function withRef(c: PlannedChange, parentId: string | undefined): Record<string, unknown> {
  const body = canonical(c.local!.content!) as Record<string, unknown>;
  if (c.kind === 'accessPackage') body.catalog = { id: parentId };
  if (c.kind === 'policy') body.accessPackage = { id: parentId };
  return body;
}

/** One change; records the state entry; the object's id. */
async function run(
  graph: GraphClient,
  c: PlannedChange,
  parentId: string | undefined,
  files: Record<string, { kind: Kind; id: string; content: import('./normalise').JsonObject }>,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const o = { signal };
  const base = collection[c.kind];
  if (c.action === 'delete') {
    await graph.delete(`${base}/${encodeURIComponent(c.id!)}`, o);
    for (const [file, e] of Object.entries(files)) if (e.id === c.id) delete files[file];
    return c.id ?? undefined;
  }
  const file = c.file!;
  if (c.action === 'create') {
    const created = await graph.post<Record<string, unknown>>(base, withRef(c, parentId), o);
    const id = String(created.id);
    files[file] = { kind: c.kind, id, content: normalise(c.kind, created) };
    return id;
  }
  const remote = c.remote!;
  const url = `${base}/${encodeURIComponent(remote.id)}`;
  if (c.kind === 'policy') {
    // Policies are replaced whole (Graph has no PATCH for them); the package stays the same. A
    // field the file does not name is not managed by it, so the tenant's value is sent back.
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(remote.content)) if (!(k in c.local!.content!)) body[k] = v;
    Object.assign(body, withRef(c, remote.parentId));
    const saved = await graph.put<Record<string, unknown> | undefined>(url, body, o);
    const content = saved && typeof saved === 'object' && saved.id ? normalise('policy', saved) : c.local!.content!;
    files[file] = { kind: c.kind, id: remote.id, content: normalise('policy', content) };
    return remote.id;
  }
  const patch: Record<string, unknown> = {};
  for (const f of c.fields) patch[f] = c.local!.content![f] ?? null;
  await graph.patch(url, patch, o);
  files[file] = { kind: c.kind, id: remote.id, content: normalise(c.kind, { ...remote.raw, ...patch }) };
  return remote.id;
}
