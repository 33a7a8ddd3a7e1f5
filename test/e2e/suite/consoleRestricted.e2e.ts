/// <reference types="mocha" />
/**
 * Restricted Mode (an untrusted workspace; run by scripts/realEditor/run.mjs in a code-server
 * started with workspace trust on): the extension still activates, and a rule file is still
 * checked. Tenant commands that change a tenant are hidden from the palette there.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, codeOf, openFile, waitForDiagnostics } from './helpers';

suite('consoleRestricted: language features in Restricted Mode', () => {
  test('the workspace is untrusted, the extension is active, and rules are diagnosed', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite must run in an untrusted workspace');
    await activate();
    const { doc } = await openFile('restricted.rule', 'user.dept == "Sales"\n');
    const diags = await waitForDiagnostics(
      doc.uri,
      (ds) => ds.some((d) => codeOf(d) === 'R202'),
      'R202 in Restricted Mode',
    );
    assert.ok(
      diags.some((d) => codeOf(d) === 'R105'),
      'the == mistake is reported too',
    );
  });
});
