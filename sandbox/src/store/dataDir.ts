/**
 * Checks and prepares the `--data` directory before the store touches it: an empty path is
 * refused; an existing path must be a writable directory; a missing one is created one level at a
 * time under its nearest existing ancestor. Never `mkdir -p` on the raw path: Node's recursive
 * mkdir loops forever on paths such as `/proc/x`. Problems come back as data (a message).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type DataDirCheck = { ok: true; dir: string } | { ok: false; message: string };

const reason = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? String((e as Error)?.message ?? e);

export function prepareDataDir(raw: string): DataDirCheck {
  if (raw.trim() === '') return { ok: false, message: '--data needs a directory path (it was empty)' };
  if (raw.includes('\0')) return { ok: false, message: '--data: the path contains a NUL character' };
  const dir = path.resolve(raw);
  // The missing components, from the nearest existing ancestor down.
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    let st: fs.Stats;
    try {
      st = fs.statSync(at);
    } catch (e) {
      if (reason(e) !== 'ENOENT' && reason(e) !== 'ENOTDIR')
        return { ok: false, message: `--data ${raw}: cannot inspect ${at} (${reason(e)})` };
      const parent = path.dirname(at);
      if (parent === at) return { ok: false, message: `--data ${raw}: no part of the path exists` };
      missing.unshift(at);
      at = parent;
      continue;
    }
    if (!st.isDirectory()) return { ok: false, message: `--data ${raw}: ${at} exists and is not a directory` };
    break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      return { ok: false, message: `--data ${raw}: cannot create ${d} (${reason(e)})` };
    }
  }
  // Root passes access(2) checks regardless of mode bits, so write and remove a probe file.
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (e) {
    return { ok: false, message: `--data ${raw}: the directory is not writable (${reason(e)})` };
  }
  return { ok: true, dir };
}
