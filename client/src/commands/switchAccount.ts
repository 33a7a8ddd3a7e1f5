/**
 * `entitlements.switchAccount` (tenant row or `{tenant}`): pick the account a Microsoft tenant
 * uses, through VS Code's account picker (or a new sign-in). Other tenants keep theirs.
 */
import type { MicrosoftTokens } from '../auth/microsoftAuth';
import { argObject, str, type CommandContext } from './context';
import { pickTenant } from './pickers';

export async function switchAccount(
  ctx: CommandContext,
  tokens: MicrosoftTokens,
  arg?: unknown,
): Promise<string | undefined> {
  const node = arg as { tenant?: { key: string; kind: string } } | undefined;
  let key = str(argObject(arg), 'tenant') ?? (node?.tenant?.kind === 'microsoft' ? node.tenant.key : undefined);
  if (!key) {
    const microsoft = ctx.tenants().filter((t) => t.kind === 'microsoft');
    if (microsoft.length === 0) return undefined;
    key = (await pickTenant({ ...ctx, tenants: () => microsoft }, 'Switch the account of which tenant?'))?.key;
  }
  if (!key) return undefined;
  try {
    const account = await tokens.switchAccount(key);
    ctx.output.info(`${key} now uses the account ${account}`);
    ctx.root.tenantNode(key)?.reset();
    ctx.tree.refresh();
    return account;
  } catch (e) {
    ctx.output.warn(`switching the account of ${key} did not complete: ${(e as Error).message}`);
    return undefined;
  }
}
