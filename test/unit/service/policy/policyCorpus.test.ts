import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../../server/src/service/languageService';
import { corpusDir, fixturesDir, listFiles } from '../../../helpers';

const service = getLanguageService();
const files = [
  ...listFiles(join(corpusDir, 'policies'), '.json'),
  ...listFiles(join(fixturesDir, 'policies'), '.json'),
];

for (const file of files) {
  const name = basename(file);
  test(`policy corpus: ${name}`, async () => {
    const text = readFileSync(file, 'utf8');
    const doc = TextDocument.create(`file:///corpus/${name}`, 'entra-policy', 1, text);
    const diagnostics = await service.validate(doc);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    if (name.startsWith('valid-')) {
      assert.deepEqual(
        errors.map((e) => `${e.code} ${e.message}`),
        [],
      );
      const warnings = diagnostics.map((d) => String(d.code));
      assert.ok(
        warnings.every((c) => c === 'P101' || c === 'P102'),
        `only quoted-value warnings in ${name}: ${warnings.join(' ')}`,
      );
    } else if (name.startsWith('invalid-')) {
      assert.ok(errors.length > 0, `an error in ${name}`);
    } else if (name.startsWith('flagged-')) {
      assert.ok(
        diagnostics.some((d) => d.code === 'P110' && /in v1\.0 use/.test(String(d.message))),
        `a beta-shape finding naming the v1.0 form in ${name}`,
      );
    }
    for (const d of diagnostics) {
      assert.ok(doc.offsetAt(d.range.start) <= doc.offsetAt(d.range.end) && doc.offsetAt(d.range.end) <= text.length);
    }
  });
}

test('each invalid corpus file is flagged for the reason its name gives', async () => {
  const expected: Record<string, string> = {
    'invalid-approval-required-no-stages.policy.json': 'P301',
    'invalid-auto-assignment-wrong-scope.policy.json': 'P201',
    'invalid-duplicate-question-sequence.policy.json': 'P601',
    'invalid-duration-format.policy.json': 'P401',
    'invalid-rule-inside-payload.policy.json': 'R105',
  };
  for (const [name, code] of Object.entries(expected)) {
    const text = readFileSync(join(corpusDir, 'policies', name), 'utf8');
    const codes = (await service.validate(TextDocument.create(`file:///${name}`, 'entra-policy', 1, text))).map(
      (d) => d.code,
    );
    assert.ok(codes.includes(code), `${name}: ${codes.join(' ')}`);
  }
});
