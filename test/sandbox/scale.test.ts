/**
 * The sandbox at tenant scale, in a separate process as the extension runs it: an automatic
 * policy selecting ~90% of 300k `--seed-users` users is settled in background batches while a
 * health probe every 50 ms never waits 250 ms or more (the batches aim at ~50 ms; a trivial server
 * process probed at the same time shows what the machine itself makes a process wait, reported
 * beside a failure), and a kill -9 in the middle
 * of that work loses nothing a client has seen; the restarted process finishes the job with
 * exactly one assignment per selected user.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { client, makePackage, autoPolicy } from './helpers';

const root = join(__dirname, '..', '..');
const token = 'scale-test-token';
const EM = '/identityGovernance/entitlementManagement';
const users = 300_000;
/** Members with an enabled account: about 0.93 × 0.96 of the seeded users. */
const rule = '(user.userType -eq "Member") and (user.accountEnabled -eq true)';

interface Running {
  child: ChildProcess;
  url: string;
  origin: string;
}

function start(args: string[]): Promise<Running> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'sandbox/src/main.ts', '--seed', 'empty', '--token', token, '--test-hooks', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening: ${err}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const url = (JSON.parse(line) as { url: string }).url;
      resolve({ child, url, origin: new URL(url).origin });
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function call(method: string, url: string, body?: unknown): Promise<any> {
  const r = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Probes `url` every 50 ms; `stop()` returns the longest wait in ms. */
function probe(url: string): { stop(): Promise<{ max: number; count: number }> } {
  let max = 0;
  let count = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const sent = performance.now();
      try {
        await (await fetch(url)).text();
      } catch {
        return; // the process was killed
      }
      const waited = performance.now() - sent;
      max = Math.max(max, waited);
      count++;
      await new Promise((r) => setTimeout(r, Math.max(0, 50 - waited)));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { max, count };
    },
  };
}

/**
 * A trivial HTTP server in its own process, probed alongside the sandbox: on a machine shared
 * with other work a process can wait for the CPU, and the control shows how long.
 */
function control(): Promise<{ url: string; child: ChildProcess }> {
  const code =
    "const s=require('http').createServer((q,r)=>r.end('{}'));s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) =>
    createInterface({ input: child.stdout! }).once('line', (port) =>
      resolve({ url: `http://127.0.0.1:${port}/`, child }),
    ),
  );
}

async function setUp(run: Running): Promise<{ packageId: string; policyId: string }> {
  const cat = await call('POST', `${run.url}${EM}/catalogs`, { displayName: 'Scale' });
  const pkg = await call('POST', `${run.url}${EM}/accessPackages`, {
    displayName: 'Everyone',
    catalog: { id: cat.id },
  });
  const policy = await call('POST', `${run.url}${EM}/assignmentPolicies`, {
    displayName: 'Enabled members',
    allowedTargetScope: 'specificDirectoryUsers',
    specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.attributeRuleMembers', membershipRule: rule }],
    automaticRequestSettings: { requestAccessForAllowedTargets: true },
    accessPackage: { id: pkg.id },
  });
  return { packageId: pkg.id, policyId: policy.id };
}

async function jobs(run: Running): Promise<{ usersScanned: number; usersTotal: number }[]> {
  return (await call('GET', `${run.origin}/_sandbox/jobs`)).value;
}

async function waitIdle(run: Running): Promise<void> {
  const deadline = Date.now() + 170_000;
  while ((await jobs(run)).length > 0) {
    if (Date.now() > deadline) throw new Error('the automatic assignment job did not finish');
    await new Promise((r) => setTimeout(r, 250));
  }
}

const count = async (url: string): Promise<number> => (await call('GET', url))['@odata.count'] as number;

async function expected(run: Running): Promise<number> {
  return count(`${run.url}/users?$filter=userType eq 'Member' and accountEnabled eq true&$count=true&$top=1`);
}

async function delivered(run: Running, packageId: string): Promise<number> {
  return count(
    `${run.url}${EM}/assignments?$filter=accessPackage/id eq '${packageId}' and state eq 'delivered'&$count=true&$top=1`,
  );
}

/** Ids of one page of the package's assignments, at the given offset. */
async function pageIds(run: Running, packageId: string, skip: number): Promise<string[]> {
  const token = Buffer.from(JSON.stringify({ o: skip })).toString('base64url');
  const page = await call(
    'GET',
    `${run.url}${EM}/assignments?$filter=accessPackage/id eq '${packageId}'&$top=999&$skiptoken=${token}`,
  );
  return (page.value as { id: string }[]).map((a) => a.id);
}

