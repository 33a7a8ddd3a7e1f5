/** A catalog: its access packages. */
import type { AccessPackage, AccessPackageCatalog } from '@microsoft/microsoft-graph-types';
import type { Page } from '../../graph/graphClient';
import { friendly } from '../labels';
import type { TreeItemData, TreeNode } from '../treeData';
import { AccessPackageNode } from './accessPackageNode';
import { PagedNode } from './branchNode';
import { ResourcesNode } from './grantsNodes';
import { tenantOf } from './tenantNode';

export class CatalogNode extends PagedNode<AccessPackage> {
  readonly id: string;
  readonly graphId: string;
  readonly resources: ResourcesNode;
  protected override emptyLabel(): string {
    return 'No access packages';
  }

  constructor(
    readonly parent: TreeNode,
    readonly catalog: AccessPackageCatalog,
  ) {
    super();
    this.graphId = catalog.id ?? '';
    this.id = `${parent.id}/catalog/${this.graphId}`;
    this.resources = new ResourcesNode(this);
  }

  /** The fixed sub-folder listed before the packages. */
  folders(): readonly TreeNode[] {
    return [this.resources];
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    return [this.resources, ...(await super.loadChildren())];
  }

  getTreeItem(): TreeItemData {
    const c = this.catalog;
    const facts = [friendly(c.catalogType), friendly(c.state), c.isExternallyVisible ? 'externally visible' : undefined]
      .filter(Boolean)
      .join(', ');
    return {
      id: this.id,
      label: c.displayName ?? this.graphId,
      description: c.state === 'unpublished' ? 'unpublished' : undefined,
      tooltip: `Catalog ${c.displayName ?? ''}\n${c.description ?? ''}\n${facts}\nid: ${this.graphId}`.replace(
        /\n\n/g,
        '\n',
      ),
      iconId: 'library',
      contextValue: 'entitlements.catalog',
      collapsible: 'collapsed',
    };
  }

  protected async fetchPage(link: string | undefined): Promise<Page<AccessPackage>> {
    return (await tenantOf(this).api()).accessPackages(this.graphId, link);
  }

  protected toNode(item: AccessPackage): TreeNode {
    return new AccessPackageNode(this, item, this.graphId);
  }
}
