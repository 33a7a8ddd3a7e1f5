/**
 * The "Assignments" folder of an access package: pages through `@odata.nextLink` with a
 * "Load more" row, optionally filtered by state.
 */
import type { AccessPackageAssignment } from '@microsoft/microsoft-graph-types';
import type { Page } from '../../graph/graphClient';
import type { AssignmentState } from '../../graph/entitlements';
import { friendly } from '../labels';
import type { TreeItemData, TreeNode } from '../treeData';
import type { AccessPackageNode } from './accessPackageNode';
import { AssignmentNode } from './assignmentNode';
import { PagedNode } from './branchNode';
import { tenantOf } from './tenantNode';
import { toAssignmentRow } from '../../graph/assignmentRow';

export class AssignmentsNode extends PagedNode<AccessPackageAssignment> {
  readonly id: string;
  private stateFilter: AssignmentState | undefined;

  constructor(readonly parent: AccessPackageNode) {
    super();
    this.id = `${parent.id}/assignments`;
  }

  get filter(): AssignmentState | undefined {
    return this.stateFilter;
  }

  /** Shows only assignments in `state` (all when undefined); starts over from the first page. */
  setFilter(state: AssignmentState | undefined): void {
    this.stateFilter = state;
    this.reset();
  }

  protected override emptyLabel(): string {
    return this.stateFilter ? `No ${friendly(this.stateFilter)} assignments` : 'No assignments';
  }

  getTreeItem(): TreeItemData {
    const name = this.parent.accessPackage.displayName ?? this.parent.graphId;
    return {
      id: this.id,
      label: 'Assignments',
      description: this.stateFilter ? `state: ${friendly(this.stateFilter)}` : undefined,
      tooltip: `Assignments of ${name}${this.stateFilter ? ` in state ${friendly(this.stateFilter)}` : ''}`,
      iconId: this.stateFilter ? 'filter' : 'person',
      contextValue: this.stateFilter ? 'entitlements.assignments.filtered' : 'entitlements.assignments',
      collapsible: 'collapsed',
    };
  }

  protected async fetchPage(link: string | undefined): Promise<Page<AccessPackageAssignment>> {
    const api = await tenantOf(this).api();
    return api.assignments({ accessPackageId: this.parent.graphId, state: this.stateFilter }, link);
  }

  protected toNode(item: AccessPackageAssignment): TreeNode {
    return new AssignmentNode(this, toAssignmentRow(item));
  }
}
