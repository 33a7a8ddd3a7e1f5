/**
 * The never-throws sweep: every corpus rule and each of its prefixes, and 100k generated or
 * mutated rules (fixed seed), through parse, check, completion, hover and formatting. No
 * exception, every range inside the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRule } from '../../../../server/src/service/rules/checker';
import { completeRule } from '../../../../server/src/service/rules/completion';
import { formatRule } from '../../../../server/src/service/rules/format';
import { hoverRule } from '../../../../server/src/service/rules/hover';
import { ruleCorpus } from '../../../helpers';
import { mutatedRuleArbitrary, ruleArbitrary } from './ruleArbitrary';

function inside(text: string, r: { start: number; end: number }): boolean {
  return (
    Number.isInteger(r.start) && Number.isInteger(r.end) && 0 <= r.start && r.start <= r.end && r.end <= text.length
  );
}

function checkAll(text: string): void {
  const { diagnostics } = checkRule(text);
  for (const d of diagnostics) {
    assert.ok(inside(text, d.range), `diagnostic range ${JSON.stringify(d.range)} outside ${JSON.stringify(text)}`);
    for (const f of d.fixes ?? [])
      for (const e of f.edits) assert.ok(inside(text, e.range), `fix range outside ${JSON.stringify(text)}`);
  }
}

/**
 * A bound that catches a hang or a blow-up (quadratic work on hostile input), far above the
 * microseconds a call takes: speed itself is measured by `npm run bench`, not here.
 */
const BOUND_MS = 2000;

function bounded<T>(what: string, text: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  assert.ok(ms < BOUND_MS, `${what} took ${ms.toFixed(0)} ms on ${JSON.stringify(text.slice(0, 80))}`);
  return out;
}

function everything(text: string, offset: number): void {
  bounded('check', text, () => checkAll(text));
  const at = Math.min(offset, text.length);
  for (const c of bounded('completion', text, () => completeRule(text, at)))
    assert.ok(inside(text, c.range), `completion range outside ${JSON.stringify(text)}`);
  const h = bounded('hover', text, () => hoverRule(text, at));
  if (h) assert.ok(inside(text, h.range));
  bounded('format', text, () => formatRule(text));
}

test('corpus rules and all their prefixes', () => {
  let n = 0;
  for (const { rule } of ruleCorpus()) {
    for (let i = 0; i <= rule.length; i++) {
      everything(rule.slice(0, i), i);
      everything(rule, i);
      n++;
    }
  }
  assert.ok(n > 1000);
});

test('generated and mutated rules (100k in CI) are checked without an exception', () => {
  const runs = Number(process.env.SWEEP_RUNS ?? 50_000);
  const seed = Number(process.env.FUZZ_SEED ?? 42);
  fc.assert(
    fc.property(ruleArbitrary, (rule) => checkAll(rule)),
    { numRuns: runs, seed },
  );
  fc.assert(
    fc.property(mutatedRuleArbitrary, (rule) => checkAll(rule)),
    { numRuns: runs, seed: seed + 1 },
  );
});

test('completion, hover and formatting at every offset of generated and mutated rules', () => {
  fc.assert(
    fc.property(mutatedRuleArbitrary, fc.nat(), (rule, at) => everything(rule, at % (rule.length + 1))),
    { numRuns: 10_000, seed: 7 },
  );
});

test('hostile inputs: deep nesting, long text, lone surrogates, control characters', () => {
  for (const text of [
    '('.repeat(5000),
    `${'-not '.repeat(5000)}user.a -eq "b"`,
    `"${'x'.repeat(200_000)}`,
    '\uD800'.repeat(100),
    '\u0000\u0001\u0002',
    `user.a -eq "x" ${'-and user.b -eq "y" '.repeat(2000)}`,
    ')'.repeat(1000),
  ]) {
    everything(text, text.length >> 1);
  }
});
