/**
 * `node dist/sandbox.js [--port N] [--data DIR] [--seed demo|empty] [--token T] [--test-hooks]
 * [--fault-rate R --fault F] [--seed-assignments N] [--seed-users N] [--compact-every N]`: starts the local
 * Graph-compatible tenant and prints `{"url": ..., "token": ...}` on one line when it listens.
 */
import { startSandbox, type SandboxOptions } from './http/server';

const usage =
  'usage: sandbox [--port N] [--data DIR] [--seed demo|empty] [--token T] [--test-hooks] [--fault-rate R] [--fault 429|503|500|403|404|reset|truncate] [--seed-assignments N] [--seed-users N] [--compact-every N]';

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

export function parseArgs(argv: string[]): SandboxOptions {
  const o: SandboxOptions = { seed: 'demo' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = (): string | undefined => argv[++i];
    if (a === '--port') o.port = number(a, v(), 0, 65535);
    else if (a === '--data') {
      const d = v();
      o.dataDir = d !== undefined && d.trim() !== '' ? d : fail('--data needs a directory (an empty path is not one)');
    } else if (a === '--seed') {
      const s = v();
      if (s !== 'demo' && s !== 'empty') fail('--seed is demo or empty');
      o.seed = s;
    } else if (a === '--token') o.token = v() || fail('--token needs a value');
    else if (a === '--test-hooks') o.testHooks = true;
    else if (a === '--fault-rate') o.faultRate = number(a, v(), 0, 1);
    else if (a === '--fault') o.fault = v() ?? fail('--fault needs a kind');
    else if (a === '--seed-assignments') o.seedAssignments = number(a, v(), 1, 1_000_000);
    else if (a === '--seed-users') o.seedUsers = number(a, v(), 1, 2_000_000);
    else if (a === '--compact-every') o.compactEvery = number(a, v(), 1, 1e9);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    } else fail(`unknown argument ${a}`);
  }
  return o;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ url: sandbox.url, token: sandbox.token })}\n`);
  const stop = (): void => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox: ${String((err as Error)?.message ?? err)}\n`);
  process.exit(1);
});
