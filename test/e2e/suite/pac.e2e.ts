/// <reference types="mocha" />
/**
 * Policy as code in the real editor, against the extension's sandbox tenant: "Pull Tenant into
 * Folder…", "Plan", "Apply" and "Compare with Deployed" through their argument objects (which
 * pre-answer the folder, tenant and confirmation prompts), the diff editor they open, and the
 * per-file CodeLens. Leaves `e2e/pac-diff/` with one locally edited policy for the UI step, which
 * takes a screenshot of the diff.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, closeAll, workspaceRoot } from './helpers';

interface Sandbox {
  url: string;
  token: string;
}
interface Change {
  action: string;
  kind: string;
  file: string | null;
  id: string | null;
  fields: string[];
  drift?: boolean;
}
const EM = '/identityGovernance/entitlementManagement';
const POLICY = 'sales-and-marketing/crm-access/direct-assignment.policy.json';

async function sandbox(): Promise<Sandbox> {
  const api = (await activate()) as { sandbox(): Promise<Sandbox> };
  return api.sandbox();
}

async function readJson(uri: vscode.Uri): Promise<Record<string, unknown>> {
  return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as Record<string, unknown>;
}

async function writeJson(uri: vscode.Uri, value: unknown): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`));
}

suite('policy as code', () => {
  let folder: vscode.Uri;

  suiteSetup(async () => {
    await sandbox();
    folder = vscode.Uri.joinPath(workspaceRoot(), 'e2e', 'pac-diff');
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(
      () => undefined,
      () => undefined,
    );
  });
  teardown(closeAll);

  test('Pull Tenant into Folder writes the layout and its state file', async () => {
    const r = await vscode.commands.executeCommand<{ ok: boolean; written: string[] }>('entitlements.pullTenant', {
      tenantId: 'sandbox',
      folder: folder.fsPath,
    });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.ok(r.written.includes(POLICY), r.written.join(', '));
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, '.entitlements', 'state.json'));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, POLICY));
    assert.equal(doc.languageId, 'entra-policy');
  });

  test('Plan right after the pull has no changes; a local edit is one update naming description', async () => {
    const clean = await vscode.commands.executeCommand<{ ok: boolean; hasChanges: boolean; changes: Change[] }>(
      'entitlements.plan',
      {
        tenantId: 'sandbox',
        folder: folder.fsPath,
      },
    );
    assert.equal(clean.ok, true, JSON.stringify(clean));
    assert.equal(clean.hasChanges, false, JSON.stringify(clean.changes.filter((c) => c.action !== 'noop')));
    const uri = vscode.Uri.joinPath(folder, POLICY);
    await writeJson(uri, { ...(await readJson(uri)), description: 'Edited in the real editor.' });
    const edited = await vscode.commands.executeCommand<{ ok: boolean; hasChanges: boolean; changes: Change[] }>(
      'entitlements.plan',
      {
        tenantId: 'sandbox',
        folder: folder.fsPath,
      },
    );
    const pending = edited.changes.filter((c) => c.action !== 'noop' && c.action !== 'unmanaged');
    assert.deepEqual(
      pending.map((c) => [c.action, c.file, c.fields, c.drift]),
      [['update', POLICY, ['description'], undefined]],
    );
    const report = vscode.workspace.textDocuments.find(
      (d) => d.uri.scheme === 'entitlements-pac' && d.uri.path === '/Plan.md',
    );
    assert.ok(report, 'the plan report is open');
    assert.match(report.getText(), /~ update policy .*direct-assignment\.policy\.json \(description\)/);
  });

  test('Compare with Deployed opens the diff editor: the tenant object on the left, the file on the right', async () => {
    const uri = vscode.Uri.joinPath(folder, POLICY);
    const r = await vscode.commands.executeCommand<{ ok: boolean; status: string; id: string }>(
      'entitlements.compareWithDeployed',
      {
        uri: uri.toString(),
        tenantId: 'sandbox',
      },
    );
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.status, 'changedLocally');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `the active tab is ${tab?.label ?? 'none'}, not a diff`);
    const input = tab.input;
    assert.equal(input.original.scheme, 'entitlements-pac');
    assert.equal(input.modified.toString(), uri.toString());
    const left = await vscode.workspace.openTextDocument(input.original);
    assert.match(left.getText(), /"description": "Administrators assign this package; nobody requests it\."/);
    assert.doesNotMatch(left.getText(), /"id":|createdDateTime/);
  });

  test('the CodeLens of a pulled file says where it stands against the tenant', async () => {
    const uri = vscode.Uri.joinPath(folder, POLICY);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => /changed locally — Sandbox tenant/.test(t)),
      `CodeLens titles: ${titles.join(' | ')}`,
    );
  });

  test('Apply carries the change out; Plan then has no changes; a change in the tenant is drift', async () => {
    const applied = await vscode.commands.executeCommand<{
      ok: boolean;
      outcomes: { ok: boolean; action: string; file: string | null; id?: string }[];
    }>('entitlements.apply', {
      tenantId: 'sandbox',
      folder: folder.fsPath,
      confirm: true,
    });
    assert.equal(applied.ok, true, JSON.stringify(applied));
    const mine = applied.outcomes.find((o) => o.file === POLICY);
    assert.ok(mine?.ok && mine.action === 'update', JSON.stringify(applied.outcomes));
    const sb = await sandbox();
    const headers = { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/json' };
    const live = (await (
      await fetch(`${sb.url}${EM}/assignmentPolicies/${mine.id!}?$expand=accessPackage`, { headers })
    ).json()) as Record<string, unknown>;
    assert.equal(live.description, 'Edited in the real editor.');
    const after = await vscode.commands.executeCommand<{ hasChanges: boolean }>('entitlements.plan', {
      tenantId: 'sandbox',
      folder: folder.fsPath,
    });
    assert.equal(after.hasChanges, false);
    // Someone changes it in the tenant.
    const { id: _i, createdDateTime: _c, modifiedDateTime: _m, '@odata.context': _o, ...body } = live;
    const put = await fetch(`${sb.url}${EM}/assignmentPolicies/${mine.id!}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        ...body,
        description: 'Changed in the portal.',
        accessPackage: { id: (live.accessPackage as { id: string }).id },
      }),
    });
    assert.ok(put.ok, await put.text());
    const drift = await vscode.commands.executeCommand<{ changes: Change[] }>('entitlements.plan', {
      tenantId: 'sandbox',
      folder: folder.fsPath,
    });
    const p = drift.changes.filter((c) => c.action === 'update');
    assert.deepEqual(
      p.map((c) => [c.file, c.fields, c.drift]),
      [[POLICY, ['description'], true]],
    );
    // Leave the folder locally edited against the tenant for the UI step's screenshot of the diff.
    const uri = vscode.Uri.joinPath(folder, POLICY);
    await writeJson(uri, { ...(await readJson(uri)), description: 'Edited in the real editor, again.' });
  });
});
