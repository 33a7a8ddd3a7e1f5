/**
 * Tokens from VS Code's built-in `microsoft` authentication provider: one Graph permission per
 * request, the tenant through `VSCODE_TENANT:`. Nothing is stored by us; VS Code keeps the session.
 */
import * as vscode from 'vscode';
import type { Permission } from '../graph/graphClient';
import type { TokenSource } from '../tenants/microsoftTenant';
import { scopesFor } from './scopes';

export const PROVIDER = 'microsoft';

export class MicrosoftTokens implements TokenSource {
  async token(
    tenant: string,
    permission: Permission,
    interactive: boolean,
    renew?: 'silent' | 'interactive',
  ): Promise<string> {
    const scopes = scopesFor(permission, tenant);
    if (renew === 'interactive') {
      const detail = `Microsoft Graph refused the session for ${tenant}; sign in again to continue.`;
      return (await vscode.authentication.getSession(PROVIDER, scopes, { forceNewSession: { detail } })).accessToken;
    }
    // A silent request lets the provider renew an expired token without asking.
    const session =
      interactive && renew === undefined
        ? await vscode.authentication.getSession(PROVIDER, scopes, { createIfNone: true })
        : await vscode.authentication.getSession(PROVIDER, scopes, { silent: true });
    if (!session)
      throw Object.assign(new Error(`Sign in to ${tenant} to read it (${permission}).`), { code: 'SignInRequired' });
    return session.accessToken;
  }

  async account(tenant: string): Promise<string | undefined> {
    const session = await vscode.authentication.getSession(
      PROVIDER,
      scopesFor('EntitlementManagement.Read.All', tenant),
      { silent: true },
    );
    return session?.account.label;
  }

  /** Interactive sign-in with the read permission; returns the account label. */
  async signIn(tenant: string): Promise<string> {
    const session = await vscode.authentication.getSession(
      PROVIDER,
      scopesFor('EntitlementManagement.Read.All', tenant),
      { createIfNone: true },
    );
    return session.account.label;
  }
}
