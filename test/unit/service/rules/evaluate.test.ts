import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  codegenAvailable,
  compileRule,
  compileRuleText,
  generatedRuleSource,
  type CompileOptions,
  type RulePredicate,
} from '../../../../server/src/service/rules/evaluate';
import { parseDuration } from '../../../../server/src/service/util/iso8601';
import { graphFilter, graphPath, graphProperty, readGraphValue } from '../../../../server/src/service/rules/graphNames';
import { parseRule } from '../../../../server/src/service/rules/parser';
import type { Comparison, Expression, StringValue } from '../../../../server/src/service/rules/ast';
import { mutatedRuleArbitrary, ruleArbitrary } from './ruleArbitrary';

type Obj = Record<string, unknown>;

const NOW = new Date('2024-06-15T12:00:00Z');
const fixedNow = (): Date => new Date(NOW.getTime());

/** Compiles with both back ends; fails the test if either refuses. */
function both(rule: string, options: CompileOptions = {}): { codegen: RulePredicate; closure: RulePredicate } {
  const a = compileRuleText(rule, { now: fixedNow, ...options, backend: 'codegen' });
  const b = compileRuleText(rule, { now: fixedNow, ...options, backend: 'closure' });
  assert.ok(a.ok, `codegen refused ${rule}: ${a.ok ? '' : a.reason}`);
  assert.ok(b.ok, `closure refused ${rule}: ${b.ok ? '' : b.reason}`);
  assert.equal(b.backend, 'closure');
  if (codegenAvailable) assert.equal(a.backend, 'codegen');
  return { codegen: a.test, closure: b.test };
}

function evaluate(rule: string, obj: Obj): boolean {
  const { codegen, closure } = both(rule);
  const x = codegen(obj);
  const y = closure(obj);
  assert.equal(x, y, `back ends disagree on ${rule} for ${JSON.stringify(obj)}`);
  return x;
}

type Case = [rule: string, obj: Obj, expected: boolean];

const GUID_A = '0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22';
const GUID_B = '62e19b97-8b3d-4d4a-a106-4ce66896a863';
const EXT = 'extension_9d98ed114c4840d298fad781915f27e4_costCenter';

