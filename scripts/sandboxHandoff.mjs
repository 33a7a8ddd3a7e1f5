// How `npm start` hands the sandbox it started to the extension without putting the token in any
// environment: the URL and token go into a file only the user can read (0600, in a 0700 folder
// of the run directory), and only that file's path travels in the environment
// (ENTITLEMENTS_SANDBOX_FILE). Whatever inherits the editor's environment (integrated terminals,
// tasks, other extensions' processes) sees a path, not the token. The file is removed on stop.
import { chmodSync, closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const HANDOFF_VARIABLE = 'ENTITLEMENTS_SANDBOX_FILE';

/** Writes `{url, token}` to `<runDir>/handoff/sandbox.json` (0600) and returns its path. */
export function writeHandoff(runDir, { url, token }) {
  const dir = join(runDir, 'handoff');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, 'sandbox.json');
  // A fresh file (never reuse one another process may hold open), created 0600 from the start.
  rmSync(file, { force: true });
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify({ url, token }));
  } finally {
    closeSync(fd);
  }
  return file;
}

export function removeHandoff(file) {
  if (file) rmSync(file, { force: true });
}
