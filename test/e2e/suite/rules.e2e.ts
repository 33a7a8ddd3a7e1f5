/// <reference types="mocha" />
/** Membership rules in a real editor: diagnostics, the quick fix that applies, completion. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activate,
  closeAll,
  codeOf,
  cursor,
  describe as show,
  openFile,
  waitForDiagnostics,
  waitForText,
} from './helpers';

suite('membership rules', () => {
  suiteSetup(async () => {
    await activate();
  });
  teardown(closeAll);

  // Each row: a rule with one mistake, the code expected, and the text under its range.
  const mistakes: { rule: string; code: string; under: string }[] = [
    { rule: 'user.dept -eq "x"', code: 'R202', under: 'dept' },
    { rule: 'user.department == "Sales"', code: 'R105', under: '==' },
    { rule: 'user.country -in "US"', code: 'R402', under: '"US"' },
  ];
  for (const m of mistakes) {
    test(`${m.rule} → ${m.code} on ${m.under}`, async () => {
      const { doc } = await openFile('mistake.rule', m.rule);
      assert.equal(doc.languageId, 'entra-rule');
      const ds = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === m.code), m.code);
      const d = ds.find((x) => codeOf(x) === m.code)!;
      assert.equal(doc.getText(d.range), m.under, show(ds));
      assert.equal(d.source, 'entitlements');
    });
  }

  test('a clean rule has no diagnostics', async () => {
    const { doc } = await openFile('clean.rule', '(user.department -eq "Sales") -and (user.accountEnabled -eq true)');
    // A clean document is published as an empty list; wait for that publication, not for time.
    await waitForDiagnostics(doc.uri, (d) => d.length === 0, 'empty diagnostics');
  });

  test('the quick fix for an unknown property rewrites it', async () => {
    const { doc } = await openFile('fix.rule', 'user.dept -eq "x"');
    const ds = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'R202'), 'R202');
    const d = ds.find((x) => codeOf(x) === 'R202')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title.includes('department'));
    assert.ok(fix, `no quick fix mentions department: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(fix.edit, `the quick fix "${fix.title}" carries no edit`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitForText(doc, (t) => t === 'user.department -eq "x"', 'after the quick fix');
    await waitForDiagnostics(doc.uri, (now) => !now.some((x) => codeOf(x) === 'R202'), 'R202 gone after the fix');
  });

  test('completion after "user." offers user properties and no device ones', async () => {
    const { text, position } = cursor('(user.department -eq "Sales") -and (user.|');
    const { doc } = await openFile('complete.rule', text);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      position,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const want of ['department', 'jobTitle', 'accountEnabled'])
      assert.ok(labels.includes(want), `${want} missing from ${labels.slice(0, 40).join(' ')}`);
    assert.ok(!labels.includes('deviceOwnership'), 'device properties offered after user.');
  });
});
