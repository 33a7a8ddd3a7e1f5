/**
 * A tenant the explorer shows: the embedded sandbox or a Microsoft Entra tenant. Both give an
 * EntitlementsApi over the same Graph layer; only the base URL and the token source differ.
 */
import type { EntitlementsApi } from '../graph/entitlements';

export type TenantKind = 'sandbox' | 'microsoft';

export interface Tenant {
  /** `sandbox`, or the tenant id / domain as configured (the tree's ids start with it). */
  readonly key: string;
  readonly kind: TenantKind;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  /** True when reads can go ahead without asking the user to sign in. */
  isSignedIn(): Promise<boolean>;
  /** The Graph access for this tenant (starts the sandbox on first use). */
  api(): Promise<EntitlementsApi>;
}

export const SANDBOX_KEY = 'sandbox';
