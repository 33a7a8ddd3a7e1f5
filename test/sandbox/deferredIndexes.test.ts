/**
 * Indexes completed after a load (store.ts): a restart fills the tables of users, subjects,
 * assignments and requests and builds their indexes and the policies' holders between requests.
 * Against a model store that indexed everything as it went, random writes made before, between
 * and after background slices must leave every index key and every policy's holders the same,
 * and a question asked while a collection is pending must already get the complete answer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Store, type CollectionName, type Entity, type IndexName } from '../../sandbox/src/store/store';

const POLICIES = ['p1', 'p2', 'p3'];
const PACKAGES = ['k1', 'k2'];
const STATES = ['delivered', 'delivered', 'expired', 'delivering', 'deliveryFailed'];

function entity(coll: CollectionName, n: number, v: number): Entity {
  const id = `${coll}-${n}`;
  const user = `u${v % 50}`;
  switch (coll) {
    case 'users':
      return { id, userPrincipalName: `U${v % 40}@contoso.com`, mail: v % 3 ? `m${v % 30}@contoso.com` : null };
    case 'subjects':
      return { id, objectId: user };
    case 'assignments':
      return {
        id,
        _pkg: PACKAGES[v % PACKAGES.length],
        // One assignment per user and policy, as the engine keeps them: both follow from the id.
        _policy: POLICIES[n % POLICIES.length],
        _user: `u${n}`,
        state: STATES[v % STATES.length],
        ...(v % 7 === 0 ? { status: 'AutoAssignmentInGracePeriod' } : {}),
      };
    default:
      return { id, state: v % 2 ? 'submitted' : 'delivered', _user: user, _pkg: PACKAGES[v % PACKAGES.length] };
  }
}

const colls: CollectionName[] = ['users', 'subjects', 'assignments', 'assignmentRequests'];
const keysOf: [IndexName, string[]][] = [
  ['userByUpn', Array.from({ length: 40 }, (_, i) => `u${i}@contoso.com`)],
  ['userByMail', Array.from({ length: 30 }, (_, i) => `m${i}@contoso.com`)],
  ['subjectByUser', Array.from({ length: 50 }, (_, i) => `u${i}`)],
  ['asgByPackage', PACKAGES],
  ['asgByPolicy', POLICIES],
  ['asgByUser', Array.from({ length: 50 }, (_, i) => `u${i}`)],
  ['asgByState', ['delivering', 'deliveryfailed']],
  ['openReqByUserPackage', Array.from({ length: 50 }, (_, i) => PACKAGES.map((k) => `u${i}|${k}`)).flat()],
];

function sameIndex(s: Store, model: Store, index: IndexName, key: string): void {
  assert.deepEqual([...s.lookup(index, key)].sort(), [...model.lookup(index, key)].sort(), `${index} ${key}`);
  assert.equal(s.count(index, key), model.count(index, key), `count ${index} ${key}`);
}

function sameHolders(s: Store, model: Store, policy: string): void {
  const a = [...s.holders(policy).users.entries()].sort();
  const b = [...model.holders(policy).users.entries()].sort();
  assert.deepEqual(a, b, `holders of ${policy}`);
}

type Op =
  | { kind: 'put'; coll: number; n: number; v: number }
  | { kind: 'delete'; coll: number; n: number }
  | { kind: 'step' }
  | { kind: 'ask'; which: number; key: number }
  | { kind: 'holders'; policy: number };

function run(loaded: number, ops: Op[]): void {
  const s = new Store();
  const model = new Store();
  s.beginLoad();
  for (const coll of colls) {
    const batch: Entity[] = [];
    for (let n = 0; n < loaded; n++) batch.push(entity(coll, n, n * 7 + colls.indexOf(coll)));
    s.load(coll, batch);
    for (const e of batch) model.put(coll, e);
  }
  // A journal replayed after the snapshot: an update and a delete of loaded entities.
  s.apply([
    ['assignments', 'assignments-1', entity('assignments', 1, 3)],
    ['users', 'users-2', null],
  ]);
  model.put('assignments', entity('assignments', 1, 3));
  model.delete('users', 'users-2');
  s.endLoad();
  if (loaded > 0) assert.equal(s.indexesPending, true);
  for (const op of ops) {
    if (op.kind === 'put') {
      const coll = colls[op.coll % colls.length]!;
      const e = entity(coll, op.n, op.v);
      s.transact(() => s.put(coll, e));
      model.put(coll, e);
    } else if (op.kind === 'delete') {
      const coll = colls[op.coll % colls.length]!;
      s.transact(() => s.delete(coll, `${coll}-${op.n}`));
      model.delete(coll, `${coll}-${op.n}`);
    } else if (op.kind === 'step') s.buildIndexes(0);
    else if (op.kind === 'ask') {
      const [index, keys] = keysOf[op.which % keysOf.length]!;
      sameIndex(s, model, index, keys[op.key % keys.length]!);
    } else sameHolders(s, model, POLICIES[op.policy % POLICIES.length]!);
  }
  while (!s.buildIndexes(0));
  assert.equal(s.indexesPending, false);
  for (const [index, keys] of keysOf) for (const k of keys) sameIndex(s, model, index, k);
  for (const p of POLICIES) sameHolders(s, model, p);
}

describe('indexes and holders completed after a load', () => {
  it('match a store that indexed as it went, whatever is written meanwhile (fast-check)', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), coll: fc.nat(3), n: fc.nat(3000), v: fc.nat(1000) }),
      fc.record({ kind: fc.constant('delete' as const), coll: fc.nat(3), n: fc.nat(3000) }),
      fc.record({ kind: fc.constant('step' as const) }),
      fc.record({ kind: fc.constant('ask' as const), which: fc.nat(20), key: fc.nat(200) }),
      fc.record({ kind: fc.constant('holders' as const), policy: fc.nat(5) }),
    );
    // Over 1,024 entities a collection takes more than one background slice.
    fc.assert(
      fc.property(fc.constantFrom(0, 5, 2500), fc.array(op, { maxLength: 60 }), (loaded, ops) => run(loaded, ops)),
      { numRuns: 60 },
    );
  });

  it('a question about one collection completes that collection only', () => {
    const s = new Store();
    s.beginLoad();
    for (const coll of colls)
      s.load(
        coll,
        Array.from({ length: 2000 }, (_, n) => entity(coll, n, n)),
      );
    s.endLoad();
    const p1 = Array.from({ length: 2000 }, (_, n) => n).filter((n) => n % 3 === 1).length;
    assert.equal(s.lookup('asgByPolicy', 'p1').size, p1);
    assert.equal(s.indexesPending, true, 'users, subjects and requests are still pending');
    assert.ok(s.holders('p2').users.size > 0);
    assert.equal(s.buildIndexes(0), false, 'one slice does not finish 2,000 users');
    while (!s.buildIndexes(0));
    assert.equal(s.lookup('userByUpn', 'u7@contoso.com').size, 50);
  });
});