const cases: Record<string, Case[]> = {
  'eq / ne, case-insensitive, null': [
    ['user.department -eq "Sales"', { department: 'Sales' }, true],
    ['user.department -eq "Sales"', { department: 'SALES' }, true],
    ['user.department -eq "sales"', { department: 'Sales' }, true],
    ['user.department -eq "Sales"', { department: 'Sales ' }, false],
    ['user.department -eq "Sales"', { department: null }, false],
    ['user.department -eq "Sales"', {}, false],
    ['user.department -ne "Sales"', { department: 'Marketing' }, true],
    ['user.department -ne "Sales"', { department: 'sAlEs' }, false],
    ['user.department -ne "Sales"', { department: null }, true],
    ['user.department -ne "Sales"', {}, true],
    ['user.department -eq null', {}, true],
    ['user.department -eq null', { department: null }, true],
    ['user.department -eq null', { department: '' }, false],
    ['user.department -ne null', { department: 'x' }, true],
    ['user.department -ne null', { department: null }, false],
    ['user.department -eq "null"', { department: null }, false],
    ['user.department -eq "null"', { department: 'NULL' }, true],
    ['user.department eq "Sales"', { department: 'sales' }, true],
    ['user.department -EQ "Sales"', { department: 'sales' }, true],
    ["user.department -eq 'Sales'", { department: 'sales' }, true],
    ['user.department -eq 42', { department: '42' }, true],
    ['user.employeeId -eq 42', { employeeId: '42' }, true],
    ['user.department -eq "a`"b"', { department: 'A"B' }, true],
    ['user.department -eq "İ"', { department: 'i̇' }, true],
  ],
  'string operators': [
    ['user.jobTitle -startsWith "senior"', { jobTitle: 'Senior Engineer' }, true],
    ['user.jobTitle -startsWith "senior"', { jobTitle: 'Engineer' }, false],
    ['user.jobTitle -startsWith "senior"', {}, false],
    ['user.jobTitle -notStartsWith "senior"', { jobTitle: 'SENIOR x' }, false],
    ['user.jobTitle -notStartsWith "senior"', { jobTitle: 'Junior' }, true],
    ['user.jobTitle -notStartsWith "senior"', { jobTitle: null }, true],
    ['user.mail -endsWith "@Contoso.com"', { mail: 'a@CONTOSO.COM' }, true],
    ['user.mail -endsWith "@contoso.com"', { mail: 'a@fabrikam.com' }, false],
    ['user.mail -notEndsWith "@contoso.com"', { mail: 'a@fabrikam.com' }, true],
    ['user.mail -notEndsWith "@contoso.com"', { mail: 'a@contoso.com' }, false],
    ['user.mail -notEndsWith "@contoso.com"', {}, true],
    ['user.displayName -contains "ADA"', { displayName: 'Lovelace, Ada' }, true],
    ['user.displayName -contains "ada"', { displayName: 'Grace' }, false],
    ['user.displayName -contains "ada"', { displayName: null }, false],
    ['user.displayName -notContains "ada"', { displayName: 'Grace' }, true],
    ['user.displayName -notContains "ada"', { displayName: 'ADA' }, false],
    ['user.displayName -notContains "ada"', {}, true],
    ['user.country -in ["US", "ca", "GB"]', { country: 'us' }, true],
    ['user.country -in ["US", "ca", "GB"]', { country: 'CA' }, true],
    ['user.country -in ["US", "ca", "GB"]', { country: 'DE' }, false],
    ['user.country -in ["US", "ca", "GB"]', {}, false],
    ['user.country -in []', { country: 'US' }, false],
    ['user.country -notIn ["US", "CA"]', { country: 'de' }, true],
    ['user.country -notIn ["US", "CA"]', { country: 'us' }, false],
    ['user.country -notIn ["US", "CA"]', { country: null }, true],
    ['user.employeeId -in [1, 2, 3]', { employeeId: '2' }, true],
  ],
  'regular expressions': [
    ['user.mail -match "^[a-z]+@contoso\\.com$"', { mail: 'ADA@Contoso.com' }, true],
    ['user.mail -match "^[a-z]+@contoso\\.com$"', { mail: 'ada1@contoso.com' }, false],
    ['user.mail -match "^[a-z]+@contoso\\.com$"', {}, false],
    ['user.mail -notMatch "^admin"', { mail: 'Admin@contoso.com' }, false],
    ['user.mail -notMatch "^admin"', { mail: 'ada@contoso.com' }, true],
    ['user.mail -notMatch "^admin"', { mail: null }, true],
    ['user.department -match "sales|marketing"', { department: 'Field MARKETING' }, true],
  ],
  'booleans (also stored as strings)': [
    ['user.accountEnabled -eq true', { accountEnabled: true }, true],
    ['user.accountEnabled -eq true', { accountEnabled: false }, false],
    ['user.accountEnabled -eq true', { accountEnabled: 'True' }, true],
    ['user.accountEnabled -eq true', { accountEnabled: 'true' }, true],
    ['user.accountEnabled -eq true', { accountEnabled: 'yes' }, false],
    ['user.accountEnabled -eq true', {}, false],
    ['user.accountEnabled -eq false', { accountEnabled: false }, true],
    ['user.accountEnabled -eq false', { accountEnabled: 'FALSE' }, true],
    ['user.accountEnabled -eq false', { accountEnabled: null }, false],
    ['user.accountEnabled -ne true', { accountEnabled: false }, true],
    ['user.accountEnabled -ne true', { accountEnabled: null }, true],
    ['user.accountEnabled -ne true', { accountEnabled: true }, false],
    ['user.accountEnabled -eq "True"', { accountEnabled: true }, true],
    ['user.dirSyncEnabled -eq true', { onPremisesSyncEnabled: true }, true],
    ['user.dirSyncEnabled -eq true', { dirSyncEnabled: true }, false],
    ['user.dirSyncEnabled -eq null', { onPremisesSyncEnabled: null }, true],
    ['device.isRooted -eq true', { isRooted: true }, true],
  ],
  'logic and precedence': [
    [
      'user.department -eq "a" -or user.department -eq "b" -and user.country -eq "c"',
      { department: 'a', country: 'x' },
      true,
    ],
    [
      '(user.department -eq "a" -or user.department -eq "b") -and user.country -eq "c"',
      { department: 'a', country: 'x' },
      false,
    ],
    ['-not (user.department -eq "a")', { department: 'A' }, false],
    ['-not (user.department -eq "a")', {}, true],
    ['-not user.department -eq "a" -and user.country -eq "c"', { department: 'b', country: 'c' }, true],
    ['not (user.department -eq "a")', { department: 'b' }, true],
    ['user.department -eq "a" and user.country -eq "c"', { department: 'a', country: 'c' }, true],
    ['user.department -eq "a" OR user.country -eq "c"', { country: 'c' }, true],
  ],
  'graph names': [
    ['user.objectId -eq "' + GUID_A + '"', { id: GUID_A.toUpperCase() }, true],
    ['user.objectId -ne null', { id: GUID_A }, true],
    ['user.mailNickName -eq "ada"', { mailNickname: 'Ada' }, true],
    ['user.facsimileTelephoneNumber -eq "+1 555"', { faxNumber: '+1 555' }, true],
    ['user.telephoneNumber -eq "+1 555"', { businessPhones: ['+1 555'] }, true],
    ['user.telephoneNumber -eq "+1 555"', { businessPhones: [] }, false],
    ['user.telephoneNumber -eq null', { businessPhones: [] }, true],
    ['user.mobile -startsWith "+44"', { mobilePhone: '+44 7700' }, true],
    ['user.physicalDeliveryOfficeName -eq "B1"', { officeLocation: 'b1' }, true],
    [
      'user.extensionAttribute1 -eq "Contractor"',
      { onPremisesExtensionAttributes: { extensionAttribute1: 'contractor' } },
      true,
    ],
    ['user.extensionAttribute15 -eq "x"', { onPremisesExtensionAttributes: { extensionAttribute15: 'X' } }, true],
    ['user.extensionAttribute1 -eq "Contractor"', { onPremisesExtensionAttributes: null }, false],
    ['user.extensionAttribute1 -eq null', { onPremisesExtensionAttributes: null }, true],
    ['user.extensionAttribute1 -eq "Contractor"', { extensionAttribute1: 'Contractor' }, false],
    [`user.${EXT} -eq "CC-12"`, { [EXT]: 'cc-12' }, true],
    [`user.${EXT} -eq "CC-12"`, {}, false],
    ['user.sipProxyAddress -eq "sip:a@b"', { sipProxyAddress: 'SIP:a@b' }, true],
  ],
  'string collections': [
    [
      'user.proxyAddresses -any (_ -startsWith "smtp:")',
      { proxyAddresses: ['X500:/o=a', 'SMTP:ada@contoso.com'] },
      true,
    ],
    ['user.proxyAddresses -any (_ -startsWith "smtp:")', { proxyAddresses: ['X500:/o=a'] }, false],
    ['user.proxyAddresses -any (_ -startsWith "smtp:")', { proxyAddresses: [] }, false],
    ['user.proxyAddresses -any (_ -startsWith "smtp:")', {}, false],
    ['user.proxyAddresses -all (_ -startsWith "smtp:")', { proxyAddresses: ['smtp:a', 'SMTP:b'] }, true],
    ['user.proxyAddresses -all (_ -startsWith "smtp:")', { proxyAddresses: ['smtp:a', 'x500:b'] }, false],
    ['user.proxyAddresses -all (_ -startsWith "smtp:")', { proxyAddresses: [] }, true],
    ['user.proxyAddresses -all (_ -startsWith "smtp:")', {}, true],
    ['user.proxyAddresses -any (_ -eq null)', { proxyAddresses: [null] }, true],
    ['user.otherMails -any (_ -contains "@contoso")', { otherMails: ['a@Contoso.com'] }, true],
    ['user.otherMails -any (-not (_ -contains "@contoso"))', { otherMails: ['a@Contoso.com', 'b@x.com'] }, true],
    ['user.otherMails -any (_ -endsWith ".org" -or _ -endsWith ".net")', { otherMails: ['a@b.net'] }, true],
    ['user.otherMails -startsWith "ada@"', { otherMails: ['x@y', 'ADA@contoso.com'] }, true],
    ['user.otherMails -startsWith "ada@"', { otherMails: ['x@y'] }, false],
    ['user.proxyAddresses -notEndsWith "@outlook.com"', { proxyAddresses: ['a@x.com', 'b@OUTLOOK.com'] }, false],
    ['user.proxyAddresses -notEndsWith "@outlook.com"', { proxyAddresses: ['a@x.com'] }, true],
    ['user.proxyAddresses -eq null', { proxyAddresses: [] }, true],
    ['user.proxyAddresses -ne null', { proxyAddresses: ['a'] }, true],
    ['device.devicePhysicalIds -any _ -startsWith "[ZTDId]"', { physicalIds: ['[ZTDId]abc', '[USER-GID]x'] }, true],
    ['device.devicePhysicalIds -any (_ -eq "[OrderID]:Kiosk")', { physicalIds: ['[orderid]:kiosk'] }, true],
  ],
  assignedPlans: [
    [
      `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${GUID_A}" -and assignedPlan.capabilityStatus -eq "Enabled")`,
      {
        assignedPlans: [
          { servicePlanId: GUID_B, capabilityStatus: 'Enabled' },
          { servicePlanId: GUID_A, capabilityStatus: 'enabled', service: 'exchange' },
        ],
      },
      true,
    ],
    [
      `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${GUID_A}" -and assignedPlan.capabilityStatus -eq "Enabled")`,
      { assignedPlans: [{ servicePlanId: GUID_A, capabilityStatus: 'Suspended' }] },
      false,
    ],
    ['user.assignedPlans -any (assignedPlan.service -eq "SCO")', { assignedPlans: [] }, false],
    ['user.assignedPlans -all (assignedPlan.servicePlanId -eq null)', { assignedPlans: [] }, true],
    ['user.assignedPlans -all (assignedPlan.servicePlanId -eq null)', {}, true],
    [
      'user.assignedPlans -all (assignedPlan.servicePlanId -eq null)',
      { assignedPlans: [{ servicePlanId: GUID_A }] },
      false,
    ],
    [
      'user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")',
      { assignedPlans: [{ capabilityStatus: 'Enabled' }, { capabilityStatus: 'ENABLED' }] },
      true,
    ],
    [
      'user.assignedPlans -any (assignedPlan.service -in ["SCO", "exchange"])',
      { assignedPlans: [{ service: 'Exchange' }] },
      true,
    ],
    [
      'user.assignedPlans -any (assignedPlan.service -eq "SCO")',
      { assignedPlans: [null, 'x', { service: 'sco' }] },
      true,
    ],
  ],
  memberOf: [
    [`user.memberOf -any (group.objectId -in ['${GUID_A}'])`, { memberOf: [{ id: GUID_B }, { id: GUID_A }] }, true],
    [
      `user.memberOf -any (group.objectId -in ['${GUID_A}'])`,
      { memberOf: [{ '@odata.type': '#microsoft.graph.group', id: GUID_A.toUpperCase() }] },
      true,
    ],
    [
      `user.memberOf -any (group.objectId -in ['${GUID_A}'])`,
      { memberOf: [{ '@odata.type': '#microsoft.graph.directoryRole', id: GUID_A }] },
      false,
    ],
    [`user.memberOf -any (group.objectId -in ['${GUID_A}'])`, { memberOf: [GUID_A] }, true],
    [`user.memberOf -any (group.objectId -in ['${GUID_A}'])`, { memberOf: [] }, false],
    [`user.memberOf -any (group.objectId -in ['${GUID_A}'])`, {}, false],
    [`device.memberOf -any (group.objectId -eq "${GUID_B}")`, { memberOf: [{ id: GUID_B }] }, true],
  ],
  'direct reports': [
    [`Direct Reports for "${GUID_A}"`, { manager: { id: GUID_A } }, true],
    [
      `Direct Reports for "${GUID_A}"`,
      { manager: { '@odata.type': '#microsoft.graph.user', id: GUID_A.toUpperCase() } },
      true,
    ],
    [`Direct Reports for "${GUID_A}"`, { managerId: GUID_A }, true],
    [`Direct Reports for "${GUID_A}"`, { manager: { id: GUID_B } }, false],
    [`Direct Reports for "${GUID_A}"`, { manager: null }, false],
    [`Direct Reports for "${GUID_A}"`, {}, false],
    [`direct reports for "${GUID_A}"`, { managerId: GUID_A }, true],
  ],
  'employeeHireDate (now = 2024-06-15T12:00:00Z)': [
    ['user.employeeHireDate -ge system.now -minus p30d', { employeeHireDate: '2024-06-01T00:00:00Z' }, true],
    ['user.employeeHireDate -ge system.now -minus p30d', { employeeHireDate: '2024-05-01T00:00:00Z' }, false],
    ['user.employeeHireDate -ge system.now -minus P30D', { employeeHireDate: '2024-05-16T12:00:00Z' }, true],
    ['user.employeeHireDate -ge system.now -minus P30D', { employeeHireDate: '2024-05-16T11:59:59Z' }, false],
    ['user.employeeHireDate -ge system.now -minus p30d', { employeeHireDate: null }, false],
    ['user.employeeHireDate -ge system.now -minus p30d', {}, false],
    ['user.employeeHireDate -ge system.now -minus p30d', { employeeHireDate: 'soon' }, false],
    ['user.employeeHireDate -le system.now -plus PT12H', { employeeHireDate: '2024-06-16T00:00:00Z' }, true],
    ['user.employeeHireDate -le system.now -plus pt12h', { employeeHireDate: '2024-06-16T00:00:01Z' }, false],
    ['user.employeeHireDate -le system.now', { employeeHireDate: '2024-06-15T12:00:00Z' }, true],
    ['user.employeeHireDate -ge system.now -minus P1M', { employeeHireDate: '2024-05-15T12:00:00Z' }, true],
    ['user.employeeHireDate -ge system.now -minus P1M', { employeeHireDate: '2024-05-15T11:00:00Z' }, false],
    ['user.employeeHireDate -ge system.now -minus "P1W"', { employeeHireDate: '2024-06-08T12:00:00Z' }, true],
    ['user.employeeHireDate -ge 2020-06-10T18:13:20Z', { employeeHireDate: '2020-06-10T18:13:20Z' }, true],
    ['user.employeeHireDate -ge 2020-06-10T18:13:20Z', { employeeHireDate: '2020-06-10T18:13:19Z' }, false],
    ['user.employeeHireDate -le "2020-06-10"', { employeeHireDate: '2020-06-09T23:00:00Z' }, true],
    ['user.employeeHireDate -eq 2020-06-10T18:13:20Z', { employeeHireDate: '2020-06-10T20:13:20+02:00' }, true],
    ['user.employeeHireDate -ne 2020-06-10T18:13:20Z', { employeeHireDate: '2021-01-01T00:00:00Z' }, true],
    ['user.employeeHireDate -ne 2020-06-10T18:13:20Z', {}, true],
    ['user.employeeHireDate -eq null', {}, true],
  ],
  devices: [
    ['device.deviceOSType -eq "Android"', { operatingSystem: 'android' }, true],
    ['device.deviceOSType -eq "Android"', { deviceOSType: 'Android' }, false],
    ['device.deviceOSVersion -startsWith "10.0"', { operatingSystemVersion: '10.0.19045' }, true],
    ['device.deviceManufacturer -eq "Contoso"', { manufacturer: 'CONTOSO' }, true],
    ['device.deviceModel -contains "surface"', { model: 'Surface Laptop 5' }, true],
    ['device.deviceTrustType -eq "AzureAD"', { trustType: 'AzureAd' }, true],
    ['device.deviceId -eq "' + GUID_A + '"', { deviceId: GUID_A }, true],
    ['device.objectId -eq "' + GUID_B + '"', { id: GUID_B, deviceId: GUID_A }, true],
    ['device.deviceManagementAppId -eq "x"', { mdmAppId: 'X' }, true],
    ['device.deviceOwnership -eq "Company"', { deviceOwnership: 'company' }, true],
    ['device.enrollmentProfileName -eq "Autopilot"', { enrollmentProfileName: 'autopilot' }, true],
    ['device.managementType -eq "MDM"', { managementType: 'mdm' }, true],
    ['device.profileType -eq "RegisteredDevice"', { profileType: 'registeredDevice' }, true],
    ['device.deviceCategory -eq "Kiosk"', { deviceCategory: 'kiosk' }, true],
    ['device.systemLabels -contains "M365Managed"', { systemLabels: ['AzureResource', 'M365Managed'] }, true],
    ['device.systemLabels -contains "M365Managed"', { systemLabels: [] }, false],
    ['device.extensionAttribute3 -eq "Lab"', { extensionAttributes: { extensionAttribute3: 'lab' } }, true],
    ['device.accountEnabled -eq true', { accountEnabled: true }, true],
  ],
};

