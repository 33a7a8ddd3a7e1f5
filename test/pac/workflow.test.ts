/**
 * Policy as code end to end, through real HTTP: `dist/cli.js pull|plan|apply` against sandboxes
 * started in this process. The sequence of the "done when": pull the demo tenant, plan
 * (no changes), a local edit (one update naming `description`, never drift), apply, plan, a change
 * in the tenant (drift), apply into a `--seed directory` tenant, plan with and without the state,
 * pull that tenant into a second folder (byte-identical payload files).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, EM, type Client } from '../sandbox/helpers';
import { cli, copyWithoutState, payloadFiles, planJson, type JsonChange } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'entitlements-pac-'));
const dirA = join(root, 'a');
const policyFile = 'sales-and-marketing/crm-access/direct-assignment.policy.json';
let demo: Client;
let clean: Client;

before(async () => {
  demo = await client({ seed: 'demo' });
  clean = await client({ seed: 'directory' });
});
after(async () => {
  await demo?.close();
  await clean?.close();
  rmSync(root, { recursive: true, force: true });
});

const pull = (c: Client, dir: string, ...extra: string[]) =>
  cli(c.sandbox.token, 'pull', '--tenant', c.sandbox.url, ...extra, dir);
const apply = (c: Client, dir: string, ...extra: string[]) =>
  cli(c.sandbox.token, 'apply', '--tenant', c.sandbox.url, dir, '--yes', ...extra);
const pending = (changes: JsonChange[]) => changes.filter((c) => c.action !== 'noop');

test('pull writes the layout, every file valid, and a second pull rewrites nothing', async () => {
  const r = await pull(demo, dirA);
  assert.equal(r.code, 0, r.stderr);
  const files = payloadFiles(dirA);
  assert.ok(files.has('general/general.catalog.json'));
  assert.ok(files.has('sales-and-marketing/crm-access/crm-access.accessPackage.json'));
  assert.ok(files.has(policyFile));
  assert.equal([...files.keys()].filter((f) => f.endsWith('.policy.json')).length, 5);
  const policy = JSON.parse(files.get(policyFile)!) as Record<string, unknown>;
  for (const k of ['id', 'createdDateTime', 'modifiedDateTime', 'accessPackage'])
    assert.equal(policy[k], undefined, `${k} is not kept in the file`);
  assert.ok(existsSync(join(dirA, '.entitlements', 'state.json')));
  const state = readFileSync(join(dirA, '.entitlements', 'state.json'), 'utf8');
  const again = await pull(demo, dirA);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 file\(s\) written, 13 unchanged, 0 removed/);
  assert.deepEqual(payloadFiles(dirA), files);
  assert.equal(readFileSync(join(dirA, '.entitlements', 'state.json'), 'utf8'), state);
  const check = await cli(undefined, 'check', ...[...files.keys()].map((f) => join(dirA, f)));
  // `check` does not know the layout, so policies lacking accessPackage are the only errors it may report.
  assert.doesNotMatch(check.stdout, /P1\d\d|P2\d\d|P3\d\d|P4\d\d|P5\d\d|P6\d\d|P701/);
});

test('plan right after the pull: no changes, exit 0', async () => {
  const { code, changes } = await planJson(demo, dirA);
  assert.equal(code, 0);
  assert.equal(changes.length, 13);
  assert.ok(changes.every((c) => c.action === 'noop'));
  assert.deepEqual(Object.keys(changes[0]!), ['action', 'kind', 'file', 'id', 'fields']);
});

test('a local edit of a description: exactly one update naming description, not drift, exit 3', async () => {
  const path = join(dirA, policyFile);
  const policy = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  policy.description = 'Edited in the folder.';
  writeFileSync(path, `${JSON.stringify(policy, null, 2)}\n`);
  const { code, changes } = await planJson(demo, dirA);
  assert.equal(code, 3);
  const p = pending(changes);
  assert.equal(p.length, 1);
  assert.equal(p[0]!.action, 'update');
  assert.equal(p[0]!.kind, 'policy');
  assert.equal(p[0]!.file, policyFile);
  assert.deepEqual(p[0]!.fields, ['description']);
  assert.equal(p[0]!.drift, undefined);
  const text = await cli(demo.sandbox.token, 'plan', '--tenant', demo.sandbox.url, dirA);
  assert.equal(text.code, 3);
  assert.match(text.stdout, /~ update policy .*direct-assignment\.policy\.json \(description\)/);
});

test('apply carries it out; plan then says no changes; a second apply changes nothing', async () => {
  const r = await apply(demo, dirA);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /applied 1 change\(s\), 0 failed/);
  const { code } = await planJson(demo, dirA);
  assert.equal(code, 0);
  const id = (await planJson(demo, dirA)).changes.find((c) => c.file === policyFile)!.id!;
  const live = await demo.ok('GET', `${EM}/assignmentPolicies/${id}`);
  assert.equal(live.description, 'Edited in the folder.');
  const second = await apply(demo, dirA);
  assert.equal(second.code, 0);
  assert.match(second.stdout, /applied 0 change\(s\), 0 failed/);
});

test('a change made in the tenant is drift; a local edit on top of it is still reported as drift only once', async () => {
  const id = (await planJson(demo, dirA)).changes.find((c) => c.file === policyFile)!.id!;
  const live = await demo.ok('GET', `${EM}/assignmentPolicies/${id}`);
  const { id: _id, createdDateTime: _c, modifiedDateTime: _m, '@odata.context': _o, ...body } = live;
  await demo.ok('PUT', `${EM}/assignmentPolicies/${id}`, {
    ...body,
    description: 'Changed through the Graph API.',
    accessPackage: {
      id: (await demo.ok('GET', `${EM}/assignmentPolicies/${id}?$expand=accessPackage`)).accessPackage.id,
    },
  });
  const { code, changes } = await planJson(demo, dirA);
  assert.equal(code, 3);
  const p = pending(changes);
  assert.equal(p.length, 1);
  assert.deepEqual(
    { action: p[0]!.action, file: p[0]!.file, fields: p[0]!.fields, drift: p[0]!.drift },
    { action: 'update', file: policyFile, fields: ['description'], drift: true },
  );
  // A local edit elsewhere is an update without drift.
  const pkgFile = join(dirA, 'sales-and-marketing/crm-access/crm-access.accessPackage.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(pkgFile, `${JSON.stringify({ ...pkg, description: 'Edited locally.' }, null, 2)}\n`);
  const both = pending((await planJson(demo, dirA)).changes);
  assert.equal(both.length, 2);
  const local = both.find((c) => c.kind === 'accessPackage')!;
  assert.deepEqual(local.fields, ['description']);
  assert.equal(local.drift, undefined);
  // Back in step: apply both.
  const r = await apply(demo, dirA);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal((await planJson(demo, dirA)).code, 0);
});

test('the folder applied into a --seed directory tenant: then no changes, with and without the state', async () => {
  const before = await clean.ok('GET', `${EM}/catalogs`);
  assert.equal(before.value.length, 0, 'the directory seed has no entitlement objects');
  const first = await planJson(clean, dirA);
  assert.equal(first.code, 3);
  assert.equal(first.changes.filter((c) => c.action === 'create').length, 13);
  const r = await apply(clean, dirA);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /applied 13 change\(s\), 0 failed/);
  const { code, changes } = await planJson(clean, dirA);
  assert.equal(code, 0, JSON.stringify(pending(changes)));
  const copy = join(root, 'copy');
  copyWithoutState(dirA, copy);
  assert.equal(existsSync(join(copy, '.entitlements')), false);
  const byName = await planJson(clean, copy);
  assert.equal(byName.code, 0, JSON.stringify(pending(byName.changes)));
  assert.equal(byName.changes.filter((c) => c.action === 'noop').length, 13);
});

test('that tenant pulled into a second folder: every payload file byte-identical', async () => {
  const dirB = join(root, 'b');
  const r = await pull(clean, dirB);
  assert.equal(r.code, 0, r.stderr);
  const a = payloadFiles(dirA);
  const b = payloadFiles(dirB);
  assert.deepEqual([...b.keys()], [...a.keys()]);
  for (const [file, text] of a) assert.equal(b.get(file), text, file);
});
