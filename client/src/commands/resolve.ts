/** Where a command acts: the tenant of a tree node, of an argument object, or one the user picks. */
import type { TreeNode } from '../tree/treeData';
import { TenantNode, tenantOf } from '../tree/nodes/tenantNode';
import type { Tenant } from '../tenants/tenant';
import { argObject, findTenant, str, type CommandContext } from './context';
import { pickTenant } from './pickers';

export function isNode(arg: unknown): arg is TreeNode {
  return !!arg && typeof arg === 'object' && 'getTreeItem' in arg && 'id' in arg;
}

export async function resolveTenant(ctx: CommandContext, arg: unknown, title: string): Promise<Tenant | undefined> {
  if (isNode(arg)) {
    try {
      return tenantOf(arg).tenant;
    } catch {
      return undefined;
    }
  }
  const o = argObject(arg);
  if (o) {
    const t = findTenant(ctx, str(o, 'tenantId'));
    if (!t)
      throw Object.assign(new Error(`No tenant '${str(o, 'tenantId') ?? ''}' in the Entitlements view.`), {
        code: 'UnknownTenant',
      });
    return t;
  }
  return pickTenant(ctx, title);
}

export function tenantNodeOf(ctx: CommandContext, tenant: Tenant): TenantNode | undefined {
  return ctx.root.tenantNode(tenant.key);
}
