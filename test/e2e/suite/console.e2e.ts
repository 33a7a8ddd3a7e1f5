/// <reference types="mocha" />
/**
 * The explorer as the admin's console, in the real editor against the extension's own sandbox:
 * a palette-style command (no tree node) refreshing the folder it changed, a request approved
 * (both stages) and leaving the Requests folder, a group added as a resource role, the access
 * report, a deploy error placed on the JSON path it names, and the manifest's VS Code citizenship
 * (Restricted Mode, completion in strings, icons, Copy Id only on rows with an id).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, manifest, openFile, waitForDiagnostics } from './helpers';

interface Sandbox {
  url: string;
  token: string;
}
interface Api {
  sandbox(): Promise<Sandbox>;
  tree: vscode.TreeDataProvider<unknown> & { onDidChangeTreeData: vscode.Event<unknown> };
}
type Entity = Record<string, unknown> & { id: string; displayName?: string };

const EM = '/identityGovernance/entitlementManagement';
let sb: Sandbox;
let tree: Api['tree'];

async function graph<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const res = await fetch(`${sb.url}${path}`, {
    method: init?.method ?? 'GET',
    headers: { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${init?.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const label = (item: vscode.TreeItem): string =>
  typeof item.label === 'string' ? item.label : (item.label?.label ?? '');

/** The child of `parent` (the root when undefined) whose label is `name`. */
async function child(parent: unknown, name: string | RegExp): Promise<unknown> {
  const kids = (await tree.getChildren(parent)) ?? [];
  const items = await Promise.all(kids.map(async (k) => [k, await tree.getTreeItem(k)] as const));
  const found = items.find(([, i]) => (typeof name === 'string' ? label(i) === name : name.test(label(i))));
  assert.ok(found, `no ${String(name)} among ${items.map(([, i]) => label(i)).join(' | ')}`);
  return found[0];
}

async function rows(parent: unknown): Promise<vscode.TreeItem[]> {
  return Promise.all(((await tree.getChildren(parent)) ?? []).map(async (k) => tree.getTreeItem(k)));
}

