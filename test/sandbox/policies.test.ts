/** Assignment policies: validation errors, CRUD, automatic assignment on policy writes and user changes, grace periods. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignmentsOf, autoPolicy, client, directPolicy, EM, makePackage, makeUser, type Client } from './helpers';

let c: Client;
before(async () => {
  c = await client();
});
after(() => c.close());

const active = (list: any[]): any[] => list.filter((a) => a.state !== 'expired');

describe('policy validation', () => {
  const invalid: [string, (pkg: string) => unknown, RegExp][] = [
    ['unknown package', () => directPolicy('00000000-0000-0000-0000-000000000001'), /does not exist/],
    ['missing package', () => ({ displayName: 'x' }), /must name its access package/],
    [
      'bad allowedTargetScope',
      (p) => directPolicy(p, { allowedTargetScope: 'everyone' }),
      /^allowedTargetScope: Value is not accepted/,
    ],
    [
      'approval without stages',
      (p) => directPolicy(p, { requestApprovalSettings: { isApprovalRequiredForAdd: true, stages: [] } }),
      /no approval stage is defined/,
    ],
    [
      'bad duration',
      (p) => directPolicy(p, { expiration: { type: 'afterDuration', duration: '30 days' } }),
      /not an ISO 8601 duration/,
    ],
    [
      'auto without specific scope',
      (p) => ({ ...autoPolicy(p, 'user.department -eq "Sales"'), allowedTargetScope: 'allMemberUsers' }),
      /specificDirectoryUsers/,
    ],
    [
      'auto with two rules',
      (p) => {
        const b = autoPolicy(p, 'user.department -eq "Sales"') as any;
        b.specificAllowedTargets.push(b.specificAllowedTargets[0]);
        return b;
      },
      /exactly one attributeRuleMembers/,
    ],
    [
      'auto with a broken rule',
      (p) => autoPolicy(p, 'user.department -eq'),
      /^specificAllowedTargets\[0\]\.membershipRule: Expected a value after -eq/,
    ],
    [
      'beta property name',
      (p) => directPolicy(p, { accessPackageId: p }),
      /not part of Graph v1\.0; in v1\.0 use accessPackage/,
    ],
  ];
  for (const [name, body, message] of invalid) {
    it(`rejects ${name} with 400 and the messages`, async () => {
      const { packageId } = await makePackage(c, name);
      const r = await c.call('POST', `${EM}/assignmentPolicies`, body(packageId));
      assert.equal(r.status, 400, r.text);
      assert.equal(typeof r.json.error.code, 'string');
      assert.ok(Array.isArray(r.json.error.details) && r.json.error.details.length > 0);
      assert.ok(
        r.json.error.details.some((d: any) => message.test(d.message)),
        JSON.stringify(r.json.error.details),
      );
    });
  }
  it('rejects an invalid PUT the same way and leaves the policy unchanged', async () => {
    const { packageId } = await makePackage(c, 'put');
    const p = await c.ok('POST', `${EM}/assignmentPolicies`, directPolicy(packageId));
    const r = await c.call(
      'PUT',
      `${EM}/assignmentPolicies/${p.id}`,
      directPolicy(packageId, { allowedTargetScope: 'nobody' }),
    );
    assert.equal(r.status, 400);
    assert.equal((await c.ok('GET', `${EM}/assignmentPolicies/${p.id}`)).allowedTargetScope, 'notSpecified');
  });
});

describe('policy CRUD', () => {
  it('creates (201), reads, replaces (200), lists by package, deletes (204)', async () => {
    const { packageId } = await makePackage(c, 'crud');
    const created = await c.call('POST', `${EM}/assignmentPolicies`, directPolicy(packageId));
    assert.equal(created.status, 201);
    assert.ok(created.json.id && created.json.createdDateTime);
    const id = created.json.id;
    const put = await c.call(
      'PUT',
      `${EM}/assignmentPolicies/${id}`,
      directPolicy(packageId, { displayName: 'Renamed' }),
    );
    assert.equal(put.status, 200);
    assert.equal(put.json.displayName, 'Renamed');
    const withPkg = await c.ok('GET', `${EM}/assignmentPolicies/${id}?$expand=accessPackage`);
    assert.equal(withPkg.accessPackage.id, packageId);
    const byPkg = await c.ok('GET', `${EM}/assignmentPolicies?$filter=accessPackage/id eq '${packageId}'`);
    assert.equal(byPkg.value.length, 1);
    assert.equal((await c.call('PATCH', `${EM}/assignmentPolicies/${id}`, {})).status, 405);
    assert.equal((await c.call('DELETE', `${EM}/assignmentPolicies/${id}`)).status, 204);
    assert.equal((await c.call('GET', `${EM}/assignmentPolicies/${id}`)).status, 404);
  });
  it('refuses a second automatic policy on one package', async () => {
    const { packageId } = await makePackage(c, 'two-auto');
    await c.ok('POST', `${EM}/assignmentPolicies`, autoPolicy(packageId, 'user.department -eq "Nobody"'));
    const r = await c.call('POST', `${EM}/assignmentPolicies`, autoPolicy(packageId, 'user.department -eq "Other"'));
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /only one/);
  });
});

describe('automatic assignment', () => {
  it('assigns everyone the rule selects when the policy is created, and follows user changes', async () => {
    const a = await makeUser(c, 'auto-a', { department: 'Sales' });
    const b = await makeUser(c, 'auto-b', { department: 'Sales' });
    const other = await makeUser(c, 'auto-c', { department: 'Finance' });
    const { packageId } = await makePackage(c, 'auto');
    const policy = await c.ok(
      'POST',
      `${EM}/assignmentPolicies`,
      autoPolicy(packageId, '(user.department -eq "Sales") and (user.mailNickname -startsWith "auto-")'),
    );
    let list = active(await assignmentsOf(c, packageId));
    assert.deepEqual(list.map((x) => x.target.objectId).sort(), [a, b].sort());
    assert.ok(list.every((x) => x.state === 'delivered' && x.status === 'Delivered'));
    // Enter scope.
    assert.equal((await c.call('PATCH', `/users/${other}`, { department: 'Sales' })).status, 204);
    list = active(await assignmentsOf(c, packageId));
    assert.equal(list.length, 3);
    // Leave scope without a grace period: removed at once, kept as expired.
    await c.ok('PATCH', `/users/${a}`, { department: 'Marketing' });
    const all = await assignmentsOf(c, packageId);
    assert.deepEqual(
      active(all)
        .map((x) => x.target.objectId)
        .sort(),
      [b, other].sort(),
    );
    assert.equal(all.find((x) => x.target.objectId === a).state, 'expired');
    // The system filed its own requests.
    const reqs = await c.ok('GET', `${EM}/assignmentRequests?$filter=accessPackage/id eq '${packageId}'&$top=999`);
    assert.ok(reqs.value.some((r: any) => r.requestType === 'systemAdd'));
    assert.ok(reqs.value.some((r: any) => r.requestType === 'systemRemove'));
    // Changing the rule re-evaluates; deleting the policy ends its assignments.
    await c.ok('PUT', `${EM}/assignmentPolicies/${policy.id}`, autoPolicy(packageId, 'user.mailNickname -eq "auto-b"'));
    assert.deepEqual(
      active(await assignmentsOf(c, packageId)).map((x) => x.target.objectId),
      [b],
    );
    assert.equal((await c.call('DELETE', `${EM}/assignmentPolicies/${policy.id}`)).status, 204);
    assert.equal(active(await assignmentsOf(c, packageId)).length, 0);
  });
  it('keeps access for the grace period, then removes it (clock)', async () => {
    const u = await makeUser(c, 'grace-u', { department: 'Legal' });
    const { packageId } = await makePackage(c, 'grace');
    await c.ok(
      'POST',
      `${EM}/assignmentPolicies`,
      autoPolicy(packageId, 'user.department -eq "Legal" and user.mailNickname -eq "grace-u"', {
        removeAccessWhenTargetLeavesAllowedTargets: true,
        gracePeriodBeforeAccessRemoval: 'P7D',
      }),
    );
    assert.equal(active(await assignmentsOf(c, packageId)).length, 1);
    await c.ok('PATCH', `/users/${u}`, { department: 'Sales' });
    let [x] = await assignmentsOf(c, packageId);
    assert.equal(x.state, 'delivered');
    assert.equal(x.status, 'AutoAssignmentInGracePeriod');
    await c.hook('clock', { advance: 'P6D' });
    [x] = await assignmentsOf(c, packageId);
    assert.equal(x.status, 'AutoAssignmentInGracePeriod');
    await c.hook('clock', { advance: 'P2D' });
    [x] = await assignmentsOf(c, packageId);
    assert.equal(x.state, 'expired');
  });
  it('ends the grace period when the user comes back in scope', async () => {
    const u = await makeUser(c, 'back-u', { department: 'Legal' });
    const { packageId } = await makePackage(c, 'back');
    await c.ok(
      'POST',
      `${EM}/assignmentPolicies`,
      autoPolicy(packageId, 'user.mailNickname -eq "back-u" and user.department -eq "Legal"', {
        gracePeriodBeforeAccessRemoval: 'P7D',
      }),
    );
    await c.ok('PATCH', `/users/${u}`, { department: 'HR' });
    await c.ok('PATCH', `/users/${u}`, { department: 'Legal' });
    await c.hook('clock', { advance: 'P10D' });
    const [x] = await assignmentsOf(c, packageId);
    assert.equal(x.state, 'delivered');
    assert.equal(x.status, 'Delivered');
  });
  it('keeps access when removal is off', async () => {
    const u = await makeUser(c, 'keep-u', { department: 'Legal' });
    const { packageId } = await makePackage(c, 'keep');
    await c.ok(
      'POST',
      `${EM}/assignmentPolicies`,
      autoPolicy(packageId, 'user.mailNickname -eq "keep-u" and user.department -eq "Legal"', {
        removeAccessWhenTargetLeavesAllowedTargets: false,
      }),
    );
    await c.ok('PATCH', `/users/${u}`, { department: 'HR' });
    assert.equal(active(await assignmentsOf(c, packageId)).length, 1);
  });
  it('follows group membership for memberOf rules', async () => {
    const u = await makeUser(c, 'grp-u');
    const g = await c.ok('POST', '/groups', { displayName: 'Rule group', mailNickname: 'rulegroup' });
    const { packageId } = await makePackage(c, 'grp');
    await c.ok(
      'POST',
      `${EM}/assignmentPolicies`,
      autoPolicy(packageId, `user.memberOf -any (group.objectId -in ["${g.id}"])`),
    );
    assert.equal(active(await assignmentsOf(c, packageId)).length, 0);
    assert.equal(
      (
        await c.call('POST', `/groups/${g.id}/members/$ref`, {
          '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u}`,
        })
      ).status,
      204,
    );
    assert.equal(active(await assignmentsOf(c, packageId)).length, 1);
    assert.equal((await c.call('DELETE', `/groups/${g.id}/members/${u}/$ref`)).status, 204);
    assert.equal(active(await assignmentsOf(c, packageId)).length, 0);
  });
});
