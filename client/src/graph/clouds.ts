/**
 * The national clouds: one table of Graph roots, sign-in authorities and the VS Code account
 * provider that signs in to each. The extension (tenant explorer) and the CLI (`--cloud`) both read
 * it, so a host is written once. No `vscode` import.
 *
 * Hosts: Graph's national cloud deployments and the identity platform's national cloud
 * authorities, as Microsoft documents them. VS Code's `microsoft` provider signs in to the global
 * cloud only; `microsoft-sovereign-cloud` signs in to the one cloud chosen in its own setting
 * `microsoft-sovereign-cloud.environment` (`USGovernment`, `ChinaCloud`).
 */

export const cloudNames = ['global', 'usGov', 'usGovDoD', 'china'] as const;
export type CloudName = (typeof cloudNames)[number];

export interface Cloud {
  readonly name: CloudName;
  readonly label: string;
  /** Graph's origin, without the version: `https://graph.microsoft.com`. */
  readonly graphHost: string;
  /** The identity platform's origin: `https://login.microsoftonline.com`. */
  readonly authorityHost: string;
  /** The VS Code authentication provider that signs in to this cloud. */
  readonly vscodeProvider: 'microsoft' | 'microsoft-sovereign-cloud';
  /** The value of `microsoft-sovereign-cloud.environment` this cloud needs (sovereign provider only). */
  readonly sovereignEnvironment?: 'USGovernment' | 'ChinaCloud';
}

export const clouds: Readonly<Record<CloudName, Cloud>> = {
  global: {
    name: 'global',
    label: 'Global (and Microsoft 365 GCC)',
    graphHost: 'https://graph.microsoft.com',
    authorityHost: 'https://login.microsoftonline.com',
    vscodeProvider: 'microsoft',
  },
  usGov: {
    name: 'usGov',
    label: 'US Government L4 (GCC High)',
    graphHost: 'https://graph.microsoft.us',
    authorityHost: 'https://login.microsoftonline.us',
    vscodeProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'USGovernment',
  },
  usGovDoD: {
    name: 'usGovDoD',
    label: 'US Government L5 (DoD)',
    graphHost: 'https://dod-graph.microsoft.us',
    authorityHost: 'https://login.microsoftonline.us',
    vscodeProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'USGovernment',
  },
  china: {
    name: 'china',
    label: 'China (operated by 21Vianet)',
    graphHost: 'https://microsoftgraph.chinacloudapi.cn',
    authorityHost: 'https://login.partner.microsoftonline.cn',
    vscodeProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'ChinaCloud',
  },
};

export const GRAPH_VERSION = 'v1.0';

export function isCloudName(v: unknown): v is CloudName {
  return typeof v === 'string' && (cloudNames as readonly string[]).includes(v);
}

/** The cloud named `name` (case-insensitive); undefined for an unknown name. */
export function cloudNamed(name: string | undefined): Cloud | undefined {
  if (name === undefined) return clouds.global;
  const key = cloudNames.find((c) => c.toLowerCase() === name.trim().toLowerCase());
  return key ? clouds[key] : undefined;
}

/** Graph's service root for a cloud: `https://graph.microsoft.us/v1.0`. */
export function graphRoot(cloud: Cloud): string {
  return `${cloud.graphHost}/${GRAPH_VERSION}`;
}

/** The app-only scope of a Graph host (`https://graph.microsoft.com/.default`), from a host or a service root. */
export function defaultScope(graphHostOrRoot: string): string {
  return `${new URL(graphHostOrRoot).origin}/.default`;
}

/** True when `host` is the sign-in authority of one of the clouds (the identity library knows these). */
export function isKnownAuthority(host: string): boolean {
  let origin: string;
  try {
    origin = new URL(host).origin.toLowerCase();
  } catch {
    return false;
  }
  return Object.values(clouds).some((c) => c.authorityHost === origin);
}
