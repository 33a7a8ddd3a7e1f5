/**
 * What the commands are given (no global service locator): the tree, the tenants, the policy
 * documents and the log. Plus the small helpers every command shares.
 */
import * as vscode from 'vscode';
import { toGraphError } from '../graph/graphClient';
import type { PolicyDocuments } from '../policy/policyDocuments';
import type { Tenant } from '../tenants/tenant';
import { SANDBOX_KEY } from '../tenants/tenant';
import type { ExplorerRoot } from '../tree/explorerRoot';
import type { EntitlementsTreeProvider } from '../tree/treeProvider';
import type { TreeNode } from '../tree/treeData';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
  tree: EntitlementsTreeProvider;
  root: ExplorerRoot;
  documents: PolicyDocuments;
  tenants(): readonly Tenant[];
}

/** A plain argument object (automation and tests), as opposed to a tree node or nothing. */
export function argObject(arg: unknown): Record<string, unknown> | undefined {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  if ('getTreeItem' in arg) return undefined;
  return arg as Record<string, unknown>;
}

export function str(o: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function strings(o: Record<string, unknown> | undefined, key: string): string[] | undefined {
  const v = o?.[key];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

export function findTenant(ctx: CommandContext, key: string | undefined): Tenant | undefined {
  return ctx.tenants().find((t) => t.key.toLowerCase() === (key ?? SANDBOX_KEY).toLowerCase());
}

/** Shows a failure with Graph's code and message, logs it, and returns it as data. */
export function reportFailure(
  ctx: CommandContext,
  what: string,
  e: unknown,
): { ok: false; code: string; message: string } {
  const err = toGraphError(e);
  ctx.output.error(`${what} failed: ${err.code}: ${err.message}`);
  if (err.code !== 'Canceled') {
    void vscode.window
      .showErrorMessage(`${what} failed — ${err.code}: ${err.message}`, 'Show Log')
      .then((c) => c && ctx.output.show());
  }
  return { ok: false, code: err.code, message: err.message };
}

/** An AbortSignal that follows a VS Code cancellation token. */
export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  token.onCancellationRequested(() => abort.abort());
  return abort.signal;
}

/** Refreshes the parent folders of changed nodes, or the whole tree. */
export function refreshAll(ctx: CommandContext, node?: TreeNode): void {
  ctx.tree.refresh(node);
}
