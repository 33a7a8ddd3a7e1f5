// `npm run fuzz [SEED]`: the long fuzzing run behind RELIABILITY.md's figures — 1M generated and
// mutated rules and 100k mutated policy payloads through the language service, with a random
// (or given) seed that is printed so any failure can be replayed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const seed = process.argv[2] ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`fuzz seed ${seed} (replay: npm run fuzz -- ${seed})`);
const env = { ...process.env, FUZZ_SEED: seed, SWEEP_RUNS: '500000', POLICY_SWEEP_RUNS: '100000' };
const files = ['test/unit/service/rules/sweep.test.ts', 'test/unit/service/policy/sweep.test.ts'];
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-timeout=3600000', ...files], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