for (const [group, list] of Object.entries(cases)) {
  test(`evaluate: ${group}`, () => {
    for (const [rule, obj, expected] of list) {
      assert.equal(evaluate(rule, obj), expected, `${rule} on ${JSON.stringify(obj)}`);
    }
  });
}

test('evaluate: the object kind of the rule', () => {
  const u = compileRuleText('user.department -eq "x"');
  const d = compileRuleText('device.deviceOSType -eq "x"');
  const r = compileRuleText(`Direct Reports for "${GUID_A}"`);
  assert.ok(u.ok && d.ok && r.ok);
  assert.equal(u.object, 'user');
  assert.equal(d.object, 'device');
  assert.equal(r.object, 'user');
});

test('evaluate: system.now is read at each call, from options.now', () => {
  let now = new Date('2024-06-15T00:00:00Z');
  for (const backend of ['codegen', 'closure'] as const) {
    const c = compileRuleText('user.employeeHireDate -le system.now', { now: () => now, backend });
    assert.ok(c.ok);
    now = new Date('2024-06-15T00:00:00Z');
    assert.equal(c.test({ employeeHireDate: '2024-06-20T00:00:00Z' }), false);
    now = new Date('2024-06-21T00:00:00Z');
    assert.equal(c.test({ employeeHireDate: '2024-06-20T00:00:00Z' }), true);
  }
});

