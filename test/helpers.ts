/** Shared test helpers: repository paths, the reference corpus, and `|` cursor markers. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
/** A copy of the project's reference corpus (kept inside the repository: tests read nothing outside it). */
export const corpusDir = join(fixturesDir, 'corpus');

export interface RuleCase {
  rule: string;
  valid: boolean;
  note: string;
}

/** The reference corpus of rules plus the project's own cases in test/fixtures/rules.jsonl. */
export function ruleCorpus(): RuleCase[] {
  const files = [join(corpusDir, 'rules.jsonl'), join(fixturesDir, 'rules.jsonl')];
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as RuleCase),
  );
}

export function listFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

/** Splits `text` at its `|` marker: the text without it, and the marker's offset. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error(`no | cursor in ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
