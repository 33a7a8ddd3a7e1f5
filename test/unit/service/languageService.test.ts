import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { getLanguageService, quickFixes } from '../../../server/src/service/languageService';
import { RuleCode as C } from '../../../server/src/service/rules/codes';

const service = getLanguageService();

function doc(text: string): TextDocument {
  return TextDocument.create('file:///t.rule', 'entra-rule', 1, text);
}

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(doc(text), edits);
}

/** [rule, code whose preferred fix is applied, the rule after the fix] */
const fixes: [string, string, string][] = [
  ['user.department == "Sales"', C.cStyleOperator, 'user.department -eq "Sales"'],
  ['user.a -eq "x" && user.b -eq "y"', C.cStyleOperator, 'user.a -eq "x" -and user.b -eq "y"'],
  ['user.department -eq \u201CSales\u201D', C.typographicQuote, 'user.department -eq "Sales"'],
  ["user.department -eq 'O''Brien'", C.singleQuotedString, 'user.department -eq "O\'Brien"'],
  ['user.Department -eq "x"', C.propertyCasing, 'user.department -eq "x"'],
  ['user.departmnt -eq "x"', C.unknownProperty, 'user.department -eq "x"'],
  ['user.department -equals "x"', C.unknownOperator, 'user.department -eq "x"'],
  [
    'user.proxyAddresses -contains "smtp:"',
    C.scalarOperatorOnCollection,
    'user.proxyAddresses -any (_ -contains "smtp:")',
  ],
  ['(user.department -eq "x"', C.missingCloseParen, '(user.department -eq "x")'],
  ['user.department -eq "x")', C.unmatchedCloseParen, 'user.department -eq "x"'],
  ['user.department -eq "x', C.unterminatedString, 'user.department -eq "x"'],
  ['user.country -in "Kenya"', C.inNeedsArray, 'user.country -in ["Kenya"]'],
  ['user.accountEnabled -eq "true"', C.valueType, 'user.accountEnabled -eq true'],
  ['user.department -eq Sales', C.unquotedString, 'user.department -eq "Sales"'],
  ['user.department -eq nul', C.unquotedString, 'user.department -eq null'],
  ['user.accountEnabled -eq ture', C.valueType, 'user.accountEnabled -eq true'],
  ['user.country -in ["US", "CA",]', C.listSyntax, 'user.country -in ["US", "CA"]'],
  ['user.country -in ["US" "CA"]', C.listSyntax, 'user.country -in ["US", "CA"]'],
  [
    "user.memberOf -all (group.objectId -in ['0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22'])",
    C.memberOfAll,
    "user.memberOf -any (group.objectId -in ['0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22'])",
  ],
  ['user.department -EQ "x"', C.operatorCasing, 'user.department -eq "x"'],
  ['user.department eq "x"', C.operatorWithoutHyphen, 'user.department -eq "x"'],
  ['user.userType -eq "Gest"', C.unknownEnumValue, 'user.userType -eq "Guest"'],
  ['user.country -in ["a", "b"', C.unterminatedArray, 'user.country -in ["a", "b"]'],
];

for (const [rule, code, expected] of fixes) {
  test(`quick fix ${code} on ${rule}`, async () => {
    const d = doc(rule);
    const diagnostics = await service.validate(d);
    const target = diagnostics.filter((x) => x.code === code);
    assert.equal(target.length, 1, `one ${code} in ${JSON.stringify(diagnostics)}`);
    const actions = service.codeActions(d, (target[0] as Diagnostic).range, target);
    const preferred = actions.find((a) => a.isPreferred) ?? actions[0];
    const edits = preferred?.edit?.changes?.[d.uri];
    assert.ok(edits, 'the fix has edits');
    const fixed = apply(rule, edits);
    assert.equal(fixed, expected);
    assert.ok(!(await service.validate(doc(fixed))).some((x) => x.code === code), 'the finding is gone after the fix');
  });
}

test('diagnostics carry source, code and line/character ranges on a multi-line rule', async () => {
  const [d] = await service.validate(doc('(user.department -eq "x")\n-and (user.dept -eq "y")'));
  assert.equal(d?.source, 'entitlements');
  assert.equal(d?.code, C.unknownProperty);
  assert.deepEqual(d?.range, { start: { line: 1, character: 11 }, end: { line: 1, character: 15 } });
});

test('formatting edits only the rule, keeping surrounding whitespace', () => {
  const d = doc('  user.DEPARTMENT  -EQ "x"\n');
  assert.equal(apply(d.getText(), service.format(d)), '  user.department -eq "x"\n');
  assert.deepEqual(service.format(doc('user.department -eq "x"')), []);
  assert.deepEqual(service.format(doc('user.department -eq "x')), []);
});

test('quick fixes ignore diagnostics without fix data (e.g. from other sources)', () => {
  assert.deepEqual(
    quickFixes('file:///x', [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm', data: { other: 1 } },
    ]),
    [],
  );
});

test('other languages are not handled', () => {
  assert.equal(service.handles('json'), false);
  assert.equal(service.handles('entra-rule'), true);
});
