/**
 * The tenant's state: one table per entity set, secondary indexes, a time index, and
 * transactions. Entities are treated as immutable values: a change is a new object passed to
 * put(), so a failed write can be rolled back by restoring the previous references, and the
 * journal serialises final values.
 */
import { DueHeap } from './dueHeap';
import { checkLine, CorruptRecord, parseBody, type RecordReader } from './records';
import { ValueSharing } from './share';
import { IdSet, ShardedMap } from './shardedMap';
import { Table } from './table';

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
  'catalogResources',
  'resourceRoleScopes',
  'connectedOrganizations',
] as const;
export type CollectionName = (typeof collectionNames)[number];

/** One change: the entity's final value, or null for a delete. */
export type Mutation = [CollectionName, string, Entity | null];

/** Where committed mutations go (the journal, or nowhere for an in-memory tenant). */
export interface Sink {
  /** Makes the mutations durable or throws; a throw rolls the transaction back. */
  append(mutations: Mutation[], seq: number): void;
}

type Keys = string | readonly string[] | undefined;

interface IndexDef {
  coll: CollectionName;
  keys(e: Entity): Keys;
}

/** Request states in which a request is still open (requests.ts refuses a second add meanwhile). */
export const openRequestStates: ReadonlySet<string> = new Set([
  'submitted',
  'pendingApproval',
  'delivering',
  'scheduled',
]);

/** Assignment states `asgByState` does not index. */
export const bulkStates: ReadonlySet<string> = new Set(['delivered', 'expired']);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const lower = (v: unknown): string | undefined => (typeof v === 'string' ? v.toLowerCase() : undefined);

/**
 * Secondary indexes: what the hot paths and the indexed `$filter`s need. User-property keys are
 * lower-cased because `$filter` and UPN uniqueness ignore case. Only selective user properties
 * are indexed: a department or a country selects a tenth of the users, where a scan of the
 * table costs about as much as walking the index, and every index costs memory and write time
 * at a million users.
 */
const indexDefs = {
  asgByPackage: { coll: 'assignments', keys: (e) => str(e._pkg) },
  asgByPolicy: { coll: 'assignments', keys: (e) => str(e._policy) },
  asgByUser: { coll: 'assignments', keys: (e) => str(e._user) },
  // The uncommon states only (delivering, deliveryFailed, …): what the "in delivery" views ask
  // for. Nearly every assignment is delivered or expired, where a scan costs what walking an index
  // would, and those two keys would hold a million ids each.
  asgByState: {
    coll: 'assignments',
    keys: (e) => {
      const k = lower(e.state);
      return k !== undefined && !bulkStates.has(k) ? k : undefined;
    },
  },
  // Only open requests: the check it serves ("is an add request already open?") needs no
  // history, and a million delivered system requests would each hold a composite key.
  openReqByUserPackage: {
    coll: 'assignmentRequests',
    keys: (e) => (openRequestStates.has(e.state as string) ? `${String(e._user)}|${String(e._pkg)}` : undefined),
  },
  subjectByUser: { coll: 'subjects', keys: (e) => str(e.objectId) },
  policyByPackage: { coll: 'assignmentPolicies', keys: (e) => str(e._pkg) },
  groupsByMember: { coll: 'groups', keys: (e) => (Array.isArray(e._members) ? (e._members as string[]) : undefined) },
  packageByCatalog: { coll: 'accessPackages', keys: (e) => str(e._catalog) },
  userByUpn: { coll: 'users', keys: (e) => lower(e.userPrincipalName) },
  userByMail: { coll: 'users', keys: (e) => lower(e.mail) },
  userByEmployeeId: { coll: 'users', keys: (e) => lower(e.employeeId) },
} satisfies Record<string, IndexDef>;
export type IndexName = keyof typeof indexDefs;

/** The user properties `$filter … eq` answers from an index. */
export const userIndexes: Readonly<Record<string, IndexName>> = {
  userPrincipalName: 'userByUpn',
  mail: 'userByMail',
  employeeId: 'userByEmployeeId',
};