test('evaluate: durations', () => {
  assert.deepEqual(parseDuration('p1d'), { months: 0, ms: 86_400_000 });
  assert.deepEqual(parseDuration('P30D'), { months: 0, ms: 30 * 86_400_000 });
  assert.deepEqual(parseDuration('PT12H'), { months: 0, ms: 12 * 3_600_000 });
  assert.deepEqual(parseDuration('pt1.5s'), { months: 0, ms: 1500 });
  assert.deepEqual(parseDuration('P1Y2M'), { months: 14, ms: 0 });
  assert.deepEqual(parseDuration('P1DT2H3M'), { months: 0, ms: 86_400_000 + 2 * 3_600_000 + 3 * 60_000 });
  for (const bad of ['P', 'PT', 'P1DT', '1D', 'P1H', 'P-1D', 'p1.5d', 'days'])
    assert.equal(parseDuration(bad), undefined, bad);
});

/** [rule, fragment of the reason] for rules the compile step must refuse. */
const refusals: [string, RegExp][] = [
  ['', /empty/],
  ['user.department -eq', /syntax error/],
  ['user.department == "x"', /syntax error/],
  ['user.department -eq "x" && user.city -eq "y"', /syntax error/],
  ['(user.department -eq "x"', /syntax error/],
  ['user.department -eq "x', /syntax error/],
  ['user.department -eq \u201Cx\u201D', /syntax error/],
  ['user.dept -eq "x"', /Unknown property 'dept'/],
  ['user.extensionAttribute16 -eq "x"', /does not exist/],
  ['user.extension_abc_x -eq "x"', /not a valid custom extension property/],
  ['device.organizationalUnit -eq "x"', /no longer supported/],
  ['user.deviceModel -eq "x"', /device property/],
  ['user.department -eq "x" -and device.deviceModel -eq "y"', /cannot mix user and device/],
  ['user.accountEnabled -startsWith "t"', /does not apply to accountEnabled/],
  ['user.accountEnabled -eq "maybe"', /boolean/],
  ['user.department -le "x"', /-le does not apply to department/],
  ['user.department -ge "M"', /-ge does not apply to department/],
  ['user.proxyAddresses -any (_ -ge "M")', /-ge does not apply/],
  ['user.otherMails -le "M"', /-le does not apply to otherMails/],
  ['user.employeeHireDate -contains "2020"', /does not apply to employeeHireDate/],
  ['user.employeeHireDate -ge "last tuesday"', /not a date-time/],
  ['user.employeeHireDate -ge system.now -minus 30', /duration/],
  ['user.employeeHireDate -ge system.now -minus p30x', /ISO 8601 duration/],
  ['user.department -contains null', /null can only be compared with -eq or -ne/],
  ['user.department -in "Sales"', /takes a list/],
  ['user.department -eq ["a"]', /compares with one value/],
  ['user.mail -match "("', /Invalid regular expression/],
  ['user.mail -notMatch "[a-"', /Invalid regular expression/],
  ['user.department -not "x"', /-not negates a whole condition/],
  ['user.department -any (_ -eq "x")', /single value/],
  ['user.assignedPlans -eq "x"', /collection of objects/],
  ['user.memberOf -eq "x"', /collection of objects/],
  ['user.department -eq Sales', /write the value in double quotes/],
  [`user.memberOf -all (group.objectId -in ['${GUID_A}'])`, /-any only/],
  [`user.memberOf -any (group.objectId -in ['${GUID_A}']) -and user.city -eq "x"`, /must be the whole rule/],
  [`-not (user.memberOf -any (group.objectId -in ['${GUID_A}']))`, /must be the whole rule/],
  ['user.country -in ["a",]', /cannot end with a comma/],
  ['user.mail -match "[\\d-z]"', /\.NET refuses/],
  ['_ -eq "x"', /item of a collection/],
  ['user.proxyAddresses -any (assignedPlan.service -eq "x")', /the item is '_'/],
  ['user.proxyAddresses -any (user.department -eq "x")', /tests each item/],
  ['user.assignedPlans -any (assignedPlan.color -eq "x")', /Unknown property 'color'/],
  ['user.assignedPlans -any (user.proxyAddresses -any (_ -eq "x"))', /tests each item/],
  ['user.assignedPlans -any (assignedPlan.service -any (_ -eq "x"))', /cannot be nested/],
  ['Direct Reports for "x" -and user.department -eq "y"', /GUID/],
  [`Direct Reports for "${GUID_A}" -and user.department -eq "y"`, /cannot be combined/],
  ['user.department -eq system.now', /system.now is a date-time/],
  ['user.department -in ["a", null]', /cannot be one/],
  ['user.mail -match "(a)\\1"', /cannot be evaluated here/],
  ['user.mail -match "\\q"', /not an escape .NET knows/],
  ['foo.department -eq "x"', /Unknown object 'foo'/],
];

