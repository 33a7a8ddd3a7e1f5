// Packaging with @vscode/vsce. `npm run package` (this file run directly): a production build,
// the allow-list check, then `vsce package --no-dependencies` (the bundles are self-contained).
// The e2e runner uses the same functions on the current build.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vsceBin = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

function vsce(args) {
  const r = spawnSync(process.execPath, [vsceBin, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`vsce ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The `!pattern` lines of .vscodeignore (an allow-list) as regular expressions. */
export function allowList() {
  return readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => {
      const glob = l.slice(1);
      const re = glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replaceAll('\u0000', '.*');
      return { glob, re: new RegExp(`^${re}$`) };
    });
}

/** `vsce ls`: every file is allow-listed, and the files the extension needs are there. */
export function checkPackageListing() {
  const files = vsce(['ls', '--no-dependencies'])
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
  const allowed = allowList();
  const stray = files.filter((f) => !allowed.some((a) => a.re.test(f)));
  if (stray.length > 0)
    throw new Error(`vsce ls lists files outside the .vscodeignore allow-list: ${stray.join(', ')}`);
  const needed = ['package.json', 'README.md', 'LICENSE', 'dist/client.js', 'dist/server.js'];
  const missing = needed.filter((f) => !files.includes(f));
  if (missing.length > 0) throw new Error(`vsce ls lacks ${missing.join(', ')}`);
  const maps = files.filter((f) => f.endsWith('.map') || f.endsWith('.ts'));
  if (maps.length > 0) throw new Error(`the package would carry sources or maps: ${maps.join(', ')}`);
  console.log(`vsce ls: ${files.length} files, all allow-listed:\n  ${files.join('\n  ')}`);
  return files;
}

/**
 * Where README's relative links (ARCHITECTURE.md, ...) point in the packaged README: vsce detects
 * this only for GitHub/GitLab repositories, so it is derived from package.json's repository URL.
 */
function linkBase() {
  const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).repository;
  const url = (typeof repo === 'string' ? repo : (repo?.url ?? '')).replace(/^git\+/, '').replace(/\.git$/, '');
  return url ? ['--baseContentUrl', `${url}/blob/HEAD`, '--baseImagesUrl', `${url}/raw/HEAD`] : [];
}

/** `vsce package --no-dependencies --out FILE` on the current build. */
export function packageVsix(out) {
  console.log(vsce(['package', '--no-dependencies', ...linkBase(), '--out', out]).trim());
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('the production build failed');
    checkPackageListing();
    const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    packageVsix(join(root, `${name}-${version}.vsix`));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
