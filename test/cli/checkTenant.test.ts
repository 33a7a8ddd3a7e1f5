/**
 * `check --tenant` against the demo sandbox over real HTTP: the id diagnostics (T1xx) of the
 * editor, from dist/cli.js as CI runs it. Without --tenant nothing changes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers';
import { client, EM, type Client } from '../sandbox/helpers';

let c: Client;
let userId: string;
let groupId: string;
let packageId: string;
const dir = mkdtempSync(join(tmpdir(), 'entitlements-cli-tenant-'));
const unknownId = '0badc0de-0000-4000-8000-00000000abcd';

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'dist', 'cli.js'), ...args],
      { encoding: 'utf8' },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Out {
  file: string;
  diagnostics: { severity: string; code: string; message: string }[];
}

before(async () => {
  c = await client({ seed: 'demo' });
  userId = (await c.ok('GET', '/users?$top=1')).value[0].id;
  groupId = (await c.ok('GET', '/groups?$top=1')).value[0].id;
  packageId = (await c.ok('GET', `${EM}/accessPackages?$top=1`)).value[0].id;
});
after(() => c.close());

function policyWithApprover(approver: Record<string, string>): string {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.policy.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        displayName: 'With approval',
        description: 'one approver',
        allowedTargetScope: 'allMemberUsers',
        expiration: { type: 'noExpiration' },
        requestApprovalSettings: {
          isApprovalRequiredForAdd: true,
          isApprovalRequiredForUpdate: false,
          stages: [
            {
              durationBeforeAutomaticDenial: 'P7D',
              isApproverJustificationRequired: false,
              isEscalationEnabled: false,
              primaryApprovers: [approver],
            },
          ],
        },
        accessPackage: { id: packageId },
      },
      null,
      2,
    ),
  );
  return file;
}

const tenantArgs = () => ['--tenant', c.sandbox.url, '--token', c.sandbox.token];

async function check(file: string, withTenant = true): Promise<Out['diagnostics']> {
  const r = await cli('check', '--format', 'json', ...(withTenant ? tenantArgs() : []), file);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as Out[])[0]!.diagnostics.filter((d) => d.code.startsWith('T'));
}

test('an approver id that is not in the tenant is a warning naming that id', async () => {
  const file = policyWithApprover({ '@odata.type': '#microsoft.graph.singleUser', userId: unknownId });
  const ds = await check(file);
  assert.deepEqual(
    ds.map((d) => `${d.severity} ${d.code}`),
    ['warning T101'],
  );
  assert.ok(ds[0]!.message.includes(unknownId), ds[0]!.message);
  assert.ok(ds[0]!.message.includes(c.sandbox.url), 'names the tenant');
  assert.deepEqual(await check(file, false), [], 'without --tenant nothing changes');
});

test("a real demo user's id gets no tenant finding", async () => {
  const file = policyWithApprover({ '@odata.type': '#microsoft.graph.singleUser', userId });
  assert.deepEqual(await check(file), []);
});

test('a group id where a user is expected is a warning', async () => {
  const file = policyWithApprover({ '@odata.type': '#microsoft.graph.singleUser', userId: groupId });
  const ds = await check(file);
  assert.deepEqual(
    ds.map((d) => `${d.severity} ${d.code}`),
    ['warning T102'],
  );
  assert.match(ds[0]!.message, /group .* but a user is expected/);
  const ok = policyWithApprover({ '@odata.type': '#microsoft.graph.groupMembers', groupId });
  assert.deepEqual(await check(ok), []);
});

test('an assignment request with an unknown accessPackageId is a warning', async () => {
  const file = join(dir, 'ask.assignmentRequest.json');
  writeFileSync(
    file,
    JSON.stringify({
      requestType: 'adminAdd',
      assignment: {
        targetId: userId,
        assignmentPolicyId: unknownId.replace('abcd', 'abce'),
        accessPackageId: unknownId,
      },
    }),
  );
  const ds = await check(file);
  const unknownPackage = ds.filter((d) => d.message.includes(unknownId));
  assert.equal(unknownPackage.length, 1);
  assert.equal(unknownPackage[0]!.code, 'T101');
  assert.match(unknownPackage[0]!.message, /access package/);
  assert.ok(!ds.some((d) => d.message.includes(userId)), 'the real target user is fine');
});

test('an unreachable tenant is one information per document, never an error', async () => {
  const file = policyWithApprover({ '@odata.type': '#microsoft.graph.singleUser', userId: unknownId });
  const r = await cli('check', '--format', 'json', '--tenant', 'http://127.0.0.1:9/v1.0', '--token', 'x', file);
  assert.equal(r.code, 0, r.stderr);
  const ds = (JSON.parse(r.stdout) as Out[])[0]!.diagnostics.filter((d) => d.code.startsWith('T'));
  assert.deepEqual(
    ds.map((d) => `${d.severity} ${d.code}`),
    ['information T100'],
  );
});

test('--tenant without a token is a usage error (exit 2)', async () => {
  const file = policyWithApprover({ '@odata.type': '#microsoft.graph.singleUser', userId });
  const r = await cli('check', '--tenant', c.sandbox.url, file);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs --token/);
});

test('a rule naming a custom extension property the tenant has not registered is a warning (T110)', async () => {
  const app = await c.ok('POST', '/applications', { displayName: 'HR' });
  const registered = (await c.ok('POST', `/applications/${app.id}/extensionProperties`, { name: 'costCenter' })).name;
  const unknown = 'extension_ffffffffffffffffffffffffffffffff_x';
  const file = join(dir, 'ext.rule');
  writeFileSync(file, `user.${registered} -eq "1" -or user.${unknown} -eq "2"\n`);
  const ds = await check(file);
  assert.deepEqual(
    ds.map((d) => `${d.severity} ${d.code}`),
    ['warning T110'],
  );
  assert.ok(ds[0]!.message.includes(unknown));
  assert.deepEqual(await check(file, false), []);
});
