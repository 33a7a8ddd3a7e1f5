/**
 * Scopes asked of VS Code's built-in `microsoft` authentication provider: one Graph permission
 * per action (the least privilege that action needs), and the tenant through the provider's
 * `VSCODE_TENANT:<id or domain>` convention. No client id or secret of our own.
 */
import type { Permission } from '../graph/graphClient';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_ROOT = `${GRAPH_RESOURCE}/v1.0`;

export function scopesFor(permission: Permission, tenant: string): string[] {
  return [`${GRAPH_RESOURCE}/${permission}`, `VSCODE_TENANT:${tenant}`];
}

/** A tenant id (GUID) or a verified domain (`contoso.onmicrosoft.com`). */
export function isTenantIdOrDomain(text: string): boolean {
  const t = text.trim();
  return (
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t) ||
    /^(?=.{3,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,}$/i.test(t)
  );
}
