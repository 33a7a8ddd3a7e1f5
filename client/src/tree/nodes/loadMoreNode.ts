/** The last row of a paged branch while Graph has an `@odata.nextLink`. */
import type { TreeItemData, TreeNode } from '../treeData';

export class LoadMoreNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly parent: TreeNode,
    private readonly loaded: number,
  ) {
    this.id = `${parent.id}/more`;
  }

  getTreeItem(): TreeItemData {
    return {
      id: this.id,
      label: 'Load more…',
      description: `${this.loaded} loaded`,
      tooltip: 'Fetch the next page from Microsoft Graph',
      iconId: 'fold-down',
      contextValue: 'entitlements.loadMore',
      collapsible: 'none',
      command: { command: 'entitlements.loadMore', title: 'Load More', arguments: [this] },
    };
  }
}
