/**
 * The "Requests" folder of an access package: by default what needs an admin (pending approval,
 * delivering, delivery failed, partially delivered); a filter picks other states. Paged.
 */
import type { AccessPackageAssignmentRequest } from '@microsoft/microsoft-graph-types';
import type { Page } from '../../graph/graphClient';
import { attentionStates, type RequestState } from '../../requests/consoleApi';
import { friendly } from '../labels';
import type { TreeItemData, TreeNode } from '../treeData';
import type { AccessPackageNode } from './accessPackageNode';
import { PagedNode } from './branchNode';
import { consoleApiOf } from './consoleApi';
import { RequestNode } from './requestNode';

export class RequestsNode extends PagedNode<AccessPackageAssignmentRequest> {
  readonly id: string;
  private states: readonly RequestState[] = attentionStates;

  constructor(readonly parent: AccessPackageNode) {
    super();
    this.id = `${parent.id}/requests`;
  }

  get filter(): readonly RequestState[] {
    return this.states;
  }

  get isDefaultFilter(): boolean {
    return this.states === attentionStates;
  }

  /** Shows requests in these states (the attention states when undefined or empty); starts over. */
  setFilter(states: readonly RequestState[] | undefined): void {
    this.states = states && states.length > 0 ? states : attentionStates;
    this.reset();
  }

  protected override emptyLabel(): string {
    return this.isDefaultFilter ? 'No request needs attention' : 'No requests in these states';
  }

  getTreeItem(): TreeItemData {
    const what = this.states.map(friendly).join(', ');
    return {
      id: this.id,
      label: 'Requests',
      description: this.isDefaultFilter ? 'needing attention' : what,
      tooltip: `Requests for ${this.parent.accessPackage.displayName ?? this.parent.graphId} in state: ${what}`,
      iconId: this.isDefaultFilter ? 'inbox' : 'filter',
      contextValue: this.isDefaultFilter ? 'entitlements.requests' : 'entitlements.requests.filtered',
      collapsible: 'collapsed',
    };
  }

  protected async fetchPage(link: string | undefined): Promise<Page<AccessPackageAssignmentRequest>> {
    return (await consoleApiOf(this)).requests(this.parent.graphId, this.states, link);
  }

  protected toNode(item: AccessPackageAssignmentRequest): TreeNode {
    return new RequestNode(this, item);
  }
}
