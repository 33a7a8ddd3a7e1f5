/**
 * Microsoft tenants: add one by id or domain (kept in the `entitlements.tenants` setting, the
 * only thing we store), sign in through VS Code's `microsoft` provider, remove ("sign out").
 */
import * as vscode from 'vscode';
import { isTenantIdOrDomain } from '../auth/scopes';
import type { MicrosoftTokens } from '../auth/microsoftAuth';
import { argObject, str, type CommandContext } from './context';

export const TENANTS_SETTING = 'tenants';

export function configuredTenants(): string[] {
  const v = vscode.workspace.getConfiguration('entitlements').get<unknown>(TENANTS_SETTING, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && isTenantIdOrDomain(x)) : [];
}

/** `entitlements.addTenant` (`{tenant}` or a prompt): adds a tenant id or domain and signs in. */
export async function addTenant(
  ctx: CommandContext,
  tokens: MicrosoftTokens,
  arg?: unknown,
): Promise<string | undefined> {
  const tenant =
    str(argObject(arg), 'tenant') ??
    (await vscode.window.showInputBox({
      title: 'Add a Microsoft Entra tenant',
      prompt: 'Tenant id (GUID) or a verified domain such as contoso.onmicrosoft.com',
      validateInput: (v) => (isTenantIdOrDomain(v) ? undefined : 'Enter a tenant id (GUID) or a domain name.'),
      ignoreFocusOut: true,
    }));
  if (!tenant || !isTenantIdOrDomain(tenant)) return undefined;
  const key = tenant.trim();
  const list = configuredTenants();
  if (!list.some((t) => t.toLowerCase() === key.toLowerCase())) {
    await vscode.workspace
      .getConfiguration('entitlements')
      .update(TENANTS_SETTING, [...list, key], vscode.ConfigurationTarget.Global);
  }
  ctx.output.info(`tenant ${key} added`);
  if (argObject(arg)?.signIn !== false) await signIn(ctx, tokens, key);
  return key;
}

/** `entitlements.signIn` (tenant key): interactive sign-in, then the tenant's row reloads. */
export async function signIn(ctx: CommandContext, tokens: MicrosoftTokens, key?: unknown): Promise<string | undefined> {
  const tenant = typeof key === 'string' ? key : str(argObject(key), 'tenant');
  if (!tenant) return undefined;
  try {
    const account = await tokens.signIn(tenant);
    ctx.output.info(`signed in to ${tenant} as ${account}`);
    ctx.root.tenantNode(tenant)?.reset();
    ctx.tree.refresh();
    return account;
  } catch (e) {
    ctx.output.warn(`sign-in to ${tenant} did not complete: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * `entitlements.signOut` (tenant row or `{tenantId}`): forgets the tenant. The account itself is
 * signed out from VS Code's Accounts menu, which owns the session.
 */
export async function signOut(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const n = arg as { tenant?: { key: string; kind: string } } | undefined;
  let key = str(argObject(arg), 'tenantId') ?? (n?.tenant?.kind === 'microsoft' ? n.tenant.key : undefined);
  if (!key) {
    const pick = await vscode.window.showQuickPick(configuredTenants(), { title: 'Remove which tenant?' });
    key = pick;
  }
  if (!key) return false;
  const list = configuredTenants().filter((t) => t.toLowerCase() !== key.toLowerCase());
  await vscode.workspace
    .getConfiguration('entitlements')
    .update(TENANTS_SETTING, list, vscode.ConfigurationTarget.Global);
  ctx.output.info(`tenant ${key} removed`);
  void vscode.window.showInformationMessage(
    `Removed ${key}. To sign the account out of VS Code, use the Accounts menu.`,
  );
  return true;
}
