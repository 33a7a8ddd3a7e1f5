/**
 * The store's building blocks at the sizes where their shortcuts matter: a table keeps its order
 * and its resumable cursors across deletes and the squeezing of holes; the due-time heap hands
 * out exactly what is due, once, and forgets changed or removed times.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Table } from '../../sandbox/src/store/table';
import { DueHeap } from '../../sandbox/src/store/dueHeap';
import { Store } from '../../sandbox/src/store/store';

const ent = (i: number) => ({ id: `e${i}`, n: i });

describe('table', () => {
  it('resumes after an ordinal across deletes and a squeeze, in insertion order', () => {
    const t = new Table();
    for (let i = 0; i < 5000; i++) t.set(ent(i));
    const first: number[] = [];
    const it = t.entriesAfter(0);
    for (let k = 0; k < 10; k++) first.push((it.next().value as [number, { n: number }])[1].n);
    // Deleting most of the table squeezes the holes out while the iterator is open.
    for (let i = 0; i < 5000; i++) if (i % 5 !== 0) t.delete(`e${i}`);
    const rest = [...it].map(([, e]) => e.n as number);
    assert.deepEqual(first, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(
      rest,
      Array.from({ length: 998 }, (_, k) => 10 + 5 * k),
    );
    assert.equal(t.size, 1000);
    const ord = t.ordOf('e2500')!;
    assert.deepEqual(
      t.batchAfter(ord, 3).items.map((e) => e.n),
      [2505, 2510, 2515],
    );
    assert.deepEqual(
      [...t.entriesAfter(ord)].slice(0, 2).map(([, e]) => e.n),
      [2505, 2510],
    );
    t.set({ id: 'e2505', n: -1 });
    assert.equal(t.get('e2505')!.n, -1, 'an update keeps its place');
    assert.equal(t.batchAfter(ord, 1).items[0]!.n, -1);
  });
});

describe('table loading', () => {
  it('appends new ids and puts a repeated id (a fuzzy snapshot) back in its place', () => {
    const t = new Table();
    for (let i = 0; i < 3000; i++) assert.equal(t.load(ent(i)), undefined);
    const old = t.get('e1200');
    assert.equal(t.load({ id: 'e1200', n: -5 }), old, 'the repeated id returns the value it replaces');
    assert.equal(t.size, 3000);
    assert.equal(t.get('e1200')!.n, -5);
    const order = [...t.values()].map((e) => e.n as number);
    assert.equal(order.length, 3000);
    assert.deepEqual(order.slice(1199, 1202), [1199, -5, 1201], 'in its place, not appended');
    t.set({ id: 'e1200', n: 7 });
    assert.equal(t.get('e1200')!.n, 7, 'the map points at the right slot afterwards');
    assert.equal([...t.values()].filter((e) => e.id === 'e1200').length, 1);
  });
});

describe('indexes', () => {
  it('a change moves only the keys that changed: an expiring assignment keeps its place under its package', () => {
    const s = new Store();
    s.transact(() => {
      for (const id of ['a', 'b', 'c']) s.put('assignments', { id, _pkg: 'p', _user: `u${id}`, state: 'delivering' });
    });
    s.transact(() => s.put('assignments', { id: 'a', _pkg: 'p', _user: 'ua', state: 'deliveryFailed' }));
    assert.deepEqual([...s.lookup('asgByPackage', 'p')], ['a', 'b', 'c']);
    assert.deepEqual([...s.lookup('asgByState', 'delivering')], ['b', 'c']);
    assert.deepEqual([...s.lookup('asgByState', 'deliveryfailed')], ['a'], 'keys are lower case');
    // A failed write puts everything back, keys included.
    assert.throws(() =>
      s.transact(() => {
        s.put('assignments', { id: 'b', _pkg: 'q', _user: 'ub', state: 'deliveryFailed' });
        throw new Error('refused');
      }),
    );
    assert.deepEqual([...s.lookup('asgByPackage', 'p')].sort(), ['a', 'b', 'c']);
    assert.equal(s.count('asgByPackage', 'q'), 0);
    assert.deepEqual([...s.lookup('asgByState', 'delivering')].sort(), ['b', 'c']);
    // The two states nearly every assignment is in are left to a scan.
    s.transact(() => s.put('assignments', { id: 'c', _pkg: 'p', _user: 'uc', state: 'delivered' }));
    assert.equal(s.count('asgByState', 'delivered'), 0);
    assert.deepEqual([...s.lookup('asgByState', 'delivering')], ['b']);
  });
});

describe('due heap', () => {
  it('hands out what is due once, in time order, and ignores stale times', () => {
    const h = new DueHeap();
    for (let i = 0; i < 3000; i++) h.set(`k${i}`, 3000 - i);
    for (let i = 0; i < 3000; i += 2) h.set(`k${i}`, 10_000 + i); // moved later
    h.delete('k1');
    const due = h.popUntil(1500);
    assert.ok(due.every((k) => Number(k.slice(1)) % 2 === 1 && k !== 'k1'));
    assert.deepEqual(
      due,
      [...due].sort((a, b) => Number(b.slice(1)) - Number(a.slice(1))),
      'earliest first',
    );
    assert.equal(due.length, 750);
    assert.deepEqual(h.popUntil(1500), [], 'each once');
    assert.equal(h.popUntil(20_000).length, 749 + 1500);
    assert.equal(h.size, 0);
  });

  it('the store finds due entities through the heap and drops them when their time goes', () => {
    const s = new Store();
    s.transact(() => {
      s.put('assignments', { id: 'a', _due: 100 });
      s.put('assignments', { id: 'b', _due: 200 });
      s.put('assignments', { id: 'c' });
    });
    s.transact(() => s.put('assignments', { id: 'b' }));
    assert.deepEqual(s.dueBefore(1000), [['assignments', 'a']]);
  });
});
