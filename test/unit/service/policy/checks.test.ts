/** Each semantic code of the policy checks with a failing and a passing payload. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../../server/src/service/languageService';

const service = getLanguageService();
const PKG = '"accessPackage": {"id": "a2e1ca1e-4e56-47d2-9daa-e2ba8d12a82b"}';
const USER = '08a551cb-575a-4343-b914-f6e42798bd20';

async function findings(body: string): Promise<string[]> {
  const doc = TextDocument.create('file:///t.policy.json', 'entra-policy', 1, body);
  const text = doc.getText();
  return (await service.validate(doc)).map(
    (d) => `${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}`,
  );
}

const auto = (
  extra: string,
  scope = 'specificDirectoryUsers',
  targets = `[{"@odata.type": "#microsoft.graph.attributeRuleMembers", "membershipRule": "user.department -eq \\"Sales\\""}]`,
) =>
  `{"displayName": "a", "allowedTargetScope": "${scope}", "specificAllowedTargets": ${targets}, "automaticRequestSettings": {"requestAccessForAllowedTargets": true}${extra}, ${PKG}}`;
const stage = (s: string) =>
  `{"displayName": "a", "requestApprovalSettings": {"isApprovalRequiredForAdd": true, "stages": [${s}]}, ${PKG}}`;
const approver = `{"@odata.type": "#microsoft.graph.singleUser", "userId": "${USER}"}`;

/** [name, code, failing payload, expected text under the finding, passing payload] */
const cases: [string, string, string, string, string][] = [
  ['auto policy scope', 'P201', auto('', 'allMemberUsers'), '"allMemberUsers"', auto('')],
  [
    'auto policy without a rule',
    'P202',
    auto('', 'specificDirectoryUsers', '[]'),
    '"specificAllowedTargets"',
    auto(''),
  ],
  [
    'auto policy with self requests',
    'P203',
    auto(', "requestorSettings": {"enableTargetsToSelfAddAccess": true}'),
    'true',
    auto(', "requestorSettings": {"enableTargetsToSelfAddAccess": false}'),
  ],
  [
    'auto policy with approval',
    'P204',
    auto(', "requestApprovalSettings": {"isApprovalRequiredForAdd": true, "stages": []}'),
    'true',
    auto(', "requestApprovalSettings": {"isApprovalRequiredForAdd": false, "stages": []}'),
  ],
  [
    'approval without stages',
    'P301',
    stage(''),
    '"isApprovalRequiredForAdd": true',
    stage(`{"primaryApprovers": [${approver}]}`),
  ],
  [
    'stage without approvers',
    'P302',
    stage('{"primaryApprovers": []}'),
    '"primaryApprovers": []',
    stage(`{"primaryApprovers": [], "fallbackPrimaryApprovers": [${approver}]}`),
  ],
  [
    'escalation without approvers',
    'P303',
    stage(
      `{"primaryApprovers": [${approver}], "isEscalationEnabled": true, "durationBeforeEscalation": "P1D", "durationBeforeAutomaticDenial": "P7D", "escalationApprovers": []}`,
    ),
    '"isEscalationEnabled": true',
    stage(
      `{"primaryApprovers": [${approver}], "isEscalationEnabled": true, "durationBeforeEscalation": "P1D", "durationBeforeAutomaticDenial": "P7D", "escalationApprovers": [${approver}]}`,
    ),
  ],
  [
    'escalation without duration',
    'P304',
    stage(
      `{"primaryApprovers": [${approver}], "isEscalationEnabled": true, "durationBeforeEscalation": "PT0S", "escalationApprovers": [${approver}]}`,
    ),
    '"PT0S"',
    stage(`{"primaryApprovers": [${approver}], "isEscalationEnabled": false, "durationBeforeEscalation": "PT0S"}`),
  ],
  [
    'manager without fallback',
    'P305',
    stage('{"primaryApprovers": [{"@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1}]}'),
    '"primaryApprovers": [{"@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1}]',
    stage(
      `{"primaryApprovers": [{"@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1}], "fallbackPrimaryApprovers": [${approver}]}`,
    ),
  ],
  [
    'escalation after denial',
    'P306',
    stage(
      `{"primaryApprovers": [${approver}], "isEscalationEnabled": true, "durationBeforeEscalation": "P8D", "durationBeforeAutomaticDenial": "P7D", "escalationApprovers": [${approver}]}`,
    ),
    '"P8D"',
    stage(
      `{"primaryApprovers": [${approver}], "isEscalationEnabled": true, "durationBeforeEscalation": "P2D", "durationBeforeAutomaticDenial": "P7D", "escalationApprovers": [${approver}]}`,
    ),
  ],
  [
    'invalid duration',
    'P401',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "14 days"}, ${PKG}}`,
    '"14 days"',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "P14D"}, ${PKG}}`,
  ],
  [
    'a fraction on days is not a duration (only seconds take one), the sandbox could not apply it',
    'P401',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "P1.5D"}, ${PKG}}`,
    '"P1.5D"',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "PT36H"}, ${PKG}}`,
  ],
  [
    'a fraction of a second is a duration',
    'P401',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "PT0.5S0"}, ${PKG}}`,
    '"PT0.5S0"',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "PT1.5S"}, ${PKG}}`,
  ],
  [
    'more than three approval stages',
    'P307',
    stage([1, 2, 3, 4].map(() => `{"primaryApprovers": [${approver}]}`).join(', ')),
    `[${[1, 2, 3, 4].map(() => `{"primaryApprovers": [${approver}]}`).join(', ')}]`,
    stage([1, 2, 3].map(() => `{"primaryApprovers": [${approver}]}`).join(', ')),
  ],
  [
    'expiration too long',
    'P402',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "P4000D"}, ${PKG}}`,
    '"P4000D"',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "P3650D"}, ${PKG}}`,
  ],
  [
    'expiration type without duration',
    'P403',
    `{"displayName": "a", "expiration": {"type": "afterDuration"}, ${PKG}}`,
    '"afterDuration"',
    `{"displayName": "a", "expiration": {"type": "noExpiration"}, ${PKG}}`,
  ],
  [
    'expiration duration with another type',
    'P403',
    `{"displayName": "a", "expiration": {"type": "afterDateTime", "endDateTime": "2030-01-01T00:00:00Z", "duration": "P1D"}, ${PKG}}`,
    '"P1D"',
    `{"displayName": "a", "expiration": {"type": "afterDateTime", "endDateTime": "2030-01-01T00:00:00Z"}, ${PKG}}`,
  ],
  [
    'reviews without reviewers',
    'P501',
    `{"displayName": "a", "reviewSettings": {"isEnabled": true, "isSelfReview": false, "primaryReviewers": []}, ${PKG}}`,
    '"isEnabled": true',
    `{"displayName": "a", "reviewSettings": {"isEnabled": true, "isSelfReview": true, "primaryReviewers": []}, ${PKG}}`,
  ],
  [
    'review recurrence not supported',
    'P502',
    `{"displayName": "a", "reviewSettings": {"isEnabled": true, "isSelfReview": true, "schedule": {"recurrence": {"pattern": {"type": "daily", "interval": 1}, "range": {"type": "noEnd"}}}}, ${PKG}}`,
    '"daily"',
    `{"displayName": "a", "reviewSettings": {"isEnabled": true, "isSelfReview": true, "schedule": {"recurrence": {"pattern": {"type": "weekly", "interval": 1}, "range": {"type": "noEnd"}}}}, ${PKG}}`,
  ],
  [
    'numbered range without count',
    'P503',
    `{"displayName": "a", "reviewSettings": {"isEnabled": true, "isSelfReview": true, "schedule": {"recurrence": {"pattern": {"type": "weekly", "interval": 1}, "range": {"type": "numbered", "numberOfOccurrences": 0}}}}, ${PKG}}`,
    '"numbered"',
    `{"displayName": "a", "reviewSettings": {"isEnabled": true, "isSelfReview": true, "schedule": {"recurrence": {"pattern": {"type": "weekly", "interval": 1}, "range": {"type": "numbered", "numberOfOccurrences": 4}}}}, ${PKG}}`,
  ],
  [
    'duplicate question sequence',
    'P601',
    `{"displayName": "a", "questions": [{"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "sequence": 1, "text": "a"}, {"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "sequence": 1, "text": "b"}], ${PKG}}`,
    '1',
    `{"displayName": "a", "questions": [{"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "sequence": 1, "text": "a"}, {"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "sequence": 2, "text": "b"}], ${PKG}}`,
  ],
  [
    'invalid question regex',
    'P602',
    `{"displayName": "a", "questions": [{"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "sequence": 1, "text": "a", "regexPattern": "[0-9"}], ${PKG}}`,
    '"[0-9"',
    `{"displayName": "a", "questions": [{"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "sequence": 1, "text": "a", "regexPattern": "[0-9]+"}], ${PKG}}`,
  ],
  [
    'multiple choice without choices',
    'P603',
    `{"displayName": "a", "questions": [{"@odata.type": "#microsoft.graph.accessPackageMultipleChoiceQuestion", "sequence": 1, "text": "a", "choices": []}], ${PKG}}`,
    '"choices": []',
    `{"displayName": "a", "questions": [{"@odata.type": "#microsoft.graph.accessPackageMultipleChoiceQuestion", "sequence": 1, "text": "a", "choices": [{"actualValue": "KE", "text": "Kenya"}]}], ${PKG}}`,
  ],
  [
    'duplicate choice value',
    'P604',
    `{"displayName": "a", "questions": [{"@odata.type": "#microsoft.graph.accessPackageMultipleChoiceQuestion", "sequence": 1, "text": "a", "choices": [{"actualValue": "KE", "text": "Kenya"}, {"actualValue": "KE", "text": "Kenya 2"}]}], ${PKG}}`,
    '"KE"',
    `{"displayName": "a", "questions": [{"@odata.type": "#microsoft.graph.accessPackageMultipleChoiceQuestion", "sequence": 1, "text": "a", "choices": [{"actualValue": "KE", "text": "Kenya"}, {"actualValue": "US", "text": "USA"}]}], ${PKG}}`,
  ],
  [
    'ids are GUIDs',
    'P701',
    stage('{"primaryApprovers": [{"@odata.type": "#microsoft.graph.singleUser", "userId": "alice"}]}'),
    '"alice"',
    stage(`{"primaryApprovers": [${approver}]}`),
  ],
  [
    'new policy without access package',
    'P702',
    '{"displayName": "a"}',
    '"displayName"',
    `{"displayName": "a", ${PKG}}`,
  ],
  [
    'quoted boolean',
    'P101',
    `{"displayName": "a", "requestorSettings": {"enableTargetsToSelfAddAccess": "true"}, ${PKG}}`,
    '"true"',
    `{"displayName": "a", "requestorSettings": {"enableTargetsToSelfAddAccess": true}, ${PKG}}`,
  ],
  [
    'beta property',
    'P110',
    `{"displayName": "a", "durationInDays": 30, ${PKG}}`,
    '"durationInDays"',
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "P30D"}, ${PKG}}`,
  ],
  [
    'customExtension on an approval stage is beta-only',
    'P110',
    stage(
      `{"@odata.type": "#microsoft.graph.accessPackageDynamicApprovalStage", "primaryApprovers": [${approver}], "customExtension": {"@odata.type": "#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension", "id": "52036a43-10b5-444d-a1a2-d4f240420239"}}`,
    ),
    '"customExtension"',
    stage(`{"@odata.type": "#microsoft.graph.accessPackageDynamicApprovalStage", "primaryApprovers": [${approver}]}`),
  ],
];

for (const [name, code, failing, text, passing] of cases) {
  test(`${code} ${name}`, async () => {
    const bad = await findings(failing);
    assert.ok(bad.includes(`${code} ${text}`), `expected "${code} ${text}" in ${JSON.stringify(bad)}`);
    const good = await findings(passing);
    assert.ok(!good.some((f) => f.startsWith(`${code} `)), `no ${code} in ${JSON.stringify(good)}`);
  });
}

test('a document may hold an array of policies or a Graph page', async () => {
  const one = `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "bad"}, ${PKG}}`;
  assert.ok((await findings(`[${one}, ${one}]`)).filter((f) => f.startsWith('P401')).length === 2);
  assert.ok((await findings(`{"@odata.context": "x", "value": [${one}]}`)).some((f) => f.startsWith('P401')));
  assert.deepEqual(await findings(`{"value": []}`), []);
});

test('a rule inside membershipRule is checked as a user rule, with ranges through JSON escapes', async () => {
  const body = auto(
    '',
    'specificDirectoryUsers',
    '[{"@odata.type": "#microsoft.graph.attributeRuleMembers", "membershipRule": "user.dept -eq \\"S\\u0061les\\" -and device.deviceModel -eq \\"x\\""}]',
  );
  const f = await findings(body);
  assert.ok(f.includes('R202 dept'), JSON.stringify(f));
  assert.ok(f.includes('R213 device'), JSON.stringify(f));
});

test('a quick fix inside a JSON string writes JSON escapes', async () => {
  const body = auto(
    '',
    'specificDirectoryUsers',
    '[{"@odata.type": "#microsoft.graph.attributeRuleMembers", "membershipRule": "user.department -eq \\u201cSales\\u201d"}]',
  );
  const doc = TextDocument.create('file:///t.policy.json', 'entra-policy', 1, body);
  const d = (await service.validate(doc)).find((x) => x.code === 'R106');
  assert.ok(d);
  const [action] = service.codeActions(doc, d.range, [d]);
  const fixed = TextDocument.applyEdits(doc, action?.edit?.changes?.[doc.uri] ?? []);
  assert.match(fixed, /"membershipRule": "user\.department -eq \\"Sales\\""/);
  assert.deepEqual(
    (await service.validate(TextDocument.create('file:///u.policy.json', 'entra-policy', 1, fixed))).filter((x) =>
      String(x.code).startsWith('R'),
    ),
    [],
  );
});

async function requestFindings(body: string): Promise<string[]> {
  const doc = TextDocument.create('file:///t.assignmentRequest.json', 'entra-policy', 1, body);
  const text = doc.getText();
  return (await service.validate(doc)).map(
    (d) => `${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}`,
  );
}

const POLICY_ID = '2264bf65-76ba-417b-a27d-54d291f0cbc8';
const PACKAGE_ID = 'a914b616-e04e-476b-aa37-91038f0b165b';

test('assignment requests may name the assignment relationships instead of ids (Graph v1.0 example 5)', async () => {
  const byRelationships = `{"requestType": "adminAdd", "assignment": {"target": {"email": "user@contoso.com"}, "assignmentPolicy": {"id": "${POLICY_ID}"}, "accessPackage": {"id": "${PACKAGE_ID}"}}}`;
  assert.deepEqual(await requestFindings(byRelationships), []);
  const byIds = `{"requestType": "adminAdd", "assignment": {"targetId": "${USER}", "assignmentPolicyId": "${POLICY_ID}", "accessPackageId": "${PACKAGE_ID}"}}`;
  assert.deepEqual(await requestFindings(byIds), []);
  // Neither the id nor the relationship: still refused.
  const neither = `{"requestType": "adminAdd", "assignment": {"targetId": "${USER}", "accessPackageId": "${PACKAGE_ID}"}}`;
  assert.ok(
    (await requestFindings(neither)).some((f) => f.startsWith('P100')),
    'a policy must be named',
  );
});

test('P701 ids of assignment requests are GUIDs: targetId, policy, package, object and assignment ids', async () => {
  const bad = await requestFindings(
    `{"requestType": "adminAdd", "assignment": {"targetId": "alice@contoso.com", "assignmentPolicy": {"id": "policy-1"}, "accessPackageId": "${PACKAGE_ID}"}}`,
  );
  assert.ok(bad.includes('P701 "alice@contoso.com"'), JSON.stringify(bad));
  assert.ok(bad.includes('P701 "policy-1"'), JSON.stringify(bad));
  const remove = await requestFindings(`{"requestType": "adminRemove", "assignment": {"id": "not-a-guid"}}`);
  assert.ok(remove.includes('P701 "not-a-guid"'), JSON.stringify(remove));
  const onBehalf = await requestFindings(
    `{"requestType": "adminAdd", "assignment": {"target": {"objectId": "bob"}, "assignmentPolicyId": "${POLICY_ID}", "accessPackageId": "${PACKAGE_ID}"}}`,
  );
  assert.ok(onBehalf.includes('P701 "bob"'), JSON.stringify(onBehalf));
});

test('approverInformationVisibility takes default, notVisible or visible', async () => {
  for (const v of ['default', 'notVisible', 'visible'])
    assert.deepEqual(
      (await findings(stage(`{"primaryApprovers": [${approver}], "approverInformationVisibility": "${v}"}`))).filter(
        (f) => f.startsWith('P100'),
      ),
      [],
      v,
    );
  for (const v of ['yes', 'no', 'hidden'])
    assert.ok(
      (await findings(stage(`{"primaryApprovers": [${approver}], "approverInformationVisibility": "${v}"}`))).some(
        (f) => f.startsWith('P100'),
      ),
      v,
    );
});
