import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TextDocument } from 'vscode-json-languageservice';
import { corpusDir, listFiles } from '../../helpers';
import { loadGraphTypings } from './graphTypings';
import {
  completeAt,
  createService,
  hoverAt,
  schemaRequestService,
  SCHEMA_SCHEME,
  validate,
  validateDocument,
  type Finding,
  type PayloadKind,
} from './schemaHarness';
import { checkConventions } from './schemaConventions';
import { expandSnippet, loadDefinitions, loadSchemaFile } from './schemaModel';
import { checkClassification, checkEnums, checkObjects, checkUnions } from './typingsCheck';

const policyDir = join(corpusDir, 'policies');
const read = (file: string): string => readFileSync(file, 'utf8');
const brief = (fs: Finding[]): string[] => fs.map((f) => `${f.path} ${f.text}: ${f.message}`);

/** valid-questions quotes its booleans and numbers (a defect of the documentation example). */
const QUESTIONS_STRING_VALUES: [string, string][] = [
  ['questions.0.isAnswerEditable', '"true"'],
  ['questions.0.isMultipleSelectionAllowed', '"false"'],
  ['questions.0.isRequired', '"true"'],
  ['questions.0.sequence', '"1"'],
  ['questions.1.isAnswerEditable', '"true"'],
  ['questions.1.isRequired', '"true"'],
  ['questions.1.isSingleLineQuestion', '"false"'],
  ['questions.1.sequence', '"2"'],
  ['requestApprovalSettings.isApprovalRequiredForAdd', '"true"'],
  ['requestApprovalSettings.isApprovalRequiredForUpdate', '"true"'],
  ['requestApprovalSettings.stages.0.isApproverJustificationRequired', '"false"'],
  ['requestApprovalSettings.stages.0.isEscalationEnabled', '"false"'],
  ['requestorSettings.enableTargetsToSelfAddAccess', '"true"'],
  ['requestorSettings.enableTargetsToSelfRemoveAccess', '"true"'],
  ['requestorSettings.enableTargetsToSelfUpdateAccess', '"true"'],
];

/** Names of the beta / older shape (graph-model.md section 5) that v1.0 bodies must not carry. */
const BETA_NAMES = new Set([
  'accessPackageId',
  'canExtend',
  'durationInDays',
  'expirationDateTime',
  'createdBy',
  'modifiedBy',
  'scopeType',
  'acceptRequests',
  'allowedRequestors',
  'isApprovalRequired',
  'isApprovalRequiredForExtension',
  'approvalMode',
  'approvalStages',
  'approvalStageTimeOutInDays',
  'escalationTimeInMinutes',
  'accessReviewSettings',
  'customExtensionHandlers',
  'verifiableCredentialSettings',
  'accessPackageNotificationSettings',
  'isBackup',
  'allowsMultipleSelection',
  'isAccessRecommendationEnabled',
  'isApprovalJustificationRequired',
  'accessReviewTimeoutBehavior',
  'recurrenceType',
  'reviewerType',
  'reviewers',
]);

