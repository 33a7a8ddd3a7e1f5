import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeRule } from '../../../../server/src/service/rules/completion';
import { cursor } from '../../../helpers';

/** [text with | cursor, labels that must be offered, labels that must not] */
const cases: [string, string[], string[]][] = [
  ['|', ['user.', 'device.', '-not', 'Direct Reports for "<manager id>"', 'all users'], []],
  ['(|', ['user.', 'device.'], ['Direct Reports for "<manager id>"']],
  ['user.|', ['department', 'accountEnabled', 'proxyAddresses', 'extensionAttribute15'], ['deviceModel']],
  ['user.dep|', ['department'], []],
  ['device.|', ['deviceOSType', 'isRooted'], ['jobTitle']],
  ['user.department |', ['-eq', '-startsWith', '-in', '-match'], ['-any', '-le']],
  ['user.accountEnabled |', ['-eq', '-ne'], ['-startsWith', '-in']],
  ['user.employeeHireDate |', ['-le', '-ge', '-eq'], ['-contains']],
  ['user.proxyAddresses |', ['-any', '-all'], ['-eq']],
  ['user.department -st|', ['-startsWith'], []],
  ['user.department -eq "x" |', ['-and', '-or'], ['user.']],
  ['(user.department -eq "x") |', ['-and', '-or'], []],
  ['user.department -eq "x" -and |', ['user.', '-not'], ['Direct Reports for "<manager id>"']],
  ['user.accountEnabled -eq |', ['true', 'false', 'null'], []],
  ['user.userType -eq |', ['"Member"', '"Guest"', 'null'], []],
  ['user.department -in |', ['["…"]'], ['null']],
  ['user.employeeHireDate -ge |', ['system.now -minus p30d'], []],
  ['user.proxyAddresses -any |', ['(_ -eq "…")'], []],
  ['user.assignedPlans -any |', ['(assignedPlan.servicePlanId -eq "…")'], []],
  ['user.memberOf -any |', ['(group.objectId -in ["…"])'], []],
  ['user.proxyAddresses -any (|', ['_'], ['user.']],
  ['user.assignedPlans -any (assignedPlan.|', ['capabilityStatus', 'service', 'servicePlanId'], []],
  ['user.assignedPlans -any (assignedPlan.service -eq "x" -and |', ['assignedPlan.'], ['user.']],
  ['user.proxyAddresses -any (_ |', ['-startsWith', '-eq'], []],
];

for (const [marked, present, absent] of cases) {
  test(`complete ${marked}`, () => {
    const { text, offset } = cursor(marked);
    const labels = completeRule(text, offset).map((c) => c.label);
    for (const p of present) assert.ok(labels.includes(p), `${p} offered in ${JSON.stringify(labels)}`);
    for (const a of absent) assert.ok(!labels.includes(a), `${a} not offered`);
  });
}

test('completion replaces the partial word, including its rest after the cursor', () => {
  const { text, offset } = cursor('user.dep|artment -eq "x"');
  const item = completeRule(text, offset).find((c) => c.label === 'department');
  assert.deepEqual(item?.range, { start: 5, end: 15 });
});

test('an automatic-assignment context offers only user properties', () => {
  const labels = completeRule('', 0, { objectKind: 'user' }).map((c) => c.label);
  assert.ok(labels.includes('user.') && !labels.includes('device.'));
  assert.deepEqual(completeRule('device.', 7, { objectKind: 'user' }), []);
});

test('property completions carry type and documentation', () => {
  const item = completeRule('user.', 5).find((c) => c.label === 'accountEnabled');
  assert.equal(item?.detail, 'boolean');
  assert.match(item?.documentation ?? '', /user\.accountEnabled -eq true/);
});
