/**
 * `entitlements.setCloud` (tenant row or `{tenant, cloud}`): choose the national cloud of a
 * Microsoft tenant; stored as `entitlements.tenantSettings[tenant].cloud`. The tenant is rebuilt
 * on the new Graph host (extension.ts listens to the setting).
 */
import * as vscode from 'vscode';
import { cloudNames, clouds, isCloudName, type CloudName } from '../graph/clouds';
import { argObject, str, type CommandContext } from './context';
import { pickTenant } from './pickers';

export async function setCloud(ctx: CommandContext, arg?: unknown): Promise<CloudName | undefined> {
  const o = argObject(arg);
  const node = arg as { tenant?: { key: string; kind: string } } | undefined;
  let key = str(o, 'tenant') ?? (node?.tenant?.kind === 'microsoft' ? node.tenant.key : undefined);
  if (!key) {
    const microsoft = ctx.tenants().filter((t) => t.kind === 'microsoft');
    if (microsoft.length === 0) return undefined;
    key = (await pickTenant({ ...ctx, tenants: () => microsoft }, 'Set the cloud of which tenant?'))?.key;
  }
  if (!key) return undefined;
  const given = str(o, 'cloud');
  const cloud = isCloudName(given)
    ? given
    : (
        await vscode.window.showQuickPick(
          cloudNames.map((c) => ({ label: clouds[c].label, description: clouds[c].graphHost, cloud: c })),
          { title: `Cloud of ${key}` },
        )
      )?.cloud;
  if (!cloud) return undefined;
  const config = vscode.workspace.getConfiguration('entitlements');
  const all = { ...(config.get<Record<string, Record<string, unknown>>>('tenantSettings') ?? {}) };
  const existing = Object.keys(all).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
  all[existing] = { ...(all[existing] ?? {}), cloud };
  await config.update('tenantSettings', all, vscode.ConfigurationTarget.Global);
  ctx.output.info(`${key} is in the ${cloud} cloud (${clouds[cloud].graphHost})`);
  return cloud;
}
