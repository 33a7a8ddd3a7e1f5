// Bundles the real-editor suites (test/e2e/suite/*.e2e.ts) and their Mocha entry point into
// out/e2e/: one file per suite, `vscode` external (the editor provides it), Mocha bundled into the
// entry so that any editor's Node can load it (Mocha 12 ships as ES modules).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const outDir = join(root, 'out', 'e2e');
const suiteDir = join(root, 'test', 'e2e', 'suite');

export async function buildTests() {
  const suites = readdirSync(suiteDir)
    .filter((f) => f.endsWith('.e2e.ts'))
    .map((f) => join(suiteDir, f));
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(suiteDir, 'index.ts'), ...suites],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    // Mocha's optional pieces that the tdd UI with the spec reporter never loads.
    logOverride: { 'require-resolve-not-external': 'silent', 'unsupported-dynamic-import': 'silent' },
  });
  return suites.map((s) => s.slice(suiteDir.length + 1, -'.e2e.ts'.length)).sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = await buildTests();
  console.log(`out/e2e: index.js + ${built.map((s) => `${s}.e2e.js`).join(', ')}`);
}
