// One build script, several bundles: the extension client (vscode stays external), the language
// server, the command-line checker, the sandbox tenant. `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['cli/src/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['sandbox/src/main.ts'], outfile: 'dist/sandbox.js' },
];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The ESM builds: the UMD build of vscode-json-languageservice loads its parts with a dynamic require esbuild cannot follow.
  mainFields: ['module', 'main'],
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
};

/**
 * In watch mode, one line when a rebuild of any bundle starts and one when all have ended (with its errors in the
 * `file:line:column: error: text` form), so the "watch" task in .vscode/tasks.json can tell F5 when
 * the bundles are ready and put build errors in the Problems panel.
 */
let building = 0;
const watchReporter = {
  name: 'watch-reporter',
  setup(build) {
    build.onStart(() => {
      if (building++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        if (location) console.error(`${location.file}:${location.line}:${location.column}: error: ${text}`);
        else console.error(`error: ${text}`);
      }
      if (--building === 0) console.log('[watch] build finished');
    });
  },
};

async function main() {
  const plugins = watch ? [watchReporter] : [];
  const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...common, ...b, plugins })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
