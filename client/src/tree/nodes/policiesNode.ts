/** The "Policies" folder of an access package. */
import type { AccessPackageAssignmentPolicy } from '@microsoft/microsoft-graph-types';
import type { Page } from '../../graph/graphClient';
import type { TreeItemData, TreeNode } from '../treeData';
import type { AccessPackageNode } from './accessPackageNode';
import { PagedNode } from './branchNode';
import { PolicyNode } from './policyNode';
import { tenantOf } from './tenantNode';

export class PoliciesNode extends PagedNode<AccessPackageAssignmentPolicy> {
  readonly id: string;
  protected override emptyLabel(): string {
    return 'No policies';
  }

  constructor(readonly parent: AccessPackageNode) {
    super();
    this.id = `${parent.id}/policies`;
  }

  getTreeItem(): TreeItemData {
    return {
      id: this.id,
      label: 'Policies',
      tooltip: `Assignment policies of ${this.parent.accessPackage.displayName ?? this.parent.graphId}`,
      iconId: 'law',
      contextValue: 'entitlements.policies',
      collapsible: 'collapsed',
    };
  }

  protected async fetchPage(link: string | undefined): Promise<Page<AccessPackageAssignmentPolicy>> {
    return (await tenantOf(this).api()).policies(this.parent.graphId, link);
  }

  protected toNode(item: AccessPackageAssignmentPolicy): TreeNode {
    return new PolicyNode(this, item);
  }
}
