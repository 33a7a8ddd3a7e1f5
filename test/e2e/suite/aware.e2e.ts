/// <reference types="mocha" />
/**
 * Tenant-aware authoring in the real editor, against the extension's sandbox tenant (the only
 * signed-in tenant, so documents are checked against it): completing an approver by typing part
 * of a name, hover on an id, inlay hints with display names, an unknown id as a warning, and the
 * "matches N of M users" CodeLens on a rule. Leaves `e2e/aware/` files for the UI step, which
 * takes the screenshots.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, codeOf, waitForDiagnostics, workspaceRoot } from './helpers';

interface Sandbox {
  url: string;
  token: string;
}
interface User {
  id: string;
  displayName: string;
  userPrincipalName: string;
  department?: string | null;
}
const EM = '/identityGovernance/entitlementManagement';
const UNKNOWN = '0badc0de-0000-4000-8000-00000000abcd';

async function get<T>(sb: Sandbox, path: string): Promise<T> {
  const r = await fetch(`${sb.url}${path}`, { headers: { authorization: `Bearer ${sb.token}` } });
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return (await r.json()) as T;
}

export function approverPolicy(packageId: string, approverId: string): string {
  return `${JSON.stringify(
    {
      displayName: 'Approval by a named approver',
      description: 'Tenant-aware authoring',
      allowedTargetScope: 'allMemberUsers',
      expiration: { type: 'noExpiration' },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [
          {
            durationBeforeAutomaticDenial: 'P7D',
            isApproverJustificationRequired: false,
            isEscalationEnabled: false,
            primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: approverId }],
          },
        ],
      },
      accessPackage: { id: packageId },
    },
    null,
    2,
  )}\n`;
}

function hoverText(hs: readonly vscode.Hover[]): string {
  return hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

/** Retries a provider call until `accept` holds (the server may still be starting); the bound only ends a hang. */
async function until<T>(f: () => Thenable<T>, accept: (t: T) => boolean, what: string, limitMs = 30_000): Promise<T> {
  const end = Date.now() + limitMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await f();
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: last answer ${JSON.stringify(last)?.slice(0, 800)}`);
}

suite('tenant-aware authoring', () => {
  let sb: Sandbox;
  let user: User;
  let packageId: string;
  let packageName: string;
  let dir: vscode.Uri;

  async function write(name: string, text: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.joinPath(dir, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  suiteSetup(async () => {
    sb = await ((await activate()) as { sandbox(): Promise<Sandbox> }).sandbox();
    const users = await get<{ value: User[] }>(
      sb,
      '/users?$top=50&$select=id,displayName,userPrincipalName,department',
    );
    user = users.value.find((u) => u.department && u.displayName.includes(' '))!;
    assert.ok(user, 'a demo user with a department');
    const pkg = (await get<{ value: { id: string; displayName: string }[] }>(sb, `${EM}/accessPackages?$top=1`))
      .value[0]!;
    packageId = pkg.id;
    packageName = pkg.displayName;
    dir = vscode.Uri.joinPath(workspaceRoot(), 'e2e', 'aware');
    await vscode.commands.executeCommand('entitlements.refreshDirectory');
  });

  test('completing an approver by typing part of a name inserts the GUID', async () => {
    const part = user.displayName.split(' ')[1]!.slice(0, 3);
    const text = approverPolicy(packageId, part);
    const doc = await write('aware-complete.policy.json', text);
    const offset = text.indexOf(`"${part}"`) + 1 + part.length;
    const position = doc.positionAt(offset);
    const list = await until(
      () =>
        vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          doc.uri,
          position,
        ),
      (l) => l.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === user.displayName),
      `completion offers ${user.displayName}`,
    );
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === user.displayName)!;
    const edit = item.textEdit as vscode.TextEdit;
    assert.equal(edit.newText, user.id);
    assert.equal(doc.getText(edit.range), part, 'replaces what was typed');
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((b) => b.replace(edit.range, edit.newText));
    assert.ok(doc.getText().includes(`"userId": "${user.id}"`));
    await doc.save();
  });

  test('hover on an id shows the display name, kind and UPN, with a link to reveal it', async () => {
    const text = approverPolicy(packageId, user.id);
    const doc = await write('aware-hover.policy.json', text);
    const at = doc.positionAt(text.indexOf(user.id) + 4);
    const hovers = await until(
      () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at),
      (hs) => hoverText(hs).includes(user.displayName),
      'hover names the user',
    );
    const md = hoverText(hovers);
    assert.ok(md.includes(user.userPrincipalName), md);
    assert.match(md, /user in Sandbox/);
    assert.match(md, /entitlements\.revealDirectoryObject/);
    const pkgHover = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      doc.positionAt(text.indexOf(packageId) + 4),
    );
    assert.ok(hoverText(pkgHover).includes(packageName), hoverText(pkgHover));
  });

  test('inlay hints show the display name after each id', async () => {
    const text = approverPolicy(packageId, user.id);
    const doc = await write('aware-approver.policy.json', text);
    const range = new vscode.Range(0, 0, doc.lineCount, 0);
    const hints = await until(
      () => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range),
      (hs) => hs.length >= 2,
      'inlay hints for the approver and the package',
    );
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    assert.ok(labels.includes(user.displayName), labels.join(', '));
    assert.ok(labels.includes(packageName), labels.join(', '));
    const line = doc.positionAt(text.indexOf(user.id)).line;
    assert.ok(hints.some((h) => h.position.line === line));
  });

  test('the hover link reveals an access package in the Entitlements view', async () => {
    await write('aware-reveal.policy.json', approverPolicy(packageId, user.id));
    const r = await vscode.commands.executeCommand<{ revealed: boolean }>('entitlements.revealDirectoryObject', [
      { id: packageId, kind: 'accessPackage' },
    ]);
    assert.equal(r.revealed, true);
    // Leave the side bar on the Explorer: the workbench remembers its state for later windows.
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  test('an id that is not in the tenant is a warning naming it; a group for a user is a warning too', async () => {
    const doc = await write('aware-unknown.policy.json', approverPolicy(packageId, UNKNOWN));
    const ds = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'T101'), 'T101');
    const t = ds.find((x) => codeOf(x) === 'T101')!;
    assert.equal(t.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(t.message.includes(UNKNOWN), t.message);
    const group = (await get<{ value: { id: string }[] }>(sb, '/groups?$top=1')).value[0]!;
    const g = await write('aware-group.policy.json', approverPolicy(packageId, group.id));
    await waitForDiagnostics(g.uri, (d) => d.some((x) => codeOf(x) === 'T102'), 'T102');
  });

  test('a rule shows "matches N of M users", counted in the tenant, and opens the preview', async () => {
    const rule = `user.department -eq "${user.department}"`;
    const doc = await write('aware-matches.rule', `${rule}\n`);
    const all = { value: [] as User[] };
    for (let link: string | undefined = '/users?$top=999&$select=id,department'; link;) {
      const page: { value: User[]; '@odata.nextLink'?: string } = await get(sb, link.replace(sb.url, ''));
      all.value.push(...page.value);
      link = page['@odata.nextLink'];
    }
    const expected = all.value.filter((u) => (u.department ?? '').toLowerCase() === user.department!.toLowerCase());
    const lenses = await until(
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10),
      (ls) => ls.some((l) => /^matches \d+ of \d+ users/.test(l.command?.title ?? '')),
      'the matches CodeLens',
      60_000,
    );
    const lens = lenses.find((l) => /^matches/.test(l.command?.title ?? ''))!;
    assert.equal(lens.command!.title, `matches ${expected.length} of ${all.value.length} users in Sandbox tenant`);
    assert.equal(lens.command!.command, 'entitlements.previewMatches');
    const r = await vscode.commands.executeCommand<{ ok: boolean; matched: number }>('entitlements.previewMatches', {
      ...(lens.command!.arguments![0] as object),
      open: false,
    });
    assert.equal(r.matched, expected.length);
  });
});
