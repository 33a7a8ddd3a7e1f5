/** Runs `dist/cli.js` without blocking the event loop (the sandboxes run in this process). */
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../helpers';
import type { Client } from '../sandbox/helpers';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli.js ...args` with the sandbox's token in ENTITLEMENTS_TOKEN (never on the command line). */
export function cli(token: string | undefined, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.ENTITLEMENTS_TOKEN;
    if (token) env.ENTITLEMENTS_TOKEN = token;
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface JsonChange {
  action: string;
  kind: string;
  file: string | null;
  id: string | null;
  fields: string[];
  drift?: boolean;
  displayName?: string;
}

export async function planJson(
  c: Client,
  dir: string,
  ...extra: string[]
): Promise<{ code: number | null; changes: JsonChange[] }> {
  const r = await cli(c.sandbox.token, 'plan', '--tenant', c.sandbox.url, dir, '--format', 'json', ...extra);
  if (r.code !== 0 && r.code !== 3) throw new Error(`plan exited ${r.code}: ${r.stderr}`);
  return { code: r.code, changes: (JSON.parse(r.stdout) as { changes: JsonChange[] }).changes };
}

/** Every file under `dir` (relative path → bytes), `.entitlements/` excluded. */
export function payloadFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (name === '.entitlements') continue;
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full).split('\\').join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export function copyWithoutState(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('.entitlements') });
}
