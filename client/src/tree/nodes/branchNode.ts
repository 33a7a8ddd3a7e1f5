/**
 * Base classes of the branches: `BranchNode` turns any failure into an error row, and
 * `PagedNode` keeps the pages loaded so far, shows "Load more" while there is a next link, and
 * keeps what it has when a later page fails (the error row then retries that page).
 */
import { toGraphError, type GraphRequestError, type Page } from '../../graph/graphClient';
import type { TreeItemData, TreeNode } from '../treeData';
import { ErrorNode } from './errorNode';
import { LoadMoreNode } from './loadMoreNode';
import { MessageNode } from './messageNode';

export abstract class BranchNode implements TreeNode {
  abstract readonly id: string;
  abstract readonly parent: TreeNode | undefined;
  abstract getTreeItem(): TreeItemData;
  protected abstract loadChildren(): Promise<TreeNode[]>;

  async getChildren(): Promise<TreeNode[]> {
    try {
      return await this.loadChildren();
    } catch (e) {
      return [new ErrorNode(this, toGraphError(e))];
    }
  }

  /** Forget cached state so the next `getChildren` reads Graph again. */
  reset(): void {}

  /** What an error row's "retry" does. */
  async retry(): Promise<void> {
    this.reset();
  }
}

export abstract class PagedNode<T> extends BranchNode {
  private items: TreeNode[] = [];
  private nextLink: string | undefined;
  private started = false;
  private error: GraphRequestError | undefined;
  private inflight: Promise<void> | undefined;

  /** Fetches the first page (no link) or the page at `link`. */
  protected abstract fetchPage(link: string | undefined): Promise<Page<T>>;
  protected abstract toNode(item: T): TreeNode;
  /** The row shown when the collection is empty. */
  protected emptyLabel(): string {
    return 'No items';
  }

  /** The nodes loaded so far (no load more or error rows). */
  get loaded(): readonly TreeNode[] {
    return this.items;
  }

  get hasMore(): boolean {
    return this.nextLink !== undefined;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    if (!this.started) await this.loadMore();
    const out = [...this.items];
    if (this.error) out.push(new ErrorNode(this, this.error));
    else if (this.nextLink) out.push(new LoadMoreNode(this, this.items.length));
    else if (out.length === 0) out.push(new MessageNode(this, 'empty', this.emptyLabel(), 'circle-slash'));
    return out;
  }

  /** Appends the next page (or the first one); failures are kept for the error row, never thrown. */
  loadMore(): Promise<void> {
    this.inflight ??= this.fetchNext().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchNext(): Promise<void> {
    if (this.started && !this.nextLink) return;
    try {
      const page = await this.fetchPage(this.started ? this.nextLink : undefined);
      this.started = true;
      this.error = undefined;
      for (const item of page.items) this.items.push(this.toNode(item));
      this.nextLink = page.nextLink;
    } catch (e) {
      // The link that failed is kept, so the error row's retry asks for the same page again.
      this.error = toGraphError(e);
      this.started = true;
    }
  }

  override reset(): void {
    this.items = [];
    this.nextLink = undefined;
    this.started = false;
    this.error = undefined;
  }

  /** Retries the failed page; a failure before anything loaded starts over. */
  override async retry(): Promise<void> {
    if (this.items.length === 0) {
      this.reset();
      return;
    }
    this.error = undefined;
    await this.loadMore();
  }
}
