/**
 * The tenant a command-line run talks to: `--tenant URL|TENANT_ID` with `--token`, `--cloud`,
 * `--authority-host` and `--graph-endpoint`. One place turns those options into a Graph base URL,
 * a key for the workspace state file, and a token source, so every tenant command (`pull`, `plan`,
 * `apply`, `check --tenant`) signs in the same way.
 *
 * - The sandbox (or any Graph-shaped service named by URL): `--tenant http://127.0.0.1:PORT/v1.0`,
 *   token from `--token` or `ENTITLEMENTS_TOKEN`.
 * - A Microsoft tenant (`--tenant <tenant id or domain>`): signed in through `@azure/identity`
 *   (see `credentialFor`), hosts from `--cloud` (the table in client/src/graph/clouds.ts),
 *   `--authority-host` and `--graph-endpoint` overriding them; the state file's key is the tenant id.
 */
import type { TokenCredential } from '@azure/identity';
import { isTenantIdOrDomain } from '../../client/src/auth/scopes';
import {
  cloudNamed,
  cloudNames,
  defaultScope,
  GRAPH_VERSION,
  graphRoot,
  isKnownAuthority,
} from '../../client/src/graph/clouds';
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
  return Promise.resolve(connectMicrosoftTenant(opts, env));
}

/** Where a Microsoft tenant is reached: Graph's root, the sign-in authority, the app-only scope. */
export interface MicrosoftEndpoints {
  tenantId: string;
  graphRoot: string;
  authorityHost: string;
  scope: string;
  /**
   * True when the authority is not one of the clouds' hosts (a test identity platform, Azure
   * Stack): MSAL would otherwise ask `login.microsoftonline.com` to validate it (instance
   * discovery), which cannot know such a host.
   */
  disableInstanceDiscovery: boolean;
}

/**
 * The endpoints from `--tenant`, `--cloud`, `--authority-host` and `--graph-endpoint`. The
 * authority: `--authority-host`, else `AZURE_AUTHORITY_HOST` (which AKS workload identity sets
 * for its cloud), else the cloud's.
 */
export function microsoftEndpoints(opts: TenantOptions, env: NodeJS.ProcessEnv = {}): MicrosoftEndpoints {
  const tenantId = opts.tenant.trim();
  if (!isTenantIdOrDomain(tenantId))
    throw new UsageError(`--tenant ${opts.tenant}: not a URL, a tenant id (GUID) or a verified domain`);
  const cloud = cloudNamed(opts.cloud);
  if (!cloud) throw new UsageError(`--cloud ${opts.cloud ?? ''}: one of ${cloudNames.join(', ')}`);
  const authorityHost =
    httpsOrigin('--authority-host', opts.authorityHost) ??
    httpsOrigin('AZURE_AUTHORITY_HOST', env.AZURE_AUTHORITY_HOST || undefined) ??
    cloud.authorityHost;
  let root = graphRoot(cloud);
  if (opts.graphEndpoint !== undefined) {
    const origin = httpsOrigin('--graph-endpoint', opts.graphEndpoint)!;
    const path = new URL(opts.graphEndpoint).pathname.replace(/\/+$/, '');
    root = `${origin}${path || `/${GRAPH_VERSION}`}`;
  }
  return {
    tenantId,
    graphRoot: root,
    authorityHost,
    scope: defaultScope(root),
    disableInstanceDiscovery: !isKnownAuthority(authorityHost),
  };
}

function httpsOrigin(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`${name} ${value}: not a URL`);
  }
  // The identity library refuses http authorities, and a token must never cross the network in clear.
  if (u.protocol !== 'https:') throw new UsageError(`${name} ${value}: must be an https:// URL`);
  return u.origin;
}

/** Which credential the environment asks for, by the variables `@azure/identity` documents. */
export function credentialKind(env: NodeJS.ProcessEnv): string {
  if (env.AZURE_CLIENT_ID && env.AZURE_CLIENT_SECRET) return 'client secret (AZURE_CLIENT_SECRET)';
  if (env.AZURE_CLIENT_ID && env.AZURE_CLIENT_CERTIFICATE_PATH)
    return 'client certificate (AZURE_CLIENT_CERTIFICATE_PATH)';
  if (env.AZURE_CLIENT_ID && env.AZURE_FEDERATED_TOKEN_FILE)
    return 'workload identity federation (AZURE_FEDERATED_TOKEN_FILE)';
  if (pipelinesConnection(env)) return 'Azure Pipelines service connection';
  return 'Azure CLI, then managed identity';
}

