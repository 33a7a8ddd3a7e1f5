/**
 * Pull: writes the tenant (or one catalog) into the layout. Files already matched to an object
 * (through the state, or by display name) keep their names; new objects get a slug of their
 * display name, allocated in a stable order (name, then content) so that the same tenant
 * configuration gives the same names in any tenant. A file is rewritten only when its bytes
 * change, so a second pull of an unchanged tenant leaves `git status` clean. Files the state
 * tracked whose objects are gone from the tenant are removed; untracked files are left alone.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { readLayout } from './layout';
import { fileText, type Kind } from './normalise';
import { matchFiles } from './plan';
import { tenantState, writeState, type StateFile } from './state';
import type { Remote, Snapshot } from './tenantSnapshot';
import { allocate, slug } from './names';

export interface PullResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

const suffix: Record<Kind, string> = {
  catalog: '.catalog.json',
  accessPackage: '.accessPackage.json',
  policy: '.policy.json',
};

function order(a: Remote, b: Remote): number {
  const x = `${a.displayName}\u0000${JSON.stringify(a.content)}\u0000${a.id}`;
  const y = `${b.displayName}\u0000${JSON.stringify(b.content)}\u0000${b.id}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

function namesIn(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir).map((n) => n.toLowerCase()));
  } catch {
    return new Set();
  }
}

export function pullInto(dir: string, snapshot: Snapshot, state: StateFile, tenantKey: string): PullResult {
  const layout = readLayout(dir);
  const tstate = tenantState(state, tenantKey);
  const matched = matchFiles(layout, snapshot, tstate);
  const pathOf = new Map<string, string>();
  for (const [file, r] of matched) pathOf.set(r.id, file);
  const result: PullResult = { written: [], unchanged: [], removed: [] };
  const takenIn = new Map<string, Set<string>>();
  const taken = (folder: string): Set<string> => {
    let s = takenIn.get(folder);
    if (!s) takenIn.set(folder, (s = namesIn(join(dir, folder))));
    return s;
  };

  /** A path for an object that has no file yet: a folder (catalogs, packages) or a file (policies). */
  const place = (r: Remote, parentFolder: string): string => {
    if (r.kind === 'policy') {
      const names = taken(parentFolder);
      const base = slug(r.displayName);
      let name = base;
      for (let n = 2; names.has(`${name}${suffix.policy}`.toLowerCase()); n++) name = `${base}-${n}`;
      names.add(`${name}${suffix.policy}`.toLowerCase());
      return posix.join(parentFolder, `${name}${suffix.policy}`);
    }
    const folder = allocate(slug(r.displayName), taken(parentFolder));
    return posix.join(parentFolder, folder, `${folder}${suffix[r.kind]}`);
  };

  const write = (r: Remote, file: string): void => {
    const text = fileText(r.content);
    const full = join(dir, file);
    let old: string | undefined;
    try {
      old = readFileSync(full, 'utf8');
    } catch {
      old = undefined;
    }
    if (old === text) result.unchanged.push(file);
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      result.written.push(file);
    }
    tstate.files[file] = { kind: r.kind, id: r.id, content: r.content };
  };

  const folderOf = (file: string): string => posix.dirname(file);
  const sorted = (list: Remote[]) => [...list].sort(order);
  // Matched objects first, so new ones never take a name already in use.
  for (const c of sorted(snapshot.catalogs)) {
    const file = pathOf.get(c.id) ?? place(c, '.');
    pathOf.set(c.id, file.replace(/^\.\//, ''));
  }
  for (const p of sorted(snapshot.packages)) {
    const parent = pathOf.get(p.parentId!);
    if (!parent) continue;
    pathOf.set(p.id, pathOf.get(p.id) ?? place(p, folderOf(parent)));
  }
  for (const p of sorted(snapshot.policies)) {
    const parent = pathOf.get(p.parentId!);
    if (!parent) continue;
    pathOf.set(p.id, pathOf.get(p.id) ?? place(p, folderOf(parent)));
  }
  for (const r of [...snapshot.catalogs, ...snapshot.packages, ...snapshot.policies]) {
    const file = pathOf.get(r.id);
    if (file) write(r, file);
  }
  // Tracked files whose objects left the tenant (within what was pulled).
  const pulledFolders = snapshot.catalogs.map((c) => `${folderOf(pathOf.get(c.id)!)}/`);
  for (const [file, entry] of Object.entries(tstate.files)) {
    if (snapshot.byId.has(entry.id) && pathOf.get(entry.id) === file) continue;
    if (snapshot.partial && !pulledFolders.some((f) => file.startsWith(f))) continue;
    if (!snapshot.byId.has(entry.id)) {
      rmSync(join(dir, file), { force: true });
      removeEmptyFolders(dir, folderOf(file));
      result.removed.push(file);
    }
    delete tstate.files[file];
  }
  writeState(dir, state);
  return result;
}

function removeEmptyFolders(dir: string, folder: string): void {
  for (let f = folder; f !== '.' && f !== ''; f = posix.dirname(f)) {
    try {
      if (readdirSync(join(dir, f)).length > 0) return;
      rmdirSync(join(dir, f));
    } catch {
      return;
    }
  }
}
