/**
 * `node dist/sandbox.js [--port N] [--data DIR] [--seed demo|directory|empty] [--token T] [--test-hooks]
 * [--fault-rate R --fault F] [--seed-assignments N] [--seed-users N] [--compact-every N] [--tls] [--identity CLIENT_ID:CLIENT_SECRET]`: starts
 * the local Graph-compatible tenant and prints `{"url": ..., "token": ...}` on one line when it
 * listens; with `--tls` also `ca` (its CA certificate), with `--identity` also `authority` and
 * `tenantId` (it then plays the identity platform for that app registration). When another sandbox
 * already serves the `--data` directory, prints that one's line with `"attached": <its pid>` and
 * exits.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startSandbox, type Sandbox, type SandboxOptions } from './http/server';
import { DataDirInUse } from './store/dirLock';
import { parseIdentity } from './identity/platform';
import { prepareDataDir } from './store/dataDir';

const usage =
  'usage: sandbox [--port N] [--data DIR] [--seed demo|directory|empty] [--token T] [--test-hooks] [--fault-rate R] [--fault 429|503|500|403|404|reset|truncate] [--seed-assignments N] [--seed-users N] [--compact-every N] [--tls] [--identity CLIENT_ID:CLIENT_SECRET [--identity-cert CERT.pem]]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

function number(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < min || n > max)
    fail(`${name} needs a number between ${min} and ${max}`);
  return n;
}

function readCertificate(path: string | undefined): string {
  if (!path) fail('--identity-cert needs the path of a PEM certificate');
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`${path}: ${(e as Error).message}`);
  }
  try {
    new X509Certificate(pem);
  } catch {
    fail(`${path}: no PEM certificate in it`);
  }
  return pem;
}

export function parseArgs(argv: string[]): SandboxOptions {
  const o: SandboxOptions = { seed: 'demo' };
  let certificate: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = (): string | undefined => argv[++i];
    if (a === '--port') o.port = number(a, v(), 0, 65535);
    else if (a === '--data') {
      const checked = prepareDataDir(v() ?? '');
      o.dataDir = checked.ok ? checked.dir : fail(checked.message);
    } else if (a === '--seed') {
      const s = v();
      if (s !== 'demo' && s !== 'directory' && s !== 'empty') fail('--seed is demo, directory or empty');
      o.seed = s;
    } else if (a === '--token') o.token = v() || fail('--token needs a value');
    else if (a === '--test-hooks') o.testHooks = true;
    else if (a === '--fault-rate') o.faultRate = number(a, v(), 0, 1);
    else if (a === '--fault') o.fault = v() ?? fail('--fault needs a kind');
    else if (a === '--seed-assignments') o.seedAssignments = number(a, v(), 1, 1_000_000);
    else if (a === '--seed-users') o.seedUsers = number(a, v(), 1, 2_000_000);
    else if (a === '--compact-every') o.compactEvery = number(a, v(), 1, 1e9);
    else if (a === '--tls') o.tls = true;
    else if (a === '--identity')
      o.identity = parseIdentity(v() ?? '') ?? fail('--identity needs CLIENT_ID:CLIENT_SECRET');
    else if (a === '--identity-cert') certificate = readCertificate(v());
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    } else fail(`unknown argument ${a}`);
  }
  if (certificate !== undefined) {
    if (!o.identity) fail('--identity-cert registers a certificate on the --identity app: give --identity too');
    o.identity.certificatePem = certificate;
  }
  // The identity library signs in over https only, so --identity implies --tls.
  if (o.identity) o.tls = true;
  return o;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (e) {
    // The data directory's sandbox already runs: hand it over (same first line, plus `attached`:
    // the process it belongs to) rather than open the same journal twice.
    if (!(e instanceof DataDirInUse) || !e.holder.url || !e.holder.token) throw e;
    const { url, token, ca, pid } = e.holder;
    process.stderr.write(`sandbox: ${options.dataDir} is served by the sandbox in process ${pid}; handing it over\n`);
    process.stdout.write(`${JSON.stringify({ url, token, ca, attached: pid })}\n`);
    return;
  }
  const { url, token, authority, tenantId, ca } = sandbox;
  process.stdout.write(`${JSON.stringify({ url, token, authority, tenantId, ca })}\n`);
  const stop = (): void => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox: ${String((err as Error)?.message ?? err)}\n`);
  process.exit(1);
});
