/**
 * `--data` is checked before the store touches it: impossible paths end the process with exit
 * code 2 and a message naming the problem (no endless retry; Node's recursive mkdir loops forever
 * on `/proc/x`), and a missing directory under a writable parent is created.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataDir } from '../../sandbox/src/store/dataDir';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the sandbox with `--data dir`; resolves with its exit code and stderr, or 'listening'. */
function run(dir: string): Promise<{ code: number | null | 'listening'; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/src/main.ts', '--seed', 'empty', '--data', dir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve) => {
    // A hang detector with a generous bound: the failure this guards against is "forever".
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: null, stderr: `${stderr}(still running after 60 s)` });
    }, 60_000);
    child.stdout.once('data', () => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ code: 'listening', stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('--data', () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'x');
  const cases: [string, string, RegExp][] = [
    ['/proc/x', '/proc/x', /cannot create \/proc\/x/],
    ['an empty path', '', /empty/],
    ['a file', file, /not a directory/],
    ['a path below a file', join(file, 'below'), /not a directory/],
  ];
  for (const [name, dir, message] of cases) {
    it(`${name}: exit code 2 with a clear message`, async () => {
      const r = await run(dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
  it('creates a missing nested directory and starts', async () => {
    const dir = join(scratch, 'new', 'nested');
    const r = await run(dir);
    assert.equal(r.code, 'listening', r.stderr);
    assert.ok(existsSync(dir));
  });
  it('refuses a directory it cannot write (as data, not an exception)', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere but read-only file systems; /proc is one.
      const r = prepareDataDir('/proc');
      assert.equal(r.ok, false);
    } else {
      const r = prepareDataDir('/');
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /not writable/);
    }
  });
});
