/**
 * One rule semantics, by construction: for generated rules, no checker error ⇒ the evaluator
 * compiles the rule (both back ends) and runs it, and the `$filter` translation either translates
 * it or gives a reason. The one exception is a `-match` pattern beyond the linear-time engine,
 * which the checker flags (R411) and the evaluator refuses with that very reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRule } from '../../../../server/src/service/rules/checker';
import { RuleCode } from '../../../../server/src/service/rules/codes';
import { compileResolved, compileRuleText } from '../../../../server/src/service/rules/evaluate';
import { toGraphFilter } from '../../../../server/src/service/rules/filter';
import {
  assignedPlanProperties,
  comparisonOperators,
  deviceProperties,
  userProperties,
} from '../../../../server/src/service/rules/model';
import { ruleCorpus } from '../../../helpers';
import { mutatedRuleArbitrary, ruleArbitrary } from './ruleArbitrary';

const NOW = (): Date => new Date('2024-06-15T12:00:00Z');

const values = fc.constantFrom(
  '"Sales"',
  '"sales"',
  "'Sales'",
  'Sales',
  'null',
  '"null"',
  'true',
  'false',
  '"True"',
  '42',
  '2020-06-10T18:13:20Z',
  '"2020-06-10"',
  '2020-02-30',
  'system.now',
  'system.now -minus p30d',
  'system.now -plus "PT12H"',
  'system.now -minus P1.5D',
  '["a", "b"]',
  '["a", null]',
  '[]',
  '"^s.*s$"',
  '"(a+)+$"',
  '"(a)\\\\1"',
  '"(?=x)"',
  '"[x"',
  '"\\\\q"',
  '"Guest"',
  '"Admin"',
);

const op = fc.constantFrom(...comparisonOperators.map((o) => `-${o.name}`), '-EQ', 'eq');

function prop(object: 'user' | 'device'): fc.Arbitrary<string> {
  const table = object === 'user' ? userProperties : deviceProperties;
  return fc.constantFrom(...table.map((p) => `${object}.${p.name}`));
}

const comparison = (p: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(p, op, values).map(([a, b, c]) => `${a} ${b} ${c}`);

const itemTest = fc.oneof(
  fc.tuple(op, values).map(([o, v]) => `user.proxyAddresses -any (_ ${o} ${v})`),
  fc.tuple(op, values).map(([o, v]) => `user.otherMails -all (_ ${o} ${v})`),
  fc
    .tuple(fc.constantFrom(...assignedPlanProperties.map((p) => p.name)), op, values)
    .map(([p, o, v]) => `user.assignedPlans -any (assignedPlan.${p} ${o} ${v})`),
  fc.tuple(op, values).map(([o, v]) => `user.memberOf -any (group.objectId ${o} ${v})`),
);

/** Rules built from the model: mostly well-typed, often not; the property is an implication. */
const typedRule = fc.oneof(
  fc
    .array(fc.oneof({ weight: 3, arbitrary: comparison(prop('user')) }, itemTest), { minLength: 1, maxLength: 4 })
    .chain((cs) => fc.constantFrom(' -and ', ' -or ').map((j) => cs.join(j))),
  fc.array(comparison(prop('device')), { minLength: 1, maxLength: 3 }).map((cs) => cs.join(' -or ')),
  comparison(prop('user')).map((c) => `-not (${c})`),
);

const sampleObjects: Record<string, unknown>[] = [
  {},
  { department: 'Sales', city: 'Oslo', accountEnabled: true, employeeHireDate: '2024-06-01T00:00:00Z' },
  { department: null, proxyAddresses: ['smtp:a@b.c'], otherMails: [], assignedPlans: [{ service: 'SCO' }] },
  { department: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', memberOf: [{ id: 'a' }], operatingSystem: 'Android' },
];

function agree(rule: string): void {
  const checked = checkRule(rule);
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(checked.resolved !== undefined, errors.length === 0, `resolved exactly when no error: ${rule}`);
  for (const backend of ['codegen', 'closure'] as const) {
    const c = compileRuleText(rule, { backend, now: NOW });
    if (errors.length > 0) {
      assert.equal(c.ok, false, `an error but the evaluator compiled: ${rule}`);
      continue;
    }
    const notRun = checked.diagnostics.find((d) => d.code === RuleCode.regexNotEvaluated);
    if (notRun) {
      assert.ok(!c.ok && c.reason === notRun.message, `R411 is the evaluator's reason: ${rule}`);
      continue;
    }
    assert.ok(c.ok, `no checker error but the evaluator refused ${rule}: ${c.ok ? '' : c.reason}`);
    for (const o of sampleObjects) assert.equal(typeof c.test(o), 'boolean');
    // The resolved form compiles the same way without a second check.
    const direct = compileResolved(checked.resolved!, { backend, now: NOW });
    assert.ok(direct.ok);
    for (const o of sampleObjects) assert.equal(direct.test(o), c.test(o), rule);
  }
  const f = toGraphFilter(checked.ast);
  if (errors.length > 0) assert.equal(f.ok, false, `an error but $filter translated: ${rule}`);
  else if (!f.ok) assert.ok(f.reason.length > 10, `a $filter refusal gives a reason: ${rule}`);
}

test('no checker error ⇒ the evaluator compiles and runs it, and $filter translates it or says why (typed rules)', () => {
  let accepted = 0;
  fc.assert(
    fc.property(typedRule, (rule) => {
      agree(rule);
      if (checkRule(rule).resolved) accepted++;
    }),
    { numRuns: Number(process.env.SWEEP_RUNS ?? 4000) / 2, seed: 11 },
  );
  assert.ok(accepted > 100, `the generator must reach accepted rules (${accepted})`);
});

test('no checker error ⇒ the evaluator compiles it (generated and mutated rules, corpus)', () => {
  fc.assert(
    fc.property(fc.oneof(ruleArbitrary, mutatedRuleArbitrary), (rule) => agree(rule)),
    { numRuns: 3000, seed: 12 },
  );
  for (const { rule } of ruleCorpus()) agree(rule);
});

test('the reported disagreement: -ge on a string is an error in the checker and refused by the evaluator', () => {
  const rule = 'user.department -ge "M"';
  assert.ok(checkRule(rule).diagnostics.some((d) => d.severity === 'error' && d.code === RuleCode.operatorNotForType));
  const c = compileRuleText(rule);
  assert.ok(!c.ok && /-ge does not apply to department/.test(c.reason));
});
