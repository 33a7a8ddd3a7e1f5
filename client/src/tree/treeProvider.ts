/** The thin adapter from our plain node objects to VS Code's TreeDataProvider. */
import * as vscode from 'vscode';
import type { ExplorerRoot } from './explorerRoot';
import type { TreeItemData, TreeNode } from './treeData';

export function toTreeItem(d: TreeItemData): vscode.TreeItem {
  const state =
    d.collapsible === 'none'
      ? vscode.TreeItemCollapsibleState.None
      : d.collapsible === 'expanded'
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(d.label, state);
  item.id = d.id;
  if (d.description !== undefined) item.description = d.description;
  if (d.tooltip !== undefined) item.tooltip = d.tooltip;
  if (d.iconId)
    item.iconPath = new vscode.ThemeIcon(d.iconId, d.iconColor ? new vscode.ThemeColor(d.iconColor) : undefined);
  if (d.contextValue) item.contextValue = d.contextValue;
  if (d.command)
    item.command = { command: d.command.command, title: d.command.title, arguments: d.command.arguments ?? [] };
  return item;
}

export class EntitlementsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(readonly root: ExplorerRoot) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(node.getTreeItem());
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.root.children();
    return node.getChildren ? node.getChildren() : [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** Redraws `node` (the whole tree when undefined). */
  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
