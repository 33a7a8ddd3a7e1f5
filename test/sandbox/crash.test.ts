/**
 * Durability: a sandbox process is killed with SIGKILL at random moments while clients write;
 * after a restart on the same --data directory every acknowledged write must be there. Small
 * --compact-every values make kills land during snapshots and journal truncation too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(__dirname, '..', '..');
const token = 'crash-test-token';

interface Running {
  child: ChildProcess;
  url: string;
}

function start(dir: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sandbox/src/main.ts',
      '--seed',
      'empty',
      '--data',
      dir,
      '--token',
      token,
      '--compact-every',
      '15',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening: ${err}`)));
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve({ child, url: (JSON.parse(line) as { url: string }).url }),
    );
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function post(url: string, body: unknown): Promise<any> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 201) throw new Error(`status ${r.status}`);
  return r.json();
}

/** Writers that keep creating users until the process dies; returns the acknowledged ids. */
async function write(url: string, round: number, acked: Set<string>, until: Promise<void>): Promise<void> {
  let stop = false;
  void until.then(() => {
    stop = true;
  });
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      try {
        const u = await post(`${url}/users`, {
          displayName: `r${round} w${w} #${i}`,
          userPrincipalName: `r${round}.w${w}.${i}@crash.test`,
          department: i % 2 ? 'Sales' : 'Legal',
        });
        acked.add(u.id);
      } catch {
        return; // the process is gone: this write was never acknowledged
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(writer));
}

async function allUserIds(url: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let next: string | undefined = `${url}/users?$top=999&$select=id`;
  while (next) {
    const page: any = await (await fetch(next, { headers: { authorization: `Bearer ${token}` } })).json();
    for (const u of page.value) ids.add(u.id);
    next = page['@odata.nextLink'];
  }
  return ids;
}

describe('crash safety', () => {
  it('keeps every acknowledged write across 20 kill -9 restarts', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-crash-'));
    const acked = new Set<string>();
    try {
      let run = await start(dir);
      for (let round = 0; round < 20; round++) {
        const delay = 40 + Math.floor(Math.random() * 250);
        const killed = new Promise<void>((resolve) => setTimeout(() => void kill(run.child).then(resolve), delay));
        await write(run.url, round, acked, killed);
        await killed;
        run = await start(dir);
        const present = await allUserIds(run.url);
        const missing = [...acked].filter((id) => !present.has(id));
        assert.deepEqual(missing, [], `round ${round}: ${missing.length} acknowledged users lost`);
      }
      assert.ok(acked.size > 100, `only ${acked.size} writes were acknowledged`);
      await kill(run.child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
