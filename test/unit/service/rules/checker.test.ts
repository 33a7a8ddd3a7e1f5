import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRule } from '../../../../server/src/service/rules/checker';
import { RuleCode } from '../../../../server/src/service/rules/codes';
import type { ServiceDiagnostic } from '../../../../server/src/service/diagnostics';

/** Expected findings as `severity code text-under-range`. */
type Case = [rule: string, expected: string[], options?: Parameters<typeof checkRule>[1]];

const C = RuleCode;
const G = '0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22';
const cases: Case[] = [
  ['user.department -eq "Sales"', []],
  ['', [`error ${C.emptyRule} `]],
  ['user.dept -eq "Sales"', [`error ${C.unknownProperty} dept`]],
  ['user.Department -eq "Sales"', [`hint ${C.propertyCasing} Department`]],
  ['user.Department -eq "Sales"', [], { casingHints: false }],
  ['User.department -eq "Sales"', [`hint ${C.propertyCasing} User`]],
  ['device.jobTitle -eq "x"', [`error ${C.wrongObject} jobTitle`]],
  ['user.deviceModel -eq "x"', [`error ${C.wrongObject} deviceModel`]],
  [
    'user.a -eq "x" -and device.deviceModel -eq "y"',
    [`error ${C.unknownProperty} a`, `error ${C.mixedObjects} device`],
  ],
  ['device.deviceModel -eq "y"', [`error ${C.deviceRuleNotAllowed} device`], { objectKind: 'user' }],
  ['user.extensionAttribute16 -eq "x"', [`error ${C.extensionAttributeRange} extensionAttribute16`]],
  ['user.extensionAttribute15 -eq "x"', []],
  ['user.extension_abc_name -eq "x"', [`error ${C.invalidExtensionProperty} extension_abc_name`]],
  ['user.accountEnabled -contains "t"', [`error ${C.operatorNotForType} -contains`]],
  ['user.department -le "x"', [`error ${C.operatorNotForType} -le`]],
  ['user.department -ge "M"', [`error ${C.operatorNotForType} -ge`]],
  ['user.proxyAddresses -le "x"', [`error ${C.operatorNotForType} -le`]],
  ['user.proxyAddresses -any (_ -ge "x")', [`error ${C.operatorNotForType} -ge`]],
  ['user.employeeHireDate -ge 2020-06-10T18:13:20Z', []],
  ['user.employeeHireDate -le system.now -plus p1d', []],
  ['user.proxyAddresses -contains "x"', [`hint ${C.scalarOperatorOnCollection} -contains`]],
  ['user.otherMails -startsWith "ada@"', [`hint ${C.scalarOperatorOnCollection} -startsWith`]],
  ['device.devicePhysicalIds -startsWith "[ZTDId]"', [`warning ${C.scalarOperatorOnCollection} -startsWith`]],
  ['user.proxyAddresses -eq null', []],
  ['user.assignedPlans -eq "x"', [`error ${C.scalarOperatorOnCollection} -eq`]],
  ['user.country -any (_ -eq "x")', [`error ${C.quantifierOnScalar} -any`]],
  ['user.proxyAddresses -any (_ -any (_ -eq "x"))', [`error ${C.quantifierOnScalar} -any`]],
  ['_ -eq "x"', [`error ${C.itemOutsideCollection} _`]],
  ['user.assignedPlans -any (_ -eq "x")', [`error ${C.wrongItemVariable} _`]],
  ['user.proxyAddresses -any (assignedPlan.service -eq "x")', [`error ${C.wrongItemVariable} assignedPlan`]],
  ['user.country -in "Kenya"', [`error ${C.inNeedsArray} "Kenya"`]],
  ['user.country -eq ["Kenya"]', [`error ${C.arrayNotAllowed} ["Kenya"]`]],
  ['user.mail -match "[x"', [`error ${C.invalidRegex} "[x"`]],
  ['user.mail -match "(?>x)"', [`warning ${C.regexNotEvaluated} "(?>x)"`]],
  ['user.mail -match "(a)\\1"', [`warning ${C.regexNotEvaluated} "(a)\\1"`]],
  ['user.mail -match "(?i)^ada"', []],
  ['user.mail -match "\\q"', [`error ${C.invalidRegex} "\\q"`]],
  ['user.mail -match "(a+)+$"', [`warning ${C.catastrophicRegex} "(a+)+$"`]],
  ['user.mail -match "(x|xy)*z"', [`warning ${C.catastrophicRegex} "(x|xy)*z"`]],
  ['user.mail -match "^[a-z]+@contoso\\.com$"', []],
  ['user.mail -match "^[a-z]+(\\.[a-z]+)*@contoso\\.com$"', []],
  ['user.employeeId -match "^(\\d+,)*\\d+$"', []],
  ['user.displayName -match "^(\\w+\\s?)*$"', [`warning ${C.catastrophicRegex} "^(\\w+\\s?)*$"`]],
  ['user.mail -match "(a[a-z]+)*$"', [`warning ${C.catastrophicRegex} "(a[a-z]+)*$"`]],
  ['user.country -in ["a", null]', [`error ${C.invalidListItem} null`]],
  ['user.country -in ["a", "b"]', []],
  [
    '"Sales" -eq user.department',
    [
      `error ${C.unexpectedToken} "Sales"`,
      `error ${C.trailingText} -eq`,
      `error ${C.trailingText} user.department`,
      `error ${C.missingOperator} user.department`,
    ],
  ],
  [
    'user.department -eq "x" # y',
    [
      `error ${C.invalidCharacter} #`,
      `error ${C.trailingText} y`,
      `error ${C.missingOperator} y`,
      `error ${C.unknownObject} y`,
    ],
  ],
  ['user.country -in ["a", "b"', [`error ${C.unterminatedArray} [`]],
  ['user.proxyAddresses -any', [`error ${C.missingItemCondition} -any`]],
  ['user.proxyAddresses -any (_ -startsWith "smtp:")', []],
  ['user. -eq "x"', [`error ${C.missingProperty} user.`]],
  ['user.department -EQ "x"', [`hint ${C.operatorCasing} EQ`]],
  ['user.department -EQ "x"', [], { casingHints: false }],
  ['user.department -eq system.now', [`error ${C.valueType} system.now`]],
  [
    `${'('.repeat(300)}user.a -eq "b"${')'.repeat(300)}`,
    [`error ${C.nestingTooDeep} ${'('.repeat(99)}user.a -eq "b"${')'.repeat(300)}`],
  ],
  [`${'('.repeat(200)}user.department -eq "b"${')'.repeat(200)}`, []],
  ['user.department == "Sales"', [`error ${C.cStyleOperator} ==`]],
  [
    'user.a -eq "x" && user.b -eq "y"',
    [`error ${C.unknownProperty} a`, `error ${C.cStyleOperator} &&`, `error ${C.unknownProperty} b`],
  ],
  ['user.department -eq \u2018Sales\u2019', [`error ${C.typographicQuote} \u2018Sales\u2019`]],
  ["user.department -eq 'Sales'", [`hint ${C.singleQuotedString} 'Sales'`]],
  ["(user.country -eq 'United States')", [`hint ${C.singleQuotedString} 'United States'`]],
  ["user.memberOf -any (group.objectId -in ['a'])", []],
  ['user.department -eq "Sales', [`error ${C.unterminatedString} "Sales`]],
  ['(user.department -eq "Sales"', [`error ${C.missingCloseParen} (`]],
  ['user.department -eq "Sales")', [`error ${C.unmatchedCloseParen} )`]],
  ['user.department -equals "Sales"', [`error ${C.unknownOperator} -equals`]],
  ['user.department -eq "Sales" -or', [`error ${C.missingOperand} -or`]],
  ['user.department -eq', [`error ${C.missingValue} -eq`]],
  ['user.department', [`error ${C.missingOperator} user.department`]],
  ['user.department eq "Sales"', [`information ${C.operatorWithoutHyphen} eq`]],
  [
    'user.a -eq "x" user.b -eq "y"',
    [`error ${C.unknownProperty} a`, `error ${C.trailingText} user.b`, `error ${C.unknownProperty} b`],
  ],
  ['user.accountEnabled -eq "maybe"', [`error ${C.valueType} "maybe"`]],
  ['user.accountEnabled -eq "true"', [`warning ${C.valueType} "true"`]],
  ['user.department -eq Sales', [`error ${C.unquotedString} Sales`]],
  ['user.department -eq nul', [`error ${C.unquotedString} nul`]],
  ['user.department -eq true', [`warning ${C.unquotedString} true`]],
  ['user.country -in [US, "CA"]', [`error ${C.unquotedString} US`]],
  ['user.accountEnabled -eq ture', [`error ${C.valueType} ture`]],
  ['user.country -in ["US", "CA",]', [`error ${C.listSyntax} ,`]],
  ['user.country -in [, "US"]', [`error ${C.listSyntax} ,`]],
  ['user.country -in ["US",, "CA"]', [`error ${C.listSyntax} ,`]],
  ['user.country -in ["US" "CA"]', [`error ${C.listSyntax}  `]],
  ['user.mail -match "[\\d-z]"', [`error ${C.invalidRegex} "[\\d-z]"`]],
  ['user.mail -match "[\\d-]"', []],
  [`user.memberOf -any (group.objectId -in ['${G}'])`, []],
  [`(user.memberOf -any (group.objectId -in ['${G}']))`, []],
  [`user.memberOf -all (group.objectId -in ['${G}'])`, [`error ${C.memberOfAll} -all`]],
  [
    `user.memberOf -any (group.objectId -in ['${G}']) -and user.city -eq "x"`,
    [`error ${C.memberOfCombined} user.memberOf -any (group.objectId -in ['${G}'])`],
  ],
  [
    `-not (user.memberOf -any (group.objectId -in ['${G}']))`,
    [`error ${C.memberOfCombined} user.memberOf -any (group.objectId -in ['${G}'])`],
  ],
  ['user.userType -eq "Admin"', [`warning ${C.unknownEnumValue} "Admin"`]],
  ['user.userType -eq "guest"', []],
  ['user.userType -eq "null"', [`hint ${C.nullAsString} "null"`]],
  ['user.department -contains null', [`error ${C.nullOperator} -contains`]],
  ['user.employeeHireDate -ge "soon"', [`error ${C.invalidDate} "soon"`]],
  ['user.employeeHireDate -ge system.now -minus 30days', [`error ${C.invalidDate} 30days`]],
  ['Direct Reports for "abc"', [`error ${C.directReportsId} "abc"`]],
  ['Direct Reports for "0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22" -and x', [`error ${C.directReportsCombined} -and x`]],
  ['user.mail -not null', [`error ${C.unknownOperator} -not`]],
  ['device.organizationalUnit -eq "x"', [`error ${C.unsupportedProperty} organizationalUnit`]],
  ['foo -eq "x"', [`error ${C.unknownObject} foo`]],
  [`user.department -eq "${'x'.repeat(3100)}"`, [`error ${C.ruleTooLong} ${'x'.repeat(3100 + 21 - 3072)}"`]],
];

