/**
 * Bulk work through `$batch` against a real sandbox: 1,000 users assigned with 10% of the inner
 * requests throttled (429 + Retry-After) end with exactly 1,000 assignments and a report per
 * user; cancel, whole-batch failures and per-request errors are reported per call; the lookups
 * that feed a bulk assignment (search by name/UPN/mail, a CSV of UPNs, a group's members, who
 * already holds the package).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runBatched, type BatchCall } from '../../client/src/graph/batch';
import {
  adminAddMany,
  adminRemoveMany,
  findUsers,
  groupMemberUsers,
  packageHolders,
  upnsFromCsv,
  usersByUpn,
} from '../../client/src/graph/bulkAssignments';
import { EM } from '../../client/src/graph/entitlements';
import { GraphClient } from '../../client/src/graph/graphClient';
import { startSandbox, type Sandbox } from '../../sandbox/src/http/server';
import { FaultInjector } from './helpers';
import { directPolicy } from '../sandbox/helpers';

async function setUp(graph: GraphClient, users: number, prefix: string) {
  const cat = await graph.post<{ id: string }>(`${EM}/catalogs`, { displayName: `${prefix} catalog` });
  const pkg = await graph.post<{ id: string }>(`${EM}/accessPackages`, {
    displayName: `${prefix} package`,
    catalog: { id: cat.id },
  });
  const policy = await graph.post<{ id: string }>(`${EM}/assignmentPolicies`, directPolicy(pkg.id));
  const calls: BatchCall[] = Array.from({ length: users }, (_, i) => ({
    key: String(i),
    method: 'POST',
    url: '/users',
    body: {
      displayName: `${prefix} User ${String(i).padStart(4, '0')}`,
      userPrincipalName: `${prefix.toLowerCase()}${i}@contoso.test`,
      mail: `${prefix.toLowerCase()}.mail${i}@fabrikam.test`,
      mailNickname: `${prefix.toLowerCase()}${i}`,
      accountEnabled: true,
    },
  }));
  const created = await runBatched<{ id: string }>(graph, calls, { sleep: fastSleep });
  assert.ok(
    created.every((c) => c.ok),
    JSON.stringify(created.find((c) => !c.ok)),
  );
  return { packageId: pkg.id, policyId: policy.id, userIds: created.map((c) => (c.ok ? c.body.id : '')) };
}

/** Retry-After is honoured, shortened 10× so the suite stays quick (the bench uses real waits). */
const waits: number[] = [];
const fastSleep = (ms: number): Promise<void> => {
  waits.push(ms);
  return new Promise((r) => setTimeout(r, ms / 10));
};

async function countAssignments(graph: GraphClient, packageId: string): Promise<Map<string, number>> {
  const perUser = new Map<string, number>();
  const path = `${EM}/assignments?$filter=accessPackage/id eq '${packageId}' and state eq 'delivered'&$expand=target&$top=999`;
  for await (const page of graph.pages<{ targetId?: string; target?: { objectId?: string } }>(path))
    for (const a of page) {
      const id = a.target?.objectId ?? a.targetId ?? '?';
      perUser.set(id, (perUser.get(id) ?? 0) + 1);
    }
  return perUser;
}

