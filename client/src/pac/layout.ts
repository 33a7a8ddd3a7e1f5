/**
 * The folder layout of a tenant configuration:
 *
 *   DIR/<catalog>/<catalog>.catalog.json
 *   DIR/<catalog>/<package>/<package>.accessPackage.json
 *   DIR/<catalog>/<package>/<policy>.policy.json
 *
 * A catalog is a folder holding one `*.catalog.json`; a package is a folder inside it holding one
 * `*.accessPackage.json`; its policies sit beside it. References between objects come from this
 * nesting, never from ids in the files. Folders whose names start with `.` are skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { normalise, type JsonObject, type Kind } from './normalise';

export interface LocalFile {
  /** Relative to the folder, `/`-separated. */
  path: string;
  kind: Kind;
  text: string;
  /** The file's normal form (top-level nulls kept: they ask to clear a field); undefined when it does not parse. */
  content?: JsonObject;
  displayName?: string;
  /** The path of the parent's file (the package of a policy, the catalog of a package). */
  parent?: string;
}

export interface LayoutProblem {
  file: string;
  message: string;
}

export interface Layout {
  dir: string;
  files: LocalFile[];
  problems: LayoutProblem[];
}

const suffix: Record<Kind, string> = {
  catalog: '.catalog.json',
  accessPackage: '.accessPackage.json',
  policy: '.policy.json',
};

function entries(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const st = statSync(join(dir, name));
    if (st.isDirectory()) dirs.push(name);
    else if (st.isFile()) files.push(name);
  }
  return { files, dirs };
}

const ends = (name: string, kind: Kind) => name.toLowerCase().endsWith(suffix[kind].toLowerCase());

export function readLayout(dir: string): Layout {
  const layout: Layout = { dir, files: [], problems: [] };
  let top: { files: string[]; dirs: string[] };
  try {
    top = entries(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return layout;
    throw e;
  }
  for (const c of top.dirs) {
    const inCatalog = entries(join(dir, c));
    const catalogFiles = inCatalog.files.filter((f) => ends(f, 'catalog'));
    if (catalogFiles.length === 0) continue;
    if (catalogFiles.length > 1) {
      layout.problems.push({
        file: c,
        message: `a catalog folder holds one *.catalog.json, not ${catalogFiles.length}`,
      });
      continue;
    }
    const catalogPath = `${c}/${catalogFiles[0]!}`;
    add(layout, catalogPath, 'catalog');
    for (const f of inCatalog.files)
      if (ends(f, 'policy') || ends(f, 'accessPackage'))
        layout.problems.push({
          file: `${c}/${f}`,
          message: 'belongs in an access package folder inside the catalog folder',
        });
    for (const p of inCatalog.dirs) {
      const inPackage = entries(join(dir, c, p));
      const packageFiles = inPackage.files.filter((f) => ends(f, 'accessPackage'));
      const policyFiles = inPackage.files.filter((f) => ends(f, 'policy'));
      if (packageFiles.length !== 1) {
        if (packageFiles.length > 1 || policyFiles.length > 0)
          layout.problems.push({
            file: `${c}/${p}`,
            message: `an access package folder holds exactly one *.accessPackage.json (found ${packageFiles.length})`,
          });
        continue;
      }
      const packagePath = `${c}/${p}/${packageFiles[0]!}`;
      add(layout, packagePath, 'accessPackage', catalogPath);
      for (const f of policyFiles) add(layout, `${c}/${p}/${f}`, 'policy', packagePath);
    }
  }
  for (const f of top.files)
    if (ends(f, 'policy') || ends(f, 'accessPackage') || ends(f, 'catalog'))
      layout.problems.push({ file: f, message: 'belongs in a catalog folder' });
  return layout;
}

function add(layout: Layout, path: string, kind: Kind, parent?: string): void {
  const text = readFileSync(join(layout.dir, path), 'utf8');
  const file: LocalFile = { path, kind, text, parent };
  const errors: ParseError[] = [];
  const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false }) as unknown;
  if (errors.length === 0 && value && typeof value === 'object' && !Array.isArray(value)) {
    file.content = normalise(kind, value as Record<string, unknown>, true);
    const name = (value as Record<string, unknown>).displayName;
    if (typeof name === 'string') file.displayName = name;
    else layout.problems.push({ file: path, message: 'needs a "displayName" (objects are matched by it)' });
  } else if (errors.length === 0) {
    layout.problems.push({ file: path, message: 'must hold one JSON object (one Graph request body)' });
  }
  layout.files.push(file);
}
