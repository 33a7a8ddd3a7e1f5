/** Id places and kinds in payloads, and the findings against a tenant's answer (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cursor } from '../../../helpers';
import { idCompletionContext, idPositions } from '../../../../server/src/service/directory/idPositions';
import { checkIdPositions, queriesOf } from '../../../../server/src/service/directory/checks';
import { idCompletionItems, idHover, idInlayHints } from '../../../../server/src/service/directory/features';
import type { DirectoryObject, LookupAnswer } from '../../../../server/src/service/directory/protocol';
import { getLanguageService } from '../../../../server/src/service/languageService';

const U = '11111111-1111-4111-8111-111111111111';
const G = '22222222-2222-4222-8222-222222222222';
const P = '33333333-3333-4333-8333-333333333333';
const X = '44444444-4444-4444-8444-444444444444';

const policy = JSON.stringify({
  accessPackage: { id: P },
  specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.groupMembers', groupId: G }],
  requestApprovalSettings: {
    stages: [
      {
        primaryApprovers: [
          { '@odata.type': '#microsoft.graph.singleUser', userId: U },
          { '@odata.type': '#microsoft.graph.singleUser', userId: 'not-a-guid' },
        ],
        fallbackPrimaryApprovers: [{ '@odata.type': '#microsoft.graph.groupMembers', groupId: X }],
      },
    ],
  },
  id: X,
});

test('id places: kind from the property and the sibling @odata.type; only GUIDs; not the policy id', () => {
  assert.deepEqual(
    idPositions(policy).map((p) => `${p.property} ${p.kind} ${p.id.slice(0, 2)}`),
    ['accessPackage.id accessPackage 33', 'groupId group 22', 'userId user 11', 'groupId group 44'],
  );
  const request = JSON.stringify({ assignment: { targetId: U, accessPackageId: P, assignmentPolicyId: X } });
  assert.deepEqual(
    idPositions(request).map((p) => p.kind),
    ['user', 'accessPackage', 'policy'],
  );
  // @odata.type wins over the property name.
  const odd = JSON.stringify({ x: [{ '@odata.type': '#microsoft.graph.groupMembers', userId: U }] });
  assert.equal(idPositions(odd)[0]?.kind, 'group');
  // The range is the string literal.
  const p = idPositions(policy)[0]!;
  assert.equal(policy.slice(p.offset, p.offset + p.length), `"${P}"`);
});

test('queries merge repeated ids', () => {
  const text = JSON.stringify({ a: [{ userId: U }, { userId: U }, { groupId: U }] });
  assert.deepEqual(queriesOf(idPositions(text)), [{ id: U, kinds: ['user', 'group'] }]);
});

const objects: DirectoryObject[] = [
  { id: U, kind: 'user', displayName: 'Ada Lovelace', userPrincipalName: 'ada@contoso.test' },
  { id: G, kind: 'group', displayName: 'Finance' },
  { id: P, kind: 'accessPackage', displayName: 'Sales', catalog: { id: X, displayName: 'General' } },
];

test('findings: unknown ids and wrong kinds are warnings naming the tenant; found ids are clean', () => {
  const answer: LookupAnswer = { tenant: 'Contoso', objects };
  const text = JSON.stringify({ a: [{ userId: U }, { userId: G }, { groupId: X }] });
  assert.deepEqual(
    checkIdPositions(idPositions(text), answer).map(
      (f) => `${f.severity} ${f.code} ${text.slice(f.offset + 1, f.offset + 3)}`,
    ),
    ['warning T102 22', 'warning T101 44'],
  );
  const [wrong, unknown] = checkIdPositions(idPositions(text), answer);
  assert.match(wrong!.message, /group "Finance" in Contoso, but a user is expected/);
  assert.match(unknown!.message, new RegExp(`no group with id ${X} in Contoso`));
});

test('an unreadable directory is one information; no tenant means no findings; unchecked ids are skipped', () => {
  const positions = idPositions(policy);
  const unreadable = checkIdPositions(positions, { tenant: 'Contoso', objects: [], unreadable: 'offline' });
  assert.deepEqual(
    unreadable.map((f) => `${f.severity} ${f.code}`),
    ['information T100'],
  );
  assert.deepEqual(checkIdPositions(positions, { objects: [] }), []);
  const unchecked = checkIdPositions(positions, { tenant: 'C', objects, unchecked: [X] });
  assert.deepEqual(unchecked, []);
});

test('completion context inside an id string, with what was typed; none elsewhere', () => {
  const { text, offset } = cursor(
    '{"primaryApprovers": [{"@odata.type": "#microsoft.graph.groupMembers", "groupId": "fin|"}]}',
  );
  const ctx = idCompletionContext(text, offset);
  assert.equal(ctx?.kind, 'group');
  assert.equal(ctx?.typed, 'fin');
  const doc = TextDocument.create('file:///a.policy.json', 'entra-policy', 1, text);
  const items = idCompletionItems(doc, ctx!, [objects[1]!]);
  assert.equal(items[0]?.label, 'Finance');
  assert.deepEqual((items[0]?.textEdit as { newText: string }).newText, G);
  const other = cursor('{"displayName": "fin|"}');
  assert.equal(idCompletionContext(other.text, other.offset), undefined);
  const unclosed = cursor('{"accessPackage": {"id": "sa|');
  assert.equal(idCompletionContext(unclosed.text, unclosed.offset)?.kind, 'accessPackage');
});

test('hover names the object, its kind, UPN, catalog and links to the explorer; inlay hints show names', async () => {
  const doc = TextDocument.create('file:///a.policy.json', 'entra-policy', 1, policy);
  const at = policy.indexOf(U) + 3;
  const h = await idHover(doc, at, () => Promise.resolve({ tenant: 'Contoso', objects }));
  const md = (h?.contents as { value: string }).value;
  assert.match(md, /Ada Lovelace/);
  assert.match(md, /user in Contoso/);
  assert.match(md, /ada@contoso\.test/);
  assert.match(md, /command:entitlements\.revealDirectoryObject/);
  const pkg = await idHover(doc, policy.indexOf(P) + 1, () => Promise.resolve({ tenant: 'Contoso', objects }));
  assert.match((pkg?.contents as { value: string }).value, /Catalog: General/);
  assert.equal(await idHover(doc, 1, () => Promise.resolve({ tenant: 'C', objects })), null);
  const hints = idInlayHints(doc, { tenant: 'Contoso', objects });
  assert.deepEqual(
    hints.map((x) => x.label),
    ['Sales', 'Finance', 'Ada Lovelace'],
  );
  assert.deepEqual(idInlayHints(doc, { objects }), [], 'no tenant, no hints');
});

test("validation's parse tree gives the same id places as the text (no second parse in the editor)", async () => {
  const service = getLanguageService();
  const pretty = JSON.stringify(JSON.parse(policy), null, 2).replace('"userId"', '"user\\u0049d"');
  const doc = TextDocument.create('file:///p.policy.json', 'entra-policy', 1, pretty);
  await service.validate(doc);
  const root = service.jsonRoot(doc);
  assert.ok(root);
  assert.deepEqual(idPositions(pretty, root), idPositions(pretty));
  assert.equal(idPositions(pretty).length, 4, 'an escaped key is the same key');
});