test('evaluate: refusals name the problem', () => {
  for (const [rule, reason] of refusals) {
    for (const backend of ['codegen', 'closure'] as const) {
      const c = compileRuleText(rule, { backend });
      assert.equal(c.ok, false, `${rule} should be refused`);
      if (!c.ok) assert.match(c.reason, reason, rule);
    }
  }
});

test('evaluate: compileRule refuses trees with syntax errors on its own', () => {
  for (const rule of [
    'user.department -eq "x" user.city -eq "y"',
    'user.department == "x"',
    '(user.city -eq "x"',
    'user.department -eq',
    '-not',
    '! (user.city -eq "x")',
  ]) {
    const { ast, diagnostics } = parseRule(rule);
    assert.ok(
      diagnostics.some((d) => d.severity === 'error'),
      rule,
    );
    const c = compileRule(ast);
    assert.equal(c.ok, false, `${rule} should be refused from the tree alone`);
  }
});

test('evaluate: compileRule never accepts a tree the parser found errors in (property-based)', () => {
  fc.assert(
    fc.property(fc.oneof(ruleArbitrary, mutatedRuleArbitrary), (rule) => {
      const { ast, diagnostics } = parseRule(rule);
      const c = compileRule(ast);
      if (diagnostics.some((d) => d.severity === 'error')) assert.equal(c.ok, false, rule);
    }),
    { numRuns: 2000 },
  );
});