describe('bulk assignment through $batch with 10% of inner requests throttled', () => {
  let sandbox: Sandbox;
  let graph: GraphClient;
  before(async () => {
    sandbox = await startSandbox({ seed: 'empty', faultRate: 0.1, fault: '429' });
    // Outer requests hit the same 10%: the SDK's retry handler takes those (Retry-After 1 s).
    graph = new GraphClient({ baseUrl: sandbox.url, getToken: () => Promise.resolve(sandbox.token), maxRetries: 8 });
  });
  after(() => sandbox.close());

  it('1,000 users end with exactly 1,000 assignments and one report line per user', async () => {
    const { packageId, policyId, userIds } = await setUp(graph, 1000, 'Bulk');
    waits.length = 0;
    let progress = 0;
    const report = await adminAddMany(
      graph,
      userIds.map((userId) => ({ accessPackageId: packageId, policyId, userId })),
      { sleep: fastSleep, onProgress: (done) => (progress = done) },
    );
    assert.equal(report.length, 1000);
    assert.deepEqual(
      report.map((r) => r.userId),
      userIds,
    );
    const failed = report.filter((r) => !r.ok);
    assert.deepEqual(failed, []);
    assert.equal(progress, 1000);
    // Throttling happened and was retried: about 10% of first attempts, each waited its Retry-After.
    const retried = report.filter((r) => r.attempts > 1).length;
    assert.ok(retried > 50 && retried < 200, `retried ${retried}`);
    assert.ok(waits.length > 0 && waits.every((w) => w === 1000), `waits ${waits.join(',')}`);
    const perUser = await countAssignments(graph, packageId);
    assert.equal(perUser.size, 1000);
    assert.ok([...perUser.values()].every((n) => n === 1));
    assert.deepEqual(new Set(perUser.keys()), new Set(userIds));
  });

  it('removing them is batched the same way and reported per assignment', async () => {
    const { packageId, policyId, userIds } = await setUp(graph, 120, 'Gone');
    await adminAddMany(
      graph,
      userIds.map((userId) => ({ accessPackageId: packageId, policyId, userId })),
      { sleep: fastSleep },
    );
    const ids: string[] = [];
    for await (const page of graph.pages<{ id: string }>(
      `${EM}/assignments?$filter=accessPackage/id eq '${packageId}' and state eq 'delivered'&$top=999`,
    ))
      ids.push(...page.map((a) => a.id));
    assert.equal(ids.length, 120);
    const removed = await adminRemoveMany(graph, [...ids, 'no-such-assignment'], { sleep: fastSleep });
    assert.equal(removed.filter((r) => r.ok).length, 120);
    const last = removed[120]!;
    assert.equal(last.ok, false);
    assert.equal(last.assignmentId, 'no-such-assignment');
    assert.equal((await countAssignments(graph, packageId)).size, 0);
  });
});

