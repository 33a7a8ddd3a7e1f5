/**
 * What is asked of VS Code's Microsoft authentication providers, as pure functions (tested in
 * plain Node): one Graph permission per action (the least privilege that action needs) on the
 * tenant's cloud's Graph host; the tenant through `VSCODE_TENANT:`; the organisation's own app
 * registration through `VSCODE_CLIENT_ID:` when one is configured (VS Code's own app otherwise,
 * which Microsoft pre-authorises for a handful of Graph scopes only); the provider by cloud
 * (`microsoft`, or `microsoft-sovereign-cloud` for the US Government and China clouds).
 */
import type { Permission } from '../graph/graphClient';
import { clouds, graphRoot, isCloudName, type Cloud, type CloudName } from '../graph/clouds';

export const GRAPH_RESOURCE = clouds.global.graphHost;
export const GRAPH_ROOT = graphRoot(clouds.global);

/** How one tenant signs in. */
export interface SignInSettings {
  /** Tenant id (GUID) or verified domain: the `VSCODE_TENANT:` value. */
  tenant: string;
  cloud: CloudName;
  /** The application (client) id of the organisation's own registration; undefined = VS Code's app. */
  clientId?: string;
}

/** The settings as stored: `entitlements.auth.clientId` and `entitlements.tenantSettings[tenant]`. */
export interface StoredSignInSettings {
  clientId?: unknown;
  tenantSettings?: unknown;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The sign-in settings of `tenant`: its own entry in `tenantSettings` (matched without regard to
 * case) wins over the global client id; a client id that is not a GUID is ignored (it could only
 * fail at sign-in, and a `VSCODE_` prefix in it must never reach the scopes).
 */
export function signInSettings(tenant: string, stored: StoredSignInSettings): SignInSettings {
  const map = isRecord(stored.tenantSettings) ? stored.tenantSettings : {};
  const key = Object.keys(map).find((k) => k.trim().toLowerCase() === tenant.trim().toLowerCase());
  const own = key !== undefined && isRecord(map[key]) ? map[key] : {};
  const cloud = isCloudName(own.cloud) ? own.cloud : 'global';
  const clientId = [own.clientId, stored.clientId].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return {
    tenant: tenant.trim(),
    cloud,
    ...(clientId !== undefined && GUID.test(clientId.trim()) ? { clientId: clientId.trim() } : {}),
  };
}

/** The scopes for one permission: `[<graph host>/<permission>, VSCODE_CLIENT_ID:<id>?, VSCODE_TENANT:<tenant>]`. */
export function scopesFor(permission: Permission, settings: SignInSettings | string): string[] {
  const s: SignInSettings = typeof settings === 'string' ? { tenant: settings, cloud: 'global' } : settings;
  const scopes = [`${clouds[s.cloud].graphHost}/${permission}`];
  if (s.clientId) scopes.push(`VSCODE_CLIENT_ID:${s.clientId}`);
  scopes.push(`VSCODE_TENANT:${s.tenant}`);
  return scopes;
}

/** The VS Code authentication provider for a tenant's cloud. */
export function providerFor(settings: SignInSettings): Cloud['vscodeProvider'] {
  return clouds[settings.cloud].vscodeProvider;
}

/** Graph's service root for a tenant's cloud. */
export function graphRootFor(settings: SignInSettings): string {
  return graphRoot(clouds[settings.cloud]);
}

/**
 * For a sovereign cloud, the `microsoft-sovereign-cloud.environment` value the provider needs,
 * when the configured one differs (the provider serves one cloud at a time); undefined when fine.
 */
export function sovereignMismatch(settings: SignInSettings, configured: unknown): string | undefined {
  const want = clouds[settings.cloud].sovereignEnvironment;
  return want !== undefined && configured !== want ? want : undefined;
}

/** A sign-in refusal that means "this app may not ask for these permissions" (or nobody consented). */
export interface ConsentRefusal {
  code: string;
  /** What to tell the user, in one sentence. */
  reason: string;
}

const consentCodes: Record<string, string> = {
  AADSTS65002:
    "VS Code's own application is not pre-authorised for entitlement-management permissions; register your organisation's app and set it in entitlements.auth.clientId.",
  AADSTS650057: "the app registration does not list these Graph permissions; add them to the app's API permissions.",
  AADSTS65001: 'nobody has consented to these permissions for the app yet; an administrator can grant consent.',
  AADSTS90094: 'these permissions need an administrator to grant consent for the organisation.',
  AADSTS90008: 'the app registration must request at least Graph User.Read; add it to its API permissions.',
  AADSTS700016: 'the application (client) id is not known in this tenant; check entitlements.auth.clientId.',
  AADSTS7000218: "the app registration is not a public client; enable 'Allow public client flows' on it.",
  AADSTS50011: "the app registration lacks the redirect URIs VS Code's sign-in uses.",
};

/** Recognises the refusals the README's "Use with your tenant" section explains; undefined for others. */
export function consentRefusal(message: string): ConsentRefusal | undefined {
  const code = /AADSTS\d+/.exec(message)?.[0];
  if (code && consentCodes[code]) return { code, reason: consentCodes[code] };
  if (/\b(consent_required|admin(istrator)? consent|needs? (admin )?approval|invalid_resource)\b/i.test(message))
    return { code: code ?? 'ConsentRequired', reason: 'the permissions need consent for this app in the tenant.' };
  return undefined;
}

/** A tenant id (GUID) or a verified domain (`contoso.onmicrosoft.com`). */
export function isTenantIdOrDomain(text: string): boolean {
  const t = text.trim();
  return GUID.test(t) || /^(?=.{3,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,}$/i.test(t);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
