/**
 * Lazy collections after a restart (store.ts): the snapshot records of subjects, assignments and
 * requests are checked at the start but applied later, with the journal's mutations of those
 * collections queued behind them, by background slices or at once by the first use. Against a
 * model store that applied every write as it came, the restarted store must give the same
 * entities in the same order, the same index answers, holders and due times, whatever is
 * written or asked before, between and after the slices; a record that changes on disk after
 * the start fails that collection's every use with the file and the offset.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Journal } from '../../sandbox/src/store/journal';
import { Store, type CollectionName, type Entity, type IndexName } from '../../sandbox/src/store/store';

const POLICIES = ['p1', 'p2', 'p3'];
const PACKAGES = ['k1', 'k2'];
const STATES = ['delivered', 'delivered', 'expired', 'delivering'];
const colls: CollectionName[] = ['users', 'subjects', 'assignments', 'assignmentRequests', 'catalogs'];

function entity(coll: CollectionName, n: number, v: number): Entity {
  const id = `${coll}-${n}`;
  const user = `u${v % 50}`;
  const due = v % 5 === 0 ? { _due: 1_000_000 + v } : {};
  switch (coll) {
    case 'users':
      return { id, userPrincipalName: `U${v % 40}@contoso.com`, department: v % 2 ? 'Human Resources' : 'Sales' };
    case 'subjects':
      return { id, objectId: user };
    case 'assignments':
      return {
        id,
        _pkg: PACKAGES[v % PACKAGES.length],
        _policy: POLICIES[n % POLICIES.length],
        _user: `u${n}`,
        state: STATES[v % STATES.length],
        schedule: {
          startDateTime: '2026-01-01T00:00:00Z',
          expiration: { type: 'noExpiration', duration: null, endDateTime: null },
        },
        ...due,
      };
    case 'assignmentRequests':
      return { id, state: v % 2 ? 'submitted' : 'delivered', _user: user, _pkg: PACKAGES[v % 2], answers: [], ...due };
    default:
      return { id, displayName: `Catalog ${v}` };
  }
}

const keysOf: [IndexName, string[]][] = [
  ['userByUpn', Array.from({ length: 40 }, (_, i) => `u${i}@contoso.com`)],
  ['subjectByUser', Array.from({ length: 50 }, (_, i) => `u${i}`)],
  ['asgByPackage', PACKAGES],
  ['asgByUser', Array.from({ length: 50 }, (_, i) => `u${i}`)],
  ['asgByState', ['delivering']],
  ['openReqByUserPackage', Array.from({ length: 50 }, (_, i) => PACKAGES.map((k) => `u${i}|${k}`)).flat()],
];

type Write = { kind: 'put'; coll: number; n: number; v: number } | { kind: 'delete'; coll: number; n: number };
type Op =
  | Write
  | { kind: 'step' }
  | { kind: 'ask'; which: number; key: number }
  | { kind: 'holders'; policy: number }
  | { kind: 'get'; coll: number; n: number }
  | { kind: 'size'; coll: number };

function write(s: Store, w: Write, range: number): void {
  const coll = colls[w.coll % colls.length]!;
  const n = w.n % range;
  if (w.kind === 'put') s.transact(() => s.put(coll, entity(coll, n, w.v)));
  else s.transact(() => s.delete(coll, `${coll}-${n}`));
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function newDir(): string {
  const d = fs.mkdtempSync(join(tmpdir(), 'sandbox-lazy-'));
  dirs.push(d);
  return join(d, 'data');
}

/** Fills a data directory: `loaded` entities of each collection, a snapshot, then `journal` writes after it. */
function prepare(dir: string, loaded: number, journal: Write[], model: Store): void {
  const s = new Store();
  const j = new Journal({ dir, log: () => {} });
  j.load(s);
  for (const coll of colls)
    for (let n = 0; n < loaded; n++) {
      const e = entity(coll, n, n * 7 + colls.indexOf(coll));
      s.transact(() => s.put(coll, e));
      model.put(coll, e);
    }
  j.snapshotNow();
  for (const w of journal) {
    write(s, w, loaded + 10);
    write(model, w, loaded + 10);
  }
  j.close();
}

function restart(dir: string): { s: Store; j: Journal } {
  const s = new Store();
  const j = new Journal({ dir, log: () => {} });
  j.load(s);
  return { s, j };
}

function same(s: Store, model: Store): void {
  for (const coll of colls)
    assert.deepEqual(
      [...s.values(coll)].map((e) => JSON.stringify(e)),
      [...model.values(coll)].map((e) => JSON.stringify(e)),
      `${coll}: the same entities in the same order`,
    );
  for (const [index, keys] of keysOf)
    for (const k of keys)
      assert.deepEqual([...s.lookup(index, k)].sort(), [...model.lookup(index, k)].sort(), `${index} ${k}`);
  for (const p of POLICIES)
    assert.deepEqual([...s.holders(p).users.entries()].sort(), [...model.holders(p).users.entries()].sort(), p);
  const due = (x: Store) =>
    x
      .dueBefore(Number.MAX_SAFE_INTEGER)
      .map(([c, id]) => `${c}:${id}`)
      .sort();
  assert.deepEqual(due(s), due(model), 'the same due times');
}

