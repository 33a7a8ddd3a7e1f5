/**
 * Starts the sandbox tenant (`dist/sandbox.js`) as a child process on demand, reads the
 * `{"url","token"}` line it prints when listening, and stops it on dispose. No `vscode` import.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export interface SandboxEndpoint {
  url: string;
  token: string;
}

export interface SandboxProcessOptions {
  /** Path of `dist/sandbox.js`. */
  script: string;
  /** Where the tenant persists (journal and snapshots). */
  dataDir: string;
  /** The Node binary; in VS Code, the editor's own (run as Node through ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  /** Extra arguments (tests: `--seed-assignments N`, `--test-hooks`). */
  args?: string[];
  log?: (line: string) => void;
  /** How long to wait for the first line. Default 30 s. */
  timeoutMs?: number;
  /** A sandbox already running (started by `npm start`): used as it is, nothing is spawned. */
  external?: SandboxEndpoint;
}

/**
 * The sandbox `npm start` launched, passed to the editor through `ENTITLEMENTS_SANDBOX_URL` and
 * `ENTITLEMENTS_SANDBOX_TOKEN`, so the explorer shows the tenant whose URL it printed. Only a
 * loopback `http://127.0.0.1` URL is accepted: the token must not travel anywhere else.
 */
export function externalSandbox(env: Record<string, string | undefined>): SandboxEndpoint | undefined {
  const url = env.ENTITLEMENTS_SANDBOX_URL;
  const token = env.ENTITLEMENTS_SANDBOX_TOKEN;
  if (!url || !token) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && u.hostname === '127.0.0.1' ? { url: url.replace(/\/+$/, ''), token } : undefined;
  } catch {
    return undefined;
  }
}

export class SandboxProcess {
  private child: ChildProcess | undefined;
  private starting: Promise<SandboxEndpoint> | undefined;

  constructor(private readonly options: SandboxProcessOptions) {}

  /** The running sandbox's endpoint, starting it when needed (once, even when called concurrently). */
  endpoint(): Promise<SandboxEndpoint> {
    if (this.options.external) return Promise.resolve(this.options.external);
    this.starting ??= this.start().catch((e: unknown) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  private start(): Promise<SandboxEndpoint> {
    const o = this.options;
    mkdirSync(o.dataDir, { recursive: true });
    const args = [o.script, '--data', o.dataDir, '--seed', 'demo', ...(o.args ?? [])];
    const child = spawn(o.execPath ?? process.execPath, args, {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child = child;
    return new Promise<SandboxEndpoint>((resolve, reject) => {
      let out = '';
      let err = '';
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        f();
      };
      const timer = setTimeout(
        () => settle(() => reject(new Error(`the sandbox did not start within ${o.timeoutMs ?? 30000} ms`))),
        o.timeoutMs ?? 30000,
      );
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        try {
          const line = JSON.parse(out.slice(0, nl)) as SandboxEndpoint;
          if (typeof line.url !== 'string' || typeof line.token !== 'string') throw new Error('missing url or token');
          o.log?.(`sandbox tenant listening at ${line.url} (data in ${o.dataDir})`);
          settle(() => resolve({ url: line.url, token: line.token }));
        } catch (e) {
          settle(() => reject(new Error(`the sandbox printed an unexpected first line: ${(e as Error).message}`)));
        }
      });
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk;
        for (const line of chunk.split('\n')) if (line.trim()) o.log?.(`sandbox: ${line}`);
      });
      child.on('error', (e) => settle(() => reject(e)));
      child.on('exit', (code, signal) => {
        this.child = undefined;
        this.starting = undefined;
        o.log?.(`sandbox tenant exited (${signal ?? code})`);
        settle(() =>
          reject(new Error(`the sandbox exited with ${signal ?? code}: ${err.trim().split('\n').pop() ?? ''}`)),
        );
      });
    });
  }

  /** Stops the process (SIGTERM: it closes its journal cleanly). */
  dispose(): void {
    this.child?.kill('SIGTERM');
    this.child = undefined;
    this.starting = undefined;
  }
}
