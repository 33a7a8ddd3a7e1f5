/**
 * Where one file stands against one tenant, for the editor's CodeLens and badges: in sync,
 * changed locally (the file differs from what was last applied or pulled), drifted (the tenant
 * changed since), or not deployed. Without a fresh read of the tenant only the state is used.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { holds, type JsonObject, type Kind } from './normalise';
import type { StateEntry } from './state';

export type FileStatus = 'inSync' | 'changedLocally' | 'drifted' | 'driftedAndChanged' | 'notDeployed';

export function fileStatus(local: JsonObject, entry: StateEntry | undefined, remote?: JsonObject | null): FileStatus {
  if (remote === null || (remote === undefined && !entry)) return 'notDeployed';
  if (remote === undefined) return holds(local, entry!.content) ? 'inSync' : 'changedLocally';
  if (holds(local, remote)) return 'inSync';
  const drifted = entry !== undefined && JSON.stringify(entry.content) !== JSON.stringify(remote);
  const changed = entry === undefined || !holds(local, entry.content);
  return drifted ? (changed ? 'driftedAndChanged' : 'drifted') : 'changedLocally';
}

export const statusText: Record<FileStatus, string> = {
  inSync: 'in sync',
  changedLocally: 'changed locally',
  drifted: 'drifted in the tenant',
  driftedAndChanged: 'changed locally and drifted in the tenant',
  notDeployed: 'not deployed',
};

/** The kind of a layout file from its name. */
export function kindOfFile(path: string): Kind | undefined {
  const n = path.toLowerCase();
  if (n.endsWith('.catalog.json')) return 'catalog';
  if (n.endsWith('.accesspackage.json')) return 'accessPackage';
  if (n.endsWith('.policy.json')) return 'policy';
  return undefined;
}

function holdsKind(folder: string, kind: Kind): boolean {
  try {
    return readdirSync(folder).some((n) => kindOfFile(n) === kind);
  } catch {
    return false;
  }
}

/**
 * The folder of the configuration a file belongs to, when the file sits where the layout puts it:
 * a catalog file in a folder of the root; a package file in a folder of a catalog folder; a policy
 * beside a package file. Undefined for a file elsewhere (a policy on its own keeps its ids).
 */
export function layoutRootOf(file: string): string | undefined {
  const kind = kindOfFile(file);
  if (!kind) return undefined;
  const folder = dirname(file);
  if (kind === 'catalog') return dirname(folder);
  if (kind === 'policy' && !holdsKind(folder, 'accessPackage')) return undefined;
  const catalogFolder = dirname(folder);
  return holdsKind(catalogFolder, 'catalog') ? dirname(catalogFolder) : undefined;
}