const defsByColl = new Map<CollectionName, [IndexName, IndexDef][]>();
for (const [name, def] of Object.entries(indexDefs) as [IndexName, IndexDef][]) {
  const list = defsByColl.get(def.coll) ?? [];
  list.push([name, def]);
  defsByColl.set(def.coll, list);
}

/** An index posting: one id as a plain string (most keys), a set once a key has several. */
type Posting = string | IdSet;

/** The ids under one index key, in the order they were added. */
export interface Ids extends Iterable<string> {
  readonly size: number;
  has(id: string): boolean;
}

/** Time-driven work (expiry, grace periods, approval time-outs) is found through `_due` fields. */
function dueOf(e: Entity): number | undefined {
  return typeof e._due === 'number' ? e._due : undefined;
}

/**
 * The users holding one policy's active assignments outside a grace period (user id → assignment
 * id). `version` changes with every change to the set, so a re-evaluation that counted the
 * holders it met in scope knows, without a second pass, whether anyone else could have left.
 */
export interface Holders {
  readonly users: {
    readonly size: number;
    has(userId: string): boolean;
    get(userId: string): string | undefined;
    entries(): Iterable<[string, string]>;
  };
  readonly version: number;
}

interface MutableHolders {
  users: ShardedMap<string>;
  version: number;
}

/** [policy id, user id] when the assignment belongs in its policy's holders. */
function holderOf(e: Entity): [string, string] | undefined {
  if (e.state === 'expired' || e.status === 'AutoAssignmentInGracePeriod') return undefined;
  return typeof e._policy === 'string' && typeof e._user === 'string' ? [e._policy, e._user] : undefined;
}

/**
 * The collections whose indexes a restart builds after the sandbox listens (see Store.load): the
 * ones a large tenant holds by the million (users, and each assignment's subject, assignment and
 * request), and with the assignments the policies' holders. Their index insertions were as long
 * as parsing the snapshot itself at a million users. A load fills their tables only; between
 * requests, slices of about 10 ms complete the indexes; asking an index (or the holders) of a
 * collection still pending completes that collection first, so every answer stays exact.
 */
const deferrable: readonly CollectionName[] = ['users', 'assignments', 'subjects', 'assignmentRequests'];

/**
 * The collections a restart leaves unparsed (the deferrable ones): their snapshot records stay as
 * checked bytes and their journal mutations in a queue, applied in order after the sandbox listens
 * (by the same background slices, before that collection's indexes) or at once by the first use of
 * that collection. A collection's state depends only on its own sequence of records and mutations,
 * so applying it later gives the same entities, in the same order, as applying it during the load.
 * These are the users and the history of a large tenant (each assignment's subject, assignment and
 * request): all but a few kilobytes of a million-user snapshot. Catalogs, packages and policies are
 * answered while they load; the server holds a request that needs them (a directory or history
 * path, any write) until they are applied, answering others meanwhile (http/loading.ts).
 * Users joined at stop 27: keeping a million parsed users alone costs 1.2-2.1x parsing them on
 * this machine kind, so a start that parsed them before listening could not answer within 1.5x of
 * reading its data. Their `_due` times join the time index as they are applied, so expiry reaches
 * them as it would have at the first request after an eager load.
 */
const lazy: ReadonlySet<CollectionName> = new Set(deferrable);
/** The collections a restart applies after listening, in the order the background slices take them. */
export const lazyCollections: readonly CollectionName[] = deferrable;

/**
 * What a lazy collection still has to apply: a snapshot record (where it is, and its entity
 * count), parsed entities or a mutation. Records are read again from the file when applied, not
 * kept: a gigabyte of buffers outside the heap made V8 collect the whole heap every half second.
 */
type Queued =
  | { reader: RecordReader; offset: number; length: number; n: number }
  | { entities: readonly Entity[] }
  | Mutation
  | undefined;

interface Queue {
  items: Queued[];
  next: number;
  /** A record that checked but did not parse: every later use of the collection fails with it. */
  failed?: Error;
}

