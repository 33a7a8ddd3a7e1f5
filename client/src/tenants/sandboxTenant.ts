/** The embedded sandbox tenant: no sign-in, works offline; started on first use. */
import { EntitlementsApi } from '../graph/entitlements';
import { GraphClient, type GraphClientOptions } from '../graph/graphClient';
import { SANDBOX_KEY, type Tenant } from './tenant';
import type { SandboxEndpoint } from './sandboxProcess';

export type ClientTuning = Omit<GraphClientOptions, 'baseUrl' | 'getToken'>;

export class SandboxTenant implements Tenant {
  readonly key = SANDBOX_KEY;
  readonly kind = 'sandbox' as const;
  readonly label = 'Sandbox tenant';
  readonly description = 'local, offline';
  readonly tooltip =
    'A local Graph-compatible tenant with demo data, for rehearsing policies before touching production. No sign-in.';
  private cached: { url: string; api: EntitlementsApi } | undefined;

  constructor(
    private readonly endpoint: () => Promise<SandboxEndpoint>,
    private readonly tuning: ClientTuning = {},
  ) {}

  async isSignedIn(): Promise<boolean> {
    return true;
  }

  async api(): Promise<EntitlementsApi> {
    const ep = await this.endpoint();
    if (this.cached?.url !== ep.url) {
      const graph = new GraphClient({
        ...this.tuning,
        baseUrl: ep.url,
        getToken: async () => (await this.endpoint()).token,
      });
      this.cached = { url: ep.url, api: new EntitlementsApi(graph) };
    }
    return this.cached.api;
  }
}
