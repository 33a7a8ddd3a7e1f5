/**
 * The rest of the command-line contract: files with errors are refused before any call, usage and
 * tenant errors exit 2, objects only the tenant has are `unmanaged` (no change) and `delete` only
 * with --prune, a failed call carries Graph's code and message and what was done stays recorded,
 * `pull --catalog` pulls one catalog, and the demo seed is the same tenant on every start.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, EM, type Client } from '../sandbox/helpers';
import { cli, payloadFiles, planJson } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'entitlements-pac-contract-'));
let demo: Client;

before(async () => {
  demo = await client({ seed: 'demo' });
});
after(async () => {
  await demo?.close();
  rmSync(root, { recursive: true, force: true });
});

const run = (command: string, dir: string, ...extra: string[]) =>
  cli(demo.sandbox.token, command, '--tenant', demo.sandbox.url, dir, ...extra);

async function catalogCount(): Promise<number> {
  return ((await demo.ok('GET', `${EM}/catalogs`)) as { value: unknown[] }).value.length;
}

test('usage, missing tokens and unreachable tenants exit 2', async () => {
  const dir = join(root, 'usage');
  mkdirSync(dir);
  assert.equal((await cli(demo.sandbox.token, 'plan', dir)).code, 2);
  assert.equal((await cli(undefined, 'plan', '--tenant', demo.sandbox.url, dir)).code, 2);
  assert.equal((await run('plan', dir, '--format', 'xml')).code, 2);
  assert.equal((await run('plan', join(root, 'missing'))).code, 2);
  const wrong = await cli('not-the-token', 'plan', '--tenant', demo.sandbox.url, dir);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /InvalidAuthenticationToken/);
  assert.doesNotMatch(wrong.stderr + wrong.stdout, /not-the-token/);
  assert.equal((await cli('x', 'plan', '--tenant', 'http://127.0.0.1:9/v1.0', dir)).code, 2);
  const apply = await cli(demo.sandbox.token, 'apply', '--tenant', demo.sandbox.url, dir);
  assert.equal(apply.code, 0, 'an empty folder has nothing to confirm');
  mkdirSync(join(dir, '.entitlements'));
  writeFileSync(join(dir, '.entitlements', 'state.json'), '{"version": 1, "tenants": ');
  const broken = await run('plan', dir);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /state\.json is not valid JSON/);
});

test('files with errors: plan exits 1 and apply changes nothing', async () => {
  const dir = join(root, 'errors');
  mkdirSync(join(dir, 'new-catalog', 'pkg'), { recursive: true });
  writeFileSync(join(dir, 'new-catalog', 'new-catalog.catalog.json'), '{"displayName": "Refused catalog"}\n');
  writeFileSync(join(dir, 'new-catalog', 'pkg', 'pkg.accessPackage.json'), '{"displayName": "Pkg"}\n');
  writeFileSync(
    join(dir, 'new-catalog', 'pkg', 'bad.policy.json'),
    '{"displayName": "Bad", "allowedTargetScope": "everyone", "expiration": {"type": "afterDuration", "duration": "P9999D"}}\n',
  );
  const count = await catalogCount();
  const plan = await run('plan', dir);
  assert.equal(plan.code, 1);
  assert.match(plan.stderr, /bad\.policy\.json:\d+:\d+: error/);
  const json = await run('plan', dir, '--format', 'json');
  assert.equal(json.code, 1);
  assert.ok((JSON.parse(json.stdout) as { errors: unknown[] }).errors.length > 0);
  const apply = await run('apply', dir, '--yes');
  assert.equal(apply.code, 1);
  assert.equal(await catalogCount(), count, 'nothing was created');
  // Checked before anything talks to the tenant: without a token the answer is still "errors".
  assert.equal((await cli(undefined, 'plan', '--tenant', demo.sandbox.url, dir)).code, 1);
});

test('unmanaged objects are no change; --prune deletes them; a failure carries Graph code and message', async () => {
  const dir = join(root, 'prune');
  const pulled = await cli(demo.sandbox.token, 'pull', '--tenant', demo.sandbox.url, '--catalog', 'Engineering', dir);
  assert.equal(pulled.code, 0, pulled.stderr);
  const files = [...payloadFiles(dir).keys()];
  assert.ok(
    files.every((f) => f.startsWith('engineering/')),
    files.join(' '),
  );
  assert.equal(files.length, 5);
  // Other catalogs are unmanaged: listed, not changes.
  let plan = await planJson(demo, dir);
  assert.equal(plan.code, 0);
  assert.deepEqual(
    plan.changes.filter((c) => c.action === 'unmanaged').map((c) => [c.kind, c.displayName]),
    [
      ['catalog', 'General'],
      ['catalog', 'Sales and Marketing'],
    ],
  );
  // A package created in the tenant inside a managed catalog.
  const catalogId = plan.changes.find((c) => c.kind === 'catalog' && c.action === 'noop')!.id!;
  const extra = await demo.ok('POST', `${EM}/accessPackages`, {
    displayName: 'Made in the portal',
    catalog: { id: catalogId },
  });
  plan = await planJson(demo, dir);
  assert.equal(plan.code, 0);
  assert.ok(plan.changes.some((c) => c.action === 'unmanaged' && c.id === extra.id && c.kind === 'accessPackage'));
  plan = await planJson(demo, dir, '--prune');
  assert.equal(plan.code, 3);
  assert.deepEqual(
    plan.changes.filter((c) => c.action === 'delete').map((c) => c.id),
    [extra.id],
    'only objects under managed parents are deleted; unmanaged catalogs never',
  );
  const applied = await run('apply', dir, '--yes', '--prune');
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.equal((await demo.call('GET', `${EM}/accessPackages/${extra.id}`)).status, 404);
  // A failing call: ten more policies in a package that holds one; the tenant refuses the tenth.
  const pkgDir = join(dir, 'engineering', 'build-pipeline-access');
  const base = JSON.parse(
    readFileSync(join(pkgDir, 'direct-assignment-with-provisioning-check.policy.json'), 'utf8'),
  ) as Record<string, unknown>;
  for (let i = 1; i <= 10; i++)
    writeFileSync(
      join(pkgDir, `extra-${i}.policy.json`),
      `${JSON.stringify({ ...base, displayName: `Extra ${i}` }, null, 2)}\n`,
    );
  const failing = await run('apply', dir, '--yes');
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /FAILED create policy .*: InvalidModel: Access package '.*' already has 10 policies/);
  assert.match(failing.stdout, /applied 9 change\(s\), 1 failed/);
  const state = JSON.parse(readFileSync(join(dir, '.entitlements', 'state.json'), 'utf8')) as {
    tenants: Record<string, { files: Record<string, { id: string }> }>;
  };
  const recorded = Object.keys(state.tenants[demo.sandbox.url]!.files).filter((f) =>
    /extra-\d+\.policy\.json$/.test(f),
  );
  assert.equal(recorded.length, 9, 'what was done before and after the failure is recorded');
});

test('the demo seed is the same tenant on every start; --seed directory has its users and groups only', async () => {
  const again = await client({ seed: 'demo' });
  const directory = await client({ seed: 'directory' });
  try {
    const ids = async (c: Client, path: string) =>
      ((await c.ok('GET', `${path}${path.includes('?') ? '&' : '?'}$top=999`)) as { value: { id: string }[] }).value
        .map((v) => v.id)
        .sort();
    const fresh = await client({ seed: 'demo' });
    try {
      for (const p of [
        `${EM}/catalogs`,
        `${EM}/accessPackages`,
        `${EM}/assignmentPolicies`,
        '/groups',
        '/users?$select=id',
      ])
        assert.deepEqual(await ids(again, p), await ids(fresh, p), p);
    } finally {
      await fresh.close();
    }
    assert.deepEqual(await ids(directory, '/groups'), await ids(again, '/groups'));
    assert.deepEqual(await ids(directory, '/users?$select=id'), await ids(again, '/users?$select=id'));
    assert.deepEqual(await ids(directory, `${EM}/catalogs`), []);
    assert.deepEqual(await ids(directory, `${EM}/accessPackages`), []);
  } finally {
    await again.close();
    await directory.close();
  }
});

test('pull keeps a file name when the display name changes, and removes files whose objects left', async () => {
  const dir = join(root, 'renames');
  const catalogs = (await demo.ok('GET', `${EM}/catalogs?$filter=displayName eq 'General'`)) as {
    value: { id: string }[];
  };
  const pkg = await demo.ok('POST', `${EM}/accessPackages`, {
    displayName: 'Short lived',
    catalog: { id: catalogs.value[0]!.id },
  });
  const policy = await demo.ok('POST', `${EM}/assignmentPolicies`, {
    displayName: 'Short lived policy',
    allowedTargetScope: 'notSpecified',
    specificAllowedTargets: [],
    expiration: { type: 'noExpiration' },
    accessPackage: { id: pkg.id },
  });
  const pulled = await cli(demo.sandbox.token, 'pull', '--tenant', demo.sandbox.url, '--catalog', 'General', dir);
  assert.equal(pulled.code, 0, pulled.stderr);
  const policyFile = 'general/short-lived/short-lived-policy.policy.json';
  assert.ok(payloadFiles(dir).has(policyFile));
  await demo.ok('PATCH', `${EM}/accessPackages/${pkg.id}`, { displayName: 'Renamed in the portal' });
  const again = await cli(demo.sandbox.token, 'pull', '--tenant', demo.sandbox.url, '--catalog', 'General', dir);
  assert.equal(again.code, 0, again.stderr);
  const pkgText = payloadFiles(dir).get('general/short-lived/short-lived.accessPackage.json');
  assert.match(pkgText ?? '', /"displayName": "Renamed in the portal"/, 'the same file, new content');
  assert.match(again.stdout, /1 file\(s\) written/);
  assert.equal((await demo.call('DELETE', `${EM}/assignmentPolicies/${policy.id}`)).status, 204);
  const third = await cli(demo.sandbox.token, 'pull', '--tenant', demo.sandbox.url, '--catalog', 'General', dir);
  assert.equal(third.code, 0, third.stderr);
  assert.match(third.stdout, /removed general\/short-lived\/short-lived-policy\.policy\.json/);
  assert.equal(payloadFiles(dir).has(policyFile), false);
});

test('an update keeps what the file does not name: fields left out of a file are not cleared in the tenant', async () => {
  const dir = join(root, 'partial');
  const pulled = await cli(demo.sandbox.token, 'pull', '--tenant', demo.sandbox.url, '--catalog', 'Engineering', dir);
  assert.equal(pulled.code, 0, pulled.stderr);
  const file = join(dir, 'engineering', 'partner-collaboration', 'partner-requests-with-two-approvals.policy.json');
  const full = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.ok(full.reviewSettings && full.requestorSettings, 'the demo policy has reviews and requestor settings');
  const { reviewSettings: _r, requestorSettings: _q, ...rest } = full;
  writeFileSync(
    file,
    `${JSON.stringify({ ...rest, description: 'Only the description is managed here.' }, null, 2)}\n`,
  );
  const plan = await planJson(demo, dir);
  const updates = plan.changes.filter((c) => c.action === 'update');
  assert.deepEqual(
    updates.map((c) => c.fields),
    [['description']],
  );
  const r = await run('apply', dir, '--yes');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const live = await demo.ok('GET', `${EM}/assignmentPolicies/${updates[0]!.id!}`);
  assert.equal(live.description, 'Only the description is managed here.');
  assert.deepEqual(live.reviewSettings, full.reviewSettings);
  assert.equal(
    (live.requestorSettings as { enableTargetsToSelfAddAccess: boolean }).enableTargetsToSelfAddAccess,
    true,
  );
  assert.equal((await planJson(demo, dir)).code, 0);
});

test('colliding and hostile names: stable, collision-safe, inside the folder, whatever the creation order', async () => {
  const names = ['OPS!', 'Ops', 'ops', '../../outside', 'CON', 'x'.repeat(200)];
  const pulls: Map<string, string>[] = [];
  for (const order of [names, [...names].reverse()]) {
    const c = await client({ seed: 'empty' });
    try {
      for (const displayName of order) await c.ok('POST', `${EM}/catalogs`, { displayName, description: 'same' });
      const dir = join(root, `names-${pulls.length}`);
      const r = await cli(c.sandbox.token, 'pull', '--tenant', c.sandbox.url, dir);
      assert.equal(r.code, 0, r.stderr);
      pulls.push(payloadFiles(dir));
    } finally {
      await c.close();
    }
  }
  const files = [...pulls[0]!.keys()];
  assert.deepEqual(files, [...pulls[1]!.keys()]);
  for (const f of files) assert.equal(pulls[1]!.get(f), pulls[0]!.get(f), f);
  assert.deepEqual(files.map((f) => f.split('/')[0]).sort(), [
    'con-1',
    'ops',
    'ops-2',
    'ops-3',
    'outside',
    'x'.repeat(60),
  ]);
  assert.equal(JSON.parse(pulls[0]!.get('ops/ops.catalog.json')!).displayName, 'OPS!');
  assert.equal(JSON.parse(pulls[0]!.get('ops-3/ops-3.catalog.json')!).displayName, 'ops');
});
