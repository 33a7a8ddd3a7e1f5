/** The tree nodes over the real sandbox: listing, item data, paging to the end, state filter. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessPackageNode } from '../../client/src/tree/nodes/accessPackageNode';
import { AssignmentNode } from '../../client/src/tree/nodes/assignmentNode';
import type { CatalogNode } from '../../client/src/tree/nodes/catalogNode';
import type { AssignmentsNode } from '../../client/src/tree/nodes/assignmentsNode';
import { ErrorNode } from '../../client/src/tree/nodes/errorNode';
import { TenantNode } from '../../client/src/tree/nodes/tenantNode';
import { LoadMoreNode } from '../../client/src/tree/nodes/loadMoreNode';
import { PolicyNode } from '../../client/src/tree/nodes/policyNode';
import { child, children, harness, labels, type Harness } from './helpers';

describe('tree over the demo tenant', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ seed: 'demo', testHooks: true });
  });
  after(() => h.close());

  it('lists catalogs (and connected organisations), packages, and the folders of a package', async () => {
    const top = labels(await children(h.root));
    assert.equal(top.at(-1), 'Connected organisations');
    assert.deepEqual(top.slice(0, -1).sort(), ['Engineering', 'General', 'Sales and Marketing']);
    const sales = await child(h.root, 'Sales and Marketing');
    const inSales = labels(await children(sales));
    assert.equal(inSales[0], 'Resources');
    assert.deepEqual(inSales.slice(1).sort(), ['CRM access', 'Sales team (automatic)']);
    const crm = await child(sales, 'CRM access');
    assert.ok(crm instanceof AccessPackageNode);
    assert.deepEqual(labels(await children(crm)), ['Policies', 'Assignments', 'Requests', 'Resource roles']);
  });

  it('gives every row a stable id from Graph ids, an icon, a tooltip and a context value', async () => {
    const sales = await child(h.root, 'Sales and Marketing');
    const auto = (await child(sales, 'Sales team (automatic)')) as AccessPackageNode;
    const policies = await children(auto.policies);
    const policy = policies[0] as PolicyNode;
    const item = policy.getTreeItem();
    assert.equal(item.id, `sandbox/policy/${policy.policy.id}`);
    assert.equal(item.contextValue, 'entitlements.policy.auto');
    assert.equal(item.iconId, 'symbol-event');
    assert.match(item.tooltip ?? '', /rule: /);
    assert.equal(item.command?.command, 'entitlements.openPolicy');
    const again = (await children(auto.policies))[0]!.getTreeItem();
    assert.equal(again.id, item.id);
    const rows = await children(auto.assignments);
    const first = rows.find((r) => r instanceof AssignmentNode) as AssignmentNode;
    assert.ok(first, 'the automatic package has assignments');
    const a = first.getTreeItem();
    assert.equal(a.id, `sandbox/assignment/${first.row.id}`);
    assert.equal(a.iconId, 'account');
    assert.match(a.description ?? '', /@/);
    assert.match(a.description ?? '', /delivered/);
    assert.match(a.tooltip ?? '', /policy: /);
    assert.equal(a.contextValue, 'entitlements.assignment');
  });

  it('shows an empty row for a package without assignments', async () => {
    const { accessPackageId } = await makeEmptyPackage(h);
    const cat = await child(h.root, 'Engineering');
    (cat as CatalogNode).reset();
    const pkg = (await child(cat, 'Empty one')) as AccessPackageNode;
    assert.equal(pkg.graphId, accessPackageId);
    assert.deepEqual(labels(await children(pkg.assignments)), ['No assignments']);
  });
});

async function makeEmptyPackage(h: Harness): Promise<{ accessPackageId: string }> {
  const cats = await h.api.catalogs();
  const eng = cats.items.find((c) => c.displayName === 'Engineering')!;
  const p = await h.api.createAccessPackage(eng.id!, 'Empty one', 'nothing here');
  return { accessPackageId: p.id! };
}

describe('paging 10k assignments', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ seed: 'empty', seedAssignments: 10_000 });
  });
  after(() => h.close());

  it('loads page after page through "Load more" until the last page, with no duplicate', async () => {
    const cat = await child(h.root, /Load test/);
    const pkg = (await child(cat, /Bulk package/)) as AccessPackageNode;
    const folder = pkg.assignments;
    let rows = await children(folder);
    assert.ok(rows.at(-1) instanceof LoadMoreNode);
    let requests = 1;
    while (folder.hasMore) {
      await folder.loadMore();
      requests++;
    }
    rows = await children(folder);
    assert.equal(rows.length, 10_000);
    assert.ok(rows.every((r) => r instanceof AssignmentNode));
    assert.equal(new Set(rows.map((r) => r.id)).size, 10_000);
    assert.equal(requests, 100);
  });

  it('keeps the loaded rows when a later page fails, and the error row retries that page', async () => {
    const cat = await child(new TenantNode(h.tenant), /Load test/);
    const folder = ((await child(cat, /Bulk package/)) as AccessPackageNode).assignments;
    await children(folder);
    h.faults.always = '500';
    await folder.loadMore();
    let rows = await children(folder);
    assert.equal(rows.length, 101);
    assert.ok(rows.at(-1) instanceof ErrorNode);
    h.faults.clear();
    await folder.retry();
    rows = await children(folder);
    assert.equal(rows.length, 201);
    assert.ok(rows.at(-1) instanceof LoadMoreNode);
    assert.equal(new Set(rows.map((r) => r.id)).size, 201);
  });
});

describe('state filter', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ seed: 'empty', seedAssignments: 30 });
  });
  after(() => h.close());

  it('shows only assignments in the chosen state, and all again when cleared', async () => {
    const cat = await child(h.root, /Load test/);
    const pkg = (await child(cat, /Bulk package/)) as AccessPackageNode;
    const folder: AssignmentsNode = pkg.assignments;
    const all = (await children(folder)) as AssignmentNode[];
    assert.equal(all.length, 30);
    await h.api.adminRemove(all[0]!.row.id);
    await h.api.adminRemove(all[1]!.row.id);
    folder.setFilter('expired');
    const expired = (await children(folder)) as AssignmentNode[];
    assert.deepEqual(expired.map((n) => n.row.id).sort(), [all[0]!.row.id, all[1]!.row.id].sort());
    assert.ok(expired.every((n) => n.getTreeItem().contextValue === 'entitlements.assignment.expired'));
    assert.equal(folder.getTreeItem().description, 'state: expired');
    folder.setFilter('delivered');
    assert.equal((await children(folder)).length, 28);
    folder.setFilter('deliveryFailed');
    assert.deepEqual(labels(await children(folder)), ['No delivery failed assignments']);
    folder.setFilter(undefined);
    assert.equal((await children(folder)).length, 30);
  });
});