function pipelinesConnection(
  env: NodeJS.ProcessEnv,
): { clientId: string; connectionId: string; token: string } | undefined {
  const clientId = env.AZURESUBSCRIPTION_CLIENT_ID;
  const connectionId = env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID;
  const token = env.SYSTEM_ACCESSTOKEN;
  // The credential itself reads SYSTEM_OIDCREQUESTURI (set by Azure Pipelines) from the process.
  return clientId && connectionId && token && env.SYSTEM_OIDCREQUESTURI ? { clientId, connectionId, token } : undefined;
}

/**
 * The credential for a pipeline or a workstation. What the environment names explicitly (a secret,
 * a certificate, a federated token file, an Azure Pipelines service connection) is used alone, so
 * a wrong secret fails at once with the identity platform's message instead of falling through to
 * other credentials; with none of them, the ambient ones are chained: the Azure CLI's signed-in
 * account, then the machine's managed identity.
 */
export async function credentialFor(e: MicrosoftEndpoints, env: NodeJS.ProcessEnv): Promise<TokenCredential> {
  // Loaded on use: the library adds ~140 ms to every start, and `check`/`eval` never sign in.
  const {
    AzureCliCredential,
    AzurePipelinesCredential,
    ChainedTokenCredential,
    ClientCertificateCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
  } = await import('@azure/identity');
  const common = { authorityHost: e.authorityHost, disableInstanceDiscovery: e.disableInstanceDiscovery };
  const clientId = env.AZURE_CLIENT_ID;
  if (clientId && env.AZURE_CLIENT_SECRET)
    return new ClientSecretCredential(e.tenantId, clientId, env.AZURE_CLIENT_SECRET, common);
  if (clientId && env.AZURE_CLIENT_CERTIFICATE_PATH)
    return new ClientCertificateCredential(
      e.tenantId,
      clientId,
      {
        certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH,
        certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD,
      },
      common,
    );
  if (clientId && env.AZURE_FEDERATED_TOKEN_FILE)
    return new WorkloadIdentityCredential({
      ...common,
      tenantId: e.tenantId,
      clientId,
      tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE,
    });
  const pipelines = pipelinesConnection(env);
  if (pipelines)
    return new AzurePipelinesCredential(
      e.tenantId,
      pipelines.clientId,
      pipelines.connectionId,
      pipelines.token,
      common,
    );
  return new ChainedTokenCredential(
    new AzureCliCredential({ tenantId: e.tenantId }),
    clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential(),
  );
}

/**
 * A failed sign-in, with the identity platform's message (its `AADSTS…` code included). Its
 * `code` survives the Graph layer, which reports a token failure with the source's code.
 */
export class SignInError extends Error {
  readonly code = 'SignInFailed';
}

function connectMicrosoftTenant(opts: TenantOptions, env: NodeJS.ProcessEnv): TenantConnection {
  if (opts.token !== undefined)
    throw new UsageError('--token is for a service URL; Microsoft tenants sign in through @azure/identity');
  const e = microsoftEndpoints(opts, env);
  const credential = credentialFor(e, env);
  // A credential that cannot be built is reported by the first getToken, not as an unhandled rejection.
  credential.catch(() => undefined);
  const getToken: GetToken = async () => {
    // App-only tokens carry the app's granted roles for the whole resource: one scope, `/.default`.
    // The credential caches the token until shortly before it expires.
    try {
      const t = await (await credential).getToken(e.scope);
      if (!t) throw new Error('the credential returned no token');
      return t.token;
    } catch (err) {
      throw new SignInError(`sign-in to ${e.tenantId} (${credentialKind(env)}) failed: ${oneLine(err)}`);
    }
  };
  // Tenant ids and domains are case-insensitive: one tenant, one key in the state file.
  return { baseUrl: e.graphRoot, key: e.tenantId.toLowerCase(), getToken };
}

function oneLine(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .replace(/\s+/g, ' ')
    .trim();
}

/** A Graph client for the connection (the same layer the extension uses). */
export function graphClientFor(connection: TenantConnection, log?: (line: string) => void): GraphClient {
  return new GraphClient({ baseUrl: connection.baseUrl, getToken: connection.getToken, log });
}
