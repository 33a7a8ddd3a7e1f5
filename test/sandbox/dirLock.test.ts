/**
 * One sandbox per data directory (dirLock.ts): two sandboxes on one journal would each compact it
 * and lose the other's acknowledged writes. A second start is refused naming the running one (the
 * command line hands it over), a lock left by a killed process is taken over, and a start waits
 * for a sandbox that is still closing its journal.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox/src/http/server';
import { DataDirInUse, DirLock, lockName } from '../../sandbox/src/store/dirLock';
import { spawnSandbox } from './spawned';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'sandbox-lock-'));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

async function users(url: string, token: string): Promise<string[]> {
  const r = await fetch(`${url}/users?$select=displayName`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  return ((await r.json()) as { value: { displayName: string }[] }).value.map((u) => u.displayName);
}

describe('one sandbox per data directory', () => {
  it('refuses a second sandbox while one runs, naming it, and frees the directory on close', async () => {
    const dir = tmp();
    try {
      const first = await startSandbox({ seed: 'empty', dataDir: dir });
      const lock = join(dir, lockName);
      assert.equal(statSync(lock).mode & 0o777, 0o600, 'the lock (it names the token) is private');
      const err = await startSandbox({ seed: 'empty', dataDir: dir }).then(
        () => assert.fail('a second sandbox started on the same directory'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof DataDirInUse, String(err));
      assert.equal(err.holder.url, first.url);
      assert.equal(err.holder.token, first.token);
      assert.equal(err.holder.pid, process.pid);
      assert.match(err.message, /in use by another sandbox \(process \d+\)/);
      first.engine.store.transact(() =>
        first.engine.store.put('users', { id: 'u1', displayName: 'Kept', userPrincipalName: 'kept@contoso.com' }),
      );
      await first.close();
      assert.throws(() => statSync(lock), /ENOENT/, 'close removes the lock');
      const second = await startSandbox({ seed: 'empty', dataDir: dir });
      try {
        assert.deepEqual(await users(second.url, second.token), ['Kept']);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock whose process is gone, and one unreadable and old', async () => {
    const dir = tmp();
    try {
      writeFileSync(
        join(dir, lockName),
        JSON.stringify({ pid: deadPid(), url: 'http://127.0.0.1:9/v1.0', token: 'x' }),
      );
      const a = await startSandbox({ seed: 'empty', dataDir: dir });
      await a.close();
      const lock = join(dir, lockName);
      writeFileSync(lock, '');
      const old = new Date(Date.now() - 60_000);
      const { utimesSync } = await import('node:fs');
      utimesSync(lock, old, old);
      const b = await startSandbox({ seed: 'empty', dataDir: dir });
      await b.close();
      // A lock being written right now (empty, fresh) is not stale: refused after the wait.
      writeFileSync(lock, '');
      await assert.rejects(DirLock.acquire(dir, 300), DataDirInUse);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits for a holder that no longer answers (closing) and takes the directory when it lets go', async () => {
    const dir = tmp();
    try {
      const lock = join(dir, lockName);
      // This very process holds it, with an endpoint nobody listens on.
      writeFileSync(
        lock,
        JSON.stringify({ pid: process.pid, owner: 'other', url: 'http://127.0.0.1:9/v1.0', token: 't' }),
      );
      const t = Date.now();
      setTimeout(() => rmSync(lock, { force: true }), 600);
      const taken = await DirLock.acquire(dir, 10_000);
      assert.ok(Date.now() - t >= 500, 'it waited for the holder');
      assert.equal((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid, process.pid);
      taken.release();
      assert.throws(() => statSync(lock), /ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the command line hands a running sandbox over: its line, with "attached", and exit 0', async () => {
    const dir = tmp();
    const first = await spawnSandbox(['--seed', 'empty', '--data', dir]);
    try {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'sandbox/src/main.ts', '--seed', 'empty', '--data', dir],
        {
          cwd: join(__dirname, '..', '..'),
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      assert.equal(r.status, 0, r.stderr);
      const line = JSON.parse(r.stdout.trim()) as { url: string; token: string; attached: number };
      assert.equal(line.url, first.url);
      assert.equal(line.token, first.token);
      assert.equal(line.attached, first.child.pid);
      assert.match(r.stderr, /served by the sandbox in process \d+; handing it over/);
    } finally {
      first.close();
      await new Promise((r) => first.child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
