/**
 * Client tests run the Graph layer and the tree nodes against a real sandbox over HTTP. Faults
 * are injected per attempt by a middleware placed before the SDK's HTTP handler, so a retried
 * request can fail once and then succeed.
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/src/http/server';
import { EntitlementsApi } from '../../client/src/graph/entitlements';
import { GraphClient } from '../../client/src/graph/graphClient';
import { SandboxTenant } from '../../client/src/tenants/sandboxTenant';
import { TenantNode } from '../../client/src/tree/nodes/tenantNode';
import type { TreeNode } from '../../client/src/tree/treeData';

/** Adds `x-sandbox-fault` to the next attempts: `once` is consumed first, then `always` applies. */
export class FaultInjector implements Middleware {
  once: string[] = [];
  always: string | undefined;
  attempts = 0;
  private next?: Middleware;

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    this.attempts++;
    const fault = this.once.shift() ?? this.always;
    const headers = { ...((context.options?.headers ?? {}) as Record<string, string>) };
    delete headers['x-sandbox-fault'];
    if (fault) headers['x-sandbox-fault'] = fault;
    context.options = { ...context.options, headers };
    await this.next!.execute(context);
  }

  clear(): void {
    this.once = [];
    this.always = undefined;
  }
}

export interface Harness {
  sandbox: Sandbox;
  faults: FaultInjector;
  api: EntitlementsApi;
  tenant: SandboxTenant;
  root: TenantNode;
  log: string[];
  close(): Promise<void>;
}

export async function harness(options: SandboxOptions = { seed: 'demo', testHooks: true }): Promise<Harness> {
  const sandbox = await startSandbox(options);
  const faults = new FaultInjector();
  const log: string[] = [];
  const tuning = { beforeSend: [faults], maxRetries: 2, retryDelaySeconds: 0, log: (l: string) => void log.push(l) };
  const tenant = new SandboxTenant(async () => ({ url: sandbox.url, token: sandbox.token }), tuning);
  const api = await tenant.api();
  return { sandbox, faults, api, tenant, root: new TenantNode(tenant), log, close: () => sandbox.close() };
}

/** A Graph client of its own (other token, other options) on the same sandbox. */
export function rawApi(sandbox: Sandbox, token = sandbox.token): EntitlementsApi {
  return new EntitlementsApi(new GraphClient({ baseUrl: sandbox.url, getToken: async () => token, maxRetries: 0 }));
}

export async function children(node: TreeNode): Promise<TreeNode[]> {
  return node.getChildren ? node.getChildren() : [];
}

/** The child whose label is `label` (throws with the labels seen otherwise). */
export async function child(node: TreeNode, label: string | RegExp): Promise<TreeNode> {
  const kids = await children(node);
  const found = kids.find((k) =>
    typeof label === 'string' ? k.getTreeItem().label === label : label.test(k.getTreeItem().label),
  );
  if (!found)
    throw new Error(`no child ${String(label)} under ${node.id}: ${kids.map((k) => k.getTreeItem().label).join(', ')}`);
  return found;
}

export const labels = (nodes: readonly TreeNode[]): string[] => nodes.map((n) => n.getTreeItem().label);
