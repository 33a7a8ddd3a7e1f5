/**
 * `npm start` (scripts/start.mjs) run for real, with a stand-in `code` first on PATH that records
 * the environment it was started with: that is the environment a desktop VS Code, and so each of
 * its integrated terminals, inherits (code-server's terminals likewise inherit the server's, which
 * start.mjs builds from the same process environment). The sandbox token must not be in it; the
 * extension finds the sandbox through the private hand-over file whose path is. Ctrl+C removes it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { externalSandbox } from '../../client/src/tenants/sandboxProcess';

const root = join(__dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'sandbox.js')) && existsSync(join(root, 'dist', 'cli.js'));

describe('npm start hands the sandbox to the editor', { skip: built ? false : 'run `npm run build` first' }, () => {
  it("keeps the token out of the editor's (and its terminals') environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entitlements-start-'));
    const bin = join(dir, 'bin');
    const envOut = join(dir, 'code-env.txt');
    const fakeCode = join(bin, 'code');
    // The stand-in editor: writes the environment it received, NUL-separated, then exits.
    mkdirSync(bin);
    writeFileSync(
      fakeCode,
      `#!/bin/sh\nenv -0 > "$FAKE_CODE_ENV_OUT.tmp" && mv "$FAKE_CODE_ENV_OUT.tmp" "$FAKE_CODE_ENV_OUT"\n`,
    );
    chmodSync(fakeCode, 0o755);
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        ENTITLEMENTS_RUN_DIR: join(dir, 'run'),
        FAKE_CODE_ENV_OUT: envOut,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', () => undefined);
    try {
      // A hang detector with a generous bound, not a timing assertion.
      const deadline = Date.now() + 120_000;
      while (!(existsSync(envOut) && /token: +\S+/.test(out))) {
        assert.ok(Date.now() < deadline, `npm start did not open the editor: ${out.slice(-500)}`);
        assert.equal(child.exitCode, null, `npm start exited: ${out.slice(-500)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const token = /token: +(\S+)/.exec(out)![1]!;
      const env = new Map(
        readFileSync(envOut, 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const),
      );
      assert.ok(env.size > 3, 'the environment was recorded');
      const carrying = [...env].filter(([, v]) => v.includes(token)).map(([k]) => k);
      assert.deepEqual(carrying, [], 'no variable of the editor environment carries the token');
      assert.equal(env.get('ENTITLEMENTS_SANDBOX_TOKEN'), undefined);
      const file = env.get('ENTITLEMENTS_SANDBOX_FILE');
      assert.ok(file, 'the hand-over file is named');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(file, '..')).mode & 0o777, 0o700);
      const endpoint = externalSandbox(Object.fromEntries(env));
      assert.ok(endpoint, 'the extension accepts the hand-over file');
      assert.equal(endpoint.token, token);
      const r = await fetch(`${endpoint.url}/users?$top=1`, { headers: { authorization: `Bearer ${endpoint.token}` } });
      assert.equal(r.status, 200, 'the sandbox npm start printed answers with that token');
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      assert.equal(existsSync(file), false, 'Ctrl+C removes the hand-over file');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        // Ctrl+C first, so that start.mjs stops the sandbox it started; then make sure.
        child.kill('SIGINT');
        await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
