/** "Who matches" against the sandbox's users, and the gain/lose comparison for an automatic policy. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AccessDiffCounter,
  allAssignments,
  cancelCheckEvery,
  compilePreviewRule,
  matchUsers,
  previewReport,
  saveMatchList,
  type CompiledPreviewRule,
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
    assert.ok(result.matched > 0);
    const current = await allAssignments(h.api.graph, pkg.id!, policy.id);
    const compared = await matchUsers(h.api.graph, compiled, { pageSize: 50, current });
    const diff = compared.diff!;
    assert.equal(diff.gain, 0, 'the sandbox already assigned everyone who matches');
    assert.equal(diff.lose, 0);
    assert.equal(diff.keep, result.matched);
    const report = previewReport('Preview', rule, compared);
    assert.match(report, new RegExp(`\\*\\*${result.matched}\\*\\* of ${result.scanned} users match`));
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
    const counter = new AccessDiffCounter(rows);
    counter.match({ id: 'U2', displayName: '', userPrincipalName: '' });
    counter.match({ id: 'u3', displayName: '', userPrincipalName: '' });
    const d = counter.result();
    assert.deepEqual(
      d.gainSample.map((u) => u.id),
      ['u3'],
    );
    assert.deepEqual(
      d.loseSample.map((r) => r.objectId),
      ['u1'],
    );
    assert.deepEqual([d.gain, d.lose, d.keep], [1, 1, 1]);
  });

  it('keeps a rule that contains backticks inside its code fence', () => {
    const report = previewReport('T', 'user.city -eq "````x"', { scanned: 0, matched: 0, sample: [] });
    assert.match(report, /^`{5}$/m);
  });
});

describe('match preview of a large tenant', () => {
  const users = 160_000;
  let h: Harness;
  let dir: string;
  before(async () => {
    // 160k users (one per bulk assignment): past the ~150k matches that overflowed the stack.
    h = await harness({ seed: 'empty', seedAssignments: users });
    dir = mkdtempSync(join(tmpdir(), 'preview-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });
  const everyone = (): CompiledPreviewRule => {
    const compiled = compilePreviewRule('user.department -eq "Load test"');
    assert.ok('test' in compiled);
    return compiled;
  };

  it('counts every match, keeps a bounded sample and renders the report', async () => {
    const result = await matchUsers(h.api.graph, everyone());
    assert.equal(result.scanned, users);
    assert.equal(result.matched, users);
    assert.equal(result.sample.length, 100);
    const report = previewReport('Everyone', 'user.department -eq "Load test"', result);
    assert.match(report, /\*\*160000\*\* of 160000 users match/);
    assert.match(report, /The first 100 of 160000 are shown; "Save full list…"/);
    assert.equal(report.split('\n').filter((l) => l.startsWith('- ')).length, 100);
  });

  it('saves the full list to a file on request, by streaming it again', async () => {
    const file = join(dir, 'all.csv');
    const counts = await saveMatchList(h.api.graph, everyone(), file);
    assert.equal(counts.matched, users);
    const lines = readFileSync(file, 'utf8').split('\r\n');
    assert.equal(lines[0], '"id","displayName","userPrincipalName"');
    assert.equal(lines.length, users + 2, 'a header, one line per user, and the final CRLF');
    assert.match(lines[1]!, /^"[0-9a-f-]{36}","Load User [^"]+","load\.[^"]+@contoso\.onmicrosoft\.com"$/);
  });

  it('honours cancel within a page, not only between pages', async () => {
    const compiled = everyone();
    const abort = new AbortController();
    let evaluated = 0;
    const counting: CompiledPreviewRule = {
      ...compiled,
      test: (u) => {
        if (++evaluated === 10) abort.abort();
        return compiled.test(u);
      },
    };
    await assert.rejects(
      matchUsers(h.api.graph, counting, { pageSize: 999, signal: abort.signal }),
      (e: { code?: string }) => e.code === 'Canceled',
    );
    assert.ok(evaluated < 10 + cancelCheckEvery, `${evaluated} users evaluated after the cancel`);
  });

  it('a canceled save leaves no partial file', async () => {
    const file = join(dir, 'canceled.csv');
    const abort = new AbortController();
    await assert.rejects(
      saveMatchList(h.api.graph, everyone(), file, {
        pageSize: 500,
        signal: abort.signal,
        onProgress: (p) => p.scanned >= 1000 && abort.abort(),
      }),
      (e: { code?: string }) => e.code === 'Canceled',
    );
    assert.equal(existsSync(file), false);
  });
});
