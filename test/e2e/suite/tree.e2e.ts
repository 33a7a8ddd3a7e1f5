/// <reference types="mocha" />
/**
 * The Entitlements tree against the sandbox tenant the extension talks to (its API's `sandbox()`),
 * and the assign / remove commands round-tripping through it.
 *
 * Relies on the extension's API (activate() result): `{ sandbox(): Promise<{url, token}>, tree }`
 * (tree: the TreeDataProvider of the view), and on the argument objects that pre-answer the
 * prompts of `entitlements.assign` (`{accessPackageId, policyId, userIds, justification}`) and
 * `entitlements.removeAssignment` (`{assignmentIds, confirmed: true}`).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, manifest } from './helpers';

interface Sandbox {
  url: string;
  token: string;
}
interface Api {
  sandbox(): Sandbox | Promise<Sandbox>;
  tree: vscode.TreeDataProvider<unknown>;
}
interface Row {
  depth: number;
  label: string;
  description: string;
  tooltip: string;
  id: string;
  contextValue: string;
}
type Entity = Record<string, unknown> & { id: string; displayName?: string };

const EM = '/identityGovernance/entitlementManagement';

async function api(): Promise<Api> {
  const exports = (await activate()) as Partial<Api> | undefined;
  assert.ok(exports && typeof exports.sandbox === 'function', 'activate() must return an API with sandbox()');
  assert.ok(
    exports.tree && typeof exports.tree.getChildren === 'function' && typeof exports.tree.getTreeItem === 'function',
    'activate() must return an API whose `tree` is a TreeDataProvider',
  );
  return exports as Api;
}

async function graph<T>(sb: Sandbox, path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const res = await fetch(`${sb.url}${path}`, {
    method: init?.method ?? 'GET',
    headers: { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${init?.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Every page of a collection. */
async function all(sb: Sandbox, path: string): Promise<Entity[]> {
  const out: Entity[] = [];
  let next: string | undefined = path;
  while (next) {
    const page: { value: Entity[]; '@odata.nextLink'?: string } = await graph(sb, next);
    out.push(...page.value);
    const link = page['@odata.nextLink'];
    next = link ? link.slice(link.indexOf(sb.url) === 0 ? sb.url.length : 0) : undefined;
  }
  return out;
}

const text = (v: string | vscode.TreeItemLabel | vscode.MarkdownString | undefined): string =>
  v === undefined ? '' : typeof v === 'string' ? v : 'label' in v ? v.label : v.value;

/** The tree read breadth-first through the provider, as the view would, down to `maxDepth`. */
async function readTree(tree: vscode.TreeDataProvider<unknown>, maxDepth: number, maxRows = 3000): Promise<Row[]> {
  const rows: Row[] = [];
  let level: unknown[] = [undefined];
  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const parent of level) {
      for (const node of (await tree.getChildren(parent)) ?? []) {
        const item = await tree.getTreeItem(node);
        rows.push({
          depth,
          label: text(item.label),
          description: typeof item.description === 'string' ? item.description : '',
          tooltip: text(item.tooltip),
          id: item.id ?? '',
          contextValue: item.contextValue ?? '',
        });
        if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None && item.collapsibleState !== undefined)
          next.push(node);
        if (rows.length >= maxRows) return rows;
      }
    }
    level = next;
  }
  return rows;
}

const mentions = (rows: Row[], needle: string): boolean =>
  rows.some((r) => [r.label, r.description, r.tooltip, r.id].some((t) => t.includes(needle)));

