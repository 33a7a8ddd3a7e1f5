/**
 * CLI sign-in end to end: `dist/sandbox.js --tls --identity ID:SECRET` plays the identity platform
 * over real HTTPS, and `dist/cli.js whoami` signs in through the real `@azure/identity` (client
 * secret from the environment, the CA through NODE_EXTRA_CA_CERTS), then reads Graph with the
 * token it got. Also: how `--cloud`, `--authority-host` and `--graph-endpoint` become endpoints.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { repoRoot } from '../helpers';
import { connectTenant, credentialFor, credentialKind, microsoftEndpoints, UsageError } from '../../cli/src/tenant';
import { clouds, cloudNames } from '../../client/src/graph/clouds';

interface Started {
  url: string;
  token: string;
  authority: string;
  tenantId: string;
  ca: string;
}

const clientId = '6f1d0c5e-1111-4222-8333-944455556666';
const secret = 'pipeline~secret';
let child: ChildProcess;
let s: Started;

const keys = mkdtempSync(join(tmpdir(), 'entitlements-app-cert-'));
const appCert = join(keys, 'app-cert.pem');
const appKeyAndCert = join(keys, 'app-key-and-cert.pem');

before(async () => {
  // The app's certificate: the sandbox gets the certificate, the CLI the key and certificate.
  const pems = await generate([{ name: 'commonName', value: 'entitlements pipeline' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  writeFileSync(appCert, pems.cert, { mode: 0o600 });
  writeFileSync(appKeyAndCert, `${pems.private}\n${pems.cert}`, { mode: 0o600 });
  child = spawn(
    process.execPath,
    [
      join(repoRoot, 'dist', 'sandbox.js'),
      '--tls',
      '--identity',
      `${clientId}:${secret}`,
      '--identity-cert',
      appCert,
      '--seed',
      'demo',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8');
  while (!out.includes('\n')) {
    const [chunk] = (await Promise.race([
      once(child.stdout!, 'data'),
      once(child, 'exit').then(() => {
        throw new Error('the sandbox exited before printing its first line');
      }),
    ])) as [string];
    out += chunk;
  }
  s = JSON.parse(out.slice(0, out.indexOf('\n'))) as Started;
});
after(() => {
  child.kill('SIGTERM');
  rmSync(keys, { recursive: true, force: true });
});

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Only what the test names: no ambient AZURE_* variable or proxy of the machine gets in.
  const p = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_PROXY: '127.0.0.1,localhost', ...env },
  });
  let stdout = '';
  let stderr = '';
  p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => p.on('close', (code) => resolve({ code, stdout, stderr })));
}

const pipelineEnv = (clientSecret: string): Record<string, string> => ({
  AZURE_TENANT_ID: s.tenantId,
  AZURE_CLIENT_ID: clientId,
  AZURE_CLIENT_SECRET: clientSecret,
  NODE_EXTRA_CA_CERTS: s.ca,
});
const whoamiArgs = (): string[] => [
  'whoami',
  '--tenant',
  s.tenantId,
  '--authority-host',
  s.authority,
  '--graph-endpoint',
  s.url,
  '--format',
  'json',
];

test('whoami signs in through @azure/identity with a client secret and reads the catalogs (exit 0)', async () => {
  const r = await cli(whoamiArgs(), pipelineEnv(secret));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { tenant: string; graph: string; catalogs: number };
  assert.equal(out.tenant, s.tenantId);
  assert.equal(out.graph, s.url);
  // The demo tenant's catalogs, read with the sandbox's own token for comparison.
  const cats = await cli(['whoami', '--tenant', s.url, '--token', s.token, '--format', 'json'], {
    NODE_EXTRA_CA_CERTS: s.ca,
  });
  assert.equal(cats.code, 0, cats.stderr);
  assert.ok(out.catalogs > 0);
  assert.equal(out.catalogs, (JSON.parse(cats.stdout) as { catalogs: number }).catalogs);
  assert.equal(r.stdout.includes(s.token), false);
});

test('a wrong secret exits 2 with the AADSTS code, and prints no token or secret', async () => {
  const r = await cli(whoamiArgs(), pipelineEnv('not-the-secret'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /AADSTS7000215/);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.includes('not-the-secret'), false);
});

test('the contract: pull signs in through @azure/identity and writes the layout (exit 0); a wrong secret exits 2 with AADSTS', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entitlements-pull-signin-'));
  try {
    const args = (out: string) => [
      'pull',
      '--tenant',
      s.tenantId,
      '--authority-host',
      s.authority,
      '--graph-endpoint',
      s.url,
      out,
    ];
    const ok = await cli(args(join(dir, 'ok')), pipelineEnv(secret));
    assert.equal(ok.code, 0, ok.stderr);
    const state = JSON.parse(readFileSync(join(dir, 'ok', '.entitlements', 'state.json'), 'utf8')) as {
      tenants: Record<string, unknown>;
    };
    // The state is keyed by the Microsoft tenant's id, not by the Graph URL it was reached through.
    assert.deepEqual(Object.keys(state.tenants), [s.tenantId.toLowerCase()]);
    assert.ok(
      readdirSync(join(dir, 'ok'), { recursive: true }).some((f) => String(f).endsWith('.policy.json')),
      'pull wrote policy files',
    );
    const refused = await cli(args(join(dir, 'refused')), pipelineEnv('not-the-secret'));
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /AADSTS7000215/);
    assert.equal(refused.stderr.includes('not-the-secret'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workload identity federation: the federated token file signs in through WorkloadIdentityCredential', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entitlements-federated-'));
  const file = join(dir, 'token');
  const env = { AZURE_TENANT_ID: s.tenantId, AZURE_CLIENT_ID: clientId, NODE_EXTRA_CA_CERTS: s.ca };
  try {
    writeFileSync(file, secret, { mode: 0o600 });
    const ok = await cli(whoamiArgs(), { ...env, AZURE_FEDERATED_TOKEN_FILE: file });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { tenant: string }).tenant, s.tenantId);
    writeFileSync(file, 'a token nobody trusts');
    const refused = await cli(whoamiArgs(), { ...env, AZURE_FEDERATED_TOKEN_FILE: file });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /federation/);
    assert.match(refused.stderr, /AADSTS700027/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a client certificate signs in through ClientCertificateCredential; another key is refused', async () => {
  const env = { AZURE_TENANT_ID: s.tenantId, AZURE_CLIENT_ID: clientId, NODE_EXTRA_CA_CERTS: s.ca };
  const ok = await cli(whoamiArgs(), { ...env, AZURE_CLIENT_CERTIFICATE_PATH: appKeyAndCert });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { tenant: string }).tenant, s.tenantId);
  const other = await generate([{ name: 'commonName', value: 'someone else' }], { keySize: 2048, algorithm: 'sha256' });
  const otherFile = join(keys, 'other.pem');
  writeFileSync(otherFile, `${other.private}\n${other.cert}`, { mode: 0o600 });
  const refused = await cli(whoamiArgs(), { ...env, AZURE_CLIENT_CERTIFICATE_PATH: otherFile });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /certificate/);
  assert.match(refused.stderr, /AADSTS700027/);
});

test('an app the tenant does not know exits 2 with AADSTS700016', async () => {
  const r = await cli(whoamiArgs(), { ...pipelineEnv(secret), AZURE_CLIENT_ID: 'another-app' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /AADSTS700016/);
});

test('without the CA the TLS connection is refused (exit 2), not silently trusted', async () => {
  const env = pipelineEnv(secret);
  delete (env as Partial<Record<string, string>>).NODE_EXTRA_CA_CERTS;
  const r = await cli(whoamiArgs(), env);
  assert.equal(r.code, 2);
  assert.doesNotMatch(r.stdout, /catalogs/);
});

test('each cloud maps to its Graph root, authority and .default scope from the one table', () => {
  for (const name of cloudNames) {
    const e = microsoftEndpoints({ tenant: 'contoso.onmicrosoft.com', cloud: name });
    assert.equal(e.graphRoot, `${clouds[name].graphHost}/v1.0`);
    assert.equal(e.authorityHost, clouds[name].authorityHost);
    assert.equal(e.scope, `${clouds[name].graphHost}/.default`);
    // A cloud's own authority is one the identity library validates itself.
    assert.equal(e.disableInstanceDiscovery, false);
  }
  const gov = microsoftEndpoints({ tenant: 'contoso.onmicrosoft.us', cloud: 'USGOVDOD' });
  assert.equal(gov.graphRoot, 'https://dod-graph.microsoft.us/v1.0');
  const own = microsoftEndpoints({
    tenant: '11111111-2222-4333-8444-555555555555',
    cloud: 'china',
    authorityHost: 'https://127.0.0.1:8443/',
    graphEndpoint: 'https://127.0.0.1:8443/v1.0/',
  });
  assert.deepEqual(own, {
    tenantId: '11111111-2222-4333-8444-555555555555',
    graphRoot: 'https://127.0.0.1:8443/v1.0',
    authorityHost: 'https://127.0.0.1:8443',
    scope: 'https://127.0.0.1:8443/.default',
    disableInstanceDiscovery: true,
  });
  assert.equal(
    microsoftEndpoints({ tenant: 'x.test', graphEndpoint: 'https://g.test' }).graphRoot,
    'https://g.test/v1.0',
  );
});

test('AZURE_AUTHORITY_HOST applies when --authority-host is absent', () => {
  const env = { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/' };
  assert.equal(
    microsoftEndpoints({ tenant: 'x.test', cloud: 'usGov' }, env).authorityHost,
    'https://login.microsoftonline.us',
  );
  assert.equal(
    microsoftEndpoints({ tenant: 'x.test', authorityHost: 'https://127.0.0.1:9' }, env).authorityHost,
    'https://127.0.0.1:9',
  );
  assert.equal(
    microsoftEndpoints({ tenant: 'x.test' }, { AZURE_AUTHORITY_HOST: '' }).authorityHost,
    clouds.global.authorityHost,
  );
  assert.throws(() => microsoftEndpoints({ tenant: 'x.test' }, { AZURE_AUTHORITY_HOST: 'http://x.test' }), /https/);
});

test('options that cannot work are usage errors', () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ tenant: 'contoso.onmicrosoft.com', cloud: 'germany' }, /--cloud germany/],
    [{ tenant: 'not a tenant' }, /--tenant/],
    [{ tenant: 'contoso.onmicrosoft.com', authorityHost: 'http://127.0.0.1:1' }, /https/],
    [{ tenant: 'contoso.onmicrosoft.com', graphEndpoint: 'graph' }, /not a URL/],
    [{ tenant: 'contoso.onmicrosoft.com', token: 'x' }, /--token/],
  ];
  for (const [opts, message] of bad)
    assert.throws(
      () => void connectTenant(opts as { tenant: string }, {}),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      JSON.stringify(opts),
    );
});

test('whoami without --tenant is a usage error (exit 2)', async () => {
  const r = await cli(['whoami'], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /whoami needs --tenant/);
});

test('the state key of a Microsoft tenant is its id (or domain), whatever its case', async () => {
  const env = { AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: secret };
  const upper = await connectTenant({ tenant: '11111111-2222-4333-8444-55555555555A' }, env);
  const lower = await connectTenant({ tenant: '11111111-2222-4333-8444-55555555555a' }, env);
  assert.equal(upper.key, lower.key);
  assert.equal(upper.key, '11111111-2222-4333-8444-55555555555a');
  assert.equal(upper.baseUrl, 'https://graph.microsoft.com/v1.0');
  assert.equal(
    (await connectTenant({ tenant: 'Contoso.onmicrosoft.com', cloud: 'usGov' }, env)).baseUrl,
    'https://graph.microsoft.us/v1.0',
  );
});

test('the environment picks one credential; a named one is used alone', async () => {
  const e = microsoftEndpoints({ tenant: '11111111-2222-4333-8444-555555555555' });
  // By class name: the library may be loaded twice (its CommonJS and ESM builds), so instanceof would not hold.
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: 's' }, 'ClientSecretCredential', /secret/],
    [
      { AZURE_CLIENT_ID: clientId, AZURE_CLIENT_CERTIFICATE_PATH: join(repoRoot, 'package.json') },
      'ClientCertificateCredential',
      /certificate/,
    ],
    [
      { AZURE_CLIENT_ID: clientId, AZURE_FEDERATED_TOKEN_FILE: join(repoRoot, 'package.json') },
      'WorkloadIdentityCredential',
      /federation/,
    ],
    [
      {
        AZURESUBSCRIPTION_CLIENT_ID: clientId,
        AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: 'sc',
        SYSTEM_ACCESSTOKEN: 'x',
        SYSTEM_OIDCREQUESTURI: 'https://dev.azure.test/oidc',
      },
      'AzurePipelinesCredential',
      /Pipelines/,
    ],
    [{}, 'ChainedTokenCredential', /Azure CLI, then managed identity/],
    [{ AZURE_CLIENT_SECRET: 's' }, 'ChainedTokenCredential', /Azure CLI/],
  ];
  for (const [env, type, kind] of cases) {
    // AzurePipelinesCredential reads SYSTEM_OIDCREQUESTURI from the process itself.
    const saved = process.env.SYSTEM_OIDCREQUESTURI;
    if (env.SYSTEM_OIDCREQUESTURI) process.env.SYSTEM_OIDCREQUESTURI = env.SYSTEM_OIDCREQUESTURI;
    try {
      assert.equal((await credentialFor(e, env)).constructor.name, type, JSON.stringify(env));
    } finally {
      if (saved === undefined) delete process.env.SYSTEM_OIDCREQUESTURI;
      else process.env.SYSTEM_OIDCREQUESTURI = saved;
    }
    assert.match(credentialKind(env), kind);
  }
  // Without the variable Azure Pipelines sets, a service connection is not taken for one.
  assert.equal(
    (
      await credentialFor(e, {
        AZURESUBSCRIPTION_CLIENT_ID: clientId,
        AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: 's',
        SYSTEM_ACCESSTOKEN: 'x',
      })
    ).constructor.name,
    'ChainedTokenCredential',
  );
});
