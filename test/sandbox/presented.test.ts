/**
 * Users pages joined from each entity's kept JSON (presented.ts) are byte for byte the page
 * JSON.stringify would write, and never show a value a write replaced: generated entities and
 * edits over arenas small enough to turn over many times, then the real path over HTTP (pages,
 * edits, deletes, characters outside ASCII, `$select`, `$count`, `$batch`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { joinArray, JsonBytes, PresentedCache } from '../../sandbox/src/http/presented';
import { users } from '../../sandbox/src/http/resources';
import type { Entity } from '../../sandbox/src/store/store';
import { client, type Client } from './helpers';

const text = (j: JsonBytes): string => Buffer.concat(j.parts).toString('utf8');

/** Any UTF-16 unit, lone surrogates included (JSON.stringify escapes those). */
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
const fields = fc.record({
  displayName: fc.oneof(anyString, fc.string({ unit: 'grapheme' })),
  jobTitle: fc.option(fc.string({ unit: 'grapheme-ascii' }), { nil: undefined }),
  businessPhones: fc.array(fc.string(), { maxLength: 3 }),
});

describe('kept presentations (unit)', () => {
  it('joins to exactly what JSON.stringify writes, through edits, replacements and turned-over arenas', () => {
    fc.assert(
      fc.property(
        fc.array(fields, { minLength: 1, maxLength: 12 }),
        fc.array(
          fc.oneof(
            fc.record({ edit: fc.nat(), to: fields }),
            fc.record({ page: fc.array(fc.nat(), { maxLength: 12 }), next: fc.option(anyString, { nil: undefined }) }),
          ),
          { maxLength: 40 },
        ),
        fc.integer({ min: 8, max: 2048 }),
        (initial, ops, arena) => {
          const entities: Entity[] = initial.map((f, i) => ({ id: `u${i}`, ...f }));
          const cache = new PresentedCache(users.project!, arena);
          for (const op of ops) {
            if ('edit' in op) {
              // What a write does: a new object replaces the old one (store.ts: immutable values).
              const i = op.edit % entities.length;
              entities[i] = { id: entities[i]!.id, ...op.to };
              continue;
            }
            const page = op.page.map((i) => entities[i % entities.length]!);
            const head = { '@odata.context': 'ctx' };
            const tail = op.next === undefined ? '}' : `,"@odata.nextLink":${JSON.stringify(op.next)}}`;
            const joined = joinArray(cache, page, `${JSON.stringify(head).slice(0, -1)},"value":`, tail);
            const expected = JSON.stringify({
              ...head,
              value: page.map((e) => users.project!(e)),
              ...(op.next === undefined ? {} : { '@odata.nextLink': op.next }),
            });
            assert.equal(text(joined), expected);
            assert.equal(joined.length, Buffer.byteLength(expected));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps an entity larger than a whole arena out of it and still presents it', () => {
    const cache = new PresentedCache(users.project!, 64);
    const big: Entity = { id: 'big', displayName: 'é'.repeat(500) };
    const small: Entity = { id: 's', displayName: 'x' };
    const joined = joinArray(cache, [small, big, small], '{"value":', '}');
    assert.equal(text(joined), JSON.stringify({ value: [small, big, small].map((e) => users.project!(e)) }));
  });

  it('sits inside another body as the JSON it holds', () => {
    const inner = new JsonBytes([Buffer.from('{"a":['), Buffer.from('"ü",2'), Buffer.from(']}')]);
    assert.equal(JSON.stringify({ body: inner }), '{"body":{"a":["ü",2]}}');
  });
});

describe('users pages over HTTP', () => {
  let c: Client;
  before(async () => {
    c = await client({ seed: 'empty', testHooks: true, seedUsers: 1_500 });
  });
  after(() => c.close());

  /** The page as the store holds it now: the users in table order with the default projection. */
  const expectedValue = (from: number, n: number): unknown[] =>
    [...c.sandbox.engine.store.values('users')].slice(from, from + n).map((e) => users.project!(e));

  it('pages every user, each page exactly the canonical JSON of what the store holds', async () => {
    let next: string | undefined = '/users';
    let seen = 0;
    let nonAscii = 0;
    while (next) {
      const r = await c.get(next);
      assert.equal(r.status, 200);
      assert.equal(r.text, JSON.stringify(r.json), 'no byte differs from JSON.stringify of the same page');
      assert.equal(Number(r.headers.get('content-length')), Buffer.byteLength(r.text));
      assert.deepEqual(r.json.value, expectedValue(seen, 100));
      if (Buffer.byteLength(r.text) !== r.text.length) nonAscii++;
      seen += r.json.value.length;
      next = r.json['@odata.nextLink'];
    }
    assert.equal(seen, 1_500);
    assert.ok(nonAscii > 0, 'the seeded names include characters outside ASCII');
  });

  it('shows every edit and delete at once, however often the page was read before', async () => {
    const first = (await c.ok('GET', '/users')).value as { id: string }[];
    for (let i = 0; i < 30; i++) {
      const target = first[(i * 7) % first.length]!.id;
      await c.ok('PATCH', `/users/${target}`, { displayName: `Zoë Ångström ${i} 😀`, jobTitle: `Title ${i}` });
      const r = await c.get('/users');
      const shown = r.json.value.find((u: { id: string }) => u.id === target);
      assert.equal(shown.displayName, `Zoë Ångström ${i} 😀`);
      assert.equal(shown.jobTitle, `Title ${i}`);
      assert.equal(r.text, JSON.stringify(r.json));
      assert.deepEqual(r.json.value, expectedValue(0, 100));
    }
    const gone = first[3]!.id;
    assert.equal((await c.call('DELETE', `/users/${gone}`)).status, 204);
    const r = await c.get('/users');
    assert.ok(!r.json.value.some((u: { id: string }) => u.id === gone));
    assert.equal(r.json.value.length, 100);
    assert.deepEqual(r.json.value, expectedValue(0, 100));
  });

  it('answers $select, $count and $filter pages in the same canonical form', async () => {
    const sel = await c.get('/users?$select=id,displayName&$top=5');
    assert.deepEqual(Object.keys(sel.json.value[0]), ['id', 'displayName']);
    assert.equal(sel.text, JSON.stringify(sel.json));
    const counted = await c.call('GET', '/users?$count=true&$top=3', undefined, { ConsistencyLevel: 'eventual' });
    assert.equal(counted.status, 200, counted.text);
    assert.deepEqual(Object.keys(counted.json), ['@odata.context', '@odata.count', 'value', '@odata.nextLink']);
    assert.equal(counted.text, JSON.stringify(counted.json));
    assert.deepEqual(counted.json.value, expectedValue(0, 3));
    const department = String([...c.sandbox.engine.store.values('users')][0]!.department);
    const filtered = await c.get(`/users?$filter=department eq '${department}'&$top=7`);
    assert.equal(filtered.status, 200, filtered.text);
    assert.equal(filtered.text, JSON.stringify(filtered.json));
    assert.deepEqual(
      filtered.json.value,
      [...c.sandbox.engine.store.values('users')]
        .filter((u) => u.department === department)
        .slice(0, 7)
        .map((u) => users.project!(u)),
    );
  });

  it('gives a users page inside $batch the same body as on its own', async () => {
    const alone = await c.get('/users?$top=4');
    const r = await c.call('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: '/users?$top=4' }] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.responses[0].body, alone.json);
  });
});