/** Resolves when the tree announces a change of `node` (or of everything). */
function changed(node: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('the tree announced no change of the folder'));
    }, 20_000);
    const sub = tree.onDidChangeTreeData((n) => {
      if (n === undefined || n === node) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

suite('console: the explorer as the admin console', () => {
  suiteSetup(async () => {
    const a = (await activate()) as Api;
    sb = await a.sandbox();
    tree = a.tree;
  });

  test('a command run without a tree node refreshes the catalog it changed', async () => {
    const sandboxRow = await child(undefined, /sandbox/i);
    const catalog = await child(sandboxRow, 'Sales and Marketing');
    const before = (await rows(catalog)).map(label);
    const catalogs = (await graph<{ value: Entity[] }>(`${EM}/catalogs?$filter=displayName eq 'Sales and Marketing'`))
      .value;
    const redrawn = changed(catalog);
    const created = await vscode.commands.executeCommand<{ ok: boolean; accessPackage?: Entity }>(
      'entitlements.createAccessPackage',
      { catalogId: catalogs[0]!.id, displayName: `Palette package ${process.pid}` },
    );
    assert.ok(created?.ok, JSON.stringify(created));
    await redrawn;
    const after = (await rows(catalog)).map(label);
    assert.ok(!before.includes(`Palette package ${process.pid}`));
    assert.ok(after.includes(`Palette package ${process.pid}`), after.join(' | '));
  });

  test('a request approved through both stages leaves the Requests folder and is delivered', async () => {
    const pkg = await child(await child(await child(undefined, /sandbox/i), 'Engineering'), 'Partner collaboration');
    const requests = await child(pkg, 'Requests');
    const items = (await rows(requests)).filter((i) => i.contextValue === 'entitlements.request.pendingApproval');
    assert.ok(items.length > 0, 'the demo tenant has requests pending approval');
    const requestId = String(items[0]!.id).split('/').pop()!;
    for (const justification of ['known partner', 'contract on file']) {
      const r = await vscode.commands.executeCommand<{ ok: boolean; state?: string }>('entitlements.approveRequest', {
        requestId,
        justification,
      });
      assert.ok(r?.ok, JSON.stringify(r));
    }
    const req = await graph<Entity>(`${EM}/assignmentRequests/${requestId}`);
    assert.equal(req.state, 'delivered');
    const left = (await rows(requests)).map((i) => String(i.id));
    assert.ok(!left.some((id) => id.endsWith(requestId)), 'the approved request left the attention folder');
  });

  test('a group added as a resource role shows under the package and the catalog', async () => {
    const sales = await child(await child(undefined, /sandbox/i), 'Sales and Marketing');
    const crm = await child(sales, 'CRM access');
    const grants = await child(crm, 'Resource roles');
    const group = (await graph<{ value: Entity[] }>(`/groups?$filter=displayName eq 'All Sales'`)).value[0]!;
    const packageId = (await graph<{ value: Entity[] }>(`${EM}/accessPackages?$filter=displayName eq 'CRM access'`))
      .value[0]!.id;
    const redrawn = changed(grants);
    const r = await vscode.commands.executeCommand<{ ok: boolean; onboarded?: boolean }>(
      'entitlements.addGroupResourceRole',
      { accessPackageId: packageId, groupId: group.id, role: 'Member' },
    );
    assert.ok(r?.ok, JSON.stringify(r));
    await redrawn;
    const shown = await rows(grants);
    assert.deepEqual(
      shown.map((i) => [label(i), i.description]),
      [['All Sales', 'Member · group']],
    );
    const resources = await rows(await child(sales, 'Resources'));
    assert.ok(resources.some((i) => label(i) === 'All Sales'));
  });

  test('the access report of a package lists its users and what it grants, as Markdown and CSV', async () => {
    const packageId = (await graph<{ value: Entity[] }>(`${EM}/accessPackages?$filter=displayName eq 'CRM access'`))
      .value[0]!.id;
    const r = await vscode.commands.executeCommand<{ ok: boolean; markdown: string; csv: string; rows: number }>(
      'entitlements.accessReport',
      { accessPackageId: packageId, format: 'both' },
    );
    assert.ok(r?.ok, JSON.stringify(r));
    assert.match(r.markdown, /^# Who has CRM access/);
    assert.match(r.markdown, /All Sales \(Member\)/);
    assert.ok(r.rows > 0);
    assert.equal(r.csv.split('\r\n')[0], '"userId","user","principalName","policy","state","All Sales (Member)"');
    const shown = vscode.workspace.textDocuments.find((d) => d.languageId === 'markdown' && d.getText() === r.markdown);
    assert.ok(shown, 'the report is open in an editor');
  });

  test('a deploy error is placed on the JSON path Graph names, once', async () => {
    const body = {
      displayName: 'Unknown package',
      description: 'deploy error placement',
      allowedTargetScope: 'notSpecified',
      specificAllowedTargets: [],
      expiration: { type: 'noExpiration' },
      requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, stages: [] },
      accessPackage: { id: '0a0a0a0a-0000-4000-8000-000000000000' },
    };
    const { doc } = await openFile('misplaced.policy.json', `${JSON.stringify(body, null, 2)}\n`);
    const r = await vscode.commands.executeCommand<{ ok: boolean; code?: string }>('entitlements.deployPolicy', {
      uri: doc.uri.toString(),
      tenantId: 'sandbox',
    });
    assert.equal(r?.ok, false, JSON.stringify(r));
    const diags = await waitForDiagnostics(
      doc.uri,
      (ds) => ds.some((d) => d.source === 'entitlements' && /does not exist/.test(d.message)),
      'the Graph error',
    );
    const graphDiags = diags.filter((d) => d.source === 'entitlements' && /\(Graph: /.test(d.message));
    assert.equal(graphDiags.length, 1, JSON.stringify(graphDiags.map((d) => d.message)));
    const line = doc.lineAt(graphDiags[0]!.range.start.line).text;
    assert.match(line, /"(accessPackage|id)"/, `placed on: ${line}`);
    assert.notEqual(graphDiags[0]!.range.start.line, 0);
  });

  test('the manifest is a first-class VS Code citizen', () => {
    const m = manifest() as ReturnType<typeof manifest> & {
      icon?: string;
      repository?: { url?: string };
      capabilities?: { untrustedWorkspaces?: { supported?: unknown }; virtualWorkspaces?: { supported?: unknown } };
      contributes?: {
        configurationDefaults?: Record<string, Record<string, unknown>>;
        languages?: { id: string; icon?: unknown }[];
        walkthroughs?: { id: string }[];
        menus?: Record<string, { command: string; when?: string }[]>;
      };
    };
    assert.equal(m.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.equal(m.capabilities?.virtualWorkspaces?.supported, 'limited');
    for (const lang of ['entra-rule', 'entra-policy']) {
      const q = m.contributes?.configurationDefaults?.[`[${lang}]`]?.['editor.quickSuggestions'] as {
        strings?: string;
      };
      assert.equal(q?.strings, 'on', lang);
      assert.ok(m.contributes?.languages?.find((l) => l.id === lang)?.icon, `${lang} has an icon`);
      assert.equal(
        (
          vscode.workspace.getConfiguration('editor', { languageId: lang }).get('quickSuggestions') as {
            strings?: string;
          }
        )?.strings,
        'on',
      );
    }
    assert.equal(m.icon, 'media/icon.png');
    assert.doesNotMatch(m.repository?.url ?? '', /example\.invalid/);
    assert.ok(m.contributes?.walkthroughs?.some((w) => w.id === 'gettingStarted'));
    const copy = m.contributes?.menus?.['view/item/context']?.find((x) => x.command === 'entitlements.copyId');
    assert.ok(copy?.when && !/assignment\)|tenant\|/.test(copy.when), copy?.when);
    const palette = m.contributes?.menus?.commandPalette ?? [];
    for (const hidden of ['entitlements.removeAssignment', 'entitlements.approveRequest', 'entitlements.copyId'])
      assert.equal(palette.find((p) => p.command === hidden)?.when, 'false', hidden);
  });
});
