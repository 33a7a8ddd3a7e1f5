/**
 * Tokens from VS Code's Microsoft authentication providers: one Graph permission per request, on
 * the tenant's cloud, with the organisation's own app when `entitlements.auth.clientId` (or the
 * tenant's entry in `entitlements.tenantSettings`) names one — scopes.ts computes all of that.
 * Refusals that mean "this app may not ask for these permissions" are explained with a button to
 * the README section on registering an app. Nothing is stored by us; VS Code keeps the sessions.
 */
import * as vscode from 'vscode';
import type { Permission } from '../graph/graphClient';
import type { TokenSource } from '../tenants/microsoftTenant';
import {
  consentRefusal,
  providerFor,
  scopesFor,
  signInSettings,
  sovereignMismatch,
  type SignInSettings,
} from './scopes';

export const PROVIDERS = ['microsoft', 'microsoft-sovereign-cloud'] as const;
/** The README section on registering an app (what the refusal explanation opens). */
export const README_TENANT_SECTION = 'https://example.invalid/entra-entitlements#use-with-your-tenant';

/** The sign-in settings of a tenant, read from the configuration each time (changes apply at once). */
export function configuredSignIn(tenant: string): SignInSettings {
  const c = vscode.workspace.getConfiguration('entitlements');
  return signInSettings(tenant, { clientId: c.get('auth.clientId'), tenantSettings: c.get('tenantSettings') });
}

export class MicrosoftTokens implements TokenSource {
  /** Refusals already explained, so a tree full of rows does not raise one notification each. */
  private readonly explained = new Set<string>();

  constructor(private readonly settings: (tenant: string) => SignInSettings = configuredSignIn) {}

  async token(
    tenant: string,
    permission: Permission,
    interactive: boolean,
    renew?: 'silent' | 'interactive',
  ): Promise<string> {
    const s = this.ready(tenant);
    const scopes = scopesFor(permission, s);
    const provider = providerFor(s);
    if (renew === 'interactive') {
      const detail = `Microsoft Graph refused the session for ${tenant}; sign in again to continue.`;
      return (
        await this.ask(s, () => vscode.authentication.getSession(provider, scopes, { forceNewSession: { detail } }))
      ).accessToken;
    }
    // A silent request lets the provider renew an expired token without asking.
    const session =
      interactive && renew === undefined
        ? await this.ask(s, () => vscode.authentication.getSession(provider, scopes, { createIfNone: true }))
        : await this.ask(s, () => vscode.authentication.getSession(provider, scopes, { silent: true }));
    if (!session)
      throw Object.assign(new Error(`Sign in to ${tenant} to read it (${permission}).`), { code: 'SignInRequired' });
    return session.accessToken;
  }

  async account(tenant: string): Promise<string | undefined> {
    const s = this.settings(tenant);
    try {
      const session = await vscode.authentication.getSession(
        providerFor(s),
        scopesFor('EntitlementManagement.Read.All', s),
        { silent: true },
      );
      return session?.account.label;
    } catch {
      return undefined;
    }
  }

  /** Interactive sign-in with the read permission; returns the account label. */
  async signIn(tenant: string): Promise<string> {
    const s = this.ready(tenant);
    const session = await this.ask(s, () =>
      vscode.authentication.getSession(providerFor(s), scopesFor('EntitlementManagement.Read.All', s), {
        createIfNone: true,
      }),
    );
    return session.account.label;
  }

  /**
   * Lets the user pick the account for this tenant again (VS Code's account picker, or a new
   * sign-in): the remembered choice is per provider and scopes, and the scopes name the tenant,
   * so other tenants keep their accounts.
   */
  async switchAccount(tenant: string): Promise<string> {
    const s = this.ready(tenant);
    const session = await this.ask(s, () =>
      vscode.authentication.getSession(providerFor(s), scopesFor('EntitlementManagement.Read.All', s), {
        createIfNone: true,
        clearSessionPreference: true,
      }),
    );
    return session.account.label;
  }

  /** The settings, after checking a sovereign cloud's provider is set to that cloud. */
  private ready(tenant: string): SignInSettings {
    const s = this.settings(tenant);
    const want = sovereignMismatch(
      s,
      vscode.workspace.getConfiguration('microsoft-sovereign-cloud').get('environment'),
    );
    if (want !== undefined) {
      this.explainOnce(`sovereign:${want}`, () =>
        vscode.window
          .showWarningMessage(
            `${tenant} is in a national cloud: set "microsoft-sovereign-cloud.environment" to "${want}" so VS Code signs in there.`,
            'Open Setting',
          )
          .then((c) => {
            if (c)
              void vscode.commands.executeCommand(
                'workbench.action.openSettings',
                'microsoft-sovereign-cloud.environment',
              );
          }),
      );
      throw Object.assign(
        new Error(
          `VS Code's sovereign-cloud sign-in is not set to ${want} (setting microsoft-sovereign-cloud.environment).`,
        ),
        { code: 'SovereignCloudNotConfigured' },
      );
    }
    return s;
  }

  /** Runs a provider call; a refusal about the app's permissions is explained and rethrown with its code. */
  private async ask<T>(s: SignInSettings, call: () => Thenable<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      const message = String((e as Error)?.message ?? e);
      const refusal = consentRefusal(message);
      if (!refusal) throw e;
      this.explainOnce(`${s.tenant}:${refusal.code}`, () =>
        vscode.window
          .showErrorMessage(
            `Sign-in to ${s.tenant} was refused (${refusal.code}): ${refusal.reason}`,
            'How to Register an App',
            'Set Application ID',
          )
          .then((c) => {
            if (c === 'How to Register an App') void vscode.env.openExternal(vscode.Uri.parse(README_TENANT_SECTION));
            if (c === 'Set Application ID')
              void vscode.commands.executeCommand('workbench.action.openSettings', 'entitlements.auth.clientId');
          }),
      );
      throw Object.assign(new Error(`${refusal.code}: ${refusal.reason}`), { code: refusal.code });
    }
  }

  private explainOnce(key: string, show: () => Thenable<unknown>): void {
    if (this.explained.has(key)) return;
    this.explained.add(key);
    void show().then(() => this.explained.delete(key));
  }
}
