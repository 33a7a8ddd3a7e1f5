/** The HTTP contract: authentication, error shapes, query-option errors, body limits, fault injection. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, EM, type Client } from './helpers';

let c: Client;
before(async () => {
  c = await client({ seed: 'demo', testHooks: true });
});
after(() => c.close());

const isGraphError = (json: any, code?: string): void => {
  assert.equal(typeof json?.error?.code, 'string');
  assert.equal(typeof json.error.message, 'string');
  assert.ok(json.error.innerError?.['request-id']);
  if (code) assert.equal(json.error.code, code);
};

describe('authentication', () => {
  it("answers 401 with Graph's error shape without a token", async () => {
    const r = await fetch(`${c.sandbox.url}/users`);
    assert.equal(r.status, 401);
    assert.match(r.headers.get('content-type')!, /^application\/json; charset=utf-8$/);
    isGraphError(await r.json(), 'InvalidAuthenticationToken');
  });
  it('answers 401 for a wrong token', async () => {
    const r = await fetch(`${c.sandbox.url}/users`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(r.status, 401);
  });
  it('serves health without a token', async () => {
    const r = await fetch(`${new URL(c.sandbox.url).origin}/_sandbox/health`);
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { status: string }).status, 'ok');
  });
});

describe('error paths', () => {
  const cases: [string, string, number, string?][] = [
    ['unknown filter function', `/users?$filter=substringof('a',displayName)`, 400, 'Request_UnsupportedQuery'],
    ['unknown filter property', `/users?$filter=shoeSize eq 3`, 400, 'Request_UnsupportedQuery'],
    ['broken filter syntax', `/users?$filter=displayName eq`, 400, 'BadRequest'],
    ['unterminated string', `/users?$filter=displayName eq 'abc`, 400, 'BadRequest'],
    ['unknown query option', `/users?$search="ada"`, 400, 'Request_UnsupportedQuery'],
    ['$top too large', `/users?$top=1000`, 400, 'BadRequest'],
    ['$top zero', `/users?$top=0`, 400, 'BadRequest'],
    ['bad $skiptoken', `/users?$skiptoken=xyz`, 400, 'BadRequest'],
    ['unknown $select property', `/users?$select=shoeSize`, 400, 'BadRequest'],
    ['unknown $expand', `${EM}/assignments?$expand=owner`, 400, 'BadRequest'],
    ['$orderby on an unsupported property', `/users?$orderby=city`, 400, 'Request_UnsupportedQuery'],
    ['unknown user', `/users/00000000-0000-0000-0000-000000000000`, 404, 'Request_ResourceNotFound'],
    ['unknown assignment', `${EM}/assignments/nope`, 404, 'ResourceNotFound'],
    ['unknown segment', `${EM}/accessPackageAssignments`, 400, 'BadRequest'],
    ['beta version', `/users`.replace('/users', '/../beta/users'), 400],
    ['$filter on a single entity', `/users/x?$filter=id eq 'x'`, 404],
  ];
  for (const [name, path, status, code] of cases) {
    it(`${name} → ${status}`, async () => {
      const r = await c.get(path);
      assert.equal(r.status, status, r.text);
      assert.match(r.headers.get('content-type')!, /^application\/json/);
      isGraphError(r.json, code);
    });
  }
  it('405 for a method the path does not support', async () => {
    const r = await c.call('PATCH', `${EM}/assignments`, {});
    assert.equal(r.status, 405);
    isGraphError(r.json);
  });
  it('400 for malformed JSON', async () => {
    const r = await c.call('POST', '/users', '{"displayName": ');
    assert.equal(r.status, 400);
    isGraphError(r.json, 'BadRequest');
  });
  it('415 for a non-JSON body', async () => {
    const r = await c.call('POST', '/users', 'displayName=x', { 'content-type': 'text/plain' });
    assert.equal(r.status, 415);
    isGraphError(r.json);
  });
  it('413 for a body over 1 MB', async () => {
    const r = await c.call('POST', '/users', JSON.stringify({ displayName: 'x'.repeat(1024 * 1024 + 10) }));
    assert.equal(r.status, 413);
    isGraphError(r.json, 'RequestEntityTooLarge');
  });
  it('still answers after all of that', async () => {
    assert.equal((await c.get('/users?$top=1')).status, 200);
  });
});

describe('fault injection', () => {
  it('429 with Retry-After and TooManyRequests', async () => {
    const r = await c.call('GET', '/users', undefined, { 'x-sandbox-fault': '429' });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '1');
    isGraphError(r.json, 'TooManyRequests');
  });
  for (const [fault, status] of [
    ['503', 503],
    ['500', 500],
    ['403', 403],
    ['404', 404],
  ] as const) {
    it(`${fault}`, async () => {
      const r = await c.call('GET', '/users', undefined, { 'x-sandbox-fault': fault });
      assert.equal(r.status, status);
      isGraphError(r.json);
    });
  }
  it('reset destroys the connection', async () => {
    await assert.rejects(c.call('GET', '/users', undefined, { 'x-sandbox-fault': 'reset' }));
  });
  it('truncate sends half a body', async () => {
    await assert.rejects(async () => {
      const r = await c.call('GET', '/users', undefined, { 'x-sandbox-fault': 'truncate' });
      if (r.json === undefined) throw new Error('truncated');
    });
  });
});

describe('response bytes', () => {
  it('sends ASCII and non-ASCII bodies as UTF-8 with their exact byte length', async () => {
    const names = ['Plain Ascii', 'Zoë Ø', '山田 太郎', 'emoji 😀', 'lone \ud800 surrogate'];
    for (const displayName of names) {
      const u = await c.ok('POST', '/users', {
        displayName,
        mailNickname: 'bytes',
        userPrincipalName: `bytes${names.indexOf(displayName)}@contoso.com`,
        accountEnabled: true,
        passwordProfile: { password: 'xWwvJ]6NMw+bWH-d' },
      });
      const r = await fetch(`${c.sandbox.url}/users/${u.id}`, {
        headers: { authorization: `Bearer ${c.sandbox.token}` },
      });
      const bytes = Buffer.from(await r.arrayBuffer());
      assert.equal(Number(r.headers.get('content-length')), bytes.length);
      // A lone surrogate travels escaped (well-formed JSON.stringify), so every name comes back as sent.
      const back = JSON.parse(bytes.toString('utf8')) as { displayName: string };
      assert.equal(back.displayName, displayName);
    }
  });
});

describe('OData on the demo tenant', () => {
  it("returns Graph's default user properties unless $select asks for more", async () => {
    const r = await c.ok('GET', '/users?$top=1');
    assert.ok('userPrincipalName' in r.value[0]);
    assert.ok(!('department' in r.value[0]));
    const s = await c.ok('GET', '/users?$top=1&$select=displayName,department');
    assert.deepEqual(Object.keys(s.value[0]).sort(), ['department', 'displayName', 'id']);
  });
  it('filters with eq, ne, and, startswith, and counts', async () => {
    const all = await c.ok(
      'GET',
      `/users?$filter=department eq 'Sales' and userType ne 'Guest'&$count=true&$select=department,userType&$top=999`,
    );
    assert.ok(all['@odata.count'] > 100);
    assert.ok(all.value.every((u: any) => u.department === 'Sales' && u.userType !== 'Guest'));
    const sw = await c.ok('GET', `/users?$filter=startswith(displayName,'ada')&$top=999`);
    assert.ok(sw.value.length > 0 && sw.value.every((u: any) => u.displayName.toLowerCase().startsWith('ada')));
    const ci = await c.ok('GET', `/users?$filter=department eq 'sales'&$count=true&$top=1`);
    assert.equal(
      ci['@odata.count'],
      all['@odata.count'] +
        0 +
        (await c.ok('GET', `/users?$filter=department eq 'Sales' and userType eq 'Guest'&$count=true&$top=1`))[
          '@odata.count'
        ],
    );
  });
  it('orders by displayName', async () => {
    const r = await c.ok('GET', '/users?$orderby=displayName desc&$top=50');
    const names = r.value.map((u: any) => u.displayName.toLowerCase());
    assert.deepEqual(names, [...names].sort().reverse());
  });
  it('has the five policy shapes and expands assignmentPolicies', async () => {
    const r = await c.ok('GET', `${EM}/accessPackages?$expand=assignmentPolicies`);
    const policies = r.value.flatMap((p: any) => p.assignmentPolicies);
    assert.ok(policies.some((p: any) => p.automaticRequestSettings));
    assert.ok(
      policies.some((p: any) => p.requestApprovalSettings?.stages?.length === 2 && p.reviewSettings?.isEnabled),
    );
    assert.ok(policies.some((p: any) => p.questions.length === 2));
    assert.ok(policies.some((p: any) => p.customExtensionStageSettings.length === 1));
    assert.ok(policies.some((p: any) => p.allowedTargetScope === 'notSpecified'));
    const cats = await c.ok('GET', `${EM}/catalogs`);
    assert.equal(cats.value.length, 3);
  });
  it('has assignments and requests in several states', async () => {
    const states = new Set<string>();
    for (const s of ['delivered', 'expired'])
      if ((await c.ok('GET', `${EM}/assignments?$filter=state eq '${s}'&$top=1`)).value.length) states.add(s);
    assert.deepEqual([...states].sort(), ['delivered', 'expired']);
    for (const s of ['pendingApproval', 'denied', 'delivered']) {
      assert.ok((await c.ok('GET', `${EM}/assignmentRequests?$filter=state eq '${s}'&$top=1`)).value.length > 0, s);
    }
  });
  it('groups list members', async () => {
    const g = await c.ok('GET', `/groups?$filter=displayName eq 'All Sales'`);
    const m = await c.ok('GET', `/groups/${g.value[0].id}/members?$top=5`);
    assert.equal(m.value.length, 5);
    assert.equal(m.value[0]['@odata.type'], '#microsoft.graph.user');
  });
});
