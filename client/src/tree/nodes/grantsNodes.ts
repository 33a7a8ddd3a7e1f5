/**
 * What packages grant: a package's "Resource roles" folder (its resource role scopes: group
 * membership or ownership, application roles, SharePoint site roles), a catalog's "Resources"
 * folder, and the tenant's "Connected organisations" folder.
 */
import type {
  AccessPackageResource,
  AccessPackageResourceRoleScope,
  ConnectedOrganization,
} from '@microsoft/microsoft-graph-types';
import type { Page } from '../../graph/graphClient';
import { friendly } from '../labels';
import type { TreeItemData, TreeNode } from '../treeData';
import type { AccessPackageNode } from './accessPackageNode';
import { PagedNode } from './branchNode';
import type { CatalogNode } from './catalogNode';
import { consoleApiOf } from './consoleApi';
import type { TenantNode } from './tenantNode';

const originIcons: Record<string, string> = {
  AadGroup: 'organization',
  AadApplication: 'window',
  SharePointOnline: 'globe',
};

/** "Member of Sales readers (group)" for a role scope. */
export function grantLabel(rs: AccessPackageResourceRoleScope): { resource: string; role: string; kind: string } {
  const role = rs.role ?? undefined;
  const resource = (role?.resource ?? undefined)?.displayName ?? rs.scope?.displayName ?? role?.originId ?? rs.id ?? '';
  return {
    resource,
    role: role?.displayName ?? role?.originId ?? '',
    kind: friendly(role?.originSystem ?? rs.scope?.originSystem),
  };
}

export class RoleScopesNode extends PagedNode<AccessPackageResourceRoleScope> {
  readonly id: string;

  constructor(readonly parent: AccessPackageNode) {
    super();
    this.id = `${parent.id}/roleScopes`;
  }

  protected override emptyLabel(): string {
    return 'Grants no resource role yet';
  }

  getTreeItem(): TreeItemData {
    return {
      id: this.id,
      label: 'Resource roles',
      tooltip: `What ${this.parent.accessPackage.displayName ?? this.parent.graphId} grants: group memberships, application roles, site roles`,
      iconId: 'key',
      contextValue: 'entitlements.roleScopes',
      collapsible: 'collapsed',
    };
  }

  protected async fetchPage(link: string | undefined): Promise<Page<AccessPackageResourceRoleScope>> {
    return (await consoleApiOf(this)).roleScopes(this.parent.graphId, link);
  }

  protected toNode(item: AccessPackageResourceRoleScope): TreeNode {
    return new RoleScopeNode(this, item);
  }
}

export class RoleScopeNode implements TreeNode {
  readonly id: string;
  readonly graphId: string;

  constructor(
    readonly parent: RoleScopesNode,
    readonly roleScope: AccessPackageResourceRoleScope,
  ) {
    this.graphId = roleScope.id ?? '';
    this.id = `${parent.id}/${this.graphId}`;
  }

  getTreeItem(): TreeItemData {
    const g = grantLabel(this.roleScope);
    const origin = this.roleScope.role?.originSystem ?? '';
    return {
      id: this.id,
      label: g.resource,
      description: [g.role, g.kind].filter(Boolean).join(' · '),
      tooltip: [
        `${g.role} of ${g.resource} (${g.kind})`,
        this.roleScope.scope?.isRootScope === false ? `scope: ${this.roleScope.scope.displayName ?? ''}` : '',
        `origin id: ${this.roleScope.role?.resource?.originId ?? this.roleScope.scope?.originId ?? ''}`,
        `role scope id: ${this.graphId}`,
      ]
        .filter(Boolean)
        .join('\n'),
      iconId: originIcons[origin] ?? 'key',
      contextValue: 'entitlements.roleScope',
      collapsible: 'none',
    };
  }
}

export class ResourcesNode extends PagedNode<AccessPackageResource> {
  readonly id: string;

  constructor(readonly parent: CatalogNode) {
    super();
    this.id = `${parent.id}/resources`;
  }

