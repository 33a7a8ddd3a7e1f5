/** The Graph layer against the sandbox: signing, absolute links, round trips, Graph's errors. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EM, adminAddBody, assignmentsPath } from '../../client/src/graph/entitlements';
import { GraphClient, GraphRequestError, query, splitBaseUrl } from '../../client/src/graph/graphClient';
import { harness, type Harness } from './helpers';

const directPolicy = (packageId: string, displayName = 'Direct'): Record<string, unknown> => ({
  displayName,
  description: 'admin only',
  allowedTargetScope: 'notSpecified',
  specificAllowedTargets: [],
  expiration: { type: 'noExpiration' },
  requestorSettings: {
    enableTargetsToSelfAddAccess: false,
    enableTargetsToSelfUpdateAccess: false,
    enableTargetsToSelfRemoveAccess: false,
    allowCustomAssignmentSchedule: true,
    enableOnBehalfRequestorsToAddAccess: false,
    enableOnBehalfRequestorsToUpdateAccess: false,
    enableOnBehalfRequestorsToRemoveAccess: false,
    onBehalfRequestors: [],
  },
  requestApprovalSettings: {
    isApprovalRequiredForAdd: false,
    isApprovalRequiredForUpdate: false,
    isRequestorJustificationRequired: false,
    stages: [],
  },
  accessPackage: { id: packageId },
});

describe('Graph layer', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ seed: 'demo', seedAssignments: 150 });
  });
  after(() => h.close());

  it('splits the service root into the SDK host and version', () => {
    assert.deepEqual(splitBaseUrl('http://127.0.0.1:8080/v1.0'), {
      host: 'http://127.0.0.1:8080/',
      version: 'v1.0',
      root: 'http://127.0.0.1:8080/v1.0',
    });
    assert.deepEqual(splitBaseUrl('https://graph.microsoft.com/v1.0/'), {
      host: 'https://graph.microsoft.com/',
      version: 'v1.0',
      root: 'https://graph.microsoft.com/v1.0',
    });
    assert.equal(query({ $filter: "a eq 'x&y'", $top: 5, $skip: undefined }), "?$filter=a%20eq%20'x%26y'&$top=5");
  });

  it('follows an http:// @odata.nextLink exactly as received', async () => {
    const cats = await h.api.catalogs();
    const bulk = cats.items.find((c) => /Load test/.test(c.displayName ?? ''))!;
    const pkg = (await h.api.accessPackages(bulk.id!)).items[0]!;
    const first = await h.api.assignments({ accessPackageId: pkg.id! });
    assert.ok(first.nextLink?.startsWith('http://127.0.0.1:'));
    h.log.length = 0;
    const second = await h.api.assignments({ accessPackageId: pkg.id! }, first.nextLink);
    assert.equal(second.items.length, 50);
    assert.equal(second.nextLink, undefined);
    assert.equal(h.log.length, 1);
    assert.ok(h.log[0]!.startsWith(`GET ${first.nextLink} → 200`), h.log[0]);
    assert.ok(!h.log[0]!.includes(h.sandbox.token), 'tokens are never logged');
  });

  it('refuses to send a request (and the token) to another origin', async () => {
    await assert.rejects(
      h.api.graph.get('http://127.0.0.2:9/v1.0/users'),
      (e: unknown) => e instanceof GraphRequestError && e.code === 'UntrustedLink',
    );
  });

  it('asks the token source for the least privilege each call needs', async () => {
    const asked: string[] = [];
    const g = new GraphClient({ baseUrl: h.sandbox.url, getToken: async (p) => (asked.push(p), h.sandbox.token) });
    await g.get(`${EM}/catalogs`);
    await g.get('/users?$top=1', { permission: 'User.ReadBasic.All' });
    await assert.rejects(g.post(`${EM}/assignmentRequests`, {}));
    assert.deepEqual(asked, [
      'EntitlementManagement.Read.All',
      'User.ReadBasic.All',
      'EntitlementManagement.ReadWrite.All',
    ]);
  });

  it('creates a package and a policy, updates and deletes the policy', async () => {
    const cats = await h.api.catalogs();
    const general = cats.items.find((c) => c.displayName === 'General')!;
    const pkg = await h.api.createAccessPackage(general.id!, 'Round trip', 'made by a test');
    assert.equal(pkg.displayName, 'Round trip');
    const created = await h.api.createPolicy(directPolicy(pkg.id!));
    assert.ok(created.id);
    const read = await h.api.policy(created.id);
    assert.equal(read.displayName, 'Direct');
    const updated = await h.api.updatePolicy(created.id, directPolicy(pkg.id!, 'Direct (renamed)'));
    assert.equal(updated.displayName, 'Direct (renamed)');
    assert.deepEqual(
      (await h.api.policies(pkg.id!)).items.map((p) => p.displayName),
      ['Direct (renamed)'],
    );
    await h.api.deletePolicy(created.id);
    assert.deepEqual((await h.api.policies(pkg.id!)).items, []);
  });

  it("surfaces a 400 with Graph's code, message and details", async () => {
    const cats = await h.api.catalogs();
    const pkg = await h.api.createAccessPackage(cats.items[0]!.id!, 'Bad policy target', '');
    const bad = { ...directPolicy(pkg.id!), expiration: { type: 'afterDuration', duration: 'fourteen days' } };
    await assert.rejects(h.api.createPolicy(bad), (e: unknown) => {
      assert.ok(e instanceof GraphRequestError);
      assert.equal(e.status, 400);
      assert.ok(e.code.length > 0);
      assert.ok(e.message.length > 0);
      return true;
    });
  });

  it('searches users by display-name prefix, assigns several, and removes one', async () => {
    const cats = await h.api.catalogs();
    const general = cats.items.find((c) => c.displayName === 'General')!;
    const pkg = await h.api.createAccessPackage(general.id!, 'Assign round trip', '');
    const policy = await h.api.createPolicy(directPolicy(pkg.id!));
    const found = await h.api.searchUsers('Load User');
    assert.equal(found.items.length, 25);
    assert.ok(found.items.every((u) => u.displayName!.startsWith('Load User')));
    const ids = found.items.slice(0, 3).map((u) => u.id!);
    const results = await h.api.adminAdd(
      [...ids, 'no-such-user'].map((userId) => ({
        accessPackageId: pkg.id!,
        policyId: policy.id!,
        userId,
        justification: 'test',
      })),
    );
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, true, true, false],
    );
    const failed = results[3]!;
    assert.ok(!failed.ok && failed.code === 'BadRequest' && /does not exist/.test(failed.message));
    const again = await h.api.adminAdd([{ accessPackageId: pkg.id!, policyId: policy.id!, userId: ids[0]! }]);
    assert.ok(!again[0]!.ok && again[0]!.code === 'ActiveAssignmentExists');
    const page = await h.api.assignments({ accessPackageId: pkg.id! });
    assert.equal(page.items.length, 3);
    assert.ok(page.items.every((a) => a.target?.principalName && a.assignmentPolicy?.displayName === 'Direct'));
    const removed = await h.api.adminRemove(page.items[0]!.id!);
    assert.equal(removed.requestType, 'adminRemove');
    const delivered = await h.api.assignments({ accessPackageId: pkg.id!, state: 'delivered' });
    assert.equal(delivered.items.length, 2);
  });

  it('builds adminAdd bodies with a schedule and answers, and assignment queries with filters', () => {
    assert.deepEqual(
      adminAddBody({
        accessPackageId: 'p',
        policyId: 'q',
        userId: 'u',
        endDateTime: '2030-01-01T00:00:00Z',
        startDateTime: '2029-01-01T00:00:00Z',
        answers: [{ a: 1 }],
      }),
      {
        requestType: 'adminAdd',
        assignment: { targetId: 'u', assignmentPolicyId: 'q', accessPackageId: 'p' },
        schedule: {
          startDateTime: '2029-01-01T00:00:00Z',
          expiration: { type: 'afterDateTime', endDateTime: '2030-01-01T00:00:00Z' },
        },
        answers: [{ a: 1 }],
      },
    );
    assert.equal(
      decodeURIComponent(assignmentsPath({ accessPackageId: "o'k", state: 'expired' })),
      `${EM}/assignments?$filter=accessPackage/id eq 'o''k' and state eq 'expired'&$expand=target,assignmentPolicy($select=id,displayName)`,
    );
  });
});
