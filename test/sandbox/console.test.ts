/**
 * The console's endpoints: cancel and reprocess a request, catalog resources (`resourceRequests`),
 * a package's resource role scopes, connected organisations — each success and error path.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, directPolicy, EM, makePackage, makeUser, type Client } from './helpers';

let c: Client;
before(async () => {
  c = await client();
});
after(() => c.close());

const APPROVALS = `${EM}/accessPackageAssignmentApprovals`;
const stage = {
  durationBeforeAutomaticDenial: 'P14D',
  isApproverJustificationRequired: false,
  isEscalationEnabled: false,
  durationBeforeEscalation: 'PT0S',
  primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: '7deff43e-1f17-44ef-9e5f-d516b0ba11d4' }],
  fallbackPrimaryApprovers: [],
  escalationApprovers: [],
  fallbackEscalationApprovers: [],
};

async function pending(name: string): Promise<{ reqId: string; userId: string; packageId: string }> {
  const { packageId } = await makePackage(c, name);
  const policy = await c.ok(
    'POST',
    `${EM}/assignmentPolicies`,
    directPolicy(packageId, {
      allowedTargetScope: 'allMemberUsers',
      requestApprovalSettings: { isApprovalRequiredForAdd: true, isApprovalRequiredForUpdate: false, stages: [stage] },
    }),
  );
  const userId = await makeUser(c, `${name}-user`, { userType: 'Member' });
  const req = await c.ok('POST', `${EM}/assignmentRequests`, {
    requestType: 'adminAdd',
    assignment: { targetId: userId, assignmentPolicyId: policy.id, accessPackageId: packageId },
  });
  return { reqId: req.id, userId, packageId };
}

const stageId = async (reqId: string): Promise<string> =>
  (await c.ok('GET', `${APPROVALS}/${reqId}`)).stages.at(-1).id as string;

describe('cancel a request', () => {
  it('cancels a pending request; its approval can no longer be decided', async () => {
    const { reqId } = await pending('cancel');
    const s = await stageId(reqId);
    const r = await c.call('POST', `${EM}/assignmentRequests/${reqId}/cancel`);
    assert.equal(r.status, 204, r.text);
    const req = await c.ok('GET', `${EM}/assignmentRequests/${reqId}`);
    assert.equal(req.state, 'canceled');
    assert.equal(req.status, 'Canceled');
    assert.ok(req.completedDateTime);
    const d = await c.call('PATCH', `${APPROVALS}/${reqId}/stages/${s}`, { reviewResult: 'Approve' });
    assert.equal(d.status, 409, d.text);
  });
  it('refuses a delivered or already canceled request, and an unknown one', async () => {
    const { reqId } = await pending('cancel-twice');
    await c.ok('POST', `${EM}/assignmentRequests/${reqId}/cancel`);
    const again = await c.call('POST', `${EM}/assignmentRequests/${reqId}/cancel`);
    assert.equal(again.status, 400);
    assert.equal(again.json.error.code, 'RequestNotCancelable');
    const unknown = await c.call('POST', `${EM}/assignmentRequests/00000000-0000-0000-0000-000000000000/cancel`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'ResourceNotFound');
  });
});

describe('reprocess a request', () => {
  it('a request whose delivery failed stays failed while the cause remains', async () => {
    const { reqId, userId } = await pending('reprocess');
    const s = await stageId(reqId);
    await c.ok('DELETE', `/users/${userId}`);
    await c.ok('PATCH', `${APPROVALS}/${reqId}/stages/${s}`, { reviewResult: 'Approve' });
    assert.equal((await c.ok('GET', `${EM}/assignmentRequests/${reqId}`)).state, 'deliveryFailed');
    const r = await c.call('POST', `${EM}/assignmentRequests/${reqId}/reprocess`);
    assert.equal(r.status, 202, r.text);
    assert.equal((await c.ok('GET', `${EM}/assignmentRequests/${reqId}`)).state, 'deliveryFailed');
    const cancel = await c.call('POST', `${EM}/assignmentRequests/${reqId}/cancel`);
    assert.equal(cancel.status, 204, 'a failed delivery can be canceled');
  });
  it('refuses a request that did not fail, and an unknown one', async () => {
    const { reqId } = await pending('reprocess-pending');
    const r = await c.call('POST', `${EM}/assignmentRequests/${reqId}/reprocess`);
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'RequestNotReprocessable');
    const unknown = await c.call('POST', `${EM}/assignmentRequests/nope/reprocess`);
    assert.equal(unknown.status, 404);
  });
});

async function group(name: string): Promise<string> {
  return (
    await c.ok('POST', '/groups', { displayName: name, mailNickname: name.replace(/\W/g, ''), securityEnabled: true })
  ).id as string;
}

describe('catalog resources and resource role scopes', () => {
  it('onboards a group, grants its Member role from a package, and takes both back', async () => {
    const { catalogId, packageId } = await makePackage(c, 'grants');
    const g = await group('Sales readers');
    const added = await c.call('POST', `${EM}/resourceRequests`, {
      requestType: 'adminAdd',
      resource: { originId: g, originSystem: 'AadGroup' },
      catalog: { id: catalogId },
    });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.json.state, 'delivered');
    const list = await c.ok('GET', `${EM}/catalogs/${catalogId}/resources?$expand=roles,scopes`);
    assert.equal(list.value.length, 1);
    const res = list.value[0];
    assert.equal(res.originId, g);
    assert.equal(res.displayName, 'Sales readers');
    assert.deepEqual(
      res.roles.map((r: any) => r.originId),
      [`Member_${g}`, `Owner_${g}`],
    );
    assert.equal(res.scopes[0].isRootScope, true);
    const plain = await c.ok('GET', `${EM}/catalogs/${catalogId}/resources`);
    assert.equal(plain.value[0].roles, undefined, 'roles only when expanded');

    const body = {
      role: { originId: `Member_${g}`, originSystem: 'AadGroup', resource: { id: res.id } },
      scope: { originId: g, originSystem: 'AadGroup' },
    };
    const rs = await c.call('POST', `${EM}/accessPackages/${packageId}/resourceRoleScopes`, body);
    assert.equal(rs.status, 201, rs.text);
    assert.equal(rs.json.id, `${res.roles[0].id}_${res.scopes[0].id}`);
    const dup = await c.call('POST', `${EM}/accessPackages/${packageId}/resourceRoleScopes`, body);
    assert.equal(dup.status, 400);
    assert.equal(dup.json.error.code, 'ResourceRoleScopeAlreadyExists');
    const scopes = await c.ok('GET', `${EM}/accessPackages/${packageId}/resourceRoleScopes?$expand=role,scope`);
    assert.equal(scopes.value.length, 1);
    assert.equal(scopes.value[0].id, rs.json.id);
    assert.equal(scopes.value[0].role.displayName, 'Member');
    assert.equal(scopes.value[0].role.resource.originId, g);

    const inUse = await c.call('POST', `${EM}/resourceRequests`, {
      requestType: 'adminRemove',
      resource: { id: res.id },
      catalog: { id: catalogId },
    });
    assert.equal(inUse.status, 400);
    assert.equal(inUse.json.error.code, 'ResourceInUse');
    assert.equal(
      (await c.call('DELETE', `${EM}/accessPackages/${packageId}/resourceRoleScopes/${rs.json.id}`)).status,
      204,
    );
    const gone = await c.call('DELETE', `${EM}/accessPackages/${packageId}/resourceRoleScopes/${rs.json.id}`);
    assert.equal(gone.status, 404);
    const removed = await c.call('POST', `${EM}/resourceRequests`, {
      requestType: 'adminRemove',
      resource: { id: res.id },
      catalog: { id: catalogId },
    });
    assert.equal(removed.status, 201, removed.text);
    assert.equal((await c.ok('GET', `${EM}/catalogs/${catalogId}/resources`)).value.length, 0);
  });
  it('refuses what it cannot do', async () => {
    const { catalogId, packageId } = await makePackage(c, 'grants-errors');
    const g = await group('Finance');
    const post = (body: unknown) => c.call('POST', `${EM}/resourceRequests`, body);
    const add = {
      requestType: 'adminAdd',
      resource: { originId: g, originSystem: 'AadGroup' },
      catalog: { id: catalogId },
    };
    assert.equal((await post({ ...add, requestType: 'adminUpdate' })).status, 400);
    assert.equal((await post({ ...add, resource: undefined })).status, 400);
    assert.equal((await post({ ...add, catalog: undefined })).status, 400);
    assert.equal((await post({ ...add, catalog: { id: 'nope' } })).status, 404);
    assert.equal((await post({ ...add, resource: { originId: 'x', originSystem: 'SharePointOnline' } })).status, 400);
    assert.equal((await post({ ...add, resource: { originId: 'nope', originSystem: 'AadGroup' } })).status, 404);
    assert.equal((await post(add)).status, 201);
    const dup = await post(add);
    assert.equal(dup.status, 400);
    assert.equal(dup.json.error.code, 'ResourceAlreadyOnboarded');
    const removeUnknown = await post({
      requestType: 'adminRemove',
      resource: { id: 'nope' },
      catalog: { id: catalogId },
    });
    assert.equal(removeUnknown.status, 404);

    const rsPath = `${EM}/accessPackages/${packageId}/resourceRoleScopes`;
    const other = await group('Not onboarded');
    const notInCatalog = await c.call('POST', rsPath, {
      role: { originId: `Member_${other}`, originSystem: 'AadGroup', resource: { originId: other } },
      scope: { originId: other },
    });
    assert.equal(notInCatalog.status, 400);
    assert.equal(notInCatalog.json.error.code, 'ResourceNotInCatalog');
    const badRole = await c.call('POST', rsPath, {
      role: { originId: `Reader_${g}`, resource: { originId: g } },
      scope: { originId: g },
    });
    assert.equal(badRole.status, 400);
    const badScope = await c.call('POST', rsPath, {
      role: { originId: `Member_${g}`, resource: { originId: g } },
      scope: { originId: 'elsewhere' },
    });
    assert.equal(badScope.status, 400);
    assert.equal((await c.call('POST', rsPath, { role: {} })).status, 400);
    assert.equal((await c.call('GET', `${EM}/accessPackages/nope/resourceRoleScopes`)).status, 404);
    assert.equal((await c.call('POST', `${EM}/accessPackages/nope/resourceRoleScopes`, {})).status, 404);
  });
});

describe('connected organisations', () => {
  it('creates, lists, reads and deletes', async () => {
    const r = await c.call('POST', `${EM}/connectedOrganizations`, {
      displayName: 'Fabrikam',
      description: 'Partner',
      identitySources: [
        {
          '@odata.type': '#microsoft.graph.domainIdentitySource',
          domainName: 'fabrikam.com',
          displayName: 'fabrikam.com',
        },
      ],
      state: 'configured',
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.state, 'configured');
    const list = await c.ok('GET', `${EM}/connectedOrganizations?$filter=displayName eq 'Fabrikam'`);
    assert.equal(list.value.length, 1);
    assert.equal((await c.ok('GET', `${EM}/connectedOrganizations/${r.json.id}`)).displayName, 'Fabrikam');
    assert.equal((await c.call('DELETE', `${EM}/connectedOrganizations/${r.json.id}`)).status, 204);
    assert.equal((await c.call('GET', `${EM}/connectedOrganizations/${r.json.id}`)).status, 404);
    assert.equal((await c.call('DELETE', `${EM}/connectedOrganizations/${r.json.id}`)).status, 404);
  });
  it('refuses bodies Graph refuses', async () => {
    const post = (body: unknown) => c.call('POST', `${EM}/connectedOrganizations`, body);
    const src = [{ '@odata.type': '#microsoft.graph.azureActiveDirectoryTenant', tenantId: 'x', displayName: 'x' }];
    assert.equal((await post({ identitySources: src })).status, 400);
    assert.equal((await post({ displayName: 'A', identitySources: [] })).status, 400);
    assert.equal((await post({ displayName: 'A', identitySources: [{ '@odata.type': 'nope' }] })).status, 400);
    assert.equal((await post({ displayName: 'A', identitySources: src, state: 'weird' })).status, 400);
    assert.equal((await post({ displayName: 'A', identitySources: src })).json.state, 'proposed');
  });
});

describe('demo tenant dates', () => {
  it('requests happen on many different days; pending approvals are within their decision window', async () => {
    const demo = await client({ seed: 'demo', testHooks: true });
    try {
      const all = (await demo.ok('GET', `${EM}/assignmentRequests?$top=999`)).value as {
        createdDateTime: string;
        state: string;
      }[];
      const days = new Set(all.map((r) => r.createdDateTime.slice(0, 10)));
      assert.ok(days.size >= 30, `${all.length} requests on ${days.size} days`);
      const now = Date.now();
      for (const r of all.filter((x) => x.state === 'pendingApproval'))
        assert.ok(now - Date.parse(r.createdDateTime) < 14 * 24 * 3600 * 1000, r.createdDateTime);
      assert.ok(all.some((r) => r.state === 'pendingApproval'));
    } finally {
      await demo.close();
    }
  });
});
