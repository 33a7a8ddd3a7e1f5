/** File names from display names, and the normal form of objects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, slug } from '../../client/src/pac/names';
import { differingFields, fileText, holds, normalise } from '../../client/src/pac/normalise';

test('slugs: lower-case ASCII, hyphens, never empty, never a reserved device name', () => {
  const cases: [string, string][] = [
    ['CRM access', 'crm-access'],
    ['Sales team (automatic)', 'sales-team-automatic'],
    ['São Paulo — Données', 'sao-paulo-donnees'],
    ['***', 'unnamed'],
    ['', 'unnamed'],
    ['CON', 'con-1'],
    ['x'.repeat(100), 'x'.repeat(60)],
    ['../etc/passwd', 'etc-passwd'],
  ];
  for (const [name, want] of cases) assert.equal(slug(name), want, name);
});

test('collisions get -2, -3 in order, case-insensitively', () => {
  const taken = new Set<string>(['crm']);
  assert.equal(allocate('crm', taken), 'crm-2');
  assert.equal(allocate('CRM', taken), 'CRM-3');
  assert.equal(allocate('other', taken), 'other');
});

test('normal form: server-set fields, references, question ids and nulls dropped; stable key order', () => {
  const raw = {
    '@odata.context': 'x',
    id: 'p1',
    modifiedDateTime: '2026-01-01T00:00:00Z',
    questions: [{ id: 'q1', text: 'Why?', '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion' }],
    reviewSettings: null,
    description: 'd',
    displayName: 'n',
    accessPackage: { id: 'a' },
    allowedTargetScope: 'allMemberUsers',
  };
  const n = normalise('policy', raw);
  assert.equal(
    fileText(n),
    `${JSON.stringify(
      {
        displayName: 'n',
        description: 'd',
        allowedTargetScope: 'allMemberUsers',
        questions: [{ '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', text: 'Why?' }],
      },
      null,
      2,
    )}\n`,
  );
});

test('a file holds in the tenant when every field it names matches; a null asks for absence', () => {
  assert.ok(holds({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!holds({ a: [1] }, { a: [1, 2] }));
  assert.ok(holds({ a: null }, {}));
  assert.ok(!holds({ a: null }, { a: 1 }));
  assert.deepEqual(differingFields({ description: 'x', displayName: 'n' }, { description: 'y', displayName: 'n' }), [
    'description',
  ]);
});
