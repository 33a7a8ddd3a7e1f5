/** The extension's default tenant: `dist/sandbox.js` started on demand, persisted in its data folder. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
      const log: string[] = [];
      let proc = new SandboxProcess({ script, dataDir, log: (l) => log.push(l) });
      try {
        const [a, b] = await Promise.all([proc.endpoint(), proc.endpoint()]);
        assert.equal(a, b, 'one process for concurrent callers');
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

    it('reports a sandbox that cannot start', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'entitlements-sandbox-'));
      const proc = new SandboxProcess({ script, dataDir, args: ['--seed', 'nonsense'] });
      await assert.rejects(proc.endpoint(), /exited/);
      rmSync(dataDir, { recursive: true, force: true });
    });
  },
);

describe('a sandbox started outside the editor (npm start)', () => {
  it('is used through ENTITLEMENTS_SANDBOX_URL and _TOKEN, on loopback only', async () => {
    const ok = externalSandbox({
      ENTITLEMENTS_SANDBOX_URL: 'http://127.0.0.1:4567/v1.0/',
      ENTITLEMENTS_SANDBOX_TOKEN: 't',
    });
    assert.deepEqual(ok, { url: 'http://127.0.0.1:4567/v1.0', token: 't' });
    assert.equal(
      externalSandbox({ ENTITLEMENTS_SANDBOX_URL: 'https://graph.example.com/v1.0', ENTITLEMENTS_SANDBOX_TOKEN: 't' }),
      undefined,
    );
    assert.equal(
      externalSandbox({ ENTITLEMENTS_SANDBOX_URL: 'http://10.0.0.1:80/v1.0', ENTITLEMENTS_SANDBOX_TOKEN: 't' }),
      undefined,
    );
    assert.equal(externalSandbox({ ENTITLEMENTS_SANDBOX_URL: 'http://127.0.0.1:4567/v1.0' }), undefined);
    assert.equal(
      externalSandbox({ ENTITLEMENTS_SANDBOX_URL: 'not a url', ENTITLEMENTS_SANDBOX_TOKEN: 't' }),
      undefined,
    );
    const p = new SandboxProcess({ script: '/nonexistent/sandbox.js', dataDir: '/nonexistent', external: ok });
    assert.deepEqual(await p.endpoint(), ok, 'nothing is spawned (the script does not even exist)');
    p.dispose();
  });
});
