/** A tenant: its catalogs, or a "sign in" row while signed out. */
import type { AccessPackageCatalog } from '@microsoft/microsoft-graph-types';
import type { Page } from '../../graph/graphClient';
import type { EntitlementsApi } from '../../graph/entitlements';
import type { Tenant } from '../../tenants/tenant';
import type { TreeItemData, TreeNode } from '../treeData';
import { PagedNode } from './branchNode';
import { CatalogNode } from './catalogNode';
import { ErrorNode } from './errorNode';
import { ConnectedOrganizationsNode } from './grantsNodes';
import { MessageNode } from './messageNode';

export class TenantNode extends PagedNode<AccessPackageCatalog> {
  readonly id: string;
  readonly parent = undefined;
  protected override emptyLabel(): string {
    return 'No catalogs';
  }

  readonly connectedOrganizations: ConnectedOrganizationsNode;

  constructor(readonly tenant: Tenant) {
    super();
    this.id = tenant.key;
    this.connectedOrganizations = new ConnectedOrganizationsNode(this);
  }

  /** The fixed folder listed after the catalogs. */
  folders(): readonly TreeNode[] {
    return [this.connectedOrganizations];
  }

  getTreeItem(): TreeItemData {
    const t = this.tenant;
    return {
      id: this.id,
      label: t.label,
      description: t.description ?? (t.kind === 'sandbox' ? 'local sandbox' : 'Microsoft Entra'),
      tooltip: t.tooltip ?? t.label,
      iconId: t.kind === 'sandbox' ? 'beaker' : 'organization',
      contextValue: `entitlements.tenant.${t.kind}`,
      collapsible: 'collapsed',
    };
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    if (!(await this.tenant.isSignedIn())) {
      return [
        new MessageNode(
          this,
          'signin',
          `Sign in to ${this.tenant.label}…`,
          'sign-in',
          { command: 'entitlements.signIn', title: 'Sign In', arguments: [this.tenant.key] },
          'Sign in with your Microsoft account (VS Code accounts) to browse this tenant.',
        ),
      ];
    }
    const rows = await super.loadChildren();
    // A tenant that cannot be read shows just the error (and its retry), not folders that would fail too.
    if (rows.length === 1 && rows[0] instanceof ErrorNode) return rows;
    return [...rows, this.connectedOrganizations];
  }

  protected async fetchPage(link: string | undefined): Promise<Page<AccessPackageCatalog>> {
    return (await this.tenant.api()).catalogs(link);
  }

  protected toNode(item: AccessPackageCatalog): TreeNode {
    return new CatalogNode(this, item);
  }

  /** The API of this tenant, for the nodes below. */
  api(): Promise<EntitlementsApi> {
    return this.tenant.api();
  }
}

/** Walks up to the tenant node of any node. */
export function tenantOf(node: TreeNode): TenantNode {
  let n: TreeNode | undefined = node;
  while (n && !(n instanceof TenantNode)) n = n.parent;
  if (!n) throw new Error(`node ${node.id} is not under a tenant`);
  return n;
}