describe('batch outcomes without throttling', () => {
  let sandbox: Sandbox;
  let graph: GraphClient;
  const faults = new FaultInjector();
  let data: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    sandbox = await startSandbox({ seed: 'demo' });
    graph = new GraphClient({
      baseUrl: sandbox.url,
      getToken: () => Promise.resolve(sandbox.token),
      maxRetries: 1,
      retryDelaySeconds: 0,
      beforeSend: [faults],
    });
    data = await setUp(graph, 45, 'Plain');
  });
  after(() => sandbox.close());

  it('per-user errors stay per user; a duplicate key is a programming error', async () => {
    const report = await adminAddMany(graph, [
      { accessPackageId: data.packageId, policyId: data.policyId, userId: data.userIds[0]! },
      { accessPackageId: data.packageId, policyId: data.policyId, userId: 'not-a-user' },
      { accessPackageId: data.packageId, policyId: data.policyId, userId: data.userIds[0]! },
    ]);
    assert.equal(report[0]!.ok, true);
    assert.equal(report[1]!.ok, false);
    assert.equal(report[2]!.ok, false);
    assert.match(report[2]!.ok ? '' : report[2]!.code, /ActiveAssignmentExists|ExistingOpenRequest/);
    await assert.rejects(
      runBatched(graph, [
        { key: 'a', method: 'GET', url: '/users' },
        { key: 'a', method: 'GET', url: '/users' },
      ]),
      /used twice/,
    );
  });

  it('a batch that fails as a whole fails each of its calls with its code', async () => {
    faults.always = '503';
    try {
      const r = await runBatched(
        graph,
        Array.from({ length: 25 }, (_, i): BatchCall => ({ key: String(i), method: 'GET', url: '/users?$top=1' })),
        { maxAttempts: 1 },
      );
      assert.equal(r.length, 25);
      assert.ok(r.every((x) => !x.ok && x.code === 'ServiceUnavailable'));
    } finally {
      faults.clear();
    }
  });

  it('throttled calls that run out of attempts report the 429', async () => {
    const r = await runBatched(
      graph,
      [{ key: 'x', method: 'GET', url: '/users?$top=1', headers: { 'x-sandbox-fault': '429' } }],
      { maxAttempts: 3, sleep: async () => {} },
    );
    assert.deepEqual(
      r.map((x) => [x.ok, x.status, x.attempts]),
      [[false, 429, 3]],
    );
  });

  it('cancel: calls not sent come back as Canceled, none is lost or doubled', async () => {
    const abort = new AbortController();
    const calls = Array.from({ length: 200 }, (_, i): BatchCall => ({
      key: String(i),
      method: 'GET',
      url: '/users?$top=1',
    }));
    const r = await runBatched(graph, calls, {
      signal: abort.signal,
      concurrency: 1,
      onProgress: (done) => {
        if (done === 40) abort.abort();
      },
    });
    assert.equal(r.length, 200);
    assert.deepEqual(
      r.map((x) => x.key),
      calls.map((c) => c.key),
    );
    assert.equal(r.filter((x) => x.ok).length, 40);
    assert.ok(r.slice(40).every((x) => !x.ok && x.code === 'Canceled'));
  });

  it('finds users by the start of a display name, a UPN or a mail', async () => {
    const byName = await findUsers(graph, 'Plain User 001');
    assert.deepEqual(
      byName.map((u) => u.displayName).sort(),
      Array.from({ length: 10 }, (_, i) => `Plain User 001${i}`),
    );
    const byUpn = await findUsers(graph, 'plain4');
    assert.deepEqual(
      byUpn.map((u) => u.userPrincipalName).sort(),
      ['plain4', 'plain40', 'plain41', 'plain42', 'plain43', 'plain44'].map((n) => `${n}@contoso.test`).sort(),
    );
    const byMail = await findUsers(graph, 'plain.mail7@');
    assert.deepEqual(
      byMail.map((u) => u.mail),
      ['plain.mail7@fabrikam.test'],
    );
    assert.deepEqual(await findUsers(graph, "o'brien"), []);
  });

  it('resolves a CSV of UPNs through batched lookups, reporting the unknown ones', async () => {
    const csv =
      '\uFEFFdisplayName;UserPrincipalName\r\n"Plain, 1";plain1@contoso.test\r\nx;PLAIN2@contoso.test\r\ny;nobody@contoso.test\r\nz;plain1@contoso.test\r\n';
    const upns = upnsFromCsv(csv);
    assert.deepEqual(upns, ['plain1@contoso.test', 'PLAIN2@contoso.test', 'nobody@contoso.test']);
    const found = await usersByUpn(graph, upns);
    assert.deepEqual(
      found.map((f) => (f.ok ? f.user.id : f.code)),
      [data.userIds[1], data.userIds[2], 'UserNotFound'],
    );
  });

  it("reads a group's member users and who already holds a package", async () => {
    const group = await graph.post<{ id: string }>('/groups', {
      displayName: 'Plain group',
      mailEnabled: false,
      mailNickname: 'plaingroup',
      securityEnabled: true,
    });
    for (const u of data.userIds.slice(0, 3))
      await graph.post(`/groups/${group.id}/members/$ref`, { '@odata.id': `${sandbox.url}/directoryObjects/${u}` });
    const members = await groupMemberUsers(graph, group.id);
    assert.deepEqual(new Set(members.map((m) => m.id)), new Set(data.userIds.slice(0, 3)));
    const holders = await packageHolders(graph, data.packageId);
    assert.equal(holders.complete, true);
    // userIds[0] was assigned in the first test of this group.
    assert.deepEqual([...holders.ids], [data.userIds[0]]);
  });
});

describe('upnsFromCsv', () => {
  const cases: [string, string, string[]][] = [
    ['one UPN per line, no header', 'a@x.test\nb@x.test\n', ['a@x.test', 'b@x.test']],
    ['a header naming the column', 'name,mail\nA,a@x.test\nB,b@x.test', ['a@x.test', 'b@x.test']],
    ['a header row without @ is skipped', 'users\na@x.test', ['a@x.test']],
    ['tabs, blank lines and comments', 'upn\tname\n\n# ignored\na@x.test\tA\n', ['a@x.test']],
    ['quoted cells with doubled quotes', 'upn,note\n"a@x.test","say ""hi"", ok"\n', ['a@x.test']],
    ['duplicates in any case', 'a@x.test\nA@X.TEST\n', ['a@x.test']],
    ['empty text', '', []],
  ];
  for (const [what, text, expected] of cases)
    it(what, () => {
      assert.deepEqual(upnsFromCsv(text), expected);
    });
});
