/** `$search` on users and groups, and `POST /directoryObjects/getByIds`, in Graph's shapes. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, makeUser, type Client } from './helpers';

let c: Client;
let alice: string;
let bob: string;
let groupId: string;
const eventual = { ConsistencyLevel: 'eventual' };

before(async () => {
  c = await client({ seed: 'empty', testHooks: true });
  alice = await makeUser(c, 'alice', { displayName: 'Alice Whitfield', mail: 'awhit@contoso.test' });
  bob = await makeUser(c, 'bob', { displayName: 'Bob Marsh' });
  groupId = (
    await c.ok('POST', '/groups', {
      displayName: 'Finance Approvers',
      mailNickname: 'fin',
      securityEnabled: true,
      mailEnabled: false,
    })
  ).id;
});
after(() => c.close());

const names = (r: { json: { value: { displayName: string }[] } }) => r.json.value.map((v) => v.displayName).sort();

test('$search needs ConsistencyLevel: eventual, as Graph does', async () => {
  const r = await c.get('/users?$search="displayName:ali"');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'Request_UnsupportedQuery');
  assert.match(r.json.error.message, /ConsistencyLevel: eventual/);
});

test('$search matches the start of any word of displayName, userPrincipalName or mail', async () => {
  const q = (s: string) => c.call('GET', `/users?$search=${encodeURIComponent(s)}`, undefined, eventual);
  assert.deepEqual(names(await q('"displayName:whit"')), ['Alice Whitfield']);
  assert.deepEqual(names(await q('"displayName:ali" OR "displayName:marsh"')), ['Alice Whitfield', 'Bob Marsh']);
  assert.deepEqual(names(await q('"userPrincipalName:bob"')), ['Bob Marsh']);
  assert.deepEqual(names(await q('"mail:awhit"')), ['Alice Whitfield']);
  assert.deepEqual(names(await q('"displayName:ali" AND "displayName:marsh"')), []);
  assert.deepEqual(names(await q('"displayName:itfield"')), [], 'a term matches word starts only');
  const bad = await q('"jobTitle:x"');
  assert.equal(bad.status, 400);
  assert.equal((await q('"displayName:a" OR')).status, 400);
  const groups = await c.call('GET', `/groups?$search=${encodeURIComponent('"displayName:fin"')}`, undefined, eventual);
  assert.deepEqual(names(groups), ['Finance Approvers']);
});

test('$search is refused on collections that do not support it', async () => {
  const r = await c.call(
    'GET',
    '/identityGovernance/entitlementManagement/catalogs?$search="displayName:x"',
    undefined,
    eventual,
  );
  assert.equal(r.status, 400);
});

test('startswith on displayName, userPrincipalName and mail', async () => {
  assert.deepEqual(names(await c.get("/users?$filter=startswith(displayName,'bob')")), ['Bob Marsh']);
  assert.deepEqual(names(await c.get("/users?$filter=startswith(mail,'awh')")), ['Alice Whitfield']);
  assert.deepEqual(names(await c.get("/users?$filter=startswith(userPrincipalName,'alice@')")), ['Alice Whitfield']);
});

test('getByIds returns the objects found with their @odata.type, leaves unknown ids out, honours types', async () => {
  const missing = '00000000-0000-4000-8000-000000000000';
  const r = await c.ok('POST', '/directoryObjects/getByIds', { ids: [alice, missing, groupId, bob] });
  assert.deepEqual(
    r.value.map((v: Record<string, string>) => [v['@odata.type'], v.id]),
    [
      ['#microsoft.graph.user', alice],
      ['#microsoft.graph.group', groupId],
      ['#microsoft.graph.user', bob],
    ],
  );
  const onlyGroups = await c.ok('POST', '/directoryObjects/getByIds', { ids: [alice, groupId], types: ['group'] });
  assert.deepEqual(
    onlyGroups.value.map((v: { id: string }) => v.id),
    [groupId],
  );
  assert.equal((await c.call('POST', '/directoryObjects/getByIds', { ids: 'x' })).status, 400);
  assert.equal((await c.call('POST', '/directoryObjects/getByIds', { ids: [alice], types: ['planet'] })).status, 400);
  const many = Array.from({ length: 1001 }, () => missing);
  assert.equal((await c.call('POST', '/directoryObjects/getByIds', { ids: many })).status, 400);
  assert.equal((await c.call('GET', '/directoryObjects/getByIds')).status, 405);
});
