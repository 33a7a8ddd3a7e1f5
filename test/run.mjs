// Runs the TypeScript test files under test/ (or under the folders named on the command line)
// with Node's own test runner; tsx compiles them on the fly.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findSecrets } from './secretScan.mjs';

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
// Output is streamed as it comes and kept, so the whole of it can be scanned for tokens.
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=180000', ...passThrough, ...files],
  {
    cwd: root,
    stdio: ['inherit', 'pipe', 'pipe'],
  },
);
let seen = '';
child.stdout.on('data', (chunk) => {
  seen += chunk;
  process.stdout.write(chunk);
});
child.stderr.on('data', (chunk) => {
  seen += chunk;
  process.stderr.write(chunk);
});
child.on('close', (code) => {
  const secrets = findSecrets(seen);
  if (secrets.length > 0) {
    console.error(
      `\nsecret scan: ${secrets.length} token-like string(s) in the tests' output: ${secrets.map((s) => `${s.kind} ${s.sample}`).join(', ')}`,
    );
    process.exit(1);
  }
  console.log('secret scan: no token-like strings in the output of the suites');
  process.exit(code ?? 1);
});
