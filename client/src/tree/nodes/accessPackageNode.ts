/** An access package: its folders "Policies", "Assignments", "Requests" and "Resource roles". */
import type { AccessPackage } from '@microsoft/microsoft-graph-types';
import type { TreeItemData, TreeNode } from '../treeData';
import { AssignmentsNode } from './assignmentsNode';
import { BranchNode } from './branchNode';
import { RoleScopesNode } from './grantsNodes';
import { PoliciesNode } from './policiesNode';
import { RequestsNode } from './requestsNode';

export class AccessPackageNode extends BranchNode {
  readonly id: string;
  readonly graphId: string;
  readonly policies: PoliciesNode;
  readonly assignments: AssignmentsNode;
  readonly requests: RequestsNode;
  readonly roleScopes: RoleScopesNode;

  constructor(
    readonly parent: TreeNode,
    readonly accessPackage: AccessPackage,
    readonly catalogId: string,
  ) {
    super();
    this.graphId = accessPackage.id ?? '';
    this.id = `${parent.id.replace(/\/catalog\/.*$/, '')}/package/${this.graphId}`;
    this.policies = new PoliciesNode(this);
    this.assignments = new AssignmentsNode(this);
    this.requests = new RequestsNode(this);
    this.roleScopes = new RoleScopesNode(this);
  }

  getTreeItem(): TreeItemData {
    const p = this.accessPackage;
    return {
      id: this.id,
      label: p.displayName ?? this.graphId,
      description: p.isHidden ? 'hidden' : undefined,
      tooltip: `Access package ${p.displayName ?? ''}${p.description ? `\n${p.description}` : ''}\nid: ${this.graphId}`,
      iconId: 'package',
      contextValue: 'entitlements.accessPackage',
      collapsible: 'collapsed',
    };
  }

  /** The fixed sub-folders (walked by commands that refresh what they changed). */
  folders(): readonly TreeNode[] {
    return [this.policies, this.assignments, this.requests, this.roleScopes];
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return [...this.folders()];
  }
}