test('evaluate: refusals carry the range of the offending node', () => {
  const rule = 'user.department -eq "x" -and user.mail -match "("';
  const c = compileRuleText(rule);
  assert.ok(!c.ok);
  assert.deepEqual(c.range, { start: rule.indexOf('"("'), end: rule.length });
});

// ---------------------------------------------------------------------------------------------
// Injection: rule text never becomes code.

const hostile = [
  '"); process.exit(1); ("',
  '\\"); process.exit(1); (\\"',
  "'); globalThis.__pwned = 1; ('",
  '`); globalThis.__pwned = 1; (`',
  '${globalThis.__pwned = 1}',
  '*/ globalThis.__pwned = 1; /*',
  '\u2028globalThis.__pwned = 1;\u2029',
  '</script><script>globalThis.__pwned = 1</script>',
  '\\u0022); globalThis.__pwned = 1; //',
  '\n}; globalThis.__pwned = 1; function f() {\n',
];

/** The first comparison of a parsed rule, to replace its value or property with anything. */
function firstComparison(e: Expression | undefined): Comparison {
  let n = e;
  while (n && n.kind !== 'comparison')
    n = n.kind === 'binary' ? n.left : n.kind === 'paren' ? n.inner : n.kind === 'not' ? n.operand : undefined;
  assert.ok(n);
  return n;
}

test('evaluate: a crafted value is only ever compared as a string', () => {
  const g = globalThis as { __pwned?: unknown };
  // Through the parser: a backtick escapes the double quote.
  const rule = 'user.department -eq "`"); process.exit(1); (`""';
  assert.equal(evaluate(rule, { department: '"); process.exit(1); ("' }), true);
  assert.equal(evaluate(rule, { department: 'Sales' }), false);
  // Straight into the tree: every operator, every hostile string.
  for (const op of ['eq', 'ne', 'startsWith', 'endsWith', 'contains', 'match', 'in']) {
    for (const text of hostile) {
      const { ast } = parseRule(
        op === 'in'
          ? 'user.department -in ["x", "y"]'
          : op === 'match'
            ? 'user.department -match "x"'
            : `user.department -${op} "x"`,
      );
      const c = firstComparison(ast.root as Expression);
      const value = c.value as StringValue | { kind: 'array'; items: StringValue[] };
      const expected = op === 'match' ? text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : text;
      if (value.kind === 'array') (value.items[0] as StringValue).value = expected;
      else value.value = expected;
      for (const backend of ['codegen', 'closure'] as const) {
        const compiled = compileRule(ast, { backend });
        assert.ok(compiled.ok, `${op} ${JSON.stringify(text)}: ${compiled.ok ? '' : compiled.reason}`);
        const positive = compiled.test({ department: text.toUpperCase() });
        assert.equal(positive, op !== 'ne', `${backend} ${op} ${JSON.stringify(text)}`);
        assert.equal(
          compiled.test({ department: 'unrelated' }),
          op === 'ne',
          `${backend} ${op} ${JSON.stringify(text)} on another value`,
        );
      }
      const source = generatedRuleSource(ast);
      assert.ok(source.ok);
      if (op !== 'match' && op !== 'in')
        assert.ok(
          source.source.includes(
            JSON.stringify(text.toLowerCase())
              .replace(/\u2028/g, '\\u2028')
              .replace(/\u2029/g, '\\u2029'),
          ),
        );
    }
  }
  assert.equal(g.__pwned, undefined);
});

test('evaluate: a property name with odd characters is refused, never accessed', () => {
  const g = globalThis as { __pwned?: unknown };
  for (const name of [
    'department"]; globalThis.__pwned = 1; o["x',
    "department']; globalThis.__pwned = 1; //",
    'constructor',
    '__proto__',
    'extension_9d98ed114c4840d298fad781915f27e4_x"];globalThis.__pwned=1;//',
  ]) {
    const { ast } = parseRule('user.department -eq "x"');
    firstComparison(ast.root as Expression).left.property = name;
    for (const backend of ['codegen', 'closure'] as const) {
      const c = compileRule(ast, { backend });
      assert.equal(c.ok, false, name);
    }
    assert.equal(generatedRuleSource(ast).ok, false);
  }
  assert.equal(g.__pwned, undefined);
});

