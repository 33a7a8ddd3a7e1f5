/// <reference types="mocha" />
/** Policy payloads in a real editor: a mistake inside an embedded membershipRule string. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, closeAll, codeOf, describe as show, openFile, waitForDiagnostics } from './helpers';

const policy = [
  '{',
  '  "displayName": "Sales (automatic)",',
  '  "allowedTargetScope": "specificDirectoryUsers",',
  '  "specificAllowedTargets": [',
  '    {"@odata.type": "#microsoft.graph.attributeRuleMembers", "membershipRule": "(user.dept -eq \\"Sales\\") -and (user.jobTitle == \\"Manager\\")"}',
  '  ],',
  '  "automaticRequestSettings": {"requestAccessForAllowedTargets": true},',
  '  "accessPackage": {"id": "8a36831e-1527-4b2b-aff2-81259a8d8e76"}',
  '}',
].join('\n');

suite('policy payloads', () => {
  suiteSetup(async () => {
    await activate();
  });
  teardown(closeAll);

  test('a *.policy.json file gets the entra-policy language', async () => {
    const { doc } = await openFile('language.policy.json', '{}');
    assert.equal(doc.languageId, 'entra-policy');
  });

  test('entitlements.policy.fileGlobs makes other JSON files policy payloads', async () => {
    const config = vscode.workspace.getConfiguration('entitlements');
    await config.update('policy.fileGlobs', ['**/globbed-*.json'], vscode.ConfigurationTarget.Workspace);
    try {
      const { doc } = await openFile('globbed.json', '{"displayName": "x", "durationInDays": 3}');
      const switched = await new Promise<vscode.TextDocument>((resolve) => {
        const find = () =>
          vscode.workspace.textDocuments.find(
            (d) => d.uri.toString() === doc.uri.toString() && d.languageId === 'entra-policy',
          );
        const sub = vscode.workspace.onDidOpenTextDocument(() => {
          const d = find();
          if (d) {
            sub.dispose();
            resolve(d);
          }
        });
        const now = find();
        if (now) {
          sub.dispose();
          resolve(now);
        }
      });
      const ds = await waitForDiagnostics(switched.uri, (d) => d.some((x) => codeOf(x) === 'P110'), 'P110');
      assert.ok(ds.some((x) => codeOf(x) === 'P110'));
    } finally {
      await config.update('policy.fileGlobs', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  for (const row of [
    { code: 'R202', under: 'dept' },
    { code: 'R105', under: '==' },
  ]) {
    test(`a rule mistake inside membershipRule: ${row.code} on ${row.under}, inside the string`, async () => {
      const { doc } = await openFile('auto.policy.json', policy);
      const ds = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === row.code), row.code);
      const d = ds.find((x) => codeOf(x) === row.code)!;
      assert.equal(doc.getText(d.range), row.under, show(ds));
      const line = doc.lineAt(d.range.start.line).text;
      const ruleStart = line.indexOf('"membershipRule": "') + '"membershipRule": "'.length;
      assert.equal(d.range.start.line, 4);
      assert.ok(
        d.range.start.character >= ruleStart && d.range.end.character < line.lastIndexOf('"'),
        `range ${d.range.start.character}-${d.range.end.character} is not inside the string`,
      );
    });
  }
});
