// `npm run coverage`: every Node suite under test/ (not the real-editor suite) with V8's coverage
// collected by c8, mapped back to the TypeScript sources (tsx's and esbuild's source maps), then
// a summary per area: lines and branches covered, and the test:source line ratio of the area
// (the language-service anchor, vscode-json-languageservice, is about 1.7).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const areas = [
  { name: 'rule language', src: ['server/src/service/rules'], tests: ['test/unit/service/rules', 'test/grammar'] },
  {
    name: 'policy payloads',
    src: ['server/src/service/policy', 'server/src/service/json'],
    tests: ['test/unit/service/policy', 'test/unit/schemas'],
  },
  {
    name: 'language server',
    src: ['server/src'],
    tests: ['test/protocol', 'test/unit/service/languageService.test.ts'],
  },
  { name: 'command line', src: ['cli/src'], tests: ['test/cli'] },
  { name: 'sandbox tenant', src: ['sandbox/src'], tests: ['test/sandbox'] },
  { name: 'client (Node-testable)', src: ['client/src'], tests: ['test/client'] },
];

const c8 = join(root, 'node_modules', '.bin', 'c8');
const args = [
  '--reporter=json-summary',
  '--reporter=html',
  '--report-dir=coverage',
  '--exclude-after-remap',
  ...['server/src/**', 'client/src/**', 'sandbox/src/**', 'cli/src/**'].flatMap((g) => ['--include', g]),
  process.execPath,
  'test/run.mjs',
  ...process.argv.slice(2),
];
const run = spawnSync(c8, args, { cwd: root, stdio: 'inherit' });

const summary = JSON.parse(readFileSync(join(root, 'coverage', 'coverage-summary.json'), 'utf8'));
const files = Object.entries(summary)
  .filter(([f]) => f !== 'total')
  .map(([f, v]) => [relative(root, f), v]);

function walk(path, out = []) {
  const full = join(root, path);
  const st = statSync(full, { throwIfNoEntry: false });
  if (!st) return out;
  if (st.isFile()) out.push(path);
  else for (const name of readdirSync(full)) walk(`${path}/${name}`, out);
  return out;
}
const lineCount = (f) => readFileSync(join(root, f), 'utf8').split('\n').length;
// Each file belongs to the first area (in the order above) one of whose folders holds it.
const areaOf = (f) => areas.find((a) => a.src.some((s) => f === s || f.startsWith(`${s}/`)));

const pct = (c, t) => (t === 0 ? '  n/a' : `${((100 * c) / t).toFixed(1).padStart(5)}%`);
console.log('\ncoverage per area (Node suites; the real-editor suite is not instrumented)');
console.log('area                      lines    branches  test:source');
for (const area of areas) {
  const mine = files.filter(([f]) => areaOf(f) === area);
  const sum = (k, p) => mine.reduce((n, [, v]) => n + v[k][p], 0);
  const srcLines = area.src
    .flatMap((s) => walk(s))
    .filter((f) => f.endsWith('.ts') && areaOf(f) === area)
    .reduce((n, f) => n + lineCount(f), 0);
  const testLines = area.tests
    .flatMap((t) => walk(t))
    .filter((f) => f.endsWith('.ts'))
    .reduce((n, f) => n + lineCount(f), 0);
  console.log(
    `${area.name.padEnd(24)} ${pct(sum('lines', 'covered'), sum('lines', 'total'))}   ${pct(sum('branches', 'covered'), sum('branches', 'total'))}    ${(testLines / Math.max(1, srcLines)).toFixed(2)}`,
  );
}
console.log(
  `total                    ${pct(summary.total.lines.covered, summary.total.lines.total)}   ${pct(summary.total.branches.covered, summary.total.branches.total)}`,
);
console.log('HTML report: coverage/index.html');
process.exit(run.status ?? 1);