test('evaluate: generated code reads properties with bracket syntax and JSON-quoted keys', () => {
  const s = generatedRuleSource(parseRule('user.extensionAttribute2 -eq "x" -and user.mailNickName -eq "y"').ast);
  assert.ok(s.ok);
  assert.ok(s.source.includes('o["onPremisesExtensionAttributes"]?.["extensionAttribute2"]'), s.source);
  assert.ok(s.source.includes('o["mailNickname"]'), s.source);
});

// ---------------------------------------------------------------------------------------------
// graphNames

test('graphNames: rule names map to Graph v1.0 paths', () => {
  const expected: [string, 'user' | 'device', string][] = [
    ['objectId', 'user', 'id'],
    ['mailNickName', 'user', 'mailNickname'],
    ['mailnickname', 'user', 'mailNickname'],
    ['dirSyncEnabled', 'user', 'onPremisesSyncEnabled'],
    ['extensionAttribute7', 'user', 'onPremisesExtensionAttributes.extensionAttribute7'],
    ['facsimileTelephoneNumber', 'user', 'faxNumber'],
    ['telephoneNumber', 'user', 'businessPhones'],
    ['mobile', 'user', 'mobilePhone'],
    ['physicalDeliveryOfficeName', 'user', 'officeLocation'],
    [EXT, 'user', EXT],
    ['department', 'user', 'department'],
    ['memberOf', 'user', 'memberOf'],
    ['deviceOSType', 'device', 'operatingSystem'],
    ['deviceOSVersion', 'device', 'operatingSystemVersion'],
    ['deviceManufacturer', 'device', 'manufacturer'],
    ['deviceModel', 'device', 'model'],
    ['devicePhysicalIds', 'device', 'physicalIds'],
    ['deviceTrustType', 'device', 'trustType'],
    ['deviceId', 'device', 'deviceId'],
    ['deviceManagementAppId', 'device', 'mdmAppId'],
    ['objectId', 'device', 'id'],
    ['extensionAttribute1', 'device', 'extensionAttributes.extensionAttribute1'],
    ['somethingElse', 'user', 'somethingElse'],
  ];
  for (const [rule, object, path] of expected) assert.equal(graphPath(object, rule).join('.'), path, rule);
  assert.equal(graphProperty('user', 'telephoneNumber').first, true);
  assert.equal(readGraphValue({ businessPhones: ['1', '2'] }, graphProperty('user', 'telephoneNumber')), '1');
  assert.equal(
    readGraphValue({ onPremisesExtensionAttributes: null }, graphProperty('user', 'extensionAttribute1')),
    undefined,
  );
  assert.equal(graphFilter('user', 'department')?.eq, 'default');
  assert.equal(graphFilter('user', 'companyName')?.eq, 'advanced');
  assert.equal(graphFilter('user', 'extensionAttribute1')?.name, 'onPremisesExtensionAttributes/extensionAttribute1');
  assert.equal(graphFilter('user', 'onPremisesDistinguishedName'), undefined);
  assert.equal(graphFilter('user', 'memberOf'), undefined);
});

// ---------------------------------------------------------------------------------------------
// Property-based: both back ends agree.

const text = fc.oneof(
  fc.constantFrom(
    'Sales',
    'sales',
    'SALES',
    'Marketing',
    '',
    'Senior Dev',
    'senior',
    'US',
    'us',
    'CA',
    'Guest',
    'guest',
    'Member',
    'true',
    'True',
    'False',
    'null',
  ),
  fc.constantFrom(
    'smtp:a@contoso.com',
    'SMTP:b@fabrikam.com',
    'x500:/o=x',
    '[ZTDId]abc',
    'a@contoso.com',
    'Enabled',
    'Suspended',
    'SCO',
    'exchange',
    GUID_A,
    GUID_B,
  ),
  fc.string({ maxLength: 6 }),
);
const scalar = fc.oneof(
  { weight: 6, arbitrary: text },
  fc.constant(null),
  fc.integer({ min: -2, max: 2 }),
  fc.boolean(),
  fc.array(text, { maxLength: 3 }),
);
const boolish = fc.constantFrom<unknown>(true, false, null, 'true', 'False', 'TRUE', 'yes', 1, 0);
const list = fc.oneof(
  fc.array(fc.oneof({ weight: 5, arbitrary: text }, fc.constant(null), fc.integer()), { maxLength: 4 }),
  fc.constant(null),
);
const date = fc.oneof(
  fc
    .integer({ min: -90, max: 90 })
    .map((d) => new Date(NOW.getTime() + d * 86_400_000 + (d % 7) * 3_600_000).toISOString()),
  fc.constantFrom('2020-06-10T18:13:20Z', 'not a date', '2024-06-15', null),
);
const plan = fc.record(
  {
    capabilityStatus: fc.option(text, { nil: null }),
    service: fc.option(text, { nil: null }),
    servicePlanId: fc.option(fc.constantFrom(GUID_A, GUID_B, GUID_A.toUpperCase()), { nil: null }),
  },
  { requiredKeys: [] },
);
const group = fc.oneof(
  fc.constantFrom(GUID_A, GUID_B).map((id) => ({ id })),
  fc.constantFrom(GUID_A, GUID_B).map((id) => ({ '@odata.type': '#microsoft.graph.group', id })),
  fc.constantFrom(GUID_A, GUID_B).map((id) => ({ '@odata.type': '#microsoft.graph.directoryRole', id })),
  fc.constantFrom(GUID_A, GUID_B),
  fc.constant(null),
);

