/**
 * The nodes a tenant row has loaded so far, without asking Graph for anything: what a command
 * run from the palette (or with an argument object) walks to find the folders its change
 * affects, so it can reset and redraw just those.
 */
import type { TreeNode } from './treeData';
import { PagedNode } from './nodes/branchNode';

/** A node that holds fixed sub-folders (an access package: policies, assignments, …). */
export interface HasFolders {
  folders(): readonly TreeNode[];
}

function hasFolders(n: TreeNode): n is TreeNode & HasFolders {
  return typeof (n as Partial<HasFolders>).folders === 'function';
}

/** Every node loaded under `from` (depth first, `from` included). */
export function* loadedNodes(from: TreeNode): Generator<TreeNode> {
  yield from;
  if (hasFolders(from)) for (const f of from.folders()) yield* loadedNodes(f);
  if (from instanceof PagedNode) for (const n of from.loaded) yield* loadedNodes(n);
}
