import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatRule } from '../../../../server/src/service/rules/format';
import { parseRule } from '../../../../server/src/service/rules/parser';
import { ruleCorpus } from '../../../helpers';
import { ruleArbitrary } from './ruleArbitrary';

const cases: [string, string | undefined][] = [
  ['user.DEPARTMENT   -EQ "Sales"', 'user.department -eq "Sales"'],
  [
    '( user.department -eq "a" )-AND(user.city -startswith "b")',
    '(user.department -eq "a") -and (user.city -startsWith "b")',
  ],
  ['user.country -in ["a","b" , "c"]', 'user.country -in ["a", "b", "c"]'],
  ['user.department eq "x" or not (user.city -eq "y")', 'user.department -eq "x" -or -not (user.city -eq "y")'],
  ['User.Department -eq "it`"s"', 'user.department -eq "it`"s"'],
  ['user.proxyAddresses -ANY (_ -STARTSWITH "smtp:")', 'user.proxyAddresses -any (_ -startsWith "smtp:")'],
  [
    'user.assignedPlans -any (assignedplan.serviceplanid -eq "x")',
    'user.assignedPlans -any (assignedplan.servicePlanId -eq "x")',
  ],
  ['direct reports for "x"', 'Direct Reports for "x"'],
  ['user.department -eq "Sales', undefined],
  ['user.department -eq in', 'user.department -eq in'],
];

for (const [input, expected] of cases) {
  test(`format ${input}`, () => assert.equal(formatRule(input), expected));
}

/** The token kinds and texts, case-folded: what a rule means, whatever its layout. */
function shape(text: string): string {
  const { ast } = parseRule(text);
  return JSON.stringify(ast.root, (k, v) =>
    k === 'start' || k === 'end' || k === 'hyphen' ? undefined : typeof v === 'string' ? v.toLowerCase() : v,
  );
}

test('formatting is idempotent and keeps the meaning, over the corpus', () => {
  for (const { rule } of ruleCorpus()) {
    const once = formatRule(rule);
    if (once === undefined) continue;
    assert.equal(formatRule(once), once, rule);
    assert.equal(shape(once), shape(rule), rule);
  }
});

test('formatting is idempotent and keeps the meaning, over generated rules', () => {
  fc.assert(
    fc.property(ruleArbitrary, (rule) => {
      const once = formatRule(rule);
      if (once === undefined) return;
      assert.equal(formatRule(once), once);
      assert.equal(shape(once), shape(rule));
    }),
    { numRuns: 3000, seed: 2026 },
  );
});
