/**
 * Runs every benchmark module and prints one table: each figure beside a reference measured in
 * the same run, their ratio, and the target. Prints only; writes no file.
 */
import { benchBulk } from './bulk';
import { benchAware } from './aware';
import { benchClient } from './client';
import { benchPac } from './pac';
import { benchPolicy } from './policy';
import { benchRules } from './rules';
import { benchSandbox } from './sandbox';
import { benchScale } from './scale';
import type { BenchResult } from './types';

const modules: { name: string; run: () => Promise<BenchResult[]> }[] = [
  { name: 'rules', run: benchRules },
  { name: 'policy', run: benchPolicy },
  { name: 'sandbox', run: benchSandbox },
  { name: 'client', run: benchClient },
  { name: 'pac', run: benchPac },
  { name: 'bulk', run: benchBulk },
  { name: 'scale', run: benchScale },
  { name: 'aware', run: benchAware },
];

function format(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const results: BenchResult[] = [];
  for (const m of modules) {
    process.stderr.write(`running ${m.name} benchmarks…\n`);
    results.push(...(await m.run()));
  }
  const rows = [['benchmark', 'median', 'reference', 'ratio', 'target']];
  for (const r of results) {
    rows.push([
      r.name,
      `${format(r.median)} ${r.unit}`,
      `${format(r.reference)} ${r.unit}`,
      `${r.ratio.toFixed(2)}×`,
      r.target ?? '',
    ]);
  }
  process.stdout.write(`${table(rows)}\n`);
  const notes = results.filter((r) => r.note);
  if (notes.length > 0) process.stdout.write(`\n${notes.map((r) => `- ${r.name}: ${r.note}`).join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
