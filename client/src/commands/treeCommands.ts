/** Tree housekeeping: refresh, load more, retry, copy id, filter assignments by state. */
import * as vscode from 'vscode';
import { assignmentStates, type AssignmentState } from '../graph/entitlements';
import { AccessPackageNode } from '../tree/nodes/accessPackageNode';
import { AssignmentsNode } from '../tree/nodes/assignmentsNode';
import { BranchNode, PagedNode } from '../tree/nodes/branchNode';
import { ErrorNode } from '../tree/nodes/errorNode';
import { LoadMoreNode } from '../tree/nodes/loadMoreNode';
import { friendly } from '../tree/labels';
import type { TreeNode } from '../tree/treeData';
import { argObject, findTenant, str, type CommandContext } from './context';
import { pickAccessPackage, pickTenant } from './pickers';

/** `entitlements.refresh` (node?): reloads a branch, or every tenant. */
export function refresh(ctx: CommandContext, node?: unknown): void {
  const n = node as TreeNode | undefined;
  if (n instanceof BranchNode) {
    n.reset();
    ctx.tree.refresh(n);
    return;
  }
  for (const t of ctx.root.children()) t.reset();
  ctx.tree.refresh();
}

/** `entitlements.loadMore` (the "Load more" row): appends the next page. */
export async function loadMore(ctx: CommandContext, node: unknown): Promise<void> {
  const parent = node instanceof LoadMoreNode ? node.parent : node;
  if (!(parent instanceof PagedNode)) return;
  await vscode.window.withProgress({ location: { viewId: 'entitlements.explorer' } }, () => parent.loadMore());
  ctx.tree.refresh(parent);
}

/** `entitlements.retry` (an error row): asks Graph again for what failed. */
export async function retry(ctx: CommandContext, node: unknown): Promise<void> {
  const parent = node instanceof ErrorNode ? node.parent : node;
  if (!(parent instanceof BranchNode)) return;
  await parent.retry();
  ctx.tree.refresh(parent);
}

/** `entitlements.copyId` (node or `{id}`): copies the Graph id (tenant id for a tenant row); returns it. */
export async function copyId(_ctx: CommandContext, node: unknown): Promise<string | undefined> {
  const fromArg = str(argObject(node), 'id');
  const n = node as { graphId?: unknown; tenant?: { key: string } } | undefined;
  const id = fromArg ?? (typeof n?.graphId === 'string' ? n.graphId : n?.tenant?.key);
  if (!id) return undefined;
  await vscode.env.clipboard.writeText(id);
  void vscode.window.setStatusBarMessage(`Copied ${id}`, 3000);
  return id;
}

/**
 * `entitlements.filterAssignments`: on an Assignments folder or a package row, or
 * `{tenantId, accessPackageId, state}` (`state: "all"` clears). Returns the filter applied.
 */
export async function filterAssignments(
  ctx: CommandContext,
  arg: unknown,
): Promise<AssignmentState | 'all' | undefined> {
  const o = argObject(arg);
  let folder = arg instanceof AssignmentsNode ? arg : arg instanceof AccessPackageNode ? arg.assignments : undefined;
  if (!folder && o) {
    const tenant = findTenant(ctx, str(o, 'tenantId'));
    const tn = tenant && ctx.root.tenantNode(tenant.key);
    const pkgId = str(o, 'accessPackageId');
    if (tn && pkgId) folder = (await findPackage(tn, pkgId))?.assignments;
  }
  if (!folder && !o && arg === undefined) {
    // From the palette: choose the tenant and the package.
    const tenant = await pickTenant(ctx, 'Filter assignments');
    const tn = tenant && ctx.root.tenantNode(tenant.key);
    const pkg = tenant && (await pickAccessPackage(await tenant.api(), 'Filter assignments: access package'));
    if (tn && pkg?.id) folder = (await findPackage(tn, pkg.id))?.assignments;
    if (!folder) return undefined;
  }
  if (!folder) {
    void vscode.window.showInformationMessage('Choose an Assignments folder in the Entitlements view to filter it.');
    return undefined;
  }
  let state = str(o, 'state');
  if (!state) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'All states', value: 'all' },
        ...assignmentStates.map((s) => ({ label: friendly(s), description: s, value: s, picked: folder.filter === s })),
      ],
      {
        title: 'Show assignments in state',
        placeHolder: folder.filter ? `now: ${friendly(folder.filter)}` : 'now: all states',
      },
    );
    state = pick?.value;
  }
  if (!state) return undefined;
  folder.setFilter(
    state === 'all' ? undefined : (assignmentStates.find((s) => s.toLowerCase() === state.toLowerCase()) ?? undefined),
  );
  ctx.tree.refresh(folder);
  return folder.filter ?? 'all';
}

/** Finds a package row under a tenant row (loads catalogs and their packages as needed). */
export async function findPackage(
  tenantNode: BranchNode,
  accessPackageId: string,
): Promise<AccessPackageNode | undefined> {
  for (const cat of await tenantNode.getChildren()) {
    if (!(cat instanceof PagedNode)) continue;
    for (const pkg of await cat.getChildren())
      if (pkg instanceof AccessPackageNode && pkg.graphId === accessPackageId) return pkg;
  }
  return undefined;
}