function describe(text: string, d: ServiceDiagnostic): string {
  return `${d.severity} ${d.code} ${text.slice(d.range.start, d.range.end)}`;
}

for (const [rule, expected, options] of cases) {
  test(`check ${JSON.stringify(rule.length > 60 ? `${rule.slice(0, 60)}…` : rule)}`, () => {
    const { diagnostics } = checkRule(rule, options);
    assert.deepEqual(
      diagnostics.map((d) => describe(rule, d)),
      expected,
    );
  });
}

test('every finding of the table has a message that names no internal type', () => {
  for (const [rule, , options] of cases) {
    for (const d of checkRule(rule, options).diagnostics) {
      assert.ok(d.message.length > 10 && !/undefined|\[object/.test(d.message), d.message);
    }
  }
});

test('did-you-mean offers the closest property and operator', () => {
  const p = checkRule('user.departmnt -eq "x"').diagnostics[0];
  assert.equal(p?.fixes?.[0]?.edits[0]?.newText, 'department');
  const o = checkRule('user.department -startwith "x"').diagnostics[0];
  assert.equal(o?.fixes?.[0]?.edits[0]?.newText, '-startsWith');
});

test('every rule code has a row in the table above', () => {
  const covered = new Set(cases.flatMap(([, expected]) => expected.map((e) => e.split(' ')[1])));
  const missing = Object.entries(RuleCode).filter(([, code]) => !covered.has(code));
  assert.deepEqual(missing, []);
});

test('one meaning per code: no two names share a code', () => {
  const codes = Object.values(RuleCode);
  assert.equal(new Set(codes).size, codes.length);
});
