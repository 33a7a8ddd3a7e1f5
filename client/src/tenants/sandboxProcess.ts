/**
 * Starts the sandbox tenant (`dist/sandbox.js`) as a child process on demand, reads the
 * `{"url","token"}` line it prints when listening, and stops it on dispose. No `vscode` import.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';

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

/** The environment variable that carries the path of `npm start`'s hand-over file. */
export const HANDOFF_VARIABLE = 'ENTITLEMENTS_SANDBOX_FILE';

/**
 * The sandbox `npm start` launched, so the explorer shows the tenant whose URL it printed. Its
 * URL and token come from a hand-over file whose path is in `ENTITLEMENTS_SANDBOX_FILE`; the token
 * itself is never in the environment, which the editor's integrated terminals inherit. The file
 * must be a small regular file of this user readable by no one else (mode 0600), and only a
 * loopback `http://127.0.0.1` URL is accepted: the token must not travel anywhere else. Anything
 * else is ignored (the extension starts its own sandbox) and the reason goes to `log`.
 */
export function externalSandbox(
  env: Record<string, string | undefined>,
  log?: (line: string) => void,
): SandboxEndpoint | undefined {
  const file = env[HANDOFF_VARIABLE];
  if (!file) return undefined;
  const ignore = (why: string): undefined => {
    log?.(`ignoring the sandbox hand-over file ${file}: ${why}`);
    return undefined;
  };
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > 4096) return ignore('not a small regular file');
    if (process.platform !== 'win32') {
      if ((st.mode & 0o077) !== 0) return ignore('others can read it (it must be mode 0600)');
      if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return ignore('another user owns it');
    }
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return ignore((e as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  try {
    const { url, token } = JSON.parse(text) as { url?: unknown; token?: unknown };
    if (typeof url !== 'string' || typeof token !== 'string' || token === '') return ignore('no url and token');
    const u = new URL(url);
    if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1') return ignore('the URL is not on 127.0.0.1');
    return { url: url.replace(/\/+$/, ''), token };
  } catch {
    return ignore('not valid JSON with a URL');
  }
}

/** Is that process still there? (EPERM: it is, as another user's.) */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SandboxProcess {
  private child: ChildProcess | undefined;
  private starting: Promise<SandboxEndpoint> | undefined;
  /**
   * The process of the sandbox this one was handed over to: another VS Code window already
   * serves the same data folder (one sandbox per folder, see the sandbox's dirLock.ts). When it
   * is gone, the next call starts a sandbox here, which takes the folder over.
   */
  private attachedTo: number | undefined;

  constructor(private readonly options: SandboxProcessOptions) {}

  /** The running sandbox's endpoint, starting it when needed (once, even when called concurrently). */
  endpoint(): Promise<SandboxEndpoint> {
    if (this.options.external) return Promise.resolve(this.options.external);
    if (this.attachedTo !== undefined && !processAlive(this.attachedTo)) {
      this.options.log?.(`the sandbox tenant of process ${this.attachedTo} has exited; starting one here`);
      this.attachedTo = undefined;
      this.starting = undefined;
    }
    this.starting ??= this.start().catch((e: unknown) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  private start(): Promise<SandboxEndpoint> {
    const o = this.options;
    // The tenant's data is private to the user, also when an earlier version created the folder 0755.
    mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(o.dataDir, 0o700);
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
      let attached = false;
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
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        try {
          const line = JSON.parse(out.slice(0, nl)) as SandboxEndpoint;
          if (typeof line.url !== 'string' || typeof line.token !== 'string') throw new Error('missing url or token');
          const by = (line as { attached?: unknown }).attached;
          if (typeof by === 'number') {
            if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(line.url))
              throw new Error('the running sandbox is not on 127.0.0.1');
            attached = true;
            this.attachedTo = by;
            o.log?.(`sandbox tenant: the one of process ${by} (another window) already serves ${o.dataDir}; using it`);
          } else o.log?.(`sandbox tenant listening at ${line.url} (data in ${o.dataDir})`);
          settle(() => resolve({ url: line.url, token: line.token }));
        } catch (e) {
          settle(() => reject(new Error(`the sandbox printed an unexpected first line: ${(e as Error).message}`)));
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk;
        for (const line of chunk.split('\n')) if (line.trim()) o.log?.(`sandbox: ${line}`);
      });
      child.on('error', (e) => settle(() => reject(e)));
      // 'close', not 'exit': a hand-over prints its line and exits at once, and the line must be read first.
      child.on('close', (code, signal) => {
        this.child = undefined;
        // A hand-over ends its process at once; the endpoint stays while its owner runs.
        if (attached && settled) return;
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
