/** Paging: @odata.nextLink to the end of a 10k-item collection, $count, $top, index-backed filters. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, EM, type Client } from './helpers';

let c: Client;
let packageId: string;
before(async () => {
  c = await client({ seed: 'empty', testHooks: true });
  const r = await c.hook('seed-assignments', { count: 10_000 });
  assert.equal(r.status, 201);
  packageId = r.json.accessPackageId;
});
after(() => c.close());

async function walk(first: string): Promise<{ items: any[]; pages: number; links: string[] }> {
  const items: any[] = [];
  const links: string[] = [];
  let next: string | undefined = first;
  let pages = 0;
  while (next) {
    const page: any = await c.ok('GET', next);
    items.push(...page.value);
    pages++;
    next = page['@odata.nextLink'];
    if (next) links.push(next);
  }
  return { items, pages, links };
}

describe('paging', () => {
  it('follows @odata.nextLink to the end with the default page size of 100', async () => {
    const { items, pages, links } = await walk(`${EM}/assignments?$filter=accessPackage/id eq '${packageId}'`);
    assert.equal(items.length, 10_000);
    assert.equal(pages, 100);
    assert.equal(new Set(items.map((a) => a.id)).size, 10_000);
    assert.match(
      links[0]!,
      /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/identityGovernance\/entitlementManagement\/assignments\?.*\$skiptoken=/,
    );
  });
  it('honours $top up to 999 and keeps it in the next link', async () => {
    const { items, pages } = await walk(`${EM}/assignments?$top=999&$expand=target`);
    assert.equal(items.length, 10_000);
    assert.equal(pages, 11);
    assert.ok(items.every((a) => a.target?.objectId));
  });
  it('$count gives the total on every page', async () => {
    const r = await c.ok('GET', `${EM}/assignments?$count=true&$top=5&$filter=state eq 'Delivered'`);
    assert.equal(r['@odata.count'], 10_000);
    assert.equal(r.value.length, 5);
  });
  it('filters by an uncommon state through its index and by a common one by scan, in any case', async () => {
    const store = c.sandbox.engine.store;
    const some = [...store.values('assignments')].slice(100, 103);
    store.transact(() => {
      store.put('assignments', { ...some[0]!, state: 'deliveryFailed', status: 'DeliveryFailed' });
      store.put('assignments', { ...some[1]!, state: 'delivering', status: 'Delivering' });
      store.put('assignments', { ...some[2]!, state: 'deliveryFailed', status: 'DeliveryFailed' });
    });
    try {
      const ids = async (state: string): Promise<string[]> =>
        (await c.ok('GET', `${EM}/assignments?$filter=state eq '${state}'&$top=999`)).value.map(
          (a: { id: string }) => a.id,
        );
      assert.deepEqual((await ids('deliveryFailed')).sort(), [some[0]!.id, some[2]!.id].sort());
      assert.deepEqual(await ids('DELIVERING'), [some[1]!.id]);
      const r = await c.ok('GET', `${EM}/assignments?$count=true&$top=1&$filter=state eq 'delivered'`);
      assert.equal(r['@odata.count'], 10_000 - 3);
    } finally {
      store.transact(() => {
        for (const a of some) store.put('assignments', a);
      });
    }
    assert.deepEqual((await c.ok('GET', `${EM}/assignments?$filter=state eq 'deliveryFailed'`)).value, []);
  });
  it('pages users ordered by displayName without repeats', async () => {
    const { items } = await walk(`/users?$orderby=displayName&$top=500&$select=displayName`);
    assert.equal(items.length, 10_000);
    const names = items.map((u) => u.displayName.toLowerCase());
    assert.deepEqual(names, [...names].sort());
  });
  it('filters by target/objectId and accessPackage/id together', async () => {
    const one = (await c.ok('GET', `${EM}/assignments?$top=1&$expand=target`)).value[0];
    const r = await c.ok(
      'GET',
      `${EM}/assignments?$filter=accessPackage/id eq '${packageId}' and state eq 'Delivered' and target/objectId eq '${one.target.objectId}'&$expand=target,accessPackage,assignmentPolicy`,
    );
    assert.equal(r.value.length, 1);
    assert.equal(r.value[0].accessPackage.id, packageId);
    assert.ok(r.value[0].assignmentPolicy.id);
    assert.equal(r['@odata.nextLink'], undefined);
  });
  it('an empty result has no next link', async () => {
    const r = await c.ok('GET', `${EM}/assignments?$filter=accessPackage/id eq 'none'`);
    assert.deepEqual(r.value, []);
    assert.equal(r['@odata.nextLink'], undefined);
  });
});
