/**
 * `.entitlements/state.json`: per tenant (the sandbox's URL, a Microsoft tenant's id), per file
 * (a path relative to the folder, with `/`), the object the file is in that tenant and the normal
 * form of its content as last applied or pulled. Reviewable and committed with the folder: keys
 * are sorted, two-space JSON, written atomically (a temporary file renamed over the old one).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonical, type JsonObject, type Kind } from './normalise';

export interface StateEntry {
  kind: Kind;
  id: string;
  content: JsonObject;
}

export interface TenantState {
  files: Record<string, StateEntry>;
}

export interface StateFile {
  version: 1;
  tenants: Record<string, TenantState>;
}

export const STATE_PATH = '.entitlements/state.json';

export class StateError extends Error {}

export function readState(dir: string): StateFile {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_PATH), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tenants: {} };
    throw new StateError(`${STATE_PATH}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new StateError(`${STATE_PATH} is not valid JSON (${(e as Error).message}); fix or delete it.`);
  }
  const d = data as Partial<StateFile> | null;
  if (!d || typeof d !== 'object' || d.version !== 1 || typeof d.tenants !== 'object' || d.tenants === null)
    throw new StateError(`${STATE_PATH}: expected {"version": 1, "tenants": {...}}.`);
  for (const t of Object.values(d.tenants)) {
    if (!t || typeof t !== 'object' || typeof t.files !== 'object' || t.files === null)
      throw new StateError(`${STATE_PATH}: every tenant needs a "files" object.`);
  }
  return d as StateFile;
}

export function tenantState(state: StateFile, key: string): TenantState {
  return (state.tenants[key] ??= { files: {} });
}

export function writeState(dir: string, state: StateFile): void {
  const folder = join(dir, '.entitlements');
  mkdirSync(folder, { recursive: true });
  const target = join(dir, STATE_PATH);
  const temp = `${target}.${process.pid}.tmp`;
  const sorted = { version: 1, tenants: sortKeys(state.tenants) };
  writeFileSync(temp, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(temp, target);
}

function sortKeys(tenants: Record<string, TenantState>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(tenants).sort()) {
    const files: Record<string, unknown> = {};
    const t = tenants[key]!;
    for (const f of Object.keys(t.files).sort()) {
      const e = t.files[f]!;
      files[f] = { kind: e.kind, id: e.id, content: canonical(e.content) };
    }
    out[key] = { files };
  }
  return out;
}
