/** The extension's default tenant: `dist/sandbox.js` started on demand, persisted in its data folder. */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { externalSandbox, SandboxProcess } from '../../client/src/tenants/sandboxProcess';
import { SandboxTenant } from '../../client/src/tenants/sandboxTenant';
import { TenantNode } from '../../client/src/tree/nodes/tenantNode';

const script = join(__dirname, '..', '..', 'dist', 'sandbox.js');

describe(
  'sandbox process',
  { skip: existsSync(script) ? false : 'run `npm run build` first (dist/sandbox.js)' },
  () => {
    it('starts once on demand, serves the demo tenant, keeps its data across restarts', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'entitlements-sandbox-'));
      // As an earlier version left it: readable by everyone.
      chmodSync(dataDir, 0o755);
      const log: string[] = [];
      let proc = new SandboxProcess({ script, dataDir, log: (l) => log.push(l) });
      try {
        const [a, b] = await Promise.all([proc.endpoint(), proc.endpoint()]);
        assert.equal(a, b, 'one process for concurrent callers');
        assert.equal(statSync(dataDir).mode & 0o777, 0o700, 'the data folder is private to the user');
        assert.match(a.url, /^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
        const tenant = new SandboxTenant(() => proc.endpoint());
        const api = await tenant.api();
        const general = (await api.catalogs()).items.find((c) => c.displayName === 'General')!;
        await api.createAccessPackage(general.id!, 'Survives a restart', '');
        proc.dispose();
        proc = new SandboxProcess({ script, dataDir });
        const again = new TenantNode(new SandboxTenant(() => proc.endpoint()));
        const cat = (await again.getChildren()).find((n) => n.getTreeItem().label === 'General')!;
        const pkgs = (await cat.getChildren!()).map((n) => n.getTreeItem().label);
        assert.ok(pkgs.includes('Survives a restart'), pkgs.join(', '));
        assert.ok(log.some((l) => l.includes('listening')));
        assert.ok(!log.some((l) => l.includes(a.token)), 'the token is not logged');
      } finally {
        proc.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('a second window is handed the running sandbox of the same folder, and starts its own once that one is gone', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'entitlements-sandbox-'));
      const log: string[] = [];
      const first = new SandboxProcess({ script, dataDir });
      const second = new SandboxProcess({ script, dataDir, log: (l) => log.push(l) });
      try {
        const a = await first.endpoint();
        const b = await second.endpoint();
        assert.deepEqual(b, a, 'one sandbox, one journal: the second window uses the first one');
        assert.ok(
          log.some((l) => /already serves/.test(l)),
          log.join('\n'),
        );
        assert.deepEqual(await second.endpoint(), a, 'the hand-over is kept while its owner runs');
        const api = await new SandboxTenant(() => second.endpoint()).api();
        const general = (await api.catalogs()).items.find((c) => c.displayName === 'General')!;
        await api.createAccessPackage(general.id!, 'Made through the second window', '');
        first.dispose();
        // The owner closes its journal and exits; the second window then starts its own sandbox.
        let c = a;
        for (let i = 0; i < 100 && c.url === a.url; i++) {
          await new Promise((r) => setTimeout(r, 100));
          c = await second.endpoint();
        }
        assert.notEqual(c.url, a.url, 'a sandbox of its own once the first is gone');
        const again = new TenantNode(new SandboxTenant(() => second.endpoint()));
        const cat = (await again.getChildren()).find((n) => n.getTreeItem().label === 'General')!;
        const pkgs = (await cat.getChildren!()).map((n) => n.getTreeItem().label);
        assert.ok(pkgs.includes('Made through the second window'), pkgs.join(', '));
      } finally {
        first.dispose();
        second.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('reports a sandbox that cannot start', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'entitlements-sandbox-'));
      const proc = new SandboxProcess({ script, dataDir, args: ['--seed', 'nonsense'] });
      await assert.rejects(proc.endpoint(), /exited/);
      rmSync(dataDir, { recursive: true, force: true });
    });
  },
);

describe('a sandbox started outside the editor (npm start)', () => {
  it('is used through a private hand-over file (never the token in the environment), on loopback only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entitlements-handoff-'));
    const write = (name: string, content: unknown, mode = 0o600): string => {
      const file = join(dir, name);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content), { mode });
      chmodSync(file, mode);
      return file;
    };
    const at = (file: string, log?: (l: string) => void) => externalSandbox({ ENTITLEMENTS_SANDBOX_FILE: file }, log);
    const ok = at(write('ok.json', { url: 'http://127.0.0.1:4567/v1.0/', token: 't' }));
    assert.deepEqual(ok, { url: 'http://127.0.0.1:4567/v1.0', token: 't' });
    // The variables that used to carry the token are not read any more.
    assert.equal(
      externalSandbox({ ENTITLEMENTS_SANDBOX_URL: 'http://127.0.0.1:4567/v1.0', ENTITLEMENTS_SANDBOX_TOKEN: 't' }),
      undefined,
    );
    const log: string[] = [];
    if (process.platform !== 'win32')
      assert.equal(
        at(write('open.json', { url: 'http://127.0.0.1:1/v1.0', token: 't' }, 0o644), (l) => log.push(l)),
        undefined,
      );
    assert.equal(at(write('remote.json', { url: 'https://graph.example.com/v1.0', token: 't' })), undefined);
    assert.equal(at(write('lan.json', { url: 'http://10.0.0.1:80/v1.0', token: 't' })), undefined);
    assert.equal(at(write('notoken.json', { url: 'http://127.0.0.1:4567/v1.0' })), undefined);
    assert.equal(at(write('bad.json', 'not json')), undefined);
    assert.equal(at(write('big.json', ' '.repeat(10_000))), undefined);
    assert.equal(at(join(dir, 'missing.json')), undefined);
    assert.equal(at(dir), undefined, 'a directory');
    if (process.platform !== 'win32') assert.match(log.join('\n'), /mode 0600/);
    assert.ok(!log.some((l) => l.includes('"t"')), 'the token is not logged');
    rmSync(dir, { recursive: true, force: true });
    const p = new SandboxProcess({ script: '/nonexistent/sandbox.js', dataDir: '/nonexistent', external: ok });
    assert.deepEqual(await p.endpoint(), ok, 'nothing is spawned (the script does not even exist)');
    p.dispose();
  });
});
