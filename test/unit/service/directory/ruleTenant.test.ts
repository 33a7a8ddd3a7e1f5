/** Rules that know the tenant: extension property and value completion, unregistered extension warnings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cursor } from '../../../helpers';
import {
  ruleTenantCompletionItems,
  ruleTenantDiagnostics,
  tenantRuleCompletions,
  unregisteredExtensions,
} from '../../../../server/src/service/directory/ruleTenant';
import type { RuleVocabulary } from '../../../../server/src/service/directory/protocol';

const ext = 'extension_0123456789abcdef0123456789abcdef_costCenter';
const vocab: RuleVocabulary = {
  tenant: 'Contoso',
  extensions: [
    { name: ext, dataType: 'String', targetObjects: ['User'], appDisplayName: 'HR' },
    { name: 'extension_0123456789abcdef0123456789abcdef_rack', dataType: 'String', targetObjects: ['Device'] },
  ],
  values: { department: ['Sales', 'Engineering'], country: ['NO'] },
};

const labels = (marked: string, v = vocab) => {
  const { text, offset } = cursor(marked);
  return tenantRuleCompletions(text, offset, v).map((c) => c.label);
};

test('after user. the registered user extension properties; device. gets the device ones', () => {
  assert.deepEqual(labels('user.|'), [ext]);
  assert.deepEqual(labels('user.department -eq "x" -and user.ext|'), [ext]);
  assert.deepEqual(labels('device.|'), ['extension_0123456789abcdef0123456789abcdef_rack']);
  assert.deepEqual(labels('|'), []);
});

test('values the tenant uses, after a comparison on a sampled attribute (typed or not)', () => {
  assert.deepEqual(labels('user.department -eq |'), ['"Sales"', '"Engineering"']);
  assert.deepEqual(labels('user.department -eq "Sa|'), ['"Sales"', '"Engineering"']);
  assert.deepEqual(labels('user.country -ne |'), ['"NO"']);
  assert.deepEqual(labels('user.city -eq |'), [], 'not a sampled attribute');
  assert.deepEqual(labels('user.department -in |'), []);
  const { text, offset } = cursor('user.department -eq "Sa|"');
  const c = tenantRuleCompletions(text, offset, vocab)[0]!;
  assert.deepEqual(c.range, { start: 20, end: 24 }, 'replaces the whole string, closing quote included');
});

test('no tenant or an unreadable directory: nothing', () => {
  assert.deepEqual(labels('user.|', { extensions: vocab.extensions, values: {} }), []);
  assert.deepEqual(labels('user.|', { ...vocab, unreadable: 'offline' }), []);
});

test('an extension property the tenant has not registered is a T110 warning on its name', () => {
  const rule = `user.${ext} -eq "1" -or user.extension_ffffffffffffffffffffffffffffffff_x -eq "2"`;
  const f = unregisteredExtensions(rule, vocab);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.code, 'T110');
  assert.equal(rule.slice(f[0]!.range.start, f[0]!.range.end), 'extension_ffffffffffffffffffffffffffffffff_x');
  assert.match(f[0]!.message, /Contoso/);
  assert.deepEqual(unregisteredExtensions(rule, { ...vocab, tenant: undefined }), []);
});

test('inside a membershipRule string: ranges map through JSON escapes', () => {
  const unknown = 'extension_ffffffffffffffffffffffffffffffff_x';
  const text = `{"specificAllowedTargets":[{"membershipRule":"user.department -eq \\"A\\" -and user.${unknown} -eq \\"1\\""}]}`;
  const doc = TextDocument.create('file:///p.policy.json', 'entra-policy', 1, text);
  const d = ruleTenantDiagnostics(doc, vocab);
  assert.equal(d.length, 1);
  assert.equal(text.slice(doc.offsetAt(d[0]!.range.start), doc.offsetAt(d[0]!.range.end)), unknown);
  const marked = '{"membershipRule": "user.department -eq \\"S|\\""}';
  const { text: t2, offset } = cursor(marked);
  const doc2 = TextDocument.create('file:///q.policy.json', 'entra-policy', 1, t2);
  const items = ruleTenantCompletionItems(doc2, offset, vocab);
  assert.equal(items[0]?.label, '"Sales"');
  assert.equal((items[0]?.textEdit as { newText: string }).newText, '\\"Sales\\"', 'JSON-escaped in the string');
  const ruleDoc = TextDocument.create('file:///r.rule', 'entra-rule', 1, `user.${unknown} -eq "1"`);
  assert.equal(ruleTenantDiagnostics(ruleDoc, vocab).length, 1);
});