export class Store {
  private readonly tables = new Map<CollectionName, Table>();
  private readonly holdersByPolicy = new Map<string, MutableHolders>();
  /** While loading: the indexes of deferrable collections are skipped. */
  private loading = false;
  /** While loading: repeated values read from disk are shared again (share.ts). */
  private sharing: ValueSharing | undefined;
  /**
   * Deferrable collections whose indexes are not complete yet, each with the ordinal of the last
   * entity added to them (entities after it are still to add).
   */
  private readonly pending = new Map<CollectionName, number>();
  /** Lazy collections with records or mutations still to apply (see `lazy`). */
  private readonly queued = new Map<CollectionName, Queue>();
  /** While a queue is applied: indexes are skipped as during a load. */
  private settling = false;
  /** The files queued records are read from, closed once every queue is applied. */
  private readonly readers = new Set<RecordReader>();
  private readonly indexes = new Map<IndexName, ShardedMap<Posting>>();
  private readonly due = new DueHeap();
  private tx: Map<string, [CollectionName, string, Entity | undefined]> | undefined;
  seq = 0;

  constructor(public sink: Sink | undefined = undefined) {
    for (const c of collectionNames) this.tables.set(c, new Table());
    for (const name of Object.keys(indexDefs) as IndexName[]) this.indexes.set(name, new ShardedMap());
  }

  table(coll: CollectionName): Table {
    return this.settled(coll);
  }

  get(coll: CollectionName, id: string): Entity | undefined {
    return this.settled(coll).get(id);
  }

  /** The collection's table, once everything queued for it is applied. */
  private settled(coll: CollectionName): Table {
    if (this.queued.size > 0) this.settle(coll);
    return this.tables.get(coll)!;
  }

  /** Sizes a collection's table for about n entities (a snapshot says how many it holds). */
  reserve(coll: CollectionName, n: number): void {
    this.tables.get(coll)?.reserve(n);
  }

  values(coll: CollectionName): IterableIterator<Entity> {
    return this.settled(coll).values();
  }

  size(coll: CollectionName): number {
    return this.settled(coll).size;
  }

  /**
   * While loading a snapshot: may this collection's records be kept as bytes (see `lazy`)?
   * Records of other collections are parsed and loaded as they are read.
   */
  defers(coll: string): coll is CollectionName {
    return this.loading && lazy.has(coll as CollectionName);
  }

  /** Notes one checked snapshot record of `n` entities of a lazy collection, to read and apply later. */
  defer(coll: CollectionName, reader: RecordReader, offset: number, length: number, n: number): void {
    this.readers.add(reader);
    this.queueOf(coll).items.push({ reader, offset, length, n });
  }

  /** Every queue is applied: the sharing table and the files go. */
  private drained(): void {
    this.sharing = undefined;
    for (const r of this.readers) r.close();
    this.readers.clear();
  }

  /** Closes the files of queued records (the sandbox closing before they were applied). */
  close(): void {
    for (const r of this.readers) r.close();
  }

  private queueOf(coll: CollectionName): Queue {
    let q = this.queued.get(coll);
    if (!q) this.queued.set(coll, (q = { items: [], next: 0 }));
    return q;
  }

  /**
   * Applies what is queued for a lazy collection, in order, until `deadline`; true when nothing
   * is left. Entities go in as a load puts them (shared values, the time index, no secondary
   * index: the collection's index build, still pending, covers them after).
   */
  private settle(coll: CollectionName, deadline = Infinity): boolean {
    const q = this.queued.get(coll);
    if (!q) return true;
    if (q.failed) throw q.failed;
    const sharing = (this.sharing ??= new ValueSharing());
    const t = this.tables.get(coll)!;
    this.settling = true;
    try {
      while (q.next < q.items.length) {
        const item = q.items[q.next]!;
        if (Array.isArray(item)) this.applyOne(item, sharing);
        else if ('entities' in item) this.loadInto(coll, t, item.entities, sharing);
        else {
          // Checked again: the file could have changed since the start read it.
          const checked = checkLine(item.reader.line(item.offset, item.length));
          const parsed = checked.ok ? parseBody(checked.body) : undefined;
          const r = parsed?.ok ? (parsed.value as { c?: unknown; e?: unknown }) : undefined;
          if (r?.c !== coll || !Array.isArray(r.e) || r.e.length !== item.n) {
            q.failed = new CorruptRecord(
              item.reader.file,
              item.offset,
              checked.ok ? 'checksum matches but the record does not parse' : `${checked.reason} on reading it again`,
            );
            throw q.failed;
          }
          this.loadInto(coll, t, r.e as Entity[], sharing);
        }
        q.items[q.next++] = undefined;
        if (q.next < q.items.length && performance.now() >= deadline) return false;
      }
    } finally {
      this.settling = false;
    }
    this.queued.delete(coll);
    if (this.queued.size === 0 && !this.loading) this.drained();
    return true;
  }

