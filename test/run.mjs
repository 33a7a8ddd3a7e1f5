// Runs the TypeScript test files under test/ (or under the folders named on the command line)
// with Node's own test runner; tsx compiles them on the fly.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
const folders = wanted.length > 0 ? wanted.map((w) => join(root, 'test', w)) : [join(root, 'test')];

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(full).isDirectory()) collect(full, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const files = folders.flatMap((f) => (statSync(f).isDirectory() ? collect(f, []) : [relative(root, f)]));
if (files.length === 0) {
  console.error('no test files found under', folders.join(', '));
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=180000', ...passThrough, ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
