/**
 * A Microsoft Entra tenant reached through Microsoft Graph with the user's VS Code account, on
 * its cloud's Graph host (client/src/graph/clouds.ts). The tree's tenant row shows the account.
 */
import { EntitlementsApi } from '../graph/entitlements';
import { GraphClient, type Permission } from '../graph/graphClient';
import { GRAPH_ROOT } from '../auth/scopes';
import { clouds, type CloudName } from '../graph/clouds';
import type { ClientTuning } from './sandboxTenant';
import type { Tenant } from './tenant';

/** Where tokens come from (the `vscode.authentication` adapter in the extension, a stub in tests). */
export interface TokenSource {
  /**
   * A token for `permission` in `tenant`; may prompt the user when `interactive`. `renew` asks for
   * a new one after a 401: `silent` renews without asking, `interactive` prompts to sign in again.
   */
  token(
    tenant: string,
    permission: Permission,
    interactive: boolean,
    renew?: 'silent' | 'interactive',
  ): Promise<string>;
  /** The signed-in account's label for `tenant`, without prompting; undefined when signed out. */
  account(tenant: string): Promise<string | undefined>;
}

export class MicrosoftTenant implements Tenant {
  readonly kind = 'microsoft' as const;
  readonly label: string;
  private client: EntitlementsApi | undefined;
  private accountLabel: string | undefined;

  constructor(
    readonly key: string,
    private readonly tokens: TokenSource,
    private readonly tuning: ClientTuning = {},
    private readonly baseUrl = GRAPH_ROOT,
    readonly cloud: CloudName = 'global',
  ) {
    this.label = key;
  }

  get description(): string {
    const where = this.cloud === 'global' ? 'Microsoft Entra' : `Microsoft Entra (${clouds[this.cloud].label})`;
    return this.accountLabel ? `${where} · ${this.accountLabel}` : `${where} · signed out`;
  }

  get tooltip(): string {
    return `Tenant ${this.key} through Microsoft Graph (${this.baseUrl})${this.accountLabel ? `\nsigned in as ${this.accountLabel}` : ''}`;
  }

  /** The signed-in account's label, as last read (undefined while signed out or not yet read). */
  get account(): string | undefined {
    return this.accountLabel;
  }

  async isSignedIn(): Promise<boolean> {
    this.accountLabel = await this.tokens.account(this.key);
    return this.accountLabel !== undefined;
  }

  api(): Promise<EntitlementsApi> {
    // Reads never prompt (the tree loads in the background); writes come from commands and may.
    const getToken = (permission: Permission, renew?: 'silent' | 'interactive'): Promise<string> =>
      this.tokens.token(this.key, permission, permission !== 'EntitlementManagement.Read.All', renew);
    this.client ??= new EntitlementsApi(new GraphClient({ ...this.tuning, baseUrl: this.baseUrl, getToken }));
    return Promise.resolve(this.client);
  }
}
