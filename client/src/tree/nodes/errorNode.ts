/** A failing branch shows this row (Graph's code and message) instead of throwing; clicking retries. */
import type { GraphRequestError } from '../../graph/graphClient';
import type { TreeItemData, TreeNode } from '../treeData';

export class ErrorNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly parent: TreeNode,
    readonly error: GraphRequestError,
  ) {
    this.id = `${parent.id}/error`;
  }

  getTreeItem(): TreeItemData {
    const status = this.error.status > 0 ? ` (HTTP ${this.error.status})` : '';
    return {
      id: this.id,
      label: `${this.error.code}: ${this.error.message}`,
      description: 'click to retry',
      tooltip: `${this.error.code}${status}\n${this.error.message}${this.error.requestId ? `\nrequest-id: ${this.error.requestId}` : ''}\n\nClick to retry.`,
      iconId: 'error',
      iconColor: 'errorForeground',
      contextValue: 'entitlements.error',
      collapsible: 'none',
      command: { command: 'entitlements.retry', title: 'Retry', arguments: [this] },
    };
  }
}
