/**
 * Client figures: (1) time to the first page of assignments of a package with 50k assignments
 * through the Graph layer and the tree nodes (rows ready to draw), against one raw `fetch` of
 * the same page; (2) heap growth after loading 10k rows into the tree, against the size of the
 * raw JSON those rows came from.
 */
import type { AccessPackage } from '@microsoft/microsoft-graph-types';
import type { BenchResult } from './types';
import { interleave, median, result } from './measure';
import { startSandbox } from '../sandbox/src/http/server';
import { assignmentsPath } from '../client/src/graph/entitlements';
import { SandboxTenant } from '../client/src/tenants/sandboxTenant';
import { TenantNode } from '../client/src/tree/nodes/tenantNode';
import { AccessPackageNode } from '../client/src/tree/nodes/accessPackageNode';

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function benchClient(): Promise<BenchResult[]> {
  const sandbox = await startSandbox({ seed: 'empty', seedAssignments: 50_000 });
  try {
    const tenant = new SandboxTenant(async () => ({ url: sandbox.url, token: sandbox.token }));
    const api = await tenant.api();
    const catalog = (await api.catalogs()).items[0]!;
    const pkg = (await api.accessPackages(catalog.id!)).items[0]!;
    const url = `${sandbox.url}${assignmentsPath({ accessPackageId: pkg.id! }).replace(/^\/v1\.0/, '')}`;
    const headers = { authorization: `Bearer ${sandbox.token}` };
    const node = (): AccessPackageNode => new AccessPackageNode(new TenantNode(tenant), pkg, catalog.id!);
    let sink = 0;
    const times = await interleave(
      async () => {
        const rows = await node().assignments.getChildren();
        sink += rows.map((r) => r.getTreeItem()).length;
      },
      async () => {
        const body = (await (await fetch(url, { headers })).json()) as { value: unknown[] };
        sink += body.value.length;
      },
      30,
      5,
    );
    if (sink < 0) throw new Error('unreachable');
    const first = result(
      'client: first page of 50k assignments (Graph layer + tree nodes)',
      times.subject,
      times.reference,
      1e6,
      'ms',
      'ratio ≤ 2×',
      'reference: one raw fetch + JSON.parse of the same page',
    );
    return [first, await heapAfter10k(tenant, pkg, catalog.id!, url, headers)];
  } finally {
    await sandbox.close();
  }
}

/** Heap growth of 10k loaded rows (MB), next to the raw JSON size of those pages (MB). */
async function heapAfter10k(
  tenant: SandboxTenant,
  pkg: AccessPackage,
  catalogId: string,
  firstUrl: string,
  headers: Record<string, string>,
): Promise<BenchResult> {
  let rawBytes = 0;
  let link: string | undefined = firstUrl;
  for (let i = 0; i < 100 && link; i++) {
    const text = await (await fetch(link, { headers })).text();
    rawBytes += Buffer.byteLength(text);
    link = (JSON.parse(text) as { '@odata.nextLink'?: string })['@odata.nextLink'];
  }
  const growth: number[] = [];
  const keep: unknown[] = [];
  for (let s = 0; s < 3; s++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const folder = new AccessPackageNode(new TenantNode(tenant), pkg, catalogId).assignments;
    await folder.getChildren();
    while (folder.loaded.length < 10_000 && folder.hasMore) await folder.loadMore();
    gc();
    growth.push(process.memoryUsage().heapUsed - before);
    if (folder.loaded.length !== 10_000) throw new Error(`loaded ${folder.loaded.length} rows, not 10000`);
    keep.push(folder);
  }
  for (const f of keep) if (!f) throw new Error('unreachable');
  const mb = 1024 * 1024;
  const m = median(growth) / mb;
  const ref = rawBytes / mb;
  const note = (globalThis as { gc?: unknown }).gc
    ? 'reference: raw JSON of the same 100 pages'
    : 'reference: raw JSON of the same 100 pages (run node with --expose-gc for steadier figures)';
  return {
    name: 'client: heap growth after loading 10k rows',
    median: m,
    reference: ref,
    ratio: m / ref,
    unit: 'MB',
    target: '≤ raw JSON size',
    note,
  };
}
