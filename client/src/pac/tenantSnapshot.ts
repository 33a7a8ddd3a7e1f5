/**
 * What a tenant holds, read with as few calls as Graph allows: the catalogs (paged), then the
 * access packages with their catalog id and their policies expanded (paged). Every object is kept
 * raw and in its normal form.
 */
import { query, type GraphClient } from '../graph/graphClient';
import { EM } from '../graph/entitlements';
import { normalise, type JsonObject, type Kind } from './normalise';

export interface Remote {
  kind: Kind;
  id: string;
  displayName: string;
  /** The catalog of a package, the package of a policy. */
  parentId?: string;
  raw: Record<string, unknown>;
  content: JsonObject;
  /** `serviceDefault` for the built-in General catalog (never deleted). */
  builtIn?: boolean;
}

export interface Snapshot {
  catalogs: Remote[];
  packages: Remote[];
  policies: Remote[];
  byId: Map<string, Remote>;
  /** Only some catalogs were read (`--catalog`). */
  partial: boolean;
}

export interface FetchOptions {
  /** Only the catalog with this display name (and what it holds). */
  catalog?: string;
  signal?: AbortSignal;
}

function remote(kind: Kind, raw: Record<string, unknown>, parentId?: string): Remote {
  return {
    kind,
    id: String(raw.id),
    displayName: typeof raw.displayName === 'string' ? raw.displayName : '',
    parentId,
    raw,
    content: normalise(kind, raw),
    builtIn: kind === 'catalog' && raw.catalogType === 'serviceDefault' ? true : undefined,
  };
}

export async function fetchSnapshot(graph: GraphClient, opts: FetchOptions = {}): Promise<Snapshot> {
  const o = { signal: opts.signal };
  const catalogs: Remote[] = [];
  for await (const page of graph.pages<Record<string, unknown>>(`${EM}/catalogs`, o))
    for (const c of page) catalogs.push(remote('catalog', c));
  const wanted = opts.catalog === undefined ? catalogs : catalogs.filter((c) => c.displayName === opts.catalog);
  const catalogIds = new Set(wanted.map((c) => c.id));
  const packages: Remote[] = [];
  const policies: Remote[] = [];
  const path = `${EM}/accessPackages${query({ $expand: 'catalog($select=id),assignmentPolicies' })}`;
  for await (const page of graph.pages<Record<string, unknown>>(path, o)) {
    for (const p of page) {
      const catalog = p.catalog as { id?: unknown } | null | undefined;
      const catalogId = typeof catalog?.id === 'string' ? catalog.id : undefined;
      if (!catalogId || !catalogIds.has(catalogId)) continue;
      const pkg = remote('accessPackage', p, catalogId);
      packages.push(pkg);
      const list = Array.isArray(p.assignmentPolicies) ? (p.assignmentPolicies as Record<string, unknown>[]) : [];
      for (const pol of list) policies.push(remote('policy', pol, pkg.id));
    }
  }
  const byId = new Map<string, Remote>();
  for (const r of [...wanted, ...packages, ...policies]) byId.set(r.id, r);
  return { catalogs: wanted, packages, policies, byId, partial: opts.catalog !== undefined };
}
