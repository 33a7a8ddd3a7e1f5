/**
 * `entitlements.revealDirectoryObject` (the link in an id's hover): selects the catalog, access
 * package or policy in the Entitlements view, searching the loaded pages of the tenant's branches
 * (catalogs → packages → policies). Users and groups have no row in the view: their details are
 * shown in a message with a "Copy Id" button instead.
 */
import * as vscode from 'vscode';
import type { DirectoryKind } from '../../../server/src/service/directory/protocol';
import type { TreeNode } from '../tree/treeData';
import type { EntitlementsTreeProvider } from '../tree/treeProvider';
import type { AuthoringDirectories } from './bridge';

interface RevealArg {
  id: string;
  kind: DirectoryKind;
}

const depthOf: Partial<Record<DirectoryKind, number>> = { catalog: 1, accessPackage: 2, policy: 4 };

async function find(
  tree: EntitlementsTreeProvider,
  from: TreeNode,
  id: string,
  depth: number,
): Promise<TreeNode | undefined> {
  let level: TreeNode[] = [from];
  for (let d = 0; d < depth && level.length > 0; d++) {
    const next: TreeNode[] = [];
    for (const n of level) next.push(...(await tree.getChildren(n)));
    const hit = next.find((n) => (n as { graphId?: string }).graphId?.toLowerCase() === id.toLowerCase());
    if (hit) return hit;
    level = next.filter((n) => n.getChildren !== undefined);
  }
  return undefined;
}

export async function revealDirectoryObject(
  tree: EntitlementsTreeProvider,
  view: vscode.TreeView<TreeNode>,
  dirs: AuthoringDirectories,
  arg: unknown,
): Promise<{ revealed: boolean }> {
  const a = (Array.isArray(arg) ? arg[0] : arg) as Partial<RevealArg> | undefined;
  if (!a || typeof a.id !== 'string' || typeof a.kind !== 'string') return { revealed: false };
  const uri = vscode.window.activeTextEditor?.document.uri.toString() ?? '';
  const tenant = await dirs.tenantFor(uri);
  const depth = depthOf[a.kind];
  const tenantNode = tenant ? tree.root.tenantNode(tenant.key) : undefined;
  if (depth !== undefined && tenantNode) {
    const node = await find(tree, tenantNode, a.id, depth);
    if (node) {
      await view.reveal(node, { select: true, focus: true, expand: true });
      return { revealed: true };
    }
  }
  const choice = await vscode.window.showInformationMessage(
    `${a.kind === 'user' || a.kind === 'group' ? `The ${a.kind}` : 'This object'} ${a.id} has no row in the Entitlements view${tenant ? ` of ${tenant.label}` : ''}.`,
    'Copy Id',
  );
  if (choice) await vscode.env.clipboard.writeText(a.id);
  return { revealed: false };
}
