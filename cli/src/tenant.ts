/**
 * The tenant a command-line run talks to: `--tenant URL|TENANT_ID` with `--token`, `--cloud`,
 * `--authority-host` and `--graph-endpoint`. One place turns those options into a Graph base URL,
 * a key for the workspace state file, and a token source, so every tenant command (`pull`, `plan`,
 * `apply`, `check --tenant`) signs in the same way.
 *
 * - The sandbox (or any Graph-shaped service named by URL): `--tenant http://127.0.0.1:PORT/v1.0`,
 *   token from `--token` or `ENTITLEMENTS_TOKEN`.
 * - A Microsoft tenant (`--tenant <tenant id or domain>`): signed in through `@azure/identity`
 *   (see `connectMicrosoftTenant`).
 */
import { GraphClient, type GetToken } from '../../client/src/graph/graphClient';

export class UsageError extends Error {}

export interface TenantOptions {
  /** A Graph-shaped service root URL (`http://127.0.0.1:PORT/v1.0`) or a Microsoft tenant id/domain. */
  tenant: string;
  token?: string;
  /** `global` (default), `usGov`, `usGovDoD`, `china`. */
  cloud?: string;
  /** The identity platform's host, overriding the cloud's (`https://login.microsoftonline.com`). */
  authorityHost?: string;
  /** Graph's service root, overriding the cloud's (`https://graph.microsoft.com/v1.0`). */
  graphEndpoint?: string;
}

export interface TenantConnection {
  /** Graph service root including the version, without a trailing slash. */
  baseUrl: string;
  /** Names this tenant in `.entitlements/state.json`: the sandbox's URL, a Microsoft tenant's id. */
  key: string;
  getToken: GetToken;
}

/** The option names every tenant command accepts (each takes a value). */
export const tenantOptionNames = ['--tenant', '--token', '--cloud', '--authority-host', '--graph-endpoint'] as const;

/** Reads the tenant options out of `values` (option name → value); undefined when `--tenant` is absent. */
export function tenantOptionsFrom(values: ReadonlyMap<string, string>): TenantOptions | undefined {
  const tenant = values.get('--tenant');
  if (tenant === undefined) return undefined;
  return {
    tenant,
    token: values.get('--token'),
    cloud: values.get('--cloud'),
    authorityHost: values.get('--authority-host'),
    graphEndpoint: values.get('--graph-endpoint'),
  };
}

function isServiceUrl(tenant: string): boolean {
  return /^https?:\/\//i.test(tenant);
}

/** Resolves the options to a connection; throws `UsageError` for options that cannot work. */
export function connectTenant(opts: TenantOptions, env: NodeJS.ProcessEnv = process.env): Promise<TenantConnection> {
  if (isServiceUrl(opts.tenant)) {
    let url: URL;
    try {
      url = new URL(opts.tenant);
    } catch {
      throw new UsageError(`--tenant ${opts.tenant}: not a URL`);
    }
    const token = opts.token ?? env.ENTITLEMENTS_TOKEN;
    if (!token) throw new UsageError(`--tenant ${opts.tenant} needs --token T or ENTITLEMENTS_TOKEN`);
    const baseUrl = url.href.replace(/\/+$/, '');
    return Promise.resolve({ baseUrl, key: baseUrl, getToken: () => Promise.resolve(token) });
  }
  return Promise.reject(
    new UsageError(`--tenant ${opts.tenant}: Microsoft tenants need a credential (not available in this build)`),
  );
}

/** A Graph client for the connection (the same layer the extension uses). */
export function graphClientFor(connection: TenantConnection, log?: (line: string) => void): GraphClient {
  return new GraphClient({ baseUrl: connection.baseUrl, getToken: connection.getToken, log });
}
