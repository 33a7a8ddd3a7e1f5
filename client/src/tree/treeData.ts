/**
 * What the explorer's nodes produce: plain data shaped like a `vscode.TreeItem`, so the nodes can
 * be built and tested in plain Node; `treeProvider.ts` is the thin adapter to VS Code.
 */
export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface CommandData {
  command: string;
  title: string;
  arguments?: unknown[];
}

export interface TreeItemData {
  /** Stable: built from Graph ids, so expansion and selection survive refreshes. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id (`package`, `account`, `error`). */
  iconId?: string;
  /** A theme color id for the icon (`charts.green`). */
  iconColor?: string;
  /** `entitlements.<kind>` and optional `.<variant>`: menus match on it. */
  contextValue?: string;
  collapsible: Collapsible;
  command?: CommandData;
}

export interface TreeNode {
  readonly id: string;
  readonly parent: TreeNode | undefined;
  getTreeItem(): TreeItemData;
  /** Absent on leaves. Never rejects: a failure becomes an error row. */
  getChildren?(): Promise<TreeNode[]>;
}
