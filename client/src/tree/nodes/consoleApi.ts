/** The console's Graph calls for a node: the tenant's API client, wrapped once per GraphClient. */
import { ConsoleApi } from '../../requests/consoleApi';
import type { GraphClient } from '../../graph/graphClient';
import type { TreeNode } from '../treeData';
import { tenantOf } from './tenantNode';

const cache = new WeakMap<GraphClient, ConsoleApi>();

export async function consoleApiOf(node: TreeNode): Promise<ConsoleApi> {
  const graph = (await tenantOf(node).api()).graph;
  let api = cache.get(graph);
  if (!api) cache.set(graph, (api = new ConsoleApi(graph)));
  return api;
}
