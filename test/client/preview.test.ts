/** "Who matches" against the sandbox's users, and the gain/lose comparison for an automatic policy. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  allAssignments,
  compilePreviewRule,
  diffAccess,
  matchUsers,
  previewReport,
} from '../../client/src/preview/matchPreview';
import { autoAssignmentRule } from '../../client/src/tree/nodes/policyNode';
import { harness, type Harness } from './helpers';

describe('match preview', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ seed: 'demo' });
  });
  after(() => h.close());

  it('selects only the fields the rule reads, with the least permission', () => {
    const basic = compilePreviewRule('user.displayName -startsWith "A"');
    assert.ok('test' in basic);
    assert.deepEqual(basic.select, ['id', 'displayName', 'userPrincipalName']);
    assert.equal(basic.permission, 'User.ReadBasic.All');
    const full = compilePreviewRule(
      '(user.department -eq "Sales") and (user.extensionAttribute3 -eq "x") and (user.mobile -ne null)',
    );
    assert.ok('test' in full);
    assert.deepEqual(full.select, [
      'id',
      'displayName',
      'userPrincipalName',
      'department',
      'onPremisesExtensionAttributes',
      'mobilePhone',
    ]);
    assert.equal(full.permission, 'User.Read.All');
  });

  it('refuses rules with errors, and rules on group membership', () => {
    assert.ok('error' in compilePreviewRule('user.department -eq'));
    assert.ok(
      'error' in compilePreviewRule('user.memberOf -any (group.objectId -in ["00000000-0000-0000-0000-000000000000"])'),
    );
  });

  it('pages through the users and agrees with the sandbox on an automatic policy', async () => {
    const cats = await h.api.catalogs();
    const sales = cats.items.find((c) => c.displayName === 'Sales and Marketing')!;
    const pkg = (await h.api.accessPackages(sales.id!)).items.find((p) => /automatic/.test(p.displayName!))!;
    const policy = (await h.api.policies(pkg.id!)).items.find((p) => autoAssignmentRule(p) !== undefined)!;
    const rule = autoAssignmentRule(policy)!;
    const compiled = compilePreviewRule(rule);
    assert.ok('test' in compiled);
    const progress: number[] = [];
    const result = await matchUsers(h.api.graph, compiled, {
      pageSize: 50,
      onProgress: (p) => progress.push(p.scanned),
    });
    assert.ok(result.scanned > 50 && progress.length > 1, 'several pages');
    assert.ok(result.matched.length > 0);
    const current = await allAssignments(h.api.graph, pkg.id!, policy.id);
    const diff = diffAccess(result.matched, current);
    assert.equal(diff.gain.length, 0, 'the sandbox already assigned everyone who matches');
    assert.equal(diff.lose.length, 0);
    assert.equal(diff.keep, result.matched.length);
    const report = previewReport('Preview', rule, result, diff);
    assert.match(report, new RegExp(`\\*\\*${result.matched.length}\\*\\* of ${result.scanned} users match`));
  });

  it('stops when canceled', async () => {
    const compiled = compilePreviewRule('user.accountEnabled -eq true');
    assert.ok('test' in compiled);
    const abort = new AbortController();
    await assert.rejects(
      matchUsers(h.api.graph, compiled, { pageSize: 10, signal: abort.signal, onProgress: () => abort.abort() }),
      (e: { code?: string }) => e.code === 'Canceled',
    );
  });

  it('compares a changed rule with current assignments: who gains, who loses', () => {
    const rows = [
      { id: 'a1', objectId: 'u1', state: 'delivered' },
      { id: 'a2', objectId: 'u2', state: 'delivered' },
      { id: 'a3', objectId: 'u3', state: 'expired' },
    ].map((r) => ({
      status: '',
      targetName: r.objectId,
      principalName: '',
      email: '',
      policyId: '',
      policyName: '',
      start: '',
      end: '',
      ...r,
    }));
    const d = diffAccess(
      [
        { id: 'U2', displayName: '', userPrincipalName: '' },
        { id: 'u3', displayName: '', userPrincipalName: '' },
      ],
      rows,
    );
    assert.deepEqual(
      d.gain.map((u) => u.id),
      ['u3'],
    );
    assert.deepEqual(
      d.lose.map((r) => r.objectId),
      ['u1'],
    );
    assert.equal(d.keep, 1);
  });
});
