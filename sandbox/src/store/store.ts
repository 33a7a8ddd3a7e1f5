/**
 * The tenant's state: one map per entity set, secondary indexes, and transactions. Entities are
 * treated as immutable values: a change is a new object passed to put(), so a failed write can be
 * rolled back by restoring the previous references, and the journal serialises final values.
 */
export type Entity = { id: string } & Record<string, unknown>;

export const collectionNames = [
  'users',
  'groups',
  'catalogs',
  'accessPackages',
  'assignmentPolicies',
  'subjects',
  'assignments',
  'assignmentRequests',
  'approvals',
  'applications',
  'meta',
] as const;
export type CollectionName = (typeof collectionNames)[number];

/** One change: the entity's final value, or null for a delete. */
export type Mutation = [CollectionName, string, Entity | null];

/** Where committed mutations go (the journal, or nowhere for an in-memory tenant). */
export interface Sink {
  append(mutations: Mutation[]): void;
}

interface IndexDef {
  coll: CollectionName;
  keys(e: Entity): string[];
}

/** Secondary indexes the hot paths need: assignment lists by package, duplicate checks, subjects by user. */
const indexDefs: Record<string, IndexDef> = {
  asgByPackage: { coll: 'assignments', keys: (e) => [String(e._pkg)] },
  asgByPolicy: { coll: 'assignments', keys: (e) => [String(e._policy)] },
  asgByUserPackage: { coll: 'assignments', keys: (e) => [`${String(e._user)}|${String(e._pkg)}`] },
  asgByUser: { coll: 'assignments', keys: (e) => [String(e._user)] },
  reqByUserPackage: { coll: 'assignmentRequests', keys: (e) => [`${String(e._user)}|${String(e._pkg)}`] },
  subjectByUser: { coll: 'subjects', keys: (e) => (typeof e.objectId === 'string' ? [e.objectId] : []) },
  policyByPackage: { coll: 'assignmentPolicies', keys: (e) => [String(e._pkg)] },
  groupsByMember: { coll: 'groups', keys: (e) => (Array.isArray(e._members) ? (e._members as string[]) : []) },
  packageByCatalog: { coll: 'accessPackages', keys: (e) => [String(e._catalog)] },
};
export type IndexName = keyof typeof indexDefs;

/** Time-driven work (expiry, grace periods, approval time-outs) is found through `_due` fields. */
function dueOf(e: Entity): number | undefined {
  return typeof e._due === 'number' ? e._due : undefined;
}

export class Store {
  private readonly colls = new Map<CollectionName, Map<string, Entity>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly due = new Map<string, number>();
  private tx: Map<string, [CollectionName, string, Entity | undefined]> | undefined;
  seq = 0;

  constructor(public sink: Sink | undefined = undefined) {
    for (const c of collectionNames) this.colls.set(c, new Map());
    for (const name of Object.keys(indexDefs)) this.indexes.set(name, new Map());
  }

  get(coll: CollectionName, id: string): Entity | undefined {
    return this.colls.get(coll)!.get(id);
  }

  values(coll: CollectionName): IterableIterator<Entity> {
    return this.colls.get(coll)!.values();
  }

  size(coll: CollectionName): number {
    return this.colls.get(coll)!.size;
  }

  /** Ids under one key of a secondary index (live set: copy before mutating while iterating). */
  lookup(index: IndexName, key: string): ReadonlySet<string> {
    return this.indexes.get(index)!.get(key) ?? emptySet;
  }

  /** Entities whose `_due` time is at or before `now`, as [collection, id]. */
  dueBefore(now: number): [CollectionName, string][] {
    const out: [CollectionName, string][] = [];
    for (const [key, at] of this.due) {
      if (at <= now) {
        const i = key.indexOf(':');
        out.push([key.slice(0, i) as CollectionName, key.slice(i + 1)]);
      }
    }
    return out;
  }

  put(coll: CollectionName, e: Entity): Entity {
    this.remember(coll, e.id);
    this.rawPut(coll, e);
    return e;
  }

  delete(coll: CollectionName, id: string): void {
    if (!this.get(coll, id)) return;
    this.remember(coll, id);
    this.rawDelete(coll, id);
  }

  /**
   * Runs one write: everything fn changes is journaled as one line before this returns, or rolled
   * back when fn throws. fn must be synchronous so no other request interleaves.
   */
  transact<T>(fn: () => T): T {
    if (this.tx) return fn();
    this.tx = new Map();
    try {
      const out = fn();
      const changes = [...this.tx.values()];
      if (changes.length > 0) {
        const muts: Mutation[] = changes.map(([c, id]) => [c, id, this.get(c, id) ?? null]);
        this.seq++;
        this.sink?.append(muts);
      }
      return out;
    } catch (err) {
      for (const [c, id, prev] of [...this.tx.values()].reverse()) {
        if (prev) this.rawPut(c, prev);
        else this.rawDelete(c, id);
      }
      throw err;
    } finally {
      this.tx = undefined;
    }
  }

  /** Applies replayed mutations without journaling them again. */
  apply(muts: Mutation[]): void {
    for (const [c, id, e] of muts) {
      if (!this.colls.has(c)) continue;
      if (e) this.rawPut(c, e);
      else this.rawDelete(c, id);
    }
  }

  snapshot(): Record<string, Entity[]> {
    const out: Record<string, Entity[]> = {};
    for (const [c, m] of this.colls) out[c] = [...m.values()];
    return out;
  }

  private remember(coll: CollectionName, id: string): void {
    const key = `${coll}:${id}`;
    if (this.tx && !this.tx.has(key)) this.tx.set(key, [coll, id, this.get(coll, id)]);
  }

  private rawPut(coll: CollectionName, e: Entity): void {
    const old = this.colls.get(coll)!.get(e.id);
    if (old) this.unindex(coll, old);
    this.colls.get(coll)!.set(e.id, e);
    this.index(coll, e);
  }

  private rawDelete(coll: CollectionName, id: string): void {
    const old = this.colls.get(coll)!.get(id);
    if (!old) return;
    this.unindex(coll, old);
    this.colls.get(coll)!.delete(id);
  }

  private index(coll: CollectionName, e: Entity): void {
    for (const [name, def] of Object.entries(indexDefs)) {
      if (def.coll !== coll) continue;
      const idx = this.indexes.get(name)!;
      for (const k of def.keys(e)) {
        let set = idx.get(k);
        if (!set) idx.set(k, (set = new Set()));
        set.add(e.id);
      }
    }
    const at = dueOf(e);
    if (at !== undefined) this.due.set(`${coll}:${e.id}`, at);
  }

  private unindex(coll: CollectionName, e: Entity): void {
    for (const [name, def] of Object.entries(indexDefs)) {
      if (def.coll !== coll) continue;
      const idx = this.indexes.get(name)!;
      for (const k of def.keys(e)) {
        const set = idx.get(k);
        set?.delete(e.id);
        if (set && set.size === 0) idx.delete(k);
      }
    }
    this.due.delete(`${coll}:${e.id}`);
  }
}

const emptySet: ReadonlySet<string> = new Set();