  /**
   * Bulk loading (a snapshot, a journal): until endLoad, the deferrable indexes are left out, to
   * be built by buildIndexes between requests.
   */
  beginLoad(): void {
    this.loading = true;
    this.sharing = new ValueSharing();
    for (const c of deferrable) if (!this.pending.has(c)) this.pending.set(c, 0);
  }

  endLoad(): void {
    this.loading = false;
    // Values applied later from the queues are shared through the same table.
    if (this.queued.size === 0) this.drained();
    for (const c of deferrable)
      if (this.pending.get(c) === 0 && this.tables.get(c)!.size === 0 && !this.queued.has(c)) this.pending.delete(c);
  }

  /** Is an index still being built after a load? */
  get indexesPending(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Are these collections applied (nothing of theirs left in a queue for the background slices)?
   * Their indexes may still be building: a question to one completes it at once (see deferred),
   * as after a start that applied them before listening. A use before then is exact too: it
   * applies the collection at once (see settled).
   */
  applied(colls: Iterable<CollectionName>): boolean {
    if (this.queued.size === 0) return true;
    for (const c of colls) if (this.queued.has(c)) return false;
    return true;
  }

  /**
   * Adds loaded entities to the deferred indexes for about `budgetMs` (all of them when
   * undefined); returns true when every index is complete. Writes meanwhile keep every index up
   * to date (adding an id twice is harmless; removing one not added yet does nothing), so only
   * the entities loaded before endLoad need this, in their final state.
   */
  buildIndexes(budgetMs?: number): boolean {
    if (this.loading) return this.pending.size === 0;
    const deadline = budgetMs === undefined ? Infinity : performance.now() + budgetMs;
    for (const coll of [...this.pending.keys()]) if (!this.complete(coll, deadline)) return false;
    return true;
  }

  /** Adds the loaded entities of one pending collection to its indexes until `deadline`; true when done. */
  private complete(coll: CollectionName, deadline = Infinity): boolean {
    const after = this.pending.get(coll);
    if (after === undefined || this.loading) return after === undefined;
    if (!this.settle(coll, deadline)) return false;
    const { slots, ords, start } = this.tables.get(coll)!.view(after);
    let i = start;
    while (i < slots.length) {
      const stop = Math.min(slots.length, i + 1024);
      for (; i < stop; i++) {
        const e = slots[i];
        if (e !== undefined) this.indexOnly(coll, e);
      }
      this.pending.set(coll, ords[i - 1]!);
      if (i < slots.length && performance.now() >= deadline) return false;
    }
    this.pending.delete(coll);
    return true;
  }

  /** Is this index one still to be completed after a load? */
  private deferred(index: IndexName): boolean {
    return this.pending.size > 0 && this.pending.has(indexDefs[index].coll);
  }

  /** While loading, a deferrable collection's indexes are left for later. */
  private skips(coll: CollectionName): boolean {
    return (this.loading || this.settling) && this.pending.has(coll);
  }

  /** Ids under one key of a secondary index (a live set or a copy: copy before mutating while iterating). */
  lookup(index: IndexName, key: string): Ids {
    if (this.deferred(index)) this.complete(indexDefs[index].coll);
    const p = this.indexes.get(index)!.get(key);
    if (p === undefined) return emptySet;
    return typeof p === 'string' ? oneId(p) : p;
  }

  /** How many ids one key of an index holds (no copy). */
  count(index: IndexName, key: string): number {
    if (this.deferred(index)) this.complete(indexDefs[index].coll);
    const p = this.indexes.get(index)!.get(key);
    return p === undefined ? 0 : typeof p === 'string' ? 1 : p.size;
  }

  /** The policy's holders (a live view: it follows every later write). */
  holders(policyId: string): Holders {
    if (this.pending.has('assignments')) this.complete('assignments');
    return this.holdersOf(policyId);
  }

  private holdersOf(policyId: string): MutableHolders {
    let h = this.holdersByPolicy.get(policyId);
    if (!h) this.holdersByPolicy.set(policyId, (h = { users: new ShardedMap(), version: 0 }));
    return h;
  }

  /** Entities changed so far by the open transaction. */
  get pendingChanges(): number {
    return this.tx?.size ?? 0;
  }

  /** Entities whose `_due` time is at or before `now`, as [collection, id]; each is handed out once per due time. */
  dueBefore(now: number): [CollectionName, string][] {
    return this.due.popUntil(now).map((key) => {
      const i = key.indexOf(':');
      return [key.slice(0, i) as CollectionName, key.slice(i + 1)];
    });
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
   * Runs one write: everything fn changes is made durable by the sink as one record before this
   * returns, or rolled back when fn or the sink throws. fn must be synchronous so no other
   * request interleaves.
   */
  transact<T>(fn: () => T): T {
    if (this.tx) return fn();
    this.tx = new Map();
    const seq = this.seq;
    try {
      const out = fn();
      if (this.tx.size > 0) {
        const muts: Mutation[] = [];
        for (const [c, id] of this.tx.values()) muts.push([c, id, this.get(c, id) ?? null]);
        this.seq++;
        this.sink?.append(muts, this.seq);
      }
      return out;
    } catch (err) {
      this.seq = seq;
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
  apply(muts: readonly Mutation[]): void {
    for (const m of muts) {
      const c = m[0];
      if (!this.tables.has(c)) continue;
      // A lazy collection still queued takes its mutations in the same queue, in order.
      const q = this.queued.get(c);
      if (q) q.items.push(m);
      else this.applyOne(m, this.sharing);
    }
  }

  /** One replayed mutation, its values shared as a load shares them. */
  private applyOne([c, id, e]: Mutation, sharing: ValueSharing | undefined): void {
    if (e) {
      sharing?.share(c, e);
      this.rawPut(c, e);
    } else this.rawDelete(c, id);
  }

  /** Loads entities of one collection (a snapshot chunk) without journaling them. */
  load(coll: CollectionName, entities: readonly Entity[]): void {
    const t = this.tables.get(coll);
    if (!t) return;
    const q = this.queued.get(coll);
    if (q) q.items.push({ entities });
    else this.loadInto(coll, t, entities, this.sharing);
  }

  /** Entities read from disk into their table: values shared, a repeated id put back in its place. */
  private loadInto(
    coll: CollectionName,
    t: Table,
    entities: readonly Entity[],
    sharing: ValueSharing | undefined,
  ): void {
    for (const e of entities) {
      sharing?.share(coll, e);
      const old = t.load(e);
      if (old) this.reindex(coll, old, e);
      else this.index(coll, e);
    }
  }

  private remember(coll: CollectionName, id: string): void {
    const key = `${coll}:${id}`;
    if (this.tx && !this.tx.has(key)) this.tx.set(key, [coll, id, this.get(coll, id)]);
  }

  private rawPut(coll: CollectionName, e: Entity): void {
    const old = this.tables.get(coll)!.set(e);
    if (old) this.reindex(coll, old, e);
    else this.index(coll, e);
  }

  /**
   * An entity changed: only the index keys that changed move. An assignment that expires keeps
   * its place under its package (listings keep their order) and costs no index work there.
   */
  private reindex(coll: CollectionName, old: Entity, e: Entity): void {
    if (!this.skips(coll)) this.reindexOnly(coll, old, e);
    const before = dueOf(old);
    const after = dueOf(e);
    if (before === after) return;
    if (after !== undefined) this.due.set(`${coll}:${e.id}`, after);
    else this.due.delete(`${coll}:${e.id}`);
  }

  private reindexOnly(coll: CollectionName, old: Entity, e: Entity): void {
    if (coll === 'assignments') {
      const a = holderOf(old);
      const b = holderOf(e);
      if (a?.[0] !== b?.[0] || a?.[1] !== b?.[1] || old.id !== e.id) {
        if (a) this.unhold(a, old.id);
        if (b) this.hold(b, e.id);
      }
    }
    for (const [name, def] of defsByColl.get(coll) ?? []) {
      const a = def.keys(old);
      const b = def.keys(e);
      if (a === b && typeof a !== 'object') continue;
      const idx = this.indexes.get(name)!;
      if (typeof a === 'string') remove(idx, a, old.id);
      else if (a) for (const x of a) remove(idx, x, old.id);
      if (typeof b === 'string') add(idx, b, e.id);
      else if (b) for (const x of b) add(idx, x, e.id);
    }
  }

  private rawDelete(coll: CollectionName, id: string): void {
    const t = this.tables.get(coll)!;
    const old = t.get(id);
    if (!old) return;
    this.unindex(coll, old);
    t.delete(id);
  }

  private hold([policy, user]: [string, string], id: string): void {
    const h = this.holdersOf(policy);
    h.users.set(user, id);
    h.version++;
  }

  private unhold([policy, user]: [string, string], id: string): void {
    const h = this.holdersByPolicy.get(policy);
    if (h?.users.get(user) !== id) return;
    h.users.delete(user);
    h.version++;
  }

  private index(coll: CollectionName, e: Entity): void {
    if (!this.skips(coll)) this.indexOnly(coll, e);
    const at = dueOf(e);
    if (at !== undefined) this.due.set(`${coll}:${e.id}`, at);
  }

  /** The secondary indexes and holders of one entity (not the time index). */
  private indexOnly(coll: CollectionName, e: Entity): void {
    if (coll === 'assignments') {
      const h = holderOf(e);
      if (h) this.hold(h, e.id);
    }
    for (const [name, def] of defsByColl.get(coll) ?? []) {
      const k = def.keys(e);
      if (k === undefined) continue;
      const idx = this.indexes.get(name)!;
      if (typeof k === 'string') add(idx, k, e.id);
      else for (const x of k) add(idx, x, e.id);
    }
  }

  private unindex(coll: CollectionName, e: Entity): void {
    if (dueOf(e) !== undefined) this.due.delete(`${coll}:${e.id}`);
    if (this.skips(coll)) return;
    if (coll === 'assignments') {
      const h = holderOf(e);
      if (h) this.unhold(h, e.id);
    }
    for (const [name, def] of defsByColl.get(coll) ?? []) {
      const k = def.keys(e);
      if (k === undefined) continue;
      const idx = this.indexes.get(name)!;
      if (typeof k === 'string') remove(idx, k, e.id);
      else for (const x of k) remove(idx, x, e.id);
    }
  }
}

function add(idx: ShardedMap<Posting>, key: string, id: string): void {
  const p = idx.get(key);
  if (p === undefined) idx.set(key, id);
  else if (typeof p === 'string') {
    if (p !== id) idx.set(key, new IdSet([p, id]));
  } else p.add(id);
}

function remove(idx: ShardedMap<Posting>, key: string, id: string): void {
  const p = idx.get(key);
  if (p === undefined) return;
  if (typeof p === 'string') {
    if (p === id) idx.delete(key);
  } else {
    p.delete(id);
    if (p.size === 0) idx.delete(key);
  }
}

const emptySet: Ids = new IdSet();

/** A posting of one id as Ids, without building a hash table for it (most keys hold one id). */
function oneId(id: string): Ids {
  return { size: 1, has: (x) => x === id, [Symbol.iterator]: () => [id][Symbol.iterator]() };
}
