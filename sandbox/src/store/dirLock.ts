/**
 * One sandbox per data directory. Two processes appending to one journal and compacting it each
 * on their own would lose each other's acknowledged writes (a snapshot of one process's state
 * replaces segments the other wrote). That happens as soon as two VS Code windows start the
 * sandbox on the extension's one storage folder.
 *
 * The lock is the file `sandbox.lock`, created exclusively (0600), naming the holder's process
 * and, once it listens, its endpoint, so a second start can hand the running sandbox over instead
 * of failing (main.ts, the extension). A lock whose process is gone (kill -9, a crash) is stale
 * and taken over. Written by hand: Node has no advisory file locks, and the lock-file packages
 * judge staleness by an mtime the holder must refresh, which a sandbox busy loading a
 * million-user snapshot for half a minute cannot do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';

export const lockName = 'sandbox.lock';

/** What the lock file says about its holder. */
export interface LockHolder {
  pid: number;
  url?: string;
  token?: string;
  ca?: string;
}

export class DataDirInUse extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data directory ${dir} is in use by another sandbox (process ${holder.pid || 'unknown'}); ` +
        `stop it, or use another --data directory (if no sandbox runs, delete ${path.join(dir, lockName)})`,
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Does something accept connections at that URL's port (a sandbox that has not closed its server)? */
function listening(url: string): Promise<boolean> {
  let port: number;
  try {
    const u = new URL(url);
    if (u.hostname !== '127.0.0.1') return Promise.resolve(false);
    port = Number(u.port);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function read(file: string): (LockHolder & { owner?: string }) | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0) return undefined;
    const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
    return { pid: v.pid, owner: str(v.owner), url: str(v.url), token: str(v.token), ca: str(v.ca) };
  } catch {
    return undefined;
  }
}

/** A lock file being written right now (created, not yet filled) is not stale. */
const youngMs = 10_000;

export class DirLock {
  private constructor(
    private readonly file: string,
    /** Tells two sandboxes of one process apart (tests start several). */
    private readonly owner: string,
  ) {}

  /**
   * Takes the directory's lock. A holder that answers on its endpoint is running: DataDirInUse,
   * naming it (to hand it over). A holder that does not answer is starting (loading its data) or
   * stopping (a window reloaded: the old sandbox closes its journal as the new one starts), so
   * this waits for it, up to `waitMs`, then gives up with DataDirInUse.
   */
  static async acquire(dir: string, waitMs = 120_000): Promise<DirLock> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return DirLock.tryAcquire(dir);
      } catch (e) {
        if (!(e instanceof DataDirInUse)) throw e;
        if (e.holder.url && (await listening(e.holder.url))) throw e;
        if (Date.now() >= deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Takes the directory's lock now, or throws DataDirInUse naming its holder. */
  static tryAcquire(dir: string): DirLock {
    const file = path.join(dir, lockName);
    const owner = randomBytes(8).toString('hex');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify({ pid: process.pid, owner }), { flag: 'wx', mode: 0o600 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = read(file);
        if (holder && alive(holder.pid)) throw new DataDirInUse(dir, holder);
        if (!holder) {
          let age = Infinity;
          try {
            age = Date.now() - fs.statSync(file).mtimeMs;
          } catch {
            // Gone meanwhile: try again.
          }
          if (age < youngMs) throw new DataDirInUse(dir, { pid: 0 });
        }
        // Stale (its process is gone, or unreadable and old): take it over.
        fs.rmSync(file, { force: true });
        continue;
      }
      // Two starts taking over one stale lock at once: the later file wins, the other gives way.
      const now = read(file);
      if (now?.owner === owner) return new DirLock(file, owner);
      throw new DataDirInUse(dir, now ?? { pid: 0 });
    }
    throw new DataDirInUse(dir, read(file) ?? { pid: 0 });
  }

  /** Adds the endpoint, so a second start can hand this sandbox over (the file stays 0600). */
  publish(endpoint: { url: string; token: string; ca?: string }): void {
    const tmp = `${this.file}.${this.owner}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ pid: process.pid, owner: this.owner, ...endpoint }), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  /** Gives the directory up (only a lock still ours is removed). */
  release(): void {
    if (read(this.file)?.owner === this.owner) fs.rmSync(this.file, { force: true });
  }
}
