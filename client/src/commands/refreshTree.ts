/**
 * After a command changes a tenant, the folders that show the change are reset and redrawn —
 * wherever the command was started from (tree, palette, CodeLens, an argument object). Only
 * loaded nodes are touched; a folder not loaded yet reads Graph afresh when it is expanded.
 */
import { AccessPackageNode } from '../tree/nodes/accessPackageNode';
import { AssignmentNode } from '../tree/nodes/assignmentNode';
import type { BranchNode } from '../tree/nodes/branchNode';
import { CatalogNode } from '../tree/nodes/catalogNode';
import { PolicyNode } from '../tree/nodes/policyNode';
import { loadedNodes } from '../tree/loaded';
import type { TreeNode } from '../tree/treeData';
import type { CommandContext } from './context';

/** Resets and redraws each folder; returns how many there were. */
export function resetAll(ctx: CommandContext, folders: Iterable<BranchNode>): number {
  let n = 0;
  for (const f of new Set(folders)) {
    f.reset();
    ctx.tree.refresh(f);
    n++;
  }
  return n;
}

function loadedIn(ctx: CommandContext, tenantKey: string): TreeNode[] {
  const t = ctx.root.tenantNode(tenantKey);
  return t ? [...loadedNodes(t)] : [];
}

export function packagesIn(ctx: CommandContext, tenantKey: string, packageId?: string): AccessPackageNode[] {
  return loadedIn(ctx, tenantKey).filter(
    (n): n is AccessPackageNode => n instanceof AccessPackageNode && (!packageId || n.graphId === packageId),
  );
}

/** A package was created or deleted in a catalog. */
export function refreshCatalog(ctx: CommandContext, tenantKey: string, catalogId: string): number {
  const cats = loadedIn(ctx, tenantKey).filter(
    (n): n is CatalogNode => n instanceof CatalogNode && n.graphId === catalogId,
  );
  return resetAll(ctx, cats);
}

/** A policy was created, replaced or deleted (in `packageId` when known, else wherever it is listed). */
export function refreshPackagePolicies(
  ctx: CommandContext,
  tenantKey: string,
  packageId: string | undefined,
  policyId?: string,
): number {
  const nodes = loadedIn(ctx, tenantKey);
  const folders = packageId
    ? nodes
        .filter((n): n is AccessPackageNode => n instanceof AccessPackageNode && n.graphId === packageId)
        .map((p) => p.policies)
    : nodes.filter((n): n is PolicyNode => n instanceof PolicyNode && n.graphId === policyId).map((p) => p.parent);
  return resetAll(ctx, folders);
}

/** Assignments changed: the folders listing them, or those of the package. */
export function refreshAssignments(
  ctx: CommandContext,
  tenantKey: string,
  where: { packageId?: string; assignmentIds?: readonly string[] },
): number {
  const nodes = loadedIn(ctx, tenantKey);
  const ids = new Set(where.assignmentIds ?? []);
  const folders = [
    ...nodes.filter((n): n is AssignmentNode => n instanceof AssignmentNode && ids.has(n.graphId)).map((a) => a.parent),
    ...(where.packageId ? packagesIn(ctx, tenantKey, where.packageId).map((p) => p.assignments) : []),
  ];
  return resetAll(ctx, folders);
}

/** A request changed (decided, canceled, reprocessed): the Requests and Assignments folders of its package. */
export function refreshRequests(ctx: CommandContext, tenantKey: string, packageId: string | undefined): number {
  if (!packageId) {
    ctx.tree.refresh();
    return 0;
  }
  const pkgs = packagesIn(ctx, tenantKey, packageId);
  return resetAll(ctx, [...pkgs.map((p) => p.requests), ...pkgs.map((p) => p.assignments)]);
}

/** A package's grants changed: its Resource roles folder, and its catalog's Resources folder. */
export function refreshGrants(ctx: CommandContext, tenantKey: string, packageId: string, catalogId?: string): number {
  const nodes = loadedIn(ctx, tenantKey);
  return resetAll(ctx, [
    ...packagesIn(ctx, tenantKey, packageId).map((p) => p.roleScopes),
    ...nodes
      .filter((n): n is CatalogNode => n instanceof CatalogNode && (!catalogId || n.graphId === catalogId))
      .map((c) => c.resources),
  ]);
}
