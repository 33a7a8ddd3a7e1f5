/**
 * The console over a real sandbox (HTTP, the demo tenant): a package's Requests folder with the
 * requests needing attention, a request's details and approval stages, approving one; what a
 * package grants (resource roles, catalog resources); connected organisations; the access report.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { refreshCatalog } from '../../client/src/commands/refreshTree';
import { ConsoleApi, requestsPath } from '../../client/src/requests/consoleApi';
import { packageReport, reportCsv, reportMarkdown, userReport } from '../../client/src/report/accessReport';
import { AccessPackageNode } from '../../client/src/tree/nodes/accessPackageNode';
import type { CatalogNode } from '../../client/src/tree/nodes/catalogNode';
import { RequestNode } from '../../client/src/tree/nodes/requestNode';
import { loadedNodes } from '../../client/src/tree/loaded';
import { child, children, harness, labels, type Harness } from './helpers';

const EM = '/identityGovernance/entitlementManagement';
let h: Harness;
let api: ConsoleApi;
before(async () => {
  h = await harness({ seed: 'demo', testHooks: true });
  api = new ConsoleApi(h.api.graph);
});
after(() => h.close());

async function partnerPackage(): Promise<AccessPackageNode> {
  const eng = await child(h.root, 'Engineering');
  const pkg = await child(eng, 'Partner collaboration');
  assert.ok(pkg instanceof AccessPackageNode);
  return pkg;
}

describe('requests and approvals in the tree', () => {
  it('filters by package and states', () => {
    assert.equal(
      decodeURIComponent(requestsPath('p1', ['pendingApproval', 'deliveryFailed'])),
      `${EM}/assignmentRequests?$filter=accessPackage/id eq 'p1' and (state eq 'pendingApproval' or state eq 'deliveryFailed')&$expand=requestor,assignment`,
    );
  });

  it('lists the requests pending approval, with requestor, type, date, details and stages', async () => {
    const pkg = await partnerPackage();
    assert.deepEqual(labels(await children(pkg)), ['Policies', 'Assignments', 'Requests', 'Resource roles']);
    const rows = await children(pkg.requests);
    const pending = rows.filter((r): r is RequestNode => r instanceof RequestNode);
    assert.ok(pending.length >= 5, `pending requests: ${labels(rows).join(', ')}`);
    for (const r of pending) {
      const item = r.getTreeItem();
      assert.equal(item.contextValue, 'entitlements.request.pendingApproval');
      assert.match(item.description ?? '', /^pending approval · added by an admin · \d{4}-\d{2}-\d{2}$/);
      assert.match(item.tooltip ?? '', /justification: Partner project kickoff/);
    }
    const details = labels(await children(pending[0]!));
    assert.ok(details.includes('justification: Partner project kickoff'), details.join(' | '));
    assert.ok(
      details.some((d) => /^Stage 1: in progress/.test(d)),
      details.join(' | '),
    );
  });

  it('approving both stages delivers the assignment; the request leaves the attention folder', async () => {
    const pkg = await partnerPackage();
    pkg.requests.reset();
    const before = (await children(pkg.requests)).filter((r) => r instanceof RequestNode) as RequestNode[];
    const target = before[0]!;
    for (let i = 0; i < 2; i++) {
      const stage = (await api.approval(target.graphId)).stages!.find((s) => s.status === 'InProgress')!;
      await api.decide(target.graphId, stage.id!, 'Approve', `ok ${i}`);
    }
    assert.equal((await api.request(target.graphId)).state, 'delivered');
    pkg.requests.reset();
    const after = (await children(pkg.requests)).filter((r) => r instanceof RequestNode);
    assert.equal(after.length, before.length - 1);
    pkg.requests.setFilter(['delivered']);
    const delivered = (await children(pkg.requests)) as RequestNode[];
    const done = delivered.find((r) => r.graphId === target.graphId)!;
    const stages = labels(await children(done)).filter((l) => l.startsWith('Stage'));
    assert.equal(stages.length, 2);
    assert.match(stages[1]!, /^Stage 2: approved — Sandbox Administrator · \d{4}-\d{2}-\d{2} · “ok 1”$/);
    pkg.requests.setFilter(undefined);
  });

  it("cancel ends a pending request; deciding it afterwards is refused with Graph's error", async () => {
    const pkg = await partnerPackage();
    pkg.requests.reset();
    const r = ((await children(pkg.requests)).find((n) => n instanceof RequestNode) as RequestNode)!;
    const stage = (await api.approval(r.graphId)).stages!.find((s) => s.status === 'InProgress')!;
    await api.cancel(r.graphId);
    assert.equal((await api.request(r.graphId)).state, 'canceled');
    await assert.rejects(api.decide(r.graphId, stage.id!, 'Approve', ''), (e: { status?: number }) => e.status === 409);
  });
});

describe('what a package grants', () => {
  it('a group added to the catalog and granted by the package shows under both', async () => {
    const sales = (await child(h.root, 'Sales and Marketing')) as CatalogNode;
    const crm = (await child(sales, 'CRM access')) as AccessPackageNode;
    assert.deepEqual(labels(await children(crm.roleScopes)), ['Grants no resource role yet']);
    const groups = await h.api.graph.get<{ value: { id: string; displayName: string }[] }>(
      "/groups?$filter=displayName eq 'All Sales'",
    );
    const group = groups.value[0]!;
    await api.addGroupToCatalog(sales.graphId, group.id, group.displayName);
    const resource = (await api.catalogResources(sales.graphId)).items.find((r) => r.originId === group.id)!;
    const rs = await api.addGroupRole(crm.graphId, resource, 'Member');
    assert.match(rs.id ?? '', /^[\w-]+_[\w-]+$/);
    crm.roleScopes.reset();
    const grants = await children(crm.roleScopes);
    assert.deepEqual(
      grants.map((g) => [g.getTreeItem().label, g.getTreeItem().description, g.getTreeItem().contextValue]),
      [['All Sales', 'Member · group', 'entitlements.roleScope']],
    );
    sales.resources.reset();
    const res = await children(sales.resources);
    assert.deepEqual(labels(res), ['All Sales']);
    assert.equal(res[0]!.getTreeItem().description, 'group · Member, Owner');
    // The walk commands use to refresh what they changed finds these folders without loading anything.
    const walked = [...loadedNodes(h.root)].map((n) => n.id);
    assert.ok(walked.includes(crm.roleScopes.id) && walked.includes(sales.resources.id));

    const report = await packageReport(h.api.graph, crm.graphId);
    assert.deepEqual(
      report.grants.map((g) => `${g.role} of ${g.resource} (${g.kind})`),
      ['Member of All Sales (group)'],
    );
    assert.ok(report.users.length > 0);
    const md = reportMarkdown(report, '2026-01-01T00:00:00Z');
    assert.match(md, /^# Who has CRM access\n/);
    assert.match(md, /\| User \| Principal name \| Policy \| State \| All Sales \(Member\) \|/);
    const csv = reportCsv(report).split('\r\n');
    // Every field quoted (the export's rule: a quoted field is never read as a formula or split on `;`).
    assert.equal(csv[0], '"userId","user","principalName","policy","state","All Sales (Member)"');
    assert.equal(csv.length, report.users.length + 2);

    const someone = report.users[0]!;
    const mine = await userReport(h.api.graph, someone.id);
    const row = mine.rows.find((r) => r.accessPackageId === crm.graphId)!;
    assert.ok(row, 'the user report lists the package');
    assert.deepEqual(
      row.grants.map((g) => g.resource),
      ['All Sales'],
    );
    assert.match(reportMarkdown(mine), new RegExp(`# Access of ${someone.displayName}`));
    assert.match(reportCsv(mine), /,"CRM access",.*,"All Sales","Member","group",/);

    await api.removeRoleScope(crm.graphId, rs.id!);
    crm.roleScopes.reset();
    assert.deepEqual(labels(await children(crm.roleScopes)), ['Grants no resource role yet']);
  });

  it('CSV cells that a spreadsheet would run are neutralised', () => {
    const csv = reportCsv({
      kind: 'package',
      accessPackage: { id: 'p', displayName: 'P' },
      grants: [{ resource: '=cmd', role: 'Member', kind: 'group', originId: 'g' }],
      users: [{ id: 'u', displayName: '+evil', principalName: '@x', policy: 'p', state: 'delivered' }],
    });
    assert.equal(
      csv,
      `"userId","user","principalName","policy","state","'=cmd (Member)"\r\n"u","'+evil","'@x","p","delivered","yes"\r\n`,
    );
  });
});

describe('connected organisations', () => {
  it('appear under the tenant', async () => {
    const folder = h.root.connectedOrganizations;
    assert.deepEqual(labels(await children(folder)), ['No connected organisations']);
    await h.api.graph.post(`${EM}/connectedOrganizations`, {
      displayName: 'Fabrikam',
      identitySources: [
        {
          '@odata.type': '#microsoft.graph.domainIdentitySource',
          domainName: 'fabrikam.com',
          displayName: 'fabrikam.com',
        },
      ],
      state: 'configured',
    });
    folder.reset();
    const [org] = await children(folder);
    assert.equal(org!.getTreeItem().label, 'Fabrikam');
    assert.equal(org!.getTreeItem().description, 'configured · fabrikam.com');
  });
});

describe('commands refresh the folders they change', () => {
  it('a package created without a tree node appears in its loaded catalog after refreshCatalog', async () => {
    const general = (await child(h.root, 'General')) as CatalogNode;
    const before = labels(await children(general));
    const redrawn: unknown[] = [];
    const ctx = {
      root: { tenantNode: () => h.root },
      tree: { refresh: (n?: unknown) => void redrawn.push(n) },
    } as unknown as Parameters<typeof refreshCatalog>[0];
    await h.api.createAccessPackage(general.graphId, 'Made elsewhere', '');
    assert.deepEqual(labels(await children(general)), before, 'the loaded catalog keeps its rows until refreshed');
    assert.equal(refreshCatalog(ctx, h.tenant.key, general.graphId), 1);
    assert.deepEqual(redrawn, [general]);
    assert.ok(labels(await children(general)).includes('Made elsewhere'));
  });
});