describe('lazy collections after a restart', () => {
  it('end as a store that applied every write at once, whatever happens meanwhile (fast-check)', () => {
    const w: fc.Arbitrary<Write> = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), coll: fc.nat(4), n: fc.nat(5000), v: fc.nat(1000) }),
      fc.record({ kind: fc.constant('delete' as const), coll: fc.nat(4), n: fc.nat(5000) }),
    );
    const op: fc.Arbitrary<Op> = fc.oneof(
      w,
      fc.record({ kind: fc.constant('step' as const) }),
      fc.record({ kind: fc.constant('ask' as const), which: fc.nat(20), key: fc.nat(200) }),
      fc.record({ kind: fc.constant('holders' as const), policy: fc.nat(5) }),
      fc.record({ kind: fc.constant('get' as const), coll: fc.nat(4), n: fc.nat(5000) }),
      fc.record({ kind: fc.constant('size' as const), coll: fc.nat(4) }),
    );
    // 1,500 entities make several snapshot records per collection and several background slices.
    fc.assert(
      fc.property(
        fc.constantFrom(0, 3, 1500),
        fc.array(w, { maxLength: 30 }),
        fc.array(op, { maxLength: 40 }),
        (loaded, journal, ops) => {
          const dir = newDir();
          const model = new Store();
          prepare(dir, loaded, journal, model);
          const { s, j } = restart(dir);
          try {
            for (const o of ops) {
              const range = loaded + 10;
              if (o.kind === 'put' || o.kind === 'delete') {
                write(s, o, range);
                write(model, o, range);
              } else if (o.kind === 'step') s.buildIndexes(0);
              else if (o.kind === 'ask') {
                const [index, keys] = keysOf[o.which % keysOf.length]!;
                const k = keys[o.key % keys.length]!;
                assert.deepEqual([...s.lookup(index, k)].sort(), [...model.lookup(index, k)].sort(), `${index} ${k}`);
              } else if (o.kind === 'holders') {
                const p = POLICIES[o.policy % POLICIES.length]!;
                assert.deepEqual(
                  [...s.holders(p).users.entries()].sort(),
                  [...model.holders(p).users.entries()].sort(),
                );
              } else if (o.kind === 'get') {
                const coll = colls[o.coll % colls.length]!;
                const id = `${coll}-${o.n % range}`;
                assert.deepEqual(s.get(coll, id), model.get(coll, id), id);
              } else {
                const coll = colls[o.coll % colls.length]!;
                assert.equal(s.size(coll), model.size(coll), coll);
              }
            }
            while (!s.buildIndexes(0));
            assert.equal(s.indexesPending, false);
            same(s, model);
          } finally {
            j.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('leaves the history for later and answers the directory meanwhile', () => {
    const dir = newDir();
    const model = new Store();
    prepare(dir, 3000, [], model);
    const { s, j } = restart(dir);
    try {
      assert.equal(s.indexesPending, true);
      assert.equal(s.size('users'), 3000);
      assert.equal(s.size('catalogs'), 3000);
      // Slices apply the queued records bit by bit: one slice of no time applies one record.
      let slices = 0;
      while (!s.buildIndexes(0)) slices++;
      assert.ok(slices > 10, `${slices} slices`);
      same(s, model);
    } finally {
      j.close();
    }
  });

  it('a record changed on disk after the start fails its collection with the file and the offset', () => {
    const dir = newDir();
    prepare(dir, 1500, [], new Store());
    const { s, j } = restart(dir);
    try {
      const snap = fs.readdirSync(dir).find((f) => f.endsWith('.snap'))!;
      const text = fs.readFileSync(join(dir, snap), 'latin1');
      const at = text.indexOf('{"c":"assignments"');
      const offset = text.lastIndexOf('\n', at) + 1;
      // One character of the first assignments record changes; its checksum no longer matches.
      const fd = fs.openSync(join(dir, snap), 'r+');
      fs.writeSync(fd, 'X', at + 30, 'latin1');
      fs.closeSync(fd);
      assert.equal(s.size('users'), 1500, 'other collections still answer');
      const named = new RegExp(
        `corrupted record in .*${snap} at byte offset ${offset} \\(checksum mismatch on reading it again\\)`,
      );
      assert.throws(() => s.get('assignments', 'assignments-1'), named);
      assert.throws(() => s.size('assignments'), named, 'and again: nothing half-applied is answered');
      assert.throws(() => s.transact(() => s.put('assignments', entity('assignments', 9, 9))), named);
    } finally {
      j.close();
    }
  });
});
