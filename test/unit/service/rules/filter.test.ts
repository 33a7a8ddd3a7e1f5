import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { odataString, toGraphFilter } from '../../../../server/src/service/rules/filter';
import { parseRule } from '../../../../server/src/service/rules/parser';
import { mutatedRuleArbitrary, ruleArbitrary } from './ruleArbitrary';

const GUID = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
const EXT = 'extension_9d98ed114c4840d298fad781915f27e4_costCenter';

function filterOf(rule: string): ReturnType<typeof toGraphFilter> {
  return toGraphFilter(parseRule(rule).ast);
}

/** [rule, expected $filter, advanced] */
const translations: [string, string, boolean][] = [
  ['user.department -eq "Sales"', "department eq 'Sales'", false],
  ['user.department -EQ "Sales"', "department eq 'Sales'", false],
  ["user.department -eq 'O''Brien'", "department eq 'O''Brien'", false],
  ['user.displayName -eq "It`"s"', `displayName eq 'It"s'`, false],
  ['user.displayName -eq "Ada\'s"', "displayName eq 'Ada''s'", false],
  ['user.department -ne "Sales"', "department ne 'Sales'", true],
  ['user.jobTitle -startsWith "Senior"', "startswith(jobTitle,'Senior')", false],
  ['user.jobTitle -notStartsWith "Senior"', "not(startswith(jobTitle,'Senior'))", true],
  ['user.mail -endsWith "@contoso.com"', "endswith(mail,'@contoso.com')", true],
  [
    'user.userPrincipalName -notEndsWith "#EXT#@contoso.com"',
    "not(endswith(userPrincipalName,'#EXT#@contoso.com'))",
    true,
  ],
  ['user.country -in ["US", "CA", "GB"]', "country in ('US','CA','GB')", false],
  ['user.country -notIn ["US", "CA"]', "not(country in ('US','CA'))", true],
  ['user.companyName -eq "Contoso"', "companyName eq 'Contoso'", true],
  ['user.accountEnabled -eq true', 'accountEnabled eq true', false],
  ['user.accountEnabled -eq "False"', 'accountEnabled eq false', false],
  ['user.accountEnabled -ne true', 'accountEnabled ne true', true],
  ['user.dirSyncEnabled -eq true', 'onPremisesSyncEnabled eq true', false],
  ['user.userType -eq null', 'userType eq null', true],
  ['user.department -ne null', 'department ne null', true],
  ['user.objectId -ne null', '', false],
  [`user.objectId -eq "${GUID}"`, `id eq '${GUID}'`, false],
  ['user.mailNickName -eq "ada"', "mailNickname eq 'ada'", false],
  ['user.mobile -startsWith "+44"', "startswith(mobilePhone,'+44')", true],
  ['user.facsimileTelephoneNumber -eq "1"', "faxNumber eq '1'", true],
  ['user.physicalDeliveryOfficeName -eq "B1"', "officeLocation eq 'B1'", true],
  ['user.telephoneNumber -eq "+1 555"', "businessPhones/any(p:p eq '+1 555')", false],
  ['user.employeeHireDate -ge 2020-06-10T18:13:20Z', 'employeeHireDate ge 2020-06-10T18:13:20Z', true],
  ['user.employeeHireDate -le "2021-01-01"', 'employeeHireDate le 2021-01-01T00:00:00Z', true],
  [
    'user.extensionAttribute1 -eq "Contractor"',
    "onPremisesExtensionAttributes/extensionAttribute1 eq 'Contractor'",
    true,
  ],
  ['user.extensionAttribute15 -ne "x"', "onPremisesExtensionAttributes/extensionAttribute15 ne 'x'", true],
  [`user.${EXT} -eq "CC-12"`, `${EXT} eq 'CC-12'`, true],
  ['user.proxyAddresses -any (_ -startsWith "smtp:")', "proxyAddresses/any(p:startswith(p,'smtp:'))", false],
  ['user.proxyAddresses -any _ -eq "SMTP:a@b.c"', "proxyAddresses/any(p:p eq 'SMTP:a@b.c')", false],
  ['user.proxyAddresses -any (_ -endsWith "@contoso.com")', "proxyAddresses/any(p:endswith(p,'@contoso.com'))", true],
  ['user.otherMails -startsWith "ada@"', "otherMails/any(p:startswith(p,'ada@'))", false],
  ['user.otherMails -ne "ada@x"', "not(otherMails/any(p:p eq 'ada@x'))", true],
  [
    `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${GUID}")`,
    `assignedPlans/any(a:a/servicePlanId eq ${GUID})`,
    false,
  ],
  [
    `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${GUID.toUpperCase()}" -and assignedPlan.capabilityStatus -eq "Enabled")`,
    `assignedPlans/any(a:a/servicePlanId eq ${GUID} and a/capabilityStatus eq 'Enabled')`,
    true,
  ],
  [
    '(user.department -eq "Sales") -and (user.country -in ["US","CA","GB"]) -and (user.jobTitle -startsWith "senior") -and (user.accountEnabled -eq true) -and -not (user.userType -eq "Guest")',
    "department eq 'Sales' and country in ('US','CA','GB') and startswith(jobTitle,'senior') and accountEnabled eq true and not(userType eq 'Guest')",
    true,
  ],
  [
    'user.department -eq "a" -or user.department -eq "b" -and user.city -eq "c"',
    "department eq 'a' or department eq 'b' and city eq 'c'",
    false,
  ],
  [
    '(user.department -eq "a" -or user.department -eq "b") -and user.city -eq "c"',
    "(department eq 'a' or department eq 'b') and city eq 'c'",
    false,
  ],
  [
    'user.city -eq "c" -and (user.department -eq "a" -or user.department -eq "b")',
    "city eq 'c' and (department eq 'a' or department eq 'b')",
    false,
  ],
  ['-not (user.department -eq "a" -or user.city -eq "b")', "not(department eq 'a' or city eq 'b')", true],
  ['user.objectId -ne null -and user.department -eq "a"', "department eq 'a'", false],
  ['user.objectId -ne null -or user.department -eq "a"', '', false],
  ['user.department eq "Sales" and user.city eq "Oslo"', "department eq 'Sales' and city eq 'Oslo'", false],
  ['device.deviceOSType -eq "Android"', "operatingSystem eq 'Android'", false],
  ['device.deviceOSVersion -startsWith "10."', "startswith(operatingSystemVersion,'10.')", false],
  ['device.deviceTrustType -in ["AzureAD", "ServerAD"]', "trustType in ('AzureAD','ServerAD')", false],
  ['device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")', "physicalIds/any(p:startswith(p,'[ZTDId]'))", false],
  ['device.extensionAttribute2 -startsWith "Lab"', "startswith(extensionAttributes/extensionAttribute2,'Lab')", true],
  ['device.deviceManagementAppId -eq "x"', "mdmAppId eq 'x'", false],
];

