/** The policy templates (snippets and the "New policy" command) produce payloads the checker accepts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../../server/src/service/languageService';
import { repoRoot } from '../../../helpers';

const templates = JSON.parse(readFileSync(join(repoRoot, 'snippets', 'entra-policy.json'), 'utf8')) as Record<
  string,
  { body: string[] }
>;

/** Expands a snippet with its defaults, the way the editor would insert it untouched. */
function expand(body: string): string {
  let guid = 0;
  return body
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:((?:[^{}]|\{[^}]*\})*)\}/g, (_m, d: string) =>
      /\bid\b/.test(d) ? `0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b2${guid++}` : d,
    )
    .replace(/\\(.)/g, (m, c: string) => (c === '$' || c === '}' || c === '\\' ? c : m));
}

test('there are five templates, one per seed shape', () => assert.equal(Object.keys(templates).length, 5));

for (const [name, t] of Object.entries(templates)) {
  test(`template "${name}" expands to a payload without errors`, async () => {
    const text = expand(t.body.join('\n'));
    JSON.parse(text);
    const diagnostics = await getLanguageService().validate(
      TextDocument.create('untitled:Untitled-1', 'entra-policy', 1, text),
    );
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => `${d.code} ${d.message}`),
      [],
    );
  });
}
