/** An informational row (an empty branch, "sign in to see this tenant"), optionally with a command. */
import type { CommandData, TreeItemData, TreeNode } from '../treeData';

export class MessageNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly parent: TreeNode,
    suffix: string,
    private readonly label: string,
    private readonly iconId = 'info',
    private readonly command?: CommandData,
    private readonly tooltip?: string,
  ) {
    this.id = `${parent.id}/${suffix}`;
  }

  getTreeItem(): TreeItemData {
    const item: TreeItemData = {
      id: this.id,
      label: this.label,
      iconId: this.iconId,
      contextValue: 'entitlements.message',
      collapsible: 'none',
    };
    if (this.command) item.command = this.command;
    if (this.tooltip) item.tooltip = this.tooltip;
    return item;
  }
}