test('filter: translations', () => {
  for (const [rule, filter, advanced] of translations) {
    const r = filterOf(rule);
    assert.ok(r.ok, `${rule}: ${r.ok ? '' : r.reason}`);
    assert.equal(r.filter, filter, rule);
    assert.equal(r.advanced, advanced, `advanced for ${rule}`);
  }
});

test('filter: the object kind', () => {
  const u = filterOf('user.department -eq "x"');
  const d = filterOf('device.deviceOSType -eq "x"');
  assert.ok(u.ok && d.ok);
  assert.equal(u.object, 'user');
  assert.equal(d.object, 'device');
});

test('filter: OData string quoting', () => {
  assert.equal(odataString("O'Brien"), "'O''Brien'");
  assert.equal(odataString("''"), "''''''");
  assert.equal(odataString('a"b'), "'a\"b'");
});

/** [rule, reason pattern, text of the offending node (its first occurrence in the rule)] */
const refusals: [string, RegExp, string][] = [
  ['user.displayName -contains "x"', /-contains has no Graph \$filter equivalent/, 'user.displayName -contains "x"'],
  [
    'user.department -eq "a" -and user.displayName -notContains "x"',
    /-notContains has no Graph \$filter equivalent/,
    'user.displayName -notContains "x"',
  ],
  ['user.mail -match "^a"', /-match .*regular-expression/, 'user.mail -match "^a"'],
  ['user.mail -notMatch "^a"', /-notMatch .*regular-expression/, 'user.mail -notMatch "^a"'],
  [
    'user.department -endsWith "les"',
    /-endsWith on department .*endswith only on mail, userPrincipalName, otherMails and proxyAddresses/,
    'user.department -endsWith "les"',
  ],
  [
    'user.onPremisesSecurityIdentifier -startsWith "S-1"',
    /startswith/,
    'user.onPremisesSecurityIdentifier -startsWith "S-1"',
  ],
  [
    'user.extensionAttribute1 -startsWith "x"',
    /-startsWith on extensionAttribute1/,
    'user.extensionAttribute1 -startsWith "x"',
  ],
  ['user.proxyAddresses -in ["a"]', /-in on proxyAddresses, a multi-valued property/, 'user.proxyAddresses -in ["a"]'],
  ['user.country -in []', /empty list/, '[]'],
  [
    `user.memberOf -any (group.objectId -in ['${GUID}'])`,
    /memberOf has no \$filter equivalent/,
    `user.memberOf -any (group.objectId -in ['${GUID}'])`,
  ],
  [
    `Direct Reports for "${GUID}"`,
    /Direct Reports has no \$filter equivalent.*directReports/,
    `Direct Reports for "${GUID}"`,
  ],
  [
    'user.proxyAddresses -all (_ -startsWith "smtp:")',
    /-all has no Graph \$filter equivalent/,
    'user.proxyAddresses -all (_ -startsWith "smtp:")',
  ],
  ['user.proxyAddresses -any (_ -contains "x")', /-contains inside -any/, '_ -contains "x"'],
  ['user.proxyAddresses -any (-not (_ -eq "x"))', /single condition/, '-not (_ -eq "x")'],
  ['user.assignedPlans -any (assignedPlan.servicePlanId -eq "not-a-guid")', /servicePlanId is a GUID/, '"not-a-guid"'],
  [
    'user.assignedPlans -any (assignedPlan.service -ne "SCO")',
    /-ne inside assignedPlans -any/,
    'assignedPlan.service -ne "SCO"',
  ],
  [
    'user.assignedPlans -any (assignedPlan.service -eq "a" -or assignedPlan.service -eq "b")',
    /joined by -and/,
    'assignedPlan.service -eq "a" -or assignedPlan.service -eq "b"',
  ],
  ['user.employeeHireDate -ge system.now -minus p30d', /system.now changes with time/, 'system.now -minus p30d'],
  [
    'user.onPremisesDistinguishedName -eq "CN=x"',
    /cannot filter users on onPremisesDistinguishedName/,
    'user.onPremisesDistinguishedName -eq "CN=x"',
  ],
  ['user.sipProxyAddress -eq "sip:x"', /cannot filter users on sipProxyAddress/, 'user.sipProxyAddress -eq "sip:x"'],
  ['device.deviceModel -eq "x"', /cannot filter devices on deviceModel \(model\)/, 'device.deviceModel -eq "x"'],
  ['user.accountEnabled -eq null', /cannot filter users on accountEnabled being null/, 'user.accountEnabled -eq null'],
  ['user.objectId -eq null', /selects nothing/, 'user.objectId -eq null'],
  ['-not (user.objectId -ne null)', /selects nothing/, '-not (user.objectId -ne null)'],
  ['user.department -eq "x" -and device.deviceModel -eq "y"', /cannot mix user and device/, 'device'],
  ['user.dept -eq "x"', /Unknown property 'dept'/, 'dept'],
  ['user.department == "x"', /not an operator/, '=='],
  ['user.department -eq "x" user.city -eq "y"', /syntax error/, 'user.city'],
  ['user.department -eq "x" )', /syntax error/, ')'],
  ['', /empty/, ''],
];

test('filter: refusals give the reason and the range of the offending node', () => {
  for (const [rule, reason, node] of refusals) {
    const r = filterOf(rule);
    assert.equal(r.ok, false, `${rule} should be refused`);
    if (r.ok) continue;
    assert.match(r.reason, reason, rule);
    if (rule === '') continue;
    const start = rule.indexOf(node);
    assert.ok(start >= 0);
    assert.deepEqual(r.range, { start, end: start + node.length }, `range for ${rule}: ${r.reason}`);
  }
});

test('filter: never throws, and refuses every rule the parser found errors in (property-based)', () => {
  fc.assert(
    fc.property(fc.oneof(ruleArbitrary, mutatedRuleArbitrary), (rule) => {
      const { ast, diagnostics } = parseRule(rule);
      const r = toGraphFilter(ast);
      if (diagnostics.some((d) => d.severity === 'error')) assert.equal(r.ok, false, rule);
      if (!r.ok && r.range)
        assert.ok(r.range.start >= 0 && r.range.start <= r.range.end && r.range.end <= rule.length, rule);
    }),
    { numRuns: 2000 },
  );
});
