/** `POST /v1.0/$batch`: Graph's shapes, limits, dependsOn, per-request faults, writes inside a batch. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, directPolicy, EM, makePackage, makeUser, type Client } from './helpers';

const batch = (c: Client, requests: unknown[], headers?: Record<string, string>) =>
  c.call('POST', '/$batch', { requests }, headers);
const byId = (json: any): Map<string, any> => new Map(json.responses.map((r: any) => [r.id, r]));

describe('$batch', () => {
  let c: Client;
  before(async () => {
    c = await client({ seed: 'demo', testHooks: true });
  });
  after(() => c.close());

  it('answers each of 20 requests by id, in an order of its own', async () => {
    const requests = Array.from({ length: 20 }, (_, i) => ({
      id: `r${i}`,
      method: 'GET',
      url: `/users?$top=${i + 1}&$select=id`,
    }));
    const r = await batch(c, requests);
    assert.equal(r.status, 200);
    assert.equal(r.json.responses.length, 20);
    // Like Graph, the answers are not in the order of the requests (1 chance in 20! of a false alarm).
    assert.notDeepEqual(
      r.json.responses.map((x: any) => x.id),
      requests.map((x) => x.id),
    );
    const got = byId(r.json);
    for (let i = 0; i < 20; i++) {
      const one = got.get(`r${i}`);
      assert.equal(one.status, 200);
      assert.equal(one.headers['Content-Type'], 'application/json');
      assert.equal(one.body.value.length, i + 1);
    }
    const direct = await c.get('/users?$top=8&$select=id');
    assert.deepEqual(got.get('r7').body.value, direct.json.value);
  });

  it('refuses a malformed batch as a whole with 400', async () => {
    const cases: [string, unknown][] = [
      ['more than 20', Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' }))],
      [
        'duplicate ids (any case)',
        [
          { id: 'a', method: 'GET', url: '/users' },
          { id: 'A', method: 'GET', url: '/users' },
        ],
      ],
      ['no id', [{ method: 'GET', url: '/users' }]],
      ['an absolute url', [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' }]],
      ['a body without Content-Type', [{ id: '1', method: 'POST', url: '/users', body: {} }]],
      ['an unknown method', [{ id: '1', method: 'BREW', url: '/users' }]],
      ['a dependency not in the batch', [{ id: '1', method: 'GET', url: '/users', dependsOn: ['9'] }]],
      [
        'a dependency cycle',
        [
          { id: '1', method: 'GET', url: '/users', dependsOn: ['2'] },
          { id: '2', method: 'GET', url: '/users', dependsOn: ['1'] },
        ],
      ],
      ['no requests', []],
    ];
    for (const [what, requests] of cases) {
      const r = await batch(c, requests as unknown[]);
      assert.equal(r.status, 400, what);
      assert.equal(r.json.error.code, 'BadRequest', what);
    }
    const notArray = await c.call('POST', '/$batch', { requests: 'x' });
    assert.equal(notArray.status, 400);
  });

  it('runs writes through the same checks, and a failed dependency gives 424', async () => {
    const { packageId } = await makePackage(c, 'Batch');
    const policy = await c.ok('POST', `${EM}/assignmentPolicies`, directPolicy(packageId));
    const u = await makeUser(c, 'batchy');
    const add = {
      requestType: 'adminAdd',
      assignment: { targetId: u, assignmentPolicyId: policy.id, accessPackageId: packageId },
    };
    const json = { 'Content-Type': 'application/json' };
    const r = await batch(c, [
      { id: 'add', method: 'POST', url: `/v1.0${EM}/assignmentRequests`, headers: json, body: add },
      { id: 'again', method: 'POST', url: `${EM}/assignmentRequests`, headers: json, body: add, dependsOn: ['add'] },
      { id: 'missing', method: 'GET', url: `${EM}/accessPackages/nope` },
      { id: 'after-missing', method: 'GET', url: '/users', dependsOn: ['missing'] },
      { id: 'bad-policy', method: 'POST', url: `${EM}/assignmentPolicies`, headers: json, body: { displayName: 1 } },
    ]);
    assert.equal(r.status, 200);
    const got = byId(r.json);
    assert.equal(got.get('add').status, 201);
    assert.equal(got.get('add').body.requestType, 'adminAdd');
    // The duplicate ran after the first (dependsOn) and was refused as a request of its own would be.
    assert.equal(got.get('again').status, 400);
    assert.equal(got.get('missing').status, 404);
    assert.equal(got.get('after-missing').status, 424);
    assert.equal(got.get('after-missing').body.error.code, 'FailedDependency');
    assert.equal(got.get('bad-policy').status, 400);
    const assignments = await c.get(`${EM}/assignments?$filter=accessPackage/id eq '${packageId}'`);
    assert.equal(assignments.json.value.length, 1);
  });

  it('an injected fault on one inner request comes back inside, with its Retry-After', async () => {
    const r = await batch(c, [
      { id: 'ok', method: 'GET', url: '/users?$top=1' },
      { id: 'throttled', method: 'GET', url: '/users?$top=1', headers: { 'x-sandbox-fault': '429' } },
      { id: 'down', method: 'GET', url: '/users?$top=1', headers: { 'x-sandbox-fault': '503' } },
    ]);
    assert.equal(r.status, 200);
    const got = byId(r.json);
    assert.equal(got.get('ok').status, 200);
    assert.equal(got.get('throttled').status, 429);
    assert.equal(got.get('throttled').headers['Retry-After'], '1');
    assert.equal(got.get('throttled').body.error.code, 'TooManyRequests');
    assert.equal(got.get('down').status, 503);
  });

  it('a batch needs the token like any request', async () => {
    const r = await c.call('POST', '/$batch', { requests: [] }, { authorization: 'Bearer wrong' });
    assert.equal(r.status, 401);
  });
});

describe('$batch under --fault-rate', () => {
  let c: Client;
  before(async () => {
    c = await client({ seed: 'demo', faultRate: 0.3, fault: '429' });
  });
  after(() => c.close());

  it('meters each inner request: the batch answers 200, some of its requests 429', async () => {
    let throttled = 0;
    let total = 0;
    for (let round = 0; round < 10; round++) {
      const r = await batch(
        c,
        Array.from({ length: 20 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users?$top=1' })),
      );
      assert.equal(r.status, 200);
      for (const one of r.json.responses) {
        total++;
        if (one.status === 429) throttled++;
        else assert.equal(one.status, 200);
      }
    }
    assert.equal(total, 200);
    // A seeded 30% share: well away from none and from all.
    assert.ok(throttled > 20 && throttled < 100, `throttled ${throttled} of 200`);
  });
});
