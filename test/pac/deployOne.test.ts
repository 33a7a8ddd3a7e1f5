/**
 * Deploying one file of a folder (what the editor's "Deploy Policy" does on a layout file): the
 * file's change plus the creation of its new parents, and nothing else of the folder.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphClient } from '../../client/src/graph/graphClient';
import { applyPlan } from '../../client/src/pac/apply';
import { readLayout } from '../../client/src/pac/layout';
import { makePlan, planForFile } from '../../client/src/pac/plan';
import { pullInto } from '../../client/src/pac/pull';
import { readState, tenantState } from '../../client/src/pac/state';
import { fetchSnapshot } from '../../client/src/pac/tenantSnapshot';
import { client, EM, type Client } from '../sandbox/helpers';

const root = mkdtempSync(join(tmpdir(), 'entitlements-deploy-one-'));
let demo: Client;
let graph: GraphClient;

before(async () => {
  demo = await client({ seed: 'demo' });
  graph = new GraphClient({ baseUrl: demo.sandbox.url, getToken: () => Promise.resolve(demo.sandbox.token) });
});
after(async () => {
  await demo?.close();
  rmSync(root, { recursive: true, force: true });
});

test('one new policy in a new package: the package is created first, other edits stay unapplied', async () => {
  const dir = join(root, 'a');
  pullInto(dir, await fetchSnapshot(graph, { catalog: 'Engineering' }), readState(dir), demo.sandbox.url);
  // An unrelated local edit that must not be deployed.
  const other = join(dir, 'engineering', 'build-pipeline-access', 'build-pipeline-access.accessPackage.json');
  writeFileSync(other, readFileSync(other, 'utf8').replace('CI/CD pipelines', 'Edited, not deployed'));
  mkdirSync(join(dir, 'engineering', 'on-call'));
  writeFileSync(
    join(dir, 'engineering', 'on-call', 'on-call.accessPackage.json'),
    '{"displayName": "On-call tools"}\n',
  );
  const policyFile = 'engineering/on-call/direct.policy.json';
  writeFileSync(
    join(dir, policyFile),
    `${JSON.stringify({ displayName: 'Direct', allowedTargetScope: 'notSpecified', specificAllowedTargets: [], expiration: { type: 'noExpiration' } })}\n`,
  );
  const state = readState(dir);
  const plan = makePlan(readLayout(dir), await fetchSnapshot(graph), tenantState(state, demo.sandbox.url));
  const sub = planForFile(plan, policyFile)!;
  assert.deepEqual(
    sub.changes.map((c) => [c.action, c.kind, c.file]),
    [
      ['create', 'accessPackage', 'engineering/on-call/on-call.accessPackage.json'],
      ['create', 'policy', policyFile],
    ],
  );
  const outcomes = await applyPlan(graph, dir, sub, state, demo.sandbox.url);
  assert.deepEqual(
    outcomes.map((o) => [o.ok, o.code]),
    [
      [true, undefined],
      [true, undefined],
    ],
  );
  const policy = await demo.ok('GET', `${EM}/assignmentPolicies/${outcomes[1]!.id!}?$expand=accessPackage`);
  assert.equal(policy.accessPackage.displayName, 'On-call tools');
  const after = makePlan(readLayout(dir), await fetchSnapshot(graph), tenantState(readState(dir), demo.sandbox.url));
  assert.deepEqual(
    after.changes.filter((c) => c.action === 'update' || c.action === 'create').map((c) => [c.action, c.file]),
    [['update', 'engineering/build-pipeline-access/build-pipeline-access.accessPackage.json']],
    'the unrelated edit is still pending',
  );
});
