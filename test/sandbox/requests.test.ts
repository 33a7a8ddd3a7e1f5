/** Assignment requests: adminAdd/adminRemove/userAdd/userRemove, scope and duplicate refusals, approvals, expiry. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignmentsOf, client, directPolicy, EM, makePackage, makeUser, type Client } from './helpers';

let c: Client;
before(async () => {
  c = await client();
});
after(() => c.close());

const addBody = (targetId: string, policy: any, type = 'adminAdd') => ({
  requestType: type,
  assignment: { targetId, assignmentPolicyId: policy.id, accessPackageId: policy.accessPackage?.id },
});
const APPROVALS = `${EM}/accessPackageAssignmentApprovals`;

function stage(durationBeforeAutomaticDenial = 'P14D') {
  return {
    durationBeforeAutomaticDenial,
    isApproverJustificationRequired: false,
    isEscalationEnabled: false,
    durationBeforeEscalation: 'PT0S',
    primaryApprovers: [
      { '@odata.type': '#microsoft.graph.singleUser', userId: '7deff43e-1f17-44ef-9e5f-d516b0ba11d4' },
    ],
    fallbackPrimaryApprovers: [],
    escalationApprovers: [],
    fallbackEscalationApprovers: [],
  };
}

async function setup(name: string, extra: Record<string, unknown> = {}) {
  const { packageId } = await makePackage(c, name);
  const policy = await c.ok('POST', `${EM}/assignmentPolicies`, directPolicy(packageId, extra));
  policy.accessPackage = { id: packageId };
  return { packageId, policy };
}

describe('adminAdd and adminRemove', () => {
  it('delivers an assignment; the create answer is submitted/Accepted', async () => {
    const { packageId, policy } = await setup('add');
    const u = await makeUser(c, 'req-add');
    const r = await c.call('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.state, 'submitted');
    assert.equal(r.json.status, 'Accepted');
    const now = await c.ok(
      'GET',
      `${EM}/assignmentRequests/${r.json.id}?$expand=assignment($expand=target),accessPackage,requestor`,
    );
    assert.equal(now.state, 'delivered');
    assert.equal(now.assignment.target.objectId, u);
    assert.equal(now.accessPackage.id, packageId);
    const [a] = await assignmentsOf(c, packageId);
    assert.equal(a.state, 'delivered');
  });
  it('refuses a duplicate adminAdd while the assignment is active', async () => {
    const { policy } = await setup('dup');
    const u = await makeUser(c, 'req-dup');
    await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    const r = await c.call('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /already has an active assignment/);
  });
  it('refuses a target outside the policy scope', async () => {
    const { policy } = await setup('scope', {
      allowedTargetScope: 'specificDirectoryUsers',
      specificAllowedTargets: [
        { '@odata.type': '#microsoft.graph.singleUser', userId: '0f0f0f0f-0000-4000-8000-000000000abc' },
      ],
    });
    const u = await makeUser(c, 'req-scope');
    const r = await c.call('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'TargetNotInPolicyScope');
    const guest = await makeUser(c, 'req-guest', { userType: 'Guest' });
    const members = await setup('members', { allowedTargetScope: 'allMemberUsers' });
    assert.equal((await c.call('POST', `${EM}/assignmentRequests`, addBody(guest, members.policy))).status, 400);
  });
  it('refuses bad bodies', async () => {
    const { policy } = await setup('bad');
    for (const body of [
      {},
      { requestType: 'adminAdd' },
      { requestType: 'teleport', assignment: {} },
      addBody('no-such-user', policy),
      { requestType: 'adminRemove', assignment: {} },
    ]) {
      const r = await c.call('POST', `${EM}/assignmentRequests`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
    }
  });
  it('adminRemove ends the assignment (expired) and a new adminAdd is then accepted', async () => {
    const { packageId, policy } = await setup('remove');
    const u = await makeUser(c, 'req-remove');
    await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    const [a] = await assignmentsOf(c, packageId, ` and state eq 'Delivered' and target/objectId eq '${u}'`);
    const r = await c.ok('POST', `${EM}/assignmentRequests`, { requestType: 'adminRemove', assignment: { id: a.id } });
    assert.equal((await c.ok('GET', `${EM}/assignmentRequests/${r.id}`)).state, 'delivered');
    const after = await c.ok('GET', `${EM}/assignments/${a.id}`);
    assert.equal(after.state, 'expired');
    assert.ok(after.expiredDateTime);
    assert.equal(
      (await c.call('POST', `${EM}/assignmentRequests`, { requestType: 'adminRemove', assignment: { id: a.id } }))
        .status,
      400,
    );
    assert.equal((await c.call('POST', `${EM}/assignmentRequests`, addBody(u, policy))).status, 201);
  });
  it('userAdd and userRemove follow the requestor settings', async () => {
    const closed = await setup('user-closed', { allowedTargetScope: 'allMemberUsers' });
    const u = await makeUser(c, 'req-user');
    assert.equal((await c.call('POST', `${EM}/assignmentRequests`, addBody(u, closed.policy, 'userAdd'))).status, 400);
    const open = await setup('user-open', {
      allowedTargetScope: 'allMemberUsers',
      requestorSettings: { enableTargetsToSelfAddAccess: true, enableTargetsToSelfRemoveAccess: true },
    });
    await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, open.policy, 'UserAdd'));
    const [a] = await assignmentsOf(c, open.packageId);
    assert.equal(a.state, 'delivered');
    await c.ok('POST', `${EM}/assignmentRequests`, { requestType: 'userRemove', assignment: { id: a.id } });
    assert.equal((await c.ok('GET', `${EM}/assignments/${a.id}`)).state, 'expired');
  });
});

describe('approvals', () => {
  const approvalPolicy = (stages: unknown[]) => ({
    allowedTargetScope: 'allMemberUsers',
    requestApprovalSettings: { isApprovalRequiredForAdd: true, isApprovalRequiredForUpdate: false, stages },
  });
  const current = async (id: string) => (await c.ok('GET', `${APPROVALS}/${id}/stages`)).value.at(-1);

  it('two approvals deliver the assignment', async () => {
    const { packageId, policy } = await setup('approve', approvalPolicy([stage(), stage()]));
    const u = await makeUser(c, 'appr-yes');
    const req = await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    assert.equal((await c.ok('GET', `${EM}/assignmentRequests/${req.id}`)).state, 'pendingApproval');
    const first = await current(req.id);
    assert.equal(first.status, 'InProgress');
    assert.equal(first.reviewResult, 'NotReviewed');
    assert.equal(
      (
        await c.call('PATCH', `${APPROVALS}/${req.id}/stages/${first.id}`, {
          reviewResult: 'Approve',
          justification: 'ok',
        })
      ).status,
      204,
    );
    assert.equal((await c.ok('GET', `${EM}/assignmentRequests/${req.id}`)).state, 'pendingApproval');
    // A decided stage cannot be decided again.
    assert.equal(
      (await c.call('PATCH', `${APPROVALS}/${req.id}/stages/${first.id}`, { reviewResult: 'Deny' })).status,
      409,
    );
    const second = await current(req.id);
    assert.notEqual(second.id, first.id);
    await c.ok('PATCH', `${APPROVALS}/${req.id}/stages/${second.id}`, { reviewResult: 'Approve' });
    const done = await c.ok('GET', `${EM}/assignmentRequests/${req.id}`);
    assert.equal(done.state, 'delivered');
    const stages = (await c.ok('GET', `${APPROVALS}/${req.id}`)).stages;
    assert.deepEqual(
      stages.map((s: any) => s.reviewResult),
      ['Approved', 'Approved'],
    );
    assert.equal((await assignmentsOf(c, packageId))[0].state, 'delivered');
  });
  it('a deny ends the request as denied without an assignment', async () => {
    const { packageId, policy } = await setup('deny', approvalPolicy([stage()]));
    const u = await makeUser(c, 'appr-no');
    const req = await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    const dup = await c.call('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    assert.equal(dup.status, 400);
    assert.equal(dup.json.error.code, 'ExistingOpenRequest');
    const s = await current(req.id);
    await c.ok('PATCH', `${APPROVALS}/${req.id}/stages/${s.id}`, { reviewResult: 'Deny', justification: 'no' });
    const r = await c.ok('GET', `${EM}/assignmentRequests/${req.id}`);
    assert.equal(r.state, 'denied');
    assert.equal((await assignmentsOf(c, packageId)).length, 0);
  });
  it('rejects bad decisions and unknown approvals', async () => {
    const { policy } = await setup('bad-decision', approvalPolicy([stage()]));
    const u = await makeUser(c, 'appr-bad');
    const req = await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    const s = await current(req.id);
    assert.equal(
      (await c.call('PATCH', `${APPROVALS}/${req.id}/stages/${s.id}`, { reviewResult: 'Maybe' })).status,
      400,
    );
    assert.equal(
      (await c.call('PATCH', `${APPROVALS}/${req.id}/stages/nope`, { reviewResult: 'Approve' })).status,
      404,
    );
    assert.equal((await c.call('GET', `${APPROVALS}/nope/stages`)).status, 404);
  });
  it('an undecided request is denied when the stage times out (clock)', async () => {
    const { policy } = await setup('timeout', approvalPolicy([stage('P2D')]));
    const u = await makeUser(c, 'appr-late');
    const req = await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    await c.hook('clock', { advance: 'P3D' });
    const r = await c.ok('GET', `${EM}/assignmentRequests/${req.id}`);
    assert.equal(r.state, 'denied');
    assert.equal((await current(req.id)).status, 'Expired');
  });
});

describe('expiration', () => {
  it('afterDuration ends assignments when the clock passes the end', async () => {
    const { packageId, policy } = await setup('dur', { expiration: { type: 'afterDuration', duration: 'P30D' } });
    const u = await makeUser(c, 'exp-dur');
    await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    let [a] = await assignmentsOf(c, packageId);
    assert.equal(a.schedule.expiration.type, 'afterDuration');
    assert.ok(a.schedule.expiration.endDateTime);
    await c.hook('clock', { advance: 'P29D' });
    [a] = await assignmentsOf(c, packageId);
    assert.equal(a.state, 'delivered');
    await c.hook('clock', { advance: 'P2D' });
    [a] = await assignmentsOf(c, packageId);
    assert.equal(a.state, 'expired');
    assert.equal((await assignmentsOf(c, packageId, ` and state eq 'Delivered'`)).length, 0);
  });
  it('afterDateTime ends assignments at the date', async () => {
    const now = Date.parse(
      ((await (await fetch(`${new URL(c.sandbox.url).origin}/_sandbox/health`)).json()) as { now: string }).now,
    );
    const end = new Date(now + 5 * 86_400_000).toISOString();
    const { packageId, policy } = await setup('date', { expiration: { type: 'afterDateTime', endDateTime: end } });
    const u = await makeUser(c, 'exp-date');
    await c.ok('POST', `${EM}/assignmentRequests`, addBody(u, policy));
    await c.hook('clock', { now: new Date(now + 6 * 86_400_000).toISOString() });
    const [a] = await assignmentsOf(c, packageId);
    assert.equal(a.state, 'expired');
  });
});
