/**
 * A sandbox in its own process (`sandbox/src/main.ts` through tsx), for tests where the sandbox
 * may block or die: the test process keeps its own event loop, so hang bounds and health probes
 * stay meaningful, and a crash shows as an exit instead of taking the test runner down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Res } from './helpers';

const root = join(__dirname, '..', '..');

export interface Spawned {
  child: ChildProcess;
  url: string;
  origin: string;
  port: number;
  token: string;
  stderr(): string;
  /** `path` is relative to `/v1.0`. */
  call(method: string, path: string, body?: unknown): Promise<Res>;
  ok(method: string, path: string, body?: unknown): Promise<any>;
  close(): void;
}

export async function spawnSandbox(
  args: string[] = ['--seed', 'empty'],
  token = 'spawned-test-token',
): Promise<Spawned> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/src/main.ts', ...args, '--token', token], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening: ${stderr}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  const call = async (method: string, path: string, body?: unknown): Promise<Res> => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}` } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const r = await fetch(url + path, init);
    const text = await r.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, json, text };
  };
  return {
    child,
    url,
    origin: new URL(url).origin,
    port: Number(new URL(url).port),
    token,
    stderr: () => stderr,
    call,
    ok: async (method, path, body) => {
      const r = await call(method, path, body);
      if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${r.text}`);
      return r.json;
    },
    close: () => void child.kill('SIGKILL'),
  };
}