const userArbitrary: fc.Arbitrary<Obj> = fc.record(
  {
    id: fc.constantFrom(GUID_A, GUID_B),
    department: scalar,
    country: scalar,
    jobTitle: scalar,
    mail: scalar,
    displayName: scalar,
    userType: fc.constantFrom<unknown>('Member', 'Guest', 'guest', null),
    accountEnabled: boolish,
    onPremisesSyncEnabled: boolish,
    employeeHireDate: date,
    proxyAddresses: list,
    otherMails: list,
    businessPhones: list,
    assignedPlans: fc.oneof(fc.array(plan, { maxLength: 3 }), fc.constant(null)),
    memberOf: fc.oneof(fc.array(group, { maxLength: 3 }), fc.constant(null)),
    manager: fc.option(fc.record({ id: fc.constantFrom(GUID_A, GUID_B) }), { nil: null }),
    managerId: fc.constantFrom(GUID_A, GUID_B),
    onPremisesExtensionAttributes: fc.option(
      fc.record({ extensionAttribute1: scalar, extensionAttribute2: scalar }, { requiredKeys: [] }),
      { nil: null },
    ),
    [EXT]: scalar,
  },
  { requiredKeys: [] },
);

const sweepRules = [
  '(user.department -eq "Sales") -and (user.country -in ["US","CA","GB"]) -and (user.jobTitle -startsWith "senior") -and (user.accountEnabled -eq true) -and -not (user.userType -eq "Guest")',
  'user.department -ne "Sales" -or user.country -notIn ["US"]',
  'user.department -eq null -or user.jobTitle -ne null',
  'user.jobTitle -notStartsWith "senior" -and user.mail -endsWith "@contoso.com"',
  'user.mail -notEndsWith ".com" -or user.displayName -contains "a"',
  'user.displayName -notContains "e" -and user.department -match "^s.l"',
  'user.department -notMatch "es$"',
  'user.accountEnabled -ne false -and user.dirSyncEnabled -eq true',
  'user.accountEnabled -eq "false" -or user.dirSyncEnabled -eq null',
  'user.proxyAddresses -any (_ -startsWith "smtp:") -and user.otherMails -all (_ -contains "@")',
  'user.proxyAddresses -all (-not (_ -eq null)) -or user.otherMails -any (_ -in ["a@contoso.com"])',
  'user.proxyAddresses -startsWith "smtp" -or user.otherMails -notContains "x" -or user.proxyAddresses -eq null',
  `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${GUID_A}" -and assignedPlan.capabilityStatus -eq "Enabled")`,
  'user.assignedPlans -all (assignedPlan.servicePlanId -eq null) -or user.assignedPlans -any (assignedPlan.service -ne "SCO")',
  `user.memberOf -any (group.objectId -in ['${GUID_A}'])`,
  `(user.memberOf -any (group.objectId -eq "${GUID_B}"))`,
  `Direct Reports for "${GUID_A}"`,
  'user.employeeHireDate -ge system.now -minus p30d -and user.employeeHireDate -le system.now -plus PT12H',
  'user.employeeHireDate -ne 2020-06-10T18:13:20Z -or user.employeeHireDate -eq null',
  'user.telephoneNumber -startsWith "+1" -or user.telephoneNumber -eq null',
  `user.extensionAttribute1 -eq "Sales" -or user.extensionAttribute2 -ne null -or user.${EXT} -in ["us", "ca"]`,
  'user.objectId -ne null',
];

test('evaluate: codegen and closures agree (property-based sweep)', () => {
  const compiled = sweepRules.map((rule) => ({ rule, ...both(rule) }));
  fc.assert(
    fc.property(userArbitrary, (user) => {
      for (const c of compiled) {
        assert.equal(c.codegen(user), c.closure(user), `${c.rule} on ${JSON.stringify(user)}`);
      }
    }),
    { numRuns: 400 },
  );
});

test('evaluate: random rules compile the same way in both back ends, and agree where they compile', () => {
  fc.assert(
    fc.property(ruleArbitrary, fc.array(userArbitrary, { minLength: 1, maxLength: 4 }), (rule, users) => {
      const a = compileRuleText(rule, { now: fixedNow, backend: 'codegen' });
      const b = compileRuleText(rule, { now: fixedNow, backend: 'closure' });
      assert.equal(a.ok, b.ok, rule);
      if (!a.ok || !b.ok) return;
      for (const u of users) assert.equal(a.test(u), b.test(u), `${rule} on ${JSON.stringify(u)}`);
    }),
    { numRuns: 400 },
  );
});

test('evaluate: closures are used when new Function is unavailable', () => {
  // The detection runs once at load; here we check the fallback is complete on its own.
  const c = compileRuleText('user.department -eq "x"', { backend: 'closure' });
  assert.ok(c.ok);
  assert.equal(c.backend, 'closure');
  assert.equal(typeof codegenAvailable, 'boolean');
});

test('evaluate: -match follows .NET where it differs from JavaScript (Unicode digits, letters and spaces; case-insensitive)', () => {
  const cases: [string, string, boolean][] = [
    ['^\\d+$', '\u0663\u0664', true],
    ['^\\w+$', 'Zo\u00EB', true],
    ['^\\w+\\s\\w+$', 'Ren\u00E9e\u00A0Dupr\u00E9', true],
    ['^[\\w.]+@contoso\\.com$', 'ren\u00E9e.d@CONTOSO.com', true],
    ['^\\D+$', '\u0663', false],
    ['^\\W$', '\u00E9', false],
    ['^SALES$', 'sales', true],
  ];
  for (const [pattern, value, expected] of cases) {
    const rule = `user.department -match "${pattern}"`;
    assert.equal(evaluate(rule, { department: value }), expected, `${pattern} on ${value}`);
  }
});
