import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverRule } from '../../../../server/src/service/rules/hover';
import { cursor } from '../../../helpers';

const cases: [string, RegExp | undefined][] = [
  ['user.depa|rtment -eq "x"', /\*\*user\.department\*\*: string[\s\S]*Operators: -eq/],
  ['user.department -e|q "x"', /\*\*-eq\*\* \(comparison operator\)/],
  ['user.department -eq "x" -a|nd user.city -eq "y"', /\*\*-and\*\* \(logical operator\)/],
  ['user.proxyAddresses -an|y (_ -eq "x")', /\*\*-any\*\*/],
  ['user.accountEnab|led -eq true', /boolean/],
  ['user.assignedPlans -any (assignedPlan.servicePl|anId -eq "x")', /assignedPlan\.servicePlanId/],
  ['user.department =|= "x"', /write `-eq`/],
  ['user.employeeHireDate -ge system.n|ow', /system\.now/],
  ['Dir|ect Reports for "x"', /Direct Reports/],
  ['user.department -eq "Sa|les"', undefined],
  ['user.nothing| -eq "x"', undefined],
];

for (const [marked, expected] of cases) {
  test(`hover ${marked}`, () => {
    const { text, offset } = cursor(marked);
    const h = hoverRule(text, offset);
    if (!expected) assert.equal(h, undefined);
    else assert.match(h?.contents ?? '', expected);
  });
}
