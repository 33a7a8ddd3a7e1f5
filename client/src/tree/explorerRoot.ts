/**
 * The top of the tree: one node per tenant, kept across refreshes (so expansion and paging
 * survive), rebuilt only when the set of tenants changes.
 */
import type { Tenant } from '../tenants/tenant';
import type { TreeNode } from './treeData';
import { TenantNode } from './nodes/tenantNode';

export class ExplorerRoot {
  private nodes = new Map<string, TenantNode>();

  constructor(private tenants: () => readonly Tenant[]) {}

  children(): TenantNode[] {
    const next = new Map<string, TenantNode>();
    for (const t of this.tenants())
      next.set(t.key, this.nodes.get(t.key)?.tenant === t ? this.nodes.get(t.key)! : new TenantNode(t));
    this.nodes = next;
    return [...next.values()];
  }

  tenantNode(key: string): TenantNode | undefined {
    return this.nodes.get(key) ?? this.children().find((n) => n.tenant.key === key);
  }

  /** Finds a loaded node by id (for commands given ids instead of nodes). */
  static async find(
    from: readonly TreeNode[],
    match: (n: TreeNode) => boolean,
    depth = 6,
  ): Promise<TreeNode | undefined> {
    for (const n of from) {
      if (match(n)) return n;
      if (depth > 0 && n.getChildren) {
        const found = await ExplorerRoot.find(await n.getChildren(), match, depth - 1);
        if (found) return found;
      }
    }
    return undefined;
  }
}