test('every valid-* policy of the shared corpus validates against the schema', async (t) => {
  const files = listFiles(policyDir, '.policy.json').filter((f) => basename(f).startsWith('valid-'));
  assert.ok(files.length >= 6, `expected the valid corpus in ${policyDir}`);
  for (const file of files) {
    await t.test(basename(file), async () => {
      const findings = await validate(read(file), 'policy');
      if (basename(file) !== 'valid-questions.policy.json') {
        assert.deepEqual(brief(findings), []);
        return;
      }
      // Only the quoted booleans/numbers of the documentation example; the semantic layer
      // downgrades exactly these and offers a fix.
      const got = findings.map((f) => [f.path, f.text]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(got, QUESTIONS_STRING_VALUES);
      for (const f of findings) {
        assert.match(f.message, /^Incorrect type\. Expected one of (boolean|integer), null\.$/);
        assert.equal(f.severity, 'error');
      }
    });
  }
});

test('invalid-duration-format: the malformed duration is reported', async () => {
  const findings = await validate(read(join(policyDir, 'invalid-duration-format.policy.json')), 'policy');
  assert.deepEqual(
    findings.map((f) => [f.path, f.text]),
    [['expiration.duration', '"14 days"']],
  );
  assert.match(findings[0]?.message ?? '', /ISO 8601 duration/);
});

test('flagged-* policies: every beta property is reported as not allowed', async (t) => {
  const files = listFiles(policyDir, '.policy.json').filter((f) => basename(f).startsWith('flagged-'));
  assert.ok(files.length > 0);
  for (const file of files) {
    await t.test(basename(file), async () => {
      const findings = await validate(read(file), 'policy');
      assert.ok(findings.length > 0, 'expected findings');
      for (const f of findings) {
        const name = /^Property (\S+) is not allowed\.$/.exec(f.message)?.[1];
        assert.ok(name && BETA_NAMES.has(name), `unexpected finding ${f.path}: ${f.message}`);
        assert.equal(f.text, JSON.stringify(name));
      }
    });
  }
  const known = await validate(read(join(policyDir, 'flagged-beta-shape-dynamic-approver.policy.json')), 'policy');
  const names = known.map((f) => f.path).sort();
  for (const p of [
    'accessPackageId',
    'accessReviewSettings',
    'durationInDays',
    'requestApprovalSettings.approvalStages',
    'requestorSettings.scopeType',
  ]) {
    assert.ok(names.includes(p), `${p} not reported`);
  }
});

test('a misspelled property is not allowed, at any depth', async () => {
  const cases: [string, string, string][] = [
    ['{"displayNme": "x"}', 'displayNme', 'displayNme'],
    [
      '{"requestorSettings": {"enableTargetsToSelfAddAcess": true}}',
      'requestorSettings.enableTargetsToSelfAddAcess',
      'enableTargetsToSelfAddAcess',
    ],
    [
      '{"specificAllowedTargets": [{"@odata.type": "#microsoft.graph.singleUser", "userId": "u", "userID": "u"}]}',
      'specificAllowedTargets.0.userID',
      'userID',
    ],
    [
      '{"questions": [{"@odata.type": "#microsoft.graph.accessPackageMultipleChoiceQuestion", "isMultipleSelectionAllowd": true}]}',
      'questions.0.isMultipleSelectionAllowd',
      'isMultipleSelectionAllowd',
    ],
    ['{"reviewSettings": {"schedule": {"expiraton": null}}}', 'reviewSettings.schedule.expiraton', 'expiraton'],
  ];
  for (const [text, path, name] of cases) {
    const findings = await validate(text, 'policy');
    assert.deepEqual(brief(findings), [`${path} "${name}": Property ${name} is not allowed.`], text);
  }
});

test('completion in specificAllowedTargets offers every subjectSet kind with its @odata.type filled in', async () => {
  const items = await completeAt('{"specificAllowedTargets": [ | ]}', 'policy');
  const kinds = [
    'singleUser',
    'groupMembers',
    'requestorManager',
    'targetManager',
    'internalSponsors',
    'externalSponsors',
    'targetUserSponsors',
    'connectedOrganizationMembers',
    'attributeRuleMembers',
    'singleServicePrincipal',
    'targetApplicationOwners',
  ];
  for (const kind of kinds) {
    const item = items.find((i) => i.label === kind);
    assert.ok(item, `no snippet for ${kind}`);
    assert.ok(String(item.insertText).includes(`"@odata.type": "#microsoft.graph.${kind}"`), String(item.insertText));
    assert.ok(item.documentation, `${kind} snippet has no documentation`);
  }
});

test('completion offers the documented skeletons', async () => {
  const cases: [string, RegExp][] = [
    ['{"expiration": |}', /"type": "afterDuration"/],
    ['{"expiration": |}', /"type": "afterDateTime"/],
    ['{"expiration": |}', /"type": "noExpiration"/],
    [
      '{"requestApprovalSettings": {"stages": [|]}}',
      /"primaryApprovers"[\s\S]*requestorManager[\s\S]*"fallbackPrimaryApprovers"/,
    ],
    ['{"reviewSettings": |}', /"schedule"[\s\S]*"recurrence"[\s\S]*"primaryReviewers"/],
    ['{"questions": [|]}', /#microsoft\.graph\.accessPackageTextInputQuestion/],
    ['{"questions": [|]}', /#microsoft\.graph\.accessPackageMultipleChoiceQuestion[\s\S]*"choices"/],
    ['{"automaticRequestSettings": |}', /"requestAccessForAllowedTargets": true/],
    ['|', /#microsoft\.graph\.attributeRuleMembers[\s\S]*"automaticRequestSettings"/],
    ['{"customExtensionStageSettings": [|]}', /#microsoft\.graph\.accessPackageAssignmentRequestWorkflowExtension/],
  ];
  for (const [marked, expected] of cases) {
    const items = await completeAt(marked, 'policy');
    assert.ok(
      items.some((i) => expected.test(String(i.insertText))),
      `${marked}: no proposal matching ${expected}`,
    );
  }
});

test('completion inside a subject set proposes the properties of its kind', async () => {
  const items = await completeAt(
    '{"specificAllowedTargets": [{"@odata.type": "#microsoft.graph.attributeRuleMembers", |}]}',
    'policy',
  );
  assert.deepEqual(items.map((i) => i.label).sort(), ['description', 'membershipRule']);
});

test('hover on allowedTargetScope shows the schema description and the value description', async () => {
  const def = loadSchemaFile('accessPackageAssignmentPolicy.schema.json').definitions?.allowedTargetScope;
  assert.ok(def?.markdownDescription);
  const hover = await hoverAt('{"allowedTarget|Scope": "allMemberUsers"}', 'policy');
  assert.ok(hover?.startsWith(`Allowed target scope\n\n${def.markdownDescription}`), hover);
  assert.match(hover ?? '', /`allMemberUsers`: Every member user of the directory; guests are excluded/);
});

test('relative $refs between schema files resolve through workspaceContext and the request service', async () => {
  const text =
    '{"requestType": "adminAdd", "assignment": {"targetId": "u", "assignmentPolicyId": "p", "accessPackageId": "a"}, "schedule": {"expiration": {"type": "afterDuration", "duration": "P1D"}}}';
  assert.deepEqual(await validate(text, 'request'), []);
  // Without resolveRelativePath the library turns "common.schema.json" into
  // file:///common.schema.json (and so on): a server must pass a workspaceContext.
  const bare = createService({ schemaRequestService });
  const findings = await validate(text, 'request', bare);
  assert.ok(
    findings.some((f) => /Unable to load schema from '\/[A-Za-z]+\.schema\.json'/.test(f.message)),
    brief(findings).join('\n'),
  );
});

// ---------------------------------------------------------------------------------------------
// Agreement with @microsoft/microsoft-graph-types (exceptions and reasons: typingsRules.ts)
// ---------------------------------------------------------------------------------------------

test('every definition corresponds to a Graph type, enum or union, or is a listed helper', () => {
  assert.deepEqual(checkClassification(loadDefinitions(), loadGraphTypings()), []);
});

test('every object definition has exactly the properties of its Graph interface, with its types', () => {
  assert.deepEqual(checkObjects(loadDefinitions(), loadGraphTypings()), []);
});

test('every enum has exactly the members of its Graph union type (plus documented newer ones)', () => {
  assert.deepEqual(checkEnums(loadDefinitions(), loadGraphTypings()), []);
});

test('every @odata.type union offers exactly the subtypes the typings declare', () => {
  assert.deepEqual(checkUnions(loadDefinitions(), loadGraphTypings()), []);
});

test('each payload schema is rooted at its Graph type', () => {
  const roots: [string, string][] = [
    ['accessPackageAssignmentPolicy.schema.json', '#/definitions/accessPackageAssignmentPolicy'],
    ['accessPackage.schema.json', '#/definitions/accessPackage'],
    ['accessPackageAssignmentRequest.schema.json', '#/definitions/accessPackageAssignmentRequest'],
  ];
  for (const [file, ref] of roots) assert.equal(loadSchemaFile(file).$ref, ref, file);
});

// ---------------------------------------------------------------------------------------------
// Conventions and snippets
// ---------------------------------------------------------------------------------------------

test('schema files follow the conventions (draft-07, closed objects accepting @odata.type, documented enums, resolvable $refs)', () => {
  assert.deepEqual(checkConventions(loadDefinitions()), []);
});

test('every defaultSnippet, with its placeholders filled, validates against its own definition', async (t) => {
  for (const def of loadDefinitions().values()) {
    for (const snippet of def.schema.defaultSnippets ?? []) {
      await t.test(`${def.name}: ${snippet.label ?? ''}`, async () => {
        const uri = `${SCHEMA_SCHEME}snippet-check.schema.json`;
        const service = createService(undefined, [
          { uri, fileMatch: ['*.snippet.json'], schema: { $ref: `${def.file}#/definitions/${def.name}` } },
        ]);
        const text = JSON.stringify(expandSnippet(snippet.body), null, 2);
        const doc = TextDocument.create('file:///work/check.snippet.json', 'json', 1, text);
        assert.deepEqual(brief(await validateDocument(doc, service)), [], text);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// More payloads: values, read-only properties, newer members, the other two schemas
// ---------------------------------------------------------------------------------------------

/** [payload kind, body, expected findings as "path text: message" prefixes ([] = valid)] */
type Case = [PayloadKind, string, string[]];

async function runCases(cases: Case[]): Promise<void> {
  for (const [kind, text, expected] of cases) {
    const got = brief(await validate(text, kind));
    assert.equal(got.length, expected.length, `${text}\n${got.join('\n')}`);
    expected.forEach((e, i) => assert.ok(got[i]?.startsWith(e), `${text}\nexpected ${e}\ngot ${got[i]}`));
  }
}

test('durations follow ISO 8601, permissively', async () => {
  const body = (d: string): string =>
    `{"automaticRequestSettings": {"gracePeriodBeforeAccessRemoval": ${JSON.stringify(d)}}}`;
  for (const ok of ['P14D', 'PT0S', 'P1Y2M3DT4H5M6S', 'PT3H', 'P7D', 'PT12H', 'P2W', 'PT0.5S', 'P365D']) {
    assert.deepEqual(brief(await validate(body(ok), 'policy')), [], ok);
  }
  for (const bad of ['14 days', 'P', 'PT', 'P1DT', '14D', 'p14d', 'P1H', 'PT1D', '']) {
    const findings = await validate(body(bad), 'policy');
    assert.equal(findings.length, 1, bad);
    assert.match(findings[0]?.message ?? '', /ISO 8601 duration/);
  }
});

test('policy values: enums, timestamps, bounds, required keys, @odata.type spellings', async () => {
  await runCases([
    ['policy', '{"allowedTargetScope": "everyone"}', ['allowedTargetScope "everyone": Value is not accepted.']],
    [
      'policy',
      '{"expiration": {"type": "afterDuration", "endDateTime": "2024-13-01"}}',
      ['expiration.endDateTime "2024-13-01": Expected an ISO 8601 timestamp'],
    ],
    [
      'policy',
      '{"specificAllowedTargets": [{"@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 3}]}',
      ['specificAllowedTargets.0.managerLevel 3: Value is above the maximum of 2.'],
    ],
    ['policy', '{"onBehalf": 1}', ['onBehalf "onBehalf": Property onBehalf is not allowed.']],
    [
      'policy',
      '{"specificAllowedTargets": [{"userId": "u"}]}',
      ['specificAllowedTargets.0 {: Missing property "@odata.type".'],
    ],
    [
      'policy',
      '{"specificAllowedTargets": [{"@odata.type": "#microsoft.graph.user", "userId": "u"}]}',
      ['specificAllowedTargets.0.@odata.type "#microsoft.graph.user": Value is not accepted.'],
    ],
    ['policy', '{"specificAllowedTargets": [{"@odata.type": "microsoft.graph.groupMembers", "groupId": "g"}]}', []],
    [
      'policy',
      '{"specificAllowedTargets": [{"@odata.type": "#microsoft.graph.groupMembers"}]}',
      ['specificAllowedTargets.0 {: Missing property "groupId".'],
    ],
    [
      'policy',
      '{"requestApprovalSettings": {"stages": [{}, {}, {}, {}]}}',
      ['requestApprovalSettings.stages [{}, {}, {}, {}]: Array has too many items'],
    ],
    [
      'policy',
      '{"questions": [{"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "choices": []}]}',
      ['questions.0.choices "choices": Property choices is not allowed.'],
    ],
    [
      'policy',
      '{"reviewSettings": {"schedule": {"recurrence": {"pattern": {"type": "weekly"}, "range": {"type": "noEnd"}}}}}',
      ['reviewSettings.schedule.recurrence.pattern "pattern": Missing property "interval".'],
    ],
    [
      'policy',
      '{"customExtensionStageSettings": [{"stage": "assignmentRequestCreated"}]}',
      ['customExtensionStageSettings.0 {: Missing property "customExtension".'],
    ],
    ['policy', '{"accessPackage": {}}', ['accessPackage "accessPackage": Missing property "id".']],
    [
      'policy',
      '{"notificationSettings": {"isAssignmentNotificationDisabled": null}}',
      ['notificationSettings.isAssignmentNotificationDisabled null: Incorrect type. Expected "boolean".'],
    ],
  ]);
});

test('members and kinds newer than the typings are accepted', async () => {
  await runCases([
    ['policy', '{"allowedTargetScope": "allDirectoryAgentIdentities"}', []],
    [
      'policy',
      '{"customExtensionStageSettings": [{"stage": "assignmentRequestDeterminingApprovalRequirements", "customExtension": {"@odata.type": "#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension", "id": "e"}}]}',
      [],
    ],
    [
      'policy',
      '{"requestApprovalSettings": {"stages": [{"@odata.type": "#microsoft.graph.accessPackageDynamicApprovalStage", "durationBeforeAutomaticDenial": "P7D"}]}}',
      [],
    ],
    ['policy', '{"requestApprovalSettings": {"stages": [{"approverInformationVisibility": "notVisible"}]}}', []],
    ['policy', '{"requestApprovalSettings": {"stages": [{"approverInformationVisibility": "visible"}]}}', []],
    ['request', '{"requestType": "approverRemove", "assignment": {"id": "a"}}', []],
  ]);
});

test('a policy as Graph returns it (read-only properties, nulls, expanded relations) validates', async () => {
  const got = {
    '@odata.context':
      'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies/$entity',
    'customExtensionStageSettings@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#x',
    id: '24e5711e-92f0-41e2-912d-9f4e005f36cc',
    displayName: 'A policy',
    description: null,
    allowedTargetScope: 'allMemberUsers',
    specificAllowedTargets: [],
    automaticRequestSettings: null,
    expiration: { endDateTime: null, duration: null, type: 'noExpiration' },
    requestorSettings: {
      enableTargetsToSelfAddAccess: true,
      onBehalfRequestors: [{ '@odata.type': '#microsoft.graph.targetManager', managerLevel: 2 }],
    },
    requestApprovalSettings: {
      isApprovalRequiredForAdd: false,
      isApprovalRequiredForUpdate: false,
      isRequestorJustificationRequired: false,
      stages: [],
    },
    reviewSettings: null,
    notificationSettings: { isAssignmentNotificationDisabled: false },
    createdDateTime: '2022-09-30T20:32:07.1949218Z',
    modifiedDateTime: '2022-09-30T20:32:07.4173893Z',
    accessPackage: {
      id: 'p',
      displayName: 'Package',
      description: 'd',
      isHidden: false,
      createdDateTime: '2022-09-30T20:32:07Z',
      modifiedDateTime: null,
    },
    catalog: {
      id: 'c',
      displayName: 'General',
      catalogType: 'serviceDefault',
      state: 'published',
      isExternallyVisible: true,
    },
    questions: [
      {
        '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
        id: 'q',
        sequence: 1,
        text: 'Why?',
        localizations: [],
        isSingleLineQuestion: true,
        regexPattern: null,
      },
    ],
    customExtensionStageSettings: [
      {
        id: 's',
        stage: 'assignmentRequestCreated',
        customExtension: {
          '@odata.type': '#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension',
          id: 'e',
          displayName: 'SoD check',
          description: null,
          createdBy: 'admin@contoso.com',
          createdDateTime: '2023-01-01T00:00:00Z',
          lastModifiedBy: null,
          lastModifiedDateTime: null,
          endpointConfiguration: {
            '@odata.type': '#microsoft.graph.logicAppTriggerEndpointConfiguration',
            subscriptionId: 's',
            resourceGroupName: 'rg',
            logicAppWorkflowName: 'wf',
            url: null,
          },
          authenticationConfiguration: {
            '@odata.type': '#microsoft.graph.azureAdTokenAuthentication',
            resourceId: 'r',
          },
          clientConfiguration: { maximumRetries: 1, timeoutInMilliseconds: 1000 },
          callbackConfiguration: { timeoutDuration: 'PT1H' },
        },
      },
    ],
  };
  assert.deepEqual(brief(await validate(JSON.stringify(got, null, 2), 'policy')), []);
});

test('assignment requests: the documented bodies validate, each requestType needs its assignment keys', async () => {
  const add = '"assignment": {"targetId": "u", "assignmentPolicyId": "p", "accessPackageId": "a"}';
  await runCases([
    // view-add-remove-assignments-howto.md: adminAdd and adminRemove
    ['request', `{"requestType": "adminAdd", ${add}}`, []],
    ['request', '{"requestType": "adminRemove", "assignment": {"id": "a"}}', []],
    // graph-model.md 3.4: user not yet in the directory, on-behalf userAdd, userUpdate with schedule and answers
    [
      'request',
      '{"requestType": "adminAdd", "assignment": {"target": {"email": "x@example.com", "displayName": "X"}, "assignmentPolicyId": "p", "accessPackageId": "a"}}',
      [],
    ],
    [
      'request',
      '{"requestType": "userAdd", "assignment": {"accessPackageId": "a", "assignmentPolicyId": "p", "target": {"objectId": "o", "subjectType": "user"}}}',
      [],
    ],
    ['request', '{"requestType": "userAdd", "assignment": {"accessPackageId": "a"}, "justification": "needed"}', []],
    [
      'request',
      '{"requestType": "userUpdate", "assignment": {"id": "a"}, "schedule": {"startDateTime": "2024-01-01T00:00:00Z", "expiration": {"type": "afterDateTime", "endDateTime": "2024-06-01T00:00:00Z"}}, "answers": [{"@odata.type": "#microsoft.graph.accessPackageAnswerString", "value": "KE", "displayValue": "Kenya", "answeredQuestion": {"@odata.type": "#microsoft.graph.accessPackageMultipleChoiceQuestion", "id": "q"}}]}',
      [],
    ],
    [
      'request',
      '{"requestType": "adminRemove", "assignment": {"targetId": "u"}}',
      ['assignment "assignment": Missing property "id".'],
    ],
    [
      'request',
      '{"requestType": "adminUpdate", "assignment": {}}',
      ['assignment "assignment": Missing property "id".'],
    ],
    [
      'request',
      '{"requestType": "adminAdd", "assignment": {"assignmentPolicyId": "p", "accessPackageId": "a"}}',
      ['assignment "assignment": Missing property "targetId".'],
    ],
    [
      'request',
      '{"requestType": "adminAdd", "assignment": {"targetId": "u"}}',
      [
        'assignment "assignment": Missing property "assignmentPolicyId".',
        'assignment "assignment": Missing property "accessPackageId".',
      ],
    ],
    ['request', '{"requestType": "adminAdd"}', [' {: Missing property "assignment".']],
    ['request', '{"requestType": "grant", "assignment": {"id": "a"}}', ['requestType "grant": Value is not accepted.']],
    [
      'request',
      `{"requestType": "adminAdd", ${add}, "accessPackageAssignment": {}}`,
      ['accessPackageAssignment "accessPackageAssignment": Property accessPackageAssignment is not allowed.'],
    ],
  ]);
});

test('assignment requests: PascalCase request types pass with a warning only', async () => {
  const findings = await validate('{"requestType": "AdminRemove", "assignment": {"id": "a"}}', 'request');
  assert.deepEqual(
    findings.map((f) => [f.path, f.severity]),
    [['requestType', 'warning']],
  );
  assert.match(findings[0]?.message ?? '', /camelCase/);
  const missing = await validate('{"requestType": "AdminRemove", "assignment": {}}', 'request');
  assert.ok(missing.some((f) => f.severity === 'error' && f.message === 'Missing property "id".'));
});

test('access packages: create and update bodies', async () => {
  await runCases([
    [
      'accessPackage',
      '{"displayName": "Marketing", "description": "d", "isHidden": false, "catalog": {"id": "c"}}',
      [],
    ],
    ['accessPackage', '{"description": "only this changes"}', []],
    [
      'accessPackage',
      '{"id": "p", "displayName": "x", "createdDateTime": "2024-01-01T00:00:00Z", "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x"}',
      [],
    ],
    [
      'accessPackage',
      '{"displayName": "x", "catalogId": "c"}',
      ['catalogId "catalogId": Property catalogId is not allowed.'],
    ],
    ['accessPackage', '{"displayName": "x", "catalog": {}}', ['catalog "catalog": Missing property "id".']],
    ['accessPackage', '{"isHidden": "false"}', ['isHidden "false": Incorrect type. Expected one of boolean, null.']],
  ]);
});
