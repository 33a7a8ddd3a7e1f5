/**
 * Measuring: subject and reference samples interleaved (alternating which goes first) so drift
 * in the machine's speed affects both alike; medians, never means.
 */
import type { BenchResult } from './types';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function time(f: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0);
}

/**
 * Runs both functions `samples` times, interleaved; returns their sample times in ns. `prepare`
 * runs, untimed, before every run of the subject (warm-up included): what changes between one
 * use and the next in real use, such as an edit that a cache must not survive.
 */
export async function interleave(
  subject: () => unknown,
  reference: () => unknown,
  samples: number,
  warmup: number,
  prepare?: () => unknown,
): Promise<{ subject: number[]; reference: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await prepare?.();
    await subject();
    await reference();
  }
  const s: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < samples; i++) {
    await prepare?.();
    if (i % 2 === 0) {
      s.push(await time(subject));
      r.push(await time(reference));
    } else {
      r.push(await time(reference));
      s.push(await time(subject));
    }
  }
  return { subject: s, reference: r };
}

/** A result row from sample times in ns, scaled to `unit` by dividing by `scale`. */
export function result(
  name: string,
  subject: number[],
  reference: number[],
  scale: number,
  unit: string,
  target: string,
  note: string,
): BenchResult {
  const m = median(subject) / scale;
  const ref = median(reference) / scale;
  return { name, median: m, reference: ref, ratio: m / ref, unit, target, note };
}
