/**
 * The store's hand-written hash map (id → slot of every table, key → ids of every index) against
 * a JS Map as the model: random sequences of sets, deletes and reads, over key spaces small
 * enough that runs collide, wrap around the end of a part and cross every growth, and over odd
 * keys (empty, non-ASCII, surrogates, keys that differ in one character).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IdSet, ShardedMap } from '../../sandbox/src/store/shardedMap';

type Op = { kind: 'set' | 'delete' | 'get' | 'reserve'; key: string; value: number };

function check(ops: Op[]): void {
  const m = new ShardedMap<number>();
  const model = new Map<string, number>();
  for (const op of ops) {
    if (op.kind === 'set') {
      assert.equal(m.setIsNew(op.key, op.value), !model.has(op.key), `setIsNew(${JSON.stringify(op.key)})`);
      model.set(op.key, op.value);
    } else if (op.kind === 'reserve') m.reserve(Math.abs(op.value) % 5000);
    else if (op.kind === 'delete') {
      m.delete(op.key);
      model.delete(op.key);
    } else assert.equal(m.get(op.key), model.get(op.key), `get(${JSON.stringify(op.key)})`);
    assert.equal(m.size, model.size);
  }
  for (const [k, v] of model) assert.equal(m.get(k), v, `after all: ${JSON.stringify(k)}`);
}

const oddKeys = ['', ' ', 'a', 'A', 'é', 'e\u0301', '\ud83d\ude00', '\ud800', 'x'.repeat(300), '00000000', '0000000O'];

describe('sharded hash map', () => {
  it('behaves as a Map over random operations, with reservations between them (fast-check)', () => {
    const key = fc.oneof(
      fc.nat(40).map((n) => `k${n}`),
      fc.constantFrom(...oddKeys),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    );
    const op = fc.record({
      kind: fc.constantFrom('set', 'set', 'delete', 'get', 'reserve') as fc.Arbitrary<Op['kind']>,
      key,
      value: fc.integer(),
    });
    fc.assert(fc.property(fc.array(op, { maxLength: 400 }), check), { numRuns: 300 });
  });

  it('stays exact through growth, deletes and reuse at 200k keys', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    for (const space of [64, 5_000, 200_000]) {
      const ops: Op[] = [];
      for (let i = 0; i < 150_000; i++) {
        const r = rnd(10);
        ops.push({ kind: r < 5 ? 'set' : r < 8 ? 'delete' : 'get', key: `id-${rnd(space)}`, value: i });
      }
      check(ops);
    }
  });

  it('empties completely and fills again', () => {
    const m = new ShardedMap<string>();
    for (let i = 0; i < 50_000; i++) m.set(`u${i}`, `v${i}`);
    for (let i = 0; i < 50_000; i++) m.delete(`u${i}`);
    assert.equal(m.size, 0);
    for (let i = 0; i < 50_000; i += 7) assert.equal(m.get(`u${i}`), undefined);
    for (let i = 0; i < 50_000; i++) assert.equal(m.setIsNew(`w${i}`, `x${i}`), true);
    assert.equal(m.size, 50_000);
    assert.equal(m.get('w49999'), 'x49999');
    assert.equal(m.get('u1'), undefined);
  });

  it('lists every entry once through entries()', () => {
    const m = new ShardedMap<number>();
    for (let i = 0; i < 10_000; i++) m.set(`k${i}`, i);
    for (let i = 0; i < 10_000; i += 3) m.delete(`k${i}`);
    const seen = [...m.entries()].sort((a, b) => a[1] - b[1]);
    assert.deepEqual(
      seen,
      Array.from({ length: 10_000 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => [`k${i}`, i]),
    );
  });
});

describe('id set (index postings)', () => {
  it('keeps insertion order through deletes, the squeezing of holes and re-adds (fast-check)', () => {
    const op = fc.record({ add: fc.boolean(), id: fc.nat(60).map((n) => `a${n}`) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 500 }), (ops) => {
        const set = new IdSet();
        const model = new Set<string>();
        for (const { add, id } of ops) {
          if (add) {
            set.add(id);
            model.add(id);
          } else assert.equal(set.delete(id), model.delete(id));
          assert.equal(set.size, model.size);
        }
        assert.deepEqual([...set], [...model]);
        for (let n = 0; n <= 60; n++) assert.equal(set.has(`a${n}`), model.has(`a${n}`));
      }),
      { numRuns: 300 },
    );
  });

  it('an iteration begun before deletes yields no id twice and every id that stayed', () => {
    const set = new IdSet(Array.from({ length: 3000 }, (_, i) => `x${i}`));
    const seen: string[] = [];
    let i = 0;
    for (const id of set) {
      seen.push(id);
      // Delete most ids ahead of the cursor: the set squeezes its holes meanwhile.
      if (i++ === 10) for (let k = 20; k < 3000; k++) if (k % 4 !== 0) set.delete(`x${k}`);
    }
    assert.equal(new Set(seen).size, seen.length, 'no id twice');
    for (let k = 0; k < 3000; k += 4) assert.ok(seen.includes(`x${k}`), `x${k} stayed and was seen`);
    assert.deepEqual([...set].slice(0, 22), [...Array.from({ length: 20 }, (_, k) => `x${k}`), 'x20', 'x24']);
  });
});