describe('automatic assignment in background batches', () => {
  it('a narrower rule ends the assignments of users who left scope, a wider one adds, past the inline part', async () => {
    // 5,000 users: more than the users settled within the policy's own write.
    const c = await client({ seed: 'empty', testHooks: true, seedUsers: 5000 });
    try {
      const { packageId } = await makePackage(c);
      const members = (await c.ok('GET', `/users?$filter=userType eq 'Member'&$count=true&$top=1`))['@odata.count'];
      const sales = (
        await c.ok('GET', `/users?$filter=userType eq 'Member' and department eq 'Sales'&$count=true&$top=1`)
      )['@odata.count'];
      const policy = await c.ok(
        'POST',
        `${EM}/assignmentPolicies`,
        autoPolicy(packageId, '(user.userType -eq "Member")'),
      );
      assert.equal((await c.ok('GET', '/_sandbox/jobs')).value.length, 1, 'the rest runs in the background');
      await c.sandbox.engine.jobs!.idle();
      const countIn = async (state: string): Promise<number> =>
        (
          await c.ok(
            'GET',
            `${EM}/assignments?$filter=accessPackage/id eq '${packageId}' and state eq '${state}'&$count=true&$top=1`,
          )
        )['@odata.count'];
      assert.equal(await countIn('delivered'), members);
      const narrower = autoPolicy(packageId, '(user.userType -eq "Member") and (user.department -eq "Sales")');
      await c.ok('PUT', `${EM}/assignmentPolicies/${policy.id}`, narrower);
      await c.sandbox.engine.jobs!.idle();
      assert.equal(await countIn('delivered'), sales);
      assert.equal(await countIn('expired'), members - sales);
      const wider = autoPolicy(packageId, '(user.userType -eq "Member") or (user.userType -eq "Guest")');
      await c.ok('PUT', `${EM}/assignmentPolicies/${policy.id}`, wider);
      await c.sandbox.engine.jobs!.idle();
      assert.equal(await countIn('delivered'), 5000, 'everyone, each once');
      assert.deepEqual((await c.ok('GET', '/_sandbox/jobs')).value, []);
    } finally {
      await c.close();
    }
  });
});

describe('tenant scale', { concurrency: false }, () => {
  it('settles a policy over 90% of 300k users in batches while no health probe waits 250 ms', async () => {
    const run = await start(['--seed-users', String(users)]);
    try {
      const { packageId } = await setUp(run);
      const ctl = await control();
      const p = probe(`${run.origin}/_sandbox/health`);
      const c = probe(ctl.url);
      const running = await jobs(run);
      assert.equal(running.length, 1, 'the policy is settled in the background, not within its write');
      await waitIdle(run);
      const { max, count: probes } = await p.stop();
      const { max: controlMax } = await c.stop();
      await kill(ctl.child);
      const want = await expected(run);
      assert.ok(want > 0.85 * users && want < 0.95 * users, `the rule selects ${want} users`);
      assert.equal(await delivered(run, packageId), want);
      console.log(
        `scale: ${probes} probes, longest wait ${max.toFixed(0)} ms (a trivial server process meanwhile: ${controlMax.toFixed(0)} ms)`,
      );
      // The bound, as it states it. The trivial server's wait is reported beside it: when
      // the machine itself stalls processes, that shows how much of a failure is the machine's.
      const bound = 250;
      assert.ok(
        max < bound,
        `a health probe waited ${max.toFixed(0)} ms (bound ${bound} ms; a trivial server process meanwhile: ${controlMax.toFixed(0)} ms)`,
      );
    } finally {
      await kill(run.child);
    }
  });

  it('a kill -9 during that work loses no assignment a client has seen; the restart finishes the job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-scale-'));
    try {
      let run = await start(['--seed-users', String(users), '--data', dir]);
      const { packageId } = await setUp(run);
      // Let a good part of the work happen, reading what is visible as it goes.
      const seen = new Set<string>();
      for (;;) {
        const j = await jobs(run);
        for (const id of await pageIds(run, packageId, 0)) seen.add(id);
        if (j.length === 0 || j[0]!.usersScanned > users / 3) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const before = await delivered(run, packageId);
      for (const id of await pageIds(run, packageId, Math.max(0, before - 999))) seen.add(id);
      await kill(run.child);
      assert.ok(before > 999 && before < (await Promise.resolve(users)), `killed with ${before} assignments made`);

      run = await start(['--data', dir]);
      try {
        const after = await delivered(run, packageId);
        assert.ok(after >= before, `${before} assignments were visible before the kill, ${after} after the restart`);
        const present = new Set<string>();
        for (let skip = 0; skip < after + 999; skip += 999)
          for (const id of await pageIds(run, packageId, skip)) present.add(id);
        const lost = [...seen].filter((id) => !present.has(id));
        assert.deepEqual(lost, [], `${lost.length} assignments seen before the kill are gone`);
        await waitIdle(run);
        const want = await expected(run);
        assert.equal(await delivered(run, packageId), want, 'one assignment per selected user, none twice');
      } finally {
        await kill(run.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