suite('tree: the sandbox tenant in the sidebar', () => {
  let sb: Sandbox;
  let tree: vscode.TreeDataProvider<unknown>;

  suiteSetup(async () => {
    const views = Object.values(manifest().contributes?.views ?? {})
      .flat()
      .map((v) => v.id);
    assert.ok(
      views.some((v) => v.startsWith('entitlements.')),
      `package.json contributes no entitlements.* view (views: ${views.join(', ') || 'none'})`,
    );
    const a = await api();
    sb = await a.sandbox();
    assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+\//, 'sandbox() gives the loopback sandbox URL');
    tree = a.tree;
  });

  test('lists every access package of the sandbox', async () => {
    const packages = await all(sb, `${EM}/accessPackages`);
    assert.ok(packages.length > 0, 'the demo seed has packages');
    const rows = await readTree(tree, 4);
    const missing = packages.filter((p) => !mentions(rows, String(p.displayName)));
    assert.deepEqual(
      missing.map((p) => p.displayName),
      [],
      `tree rows: ${rows.map((r) => r.label).join(' | ')}`,
    );
  });

  test('lists every assignment policy under its package', async () => {
    const policies = await all(sb, `${EM}/assignmentPolicies`);
    assert.ok(policies.length > 0);
    const rows = await readTree(tree, 6);
    const missing = policies.filter((p) => !mentions(rows, String(p.displayName)));
    assert.deepEqual(
      missing.map((p) => p.displayName),
      [],
      `tree rows: ${rows.map((r) => r.label).join(' | ')}`,
    );
  });

  test('lists assignments (by their target) somewhere below the packages', async () => {
    const assignments = await all(sb, `${EM}/assignments?$expand=target`);
    assert.ok(assignments.length > 0, 'the demo seed has assignments');
    const rows = await readTree(tree, 6);
    const shown = assignments.filter((a) => {
      const target = (a.target ?? {}) as { displayName?: string; objectId?: string };
      return mentions(rows, a.id) || (target.displayName !== undefined && mentions(rows, target.displayName));
    });
    assert.ok(shown.length > 0, `none of ${assignments.length} assignments appears in ${rows.length} tree rows`);
  });

  test('assign then remove round-trips through the commands', async () => {
    const policies = await all(sb, `${EM}/assignmentPolicies?$expand=accessPackage`);
    // A policy administrators assign directly: no approval, not automatic.
    const direct =
      policies.find((p) => {
        const approval = (p.requestApprovalSettings ?? {}) as { isApprovalRequiredForAdd?: boolean };
        return (
          !approval.isApprovalRequiredForAdd && !p.automaticRequestSettings && p.allowedTargetScope === 'notSpecified'
        );
      }) ??
      policies.find(
        (p) => !((p.requestApprovalSettings ?? {}) as { isApprovalRequiredForAdd?: boolean }).isApprovalRequiredForAdd,
      );
    assert.ok(direct, 'the demo seed has a policy without approval');
    const pkg = (direct.accessPackage ?? {}) as { id?: string };
    assert.ok(pkg.id, `policy ${direct.id} has its accessPackage expanded`);
    const users = (await graph<{ value: Entity[] }>(sb, `/users?$top=50`)).value;
    const held = new Set(
      (await all(sb, `${EM}/assignments?$expand=target&$filter=accessPackage/id eq '${pkg.id}'`)).map(
        (a) => ((a.target ?? {}) as { objectId?: string }).objectId,
      ),
    );
    const user = users.find((u) => !held.has(u.id) && u.accountEnabled !== false && u.userType !== 'Guest');
    assert.ok(user, 'a member user without this package');

    const added = await vscode.commands.executeCommand<
      { userId: string; ok: boolean; code?: string; message?: string }[] | undefined
    >('entitlements.assign', {
      accessPackageId: pkg.id,
      policyId: direct.id,
      userIds: [user.id],
      justification: 'e2e round trip',
    });
    assert.ok(added, 'entitlements.assign returned nothing (did it prompt despite the argument object?)');
    assert.deepEqual(
      added.map((r) => [r.userId, r.ok, r.code ?? '']),
      [[user.id, true, '']],
      JSON.stringify(added),
    );
    const mine = (await all(sb, `${EM}/assignments?$expand=target&$filter=accessPackage/id eq '${pkg.id}'`)).filter(
      (a) => ((a.target ?? {}) as { objectId?: string }).objectId === user.id && a.state !== 'expired',
    );
    assert.equal(mine.length, 1, `expected one assignment of ${pkg.id} for ${user.id} after entitlements.assign`);
    const assignment = mine[0]!;

    await vscode.commands.executeCommand('entitlements.refresh');
    const removed = await vscode.commands.executeCommand<
      { assignmentId: string; ok: boolean; code?: string }[] | undefined
    >('entitlements.removeAssignment', { assignmentIds: [assignment.id], confirmed: true });
    assert.ok(removed, 'entitlements.removeAssignment returned nothing');
    assert.deepEqual(
      removed.map((r) => [r.assignmentId, r.ok]),
      [[assignment.id, true]],
      JSON.stringify(removed),
    );
    const after = await graph<Entity | undefined>(sb, `${EM}/assignments/${assignment.id}`).catch(() => undefined);
    assert.ok(
      after === undefined || after.state === 'expired',
      `after entitlements.removeAssignment the assignment is ${JSON.stringify(after)}`,
    );
  });
  test('create a package, deploy a policy from a template, assign and remove: all through the commands', async () => {
    const catalogs = await all(sb, `${EM}/catalogs`);
    const catalog = catalogs[0];
    assert.ok(catalog, 'the demo tenant has a catalog');
    const created = await vscode.commands.executeCommand<
      { ok: boolean; accessPackage?: Entity; code?: string; message?: string } | undefined
    >('entitlements.createAccessPackage', {
      catalogId: catalog.id,
      displayName: 'E2E round trip',
      description: 'created by the real-editor tests',
    });
    assert.ok(created?.ok && created.accessPackage?.id, JSON.stringify(created));
    const packageId = created.accessPackage.id;

    const uri = await vscode.commands.executeCommand<string | undefined>('entitlements.createPolicy', {
      accessPackageId: packageId,
      template: 'Direct assignment policy',
    });
    assert.ok(uri, 'entitlements.createPolicy opened no document');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.ok(
      doc && doc.languageId === 'entra-policy' && doc.getText().includes(packageId),
      'the policy document names the new package',
    );
    const deployed = await vscode.commands.executeCommand<
      { ok: boolean; policyId?: string; created?: boolean; code?: string; message?: string } | undefined
    >('entitlements.deployPolicy', { uri });
    assert.ok(deployed?.ok && deployed.policyId && deployed.created, JSON.stringify(deployed));
    const policy = await graph<Entity>(sb, `${EM}/assignmentPolicies/${deployed.policyId}?$expand=accessPackage`);
    assert.equal(((policy.accessPackage ?? {}) as { id?: string }).id, packageId);

    const users = (await graph<{ value: Entity[] }>(sb, `/users?$top=5`)).value;
    const user = users[0];
    assert.ok(user);
    const added = await vscode.commands.executeCommand<{ userId: string; ok: boolean; code?: string }[] | undefined>(
      'entitlements.assign',
      { accessPackageId: packageId, policyId: deployed.policyId, userIds: [user.id] },
    );
    assert.deepEqual(
      added?.map((r) => [r.userId, r.ok]),
      [[user.id, true]],
      JSON.stringify(added),
    );
    const [assignment] = (await all(sb, `${EM}/assignments?$filter=accessPackage/id eq '${packageId}'`)).filter(
      (a) => a.state !== 'expired',
    );
    assert.ok(assignment, 'the new package has its assignment');
    const removed = await vscode.commands.executeCommand<{ assignmentId: string; ok: boolean }[] | undefined>(
      'entitlements.removeAssignment',
      { assignmentIds: [assignment.id], confirmed: true },
    );
    assert.deepEqual(
      removed?.map((r) => r.ok),
      [true],
      JSON.stringify(removed),
    );
    assert.equal((await graph<Entity>(sb, `${EM}/assignments/${assignment.id}`)).state, 'expired');
  });
});
