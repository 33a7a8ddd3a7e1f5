/**
 * The store's only door to the disk. Everything the journal does goes through this object, so
 * tests can make one call fail (a full disk, a short write, a failed fsync) and check that the
 * sandbox then acknowledges exactly what reached the disk.
 */
import * as fs from 'node:fs';

export interface FileSystem {
  openSync(path: string, flags: string, mode?: number): number;
  closeSync(fd: number): void;
  /** Writes up to `length` bytes at the end of an append-mode file; returns how many were written. */
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number): number;
  readSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  /** The same, without blocking the event loop (large snapshot files). */
  fsync(fd: number): Promise<void>;
  ftruncateSync(fd: number, len: number): void;
  fstatSize(fd: number): number;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  mkdirSync(path: string, mode: number): void;
  chmodSync(path: string, mode: number): void;
  readdirSync(path: string): string[];
  existsSync(path: string): boolean;
}

export const nodeFileSystem: FileSystem = {
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  closeSync: (fd) => fs.closeSync(fd),
  writeSync: (fd, buf, offset, length) => fs.writeSync(fd, buf, offset, length),
  readSync: (fd, buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  fsync: (fd) => new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve()))),
  ftruncateSync: (fd, len) => fs.ftruncateSync(fd, len),
  fstatSize: (fd) => fs.fstatSync(fd).size,
  renameSync: (a, b) => fs.renameSync(a, b),
  unlinkSync: (p) => fs.unlinkSync(p),
  mkdirSync: (p, mode) => void fs.mkdirSync(p, { recursive: true, mode }),
  chmodSync: (p, mode) => fs.chmodSync(p, mode),
  readdirSync: (p) => fs.readdirSync(p),
  existsSync: (p) => fs.existsSync(p),
};

/** Makes a directory entry (a new or renamed file) durable; a no-op where directories cannot be opened. */
export function fsyncDir(fsx: FileSystem, dir: string): void {
  let fd: number | undefined;
  try {
    fd = fsx.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsx.fsyncSync(fd);
  } catch {
    // Some platforms refuse fsync on a directory; the rename is still atomic there.
  } finally {
    fsx.closeSync(fd);
  }
}
