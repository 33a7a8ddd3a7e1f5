/**
 * Did-you-mean: the candidate closest to `word` by edit distance, if it is close enough.
 *
 * Cheap enough to run for every mistake of a rule full of them: candidates whose length alone
 * puts them beyond the best score so far are skipped, the edit distance stops as soon as a row
 * exceeds that bound, and answers are remembered per candidate list (the model's tables are
 * fixed arrays), so a repeated typo costs a map lookup.
 */
const memo = new WeakMap<readonly string[], Map<string, string | undefined>>();
const MEMO_LIMIT = 2000;

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let known = memo.get(candidates);
  if (!known) {
    known = new Map();
    memo.set(candidates, known);
  }
  if (known.has(lower)) return known.get(lower);
  const answer = closest(lower, candidates);
  if (known.size < MEMO_LIMIT) known.set(lower, answer);
  return answer;
}

function closest(lower: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(lower.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    let score: number;
    if (c.startsWith(lower) || lower.startsWith(c)) score = Math.abs(c.length - lower.length) * 0.5;
    else if (isAbbreviation(lower, c)) score = 1.5;
    else {
      const bound = Math.min(bestScore, limit);
      if (Math.abs(c.length - lower.length) > bound) continue;
      score = boundedDistance(lower, c, bound);
    }
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return bestScore <= limit ? best : undefined;
}

/** Levenshtein distance with two rows, or `bound + 1` as soon as it must exceed `bound`. */
function boundedDistance(a: string, b: string, bound: number): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > bound) return bound + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** `dept` for `department`: same first two letters, and every letter in order. */
function isAbbreviation(short: string, long: string): boolean {
  if (short.length < 3 || short.length >= long.length || short.slice(0, 2) !== long.slice(0, 2)) return false;
  let j = 0;
  for (const ch of long) if (ch === short[j]) j++;
  return j === short.length;
}