  protected override emptyLabel(): string {
    return 'No resources in this catalog';
  }

  getTreeItem(): TreeItemData {
    return {
      id: this.id,
      label: 'Resources',
      tooltip: `Groups, applications and sites in the catalog ${this.parent.catalog.displayName ?? ''}`,
      iconId: 'server-environment',
      contextValue: 'entitlements.resources',
      collapsible: 'collapsed',
    };
  }

  protected async fetchPage(link: string | undefined): Promise<Page<AccessPackageResource>> {
    return (await consoleApiOf(this)).catalogResources(this.parent.graphId, link);
  }

  protected toNode(item: AccessPackageResource): TreeNode {
    return new ResourceNode(this, item);
  }
}

export class ResourceNode implements TreeNode {
  readonly id: string;
  readonly graphId: string;

  constructor(
    readonly parent: ResourcesNode,
    readonly resource: AccessPackageResource,
  ) {
    this.graphId = resource.id ?? '';
    this.id = `${parent.id}/${this.graphId}`;
  }

  getTreeItem(): TreeItemData {
    const r = this.resource;
    const roles = (r.roles ?? []).map((x) => x.displayName).filter(Boolean);
    return {
      id: this.id,
      label: r.displayName ?? r.originId ?? this.graphId,
      description: [friendly(r.originSystem), roles.join(', ')].filter(Boolean).join(' · '),
      tooltip: [
        `${r.displayName ?? ''} (${friendly(r.originSystem)})`,
        r.description ?? '',
        roles.length ? `roles: ${roles.join(', ')}` : '',
        `origin id: ${r.originId ?? ''}`,
        `resource id: ${this.graphId}`,
      ]
        .filter(Boolean)
        .join('\n'),
      iconId: originIcons[r.originSystem ?? ''] ?? 'server',
      contextValue: 'entitlements.resource',
      collapsible: 'none',
    };
  }
}

export class ConnectedOrganizationsNode extends PagedNode<ConnectedOrganization> {
  readonly id: string;

  constructor(readonly parent: TenantNode) {
    super();
    this.id = `${parent.id}/connectedOrganizations`;
  }

  protected override emptyLabel(): string {
    return 'No connected organisations';
  }

  getTreeItem(): TreeItemData {
    return {
      id: this.id,
      label: 'Connected organisations',
      tooltip: 'Partner organisations whose users policies can let request access',
      iconId: 'link',
      contextValue: 'entitlements.connectedOrganizations',
      collapsible: 'collapsed',
    };
  }

  protected async fetchPage(link: string | undefined): Promise<Page<ConnectedOrganization>> {
    return (await consoleApiOf(this)).connectedOrganizations(link);
  }

  protected toNode(item: ConnectedOrganization): TreeNode {
    return new ConnectedOrganizationNode(this, item);
  }
}

export class ConnectedOrganizationNode implements TreeNode {
  readonly id: string;
  readonly graphId: string;

  constructor(
    readonly parent: ConnectedOrganizationsNode,
    readonly org: ConnectedOrganization,
  ) {
    this.graphId = org.id ?? '';
    this.id = `${parent.id}/${this.graphId}`;
  }

  getTreeItem(): TreeItemData {
    const o = this.org;
    const sources = (o.identitySources ?? []).map((s) => {
      const x = s as { displayName?: string; domainName?: string; tenantId?: string };
      return x.displayName ?? x.domainName ?? x.tenantId ?? '';
    });
    return {
      id: this.id,
      label: o.displayName ?? this.graphId,
      description: [friendly(o.state), sources.join(', ')].filter(Boolean).join(' · '),
      tooltip: [o.displayName ?? '', o.description ?? '', `state: ${o.state ?? ''}`, `id: ${this.graphId}`]
        .filter(Boolean)
        .join('\n'),
      iconId: o.state === 'configured' ? 'link' : 'question',
      contextValue: 'entitlements.connectedOrganization',
      collapsible: 'none',
    };
  }
}
