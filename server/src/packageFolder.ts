/**
 * Policy as code: a `*.policy.json` in a folder that also holds a `*.accessPackage.json` belongs to
 * that access package (the layout supplies the reference, so the file has no `accessPackage`).
 * The service is pure, so the server looks at the folder and tells it.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export function accessPackageFromFolder(uri: string): boolean {
  if (!uri.startsWith('file:') || !uri.toLowerCase().endsWith('.policy.json')) return false;
  try {
    return readdirSync(dirname(fileURLToPath(uri))).some((n) => n.toLowerCase().endsWith('.accesspackage.json'));
  } catch {
    return false;
  }
}
