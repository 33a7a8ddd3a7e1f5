/** The Graph directory of authoring: one getByIds per batch, a per-tenant cache with an expiry, search by name. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client as sandboxClient, EM, type Client } from '../sandbox/helpers';
import { GraphClient } from '../../client/src/graph/graphClient';
import { DirectoryCache, GraphDirectory } from '../../client/src/directory/graphDirectory';

let sb: Client;
const lines: string[] = [];
let graph: GraphClient;
before(async () => {
  sb = await sandboxClient({ seed: 'demo' });
  graph = new GraphClient({
    baseUrl: sb.sandbox.url,
    getToken: () => Promise.resolve(sb.sandbox.token),
    log: (l) => lines.push(l),
    maxRetries: 0,
  });
});
after(() => sb.close());

test('ids are resolved in one getByIds call, then answered from the cache until it expires', async () => {
  let now = 0;
  const d = new GraphDirectory(graph, 'Sandbox', new DirectoryCache(1000, () => now));
  const users = (await sb.ok('GET', '/users?$top=30')).value as { id: string }[];
  const missing = '0badc0de-0000-4000-8000-00000000abcd';
  const ids = [
    ...users.map((u) => ({ id: u.id, kinds: ['user' as const] })),
    { id: missing, kinds: ['user' as const] },
  ];
  lines.length = 0;
  const a = await d.lookup(ids);
  assert.equal(a.objects.length, 30);
  assert.equal(lines.filter((l) => l.includes('getByIds')).length, 1, lines.join('\n'));
  await d.lookup(ids);
  assert.equal(lines.length, 1, 'warm: no request at all, the missing id included');
  now = 2000;
  await d.lookup(ids);
  assert.equal(lines.length, 2, 'expired: asked again');
  d.cache.clear();
  assert.deepEqual(d.cached(ids).objects, []);
});

test('entitlement ids are read by id; a package comes with its catalog; 404 means missing', async () => {
  const d = new GraphDirectory(graph, 'Sandbox');
  const pkg = (await sb.ok('GET', `${EM}/accessPackages?$top=1&$expand=catalog`)).value[0];
  const missing = '0badc0de-0000-4000-8000-00000000abcd';
  const a = await d.lookup([
    { id: pkg.id, kinds: ['accessPackage'] },
    { id: missing, kinds: ['accessPackage'] },
  ]);
  assert.deepEqual(
    a.objects.map((o) => [o.kind, o.displayName, o.catalog?.displayName]),
    [['accessPackage', pkg.displayName, pkg.catalog.displayName]],
  );
  assert.equal(a.unchecked, undefined);
});

test('a failing directory read throws (the editor turns it into one information)', async () => {
  const d = new GraphDirectory(
    new GraphClient({
      baseUrl: sb.sandbox.url,
      getToken: () => Promise.resolve('wrong-token'),
      maxRetries: 0,
    }),
    'Sandbox',
  );
  await assert.rejects(d.lookup([{ id: '0badc0de-0000-4000-8000-00000000abcd', kinds: ['user'] }]), /401|Invalid/);
});

test('search: users by the start of a name, UPN or mail; packages by startswith', async () => {
  const d = new GraphDirectory(graph, 'Sandbox');
  const u = (await sb.ok('GET', '/users?$top=1')).value[0] as { displayName: string; userPrincipalName: string };
  const byName = await d.search('user', u.displayName.slice(0, 4));
  assert.ok(byName.some((o) => o.displayName === u.displayName));
  const byUpn = await d.search('user', u.userPrincipalName.slice(0, 5));
  assert.ok(byUpn.some((o) => o.userPrincipalName === u.userPrincipalName));
  const pkg = (await sb.ok('GET', `${EM}/accessPackages?$top=1`)).value[0] as { displayName: string };
  const pk = await d.search('accessPackage', pkg.displayName.slice(0, 3));
  assert.ok(pk.some((o) => o.displayName === pkg.displayName && o.catalog));
  assert.ok(d.cache.size > 0, 'search results warm the cache for the hover that follows');
});
