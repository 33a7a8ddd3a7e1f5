/**
 * The tenant's directory for authoring, over the one Graph layer: resolving ids (users and groups
 * in one `directoryObjects/getByIds` call per 1000 ids, entitlement objects by id) and searching
 * objects by the start of a name, UPN or mail (`$search` with `ConsistencyLevel: eventual` for users
 * and groups, `startswith` for the rest). Answers are cached per tenant for a short time
 * (`DirectoryCache`), found and not-found alike. No `vscode` import: the CLI uses it too.
 */
import { GraphRequestError, query, type GraphClient } from '../graph/graphClient';
import { EM, odataString } from '../graph/entitlements';
import {
  sampledAttributes,
  type DirectoryKind,
  type DirectoryObject,
  type ExtensionPropertyInfo,
  type IdQuery,
  type LookupAnswer,
  type RuleVocabulary,
} from '../../../server/src/service/directory/protocol';

/** Users read for the value sample (one page) and values kept per attribute. */
export const SAMPLE_USERS = 999;
export const VALUES_PER_ATTRIBUTE = 50;

/** Distinct values of each attribute in `users`, most frequent first (ties by name), at most `limit`. */
export function sampleValues(
  users: readonly Record<string, unknown>[],
  limit = VALUES_PER_ATTRIBUTE,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const a of sampledAttributes) {
    const counts = new Map<string, number>();
    for (const u of users) {
      const v = u[a];
      if (typeof v === 'string' && v.trim() !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    out[a] = [...counts]
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .slice(0, limit)
      .map(([v]) => v);
  }
  return out;
}

/** Ids and results per tenant, each kept `ttlMs`; `clear()` is the refresh command. */
export class DirectoryCache {
  private readonly entries = new Map<string, { value: DirectoryObject | null; until: number }>();
  constructor(
    readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}
  get(id: string): DirectoryObject | null | undefined {
    const e = this.entries.get(id.toLowerCase());
    if (!e) return undefined;
    if (e.until < this.now()) {
      this.entries.delete(id.toLowerCase());
      return undefined;
    }
    return e.value;
  }
  set(id: string, value: DirectoryObject | null): void {
    this.entries.set(id.toLowerCase(), { value, until: this.now() + this.ttlMs });
  }
  clear(): void {
    this.entries.clear();
  }
  get size(): number {
    return this.entries.size;
  }
}

const directoryKinds = new Set<DirectoryKind>(['user', 'group']);
const entitlementPaths: Partial<Record<DirectoryKind, string>> = {
  accessPackage: `${EM}/accessPackages`,
  catalog: `${EM}/catalogs`,
  policy: `${EM}/assignmentPolicies`,
  connectedOrganization: `${EM}/connectedOrganizations`,
};

interface GraphObject {
  id: string;
  '@odata.type'?: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  catalog?: { id: string; displayName?: string | null } | null;
}

function toObject(o: GraphObject, kind: DirectoryKind): DirectoryObject {
  const out: DirectoryObject = { id: o.id.toLowerCase(), kind, displayName: o.displayName ?? '' };
  if (o.userPrincipalName) out.userPrincipalName = o.userPrincipalName;
  if (o.mail) out.mail = o.mail;
  if (o.catalog) out.catalog = { id: o.catalog.id, displayName: o.catalog.displayName ?? '' };
  return out;
}

function kindOfType(type: string | undefined): DirectoryKind | undefined {
  const t = (type ?? '').replace(/^#?microsoft\.graph\./i, '');
  return t === 'user' || t === 'group' ? t : undefined;
}

/** Stops at the first of `n` concurrent calls at a time. */
async function inBatches<T>(items: readonly T[], n: number, f: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += n) await Promise.all(items.slice(i, i + n).map(f));
}

export class GraphDirectory {
  private readonly inFlight = new Map<string, Promise<void>>();
  private vocab: { until: number; value: Promise<RuleVocabulary> } | undefined;

  constructor(
    private readonly graph: GraphClient,
    /** The tenant's name in messages. */
    readonly tenantName: string,
    readonly cache = new DirectoryCache(),
  ) {}

  /** What the cache alone knows about `ids` (for inlay hints: never a network call). */
  cached(ids: readonly IdQuery[]): LookupAnswer {
    const objects: DirectoryObject[] = [];
    for (const q of ids) {
      const o = this.cache.get(q.id);
      if (o) objects.push(o);
    }
    return { tenant: this.tenantName, objects };
  }

  /**
   * Resolves ids. Users and groups are resolved together whatever the place wants, so a group id
   * where a user is expected comes back as a group. An id Graph cannot check (a kind the service
   * does not expose) is reported in `unchecked`, never as missing. A failing directory read throws.
   */
  async lookup(ids: readonly IdQuery[], signal?: AbortSignal): Promise<LookupAnswer> {
    const missing = ids.filter((q) => this.cache.get(q.id) === undefined);
    if (missing.length > 0) await this.fetch(missing, signal);
    const objects: DirectoryObject[] = [];
    const unchecked: string[] = [];
    for (const q of ids) {
      const o = this.cache.get(q.id);
      if (o) objects.push(o);
      else if (o === undefined) unchecked.push(q.id);
    }
    const answer: LookupAnswer = { tenant: this.tenantName, objects };
    if (unchecked.length > 0) answer.unchecked = unchecked;
    return answer;
  }

  private async fetch(ids: readonly IdQuery[], signal?: AbortSignal): Promise<void> {
    const key = ids
      .map((q) => q.id)
      .sort()
      .join(',');
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = this.fetchNow(ids, signal).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async fetchNow(ids: readonly IdQuery[], signal?: AbortSignal): Promise<void> {
    const directory = ids.filter((q) => q.kinds.some((k) => directoryKinds.has(k))).map((q) => q.id);
    for (let i = 0; i < directory.length; i += 1000) {
      const chunk = directory.slice(i, i + 1000);
      const r = await this.graph.post<{ value: GraphObject[] }>(
        '/directoryObjects/getByIds',
        { ids: chunk, types: ['user', 'group'] },
        { permission: 'User.ReadBasic.All', signal },
      );
      const found = new Set<string>();
      for (const o of r.value ?? []) {
        const kind = kindOfType(o['@odata.type']);
        if (!kind) continue;
        found.add(o.id.toLowerCase());
        this.cache.set(o.id, toObject(o, kind));
      }
      for (const id of chunk) if (!found.has(id.toLowerCase())) this.cache.set(id, null);
    }
    const others = ids.filter((q) => !q.kinds.some((k) => directoryKinds.has(k)));
    await inBatches(others, 8, async (q) => {
      const kind = q.kinds[0]!;
      const path = entitlementPaths[kind];
      if (!path) return;
      const expand = kind === 'accessPackage' ? query({ $expand: 'catalog' }) : '';
      try {
        const o = await this.graph.get<GraphObject>(`${path}/${encodeURIComponent(q.id)}${expand}`, { signal });
        this.cache.set(q.id, toObject(o, kind));
      } catch (e) {
        if (e instanceof GraphRequestError && e.status === 404) this.cache.set(q.id, null);
        else if (e instanceof GraphRequestError && e.status === 400 && kind === 'connectedOrganization') return;
        else throw e;
      }
    });
  }

  /**
   * What rules can use here: the registered extension properties and the values of common
   * attributes among a bounded sample of users (one page of `SAMPLE_USERS`). Kept as long as
   * cached ids; a failure is not kept (the next request asks again) and is thrown.
   */
  vocabulary(signal?: AbortSignal): Promise<RuleVocabulary> {
    const now = Date.now();
    if (this.vocab && this.vocab.until > now) return this.vocab.value;
    const value = this.readVocabulary(signal);
    this.vocab = { until: now + this.cache.ttlMs, value };
    value.catch(() => {
      if (this.vocab?.value === value) this.vocab = undefined;
    });
    return value;
  }

  /** Forget the vocabulary too (the refresh command). */
  clear(): void {
    this.cache.clear();
    this.vocab = undefined;
  }

  private async readVocabulary(signal?: AbortSignal): Promise<RuleVocabulary> {
    const [extensions, users] = await Promise.all([
      this.graph.post<{ value?: ExtensionPropertyInfo[] }>(
        '/directoryObjects/getAvailableExtensionProperties',
        {},
        { permission: 'User.Read.All', signal },
      ),
      this.graph.page<Record<string, unknown>>(
        `/users${query({ $select: sampledAttributes.join(','), $top: SAMPLE_USERS })}`,
        { permission: 'User.Read.All', signal },
      ),
    ]);
    return {
      tenant: this.tenantName,
      extensions: (extensions.value ?? []).map((e) => ({
        name: e.name,
        dataType: e.dataType,
        targetObjects: e.targetObjects ?? [],
        appDisplayName: e.appDisplayName,
      })),
      values: sampleValues(users.items),
      sampled: users.items.length,
    };
  }

  /** Objects of `kind` whose name, UPN or mail start with `text` (at most `top`). */
  async search(kind: DirectoryKind, text: string, top = 20, signal?: AbortSignal): Promise<DirectoryObject[]> {
    const term = text.replace(/"/g, '').trim();
    let objects: DirectoryObject[];
    if (kind === 'user' || kind === 'group') {
      const props = kind === 'user' ? ['displayName', 'userPrincipalName', 'mail'] : ['displayName', 'mail'];
      const params: Record<string, string | number> = {
        $select: ['id', ...props].join(','),
        $top: top,
      };
      if (term !== '') params.$search = props.map((p) => `"${p}:${term}"`).join(' OR ');
      const page = await this.graph.page<GraphObject>(`/${kind}s${query(params)}`, {
        headers: { ConsistencyLevel: 'eventual' },
        permission: 'User.ReadBasic.All',
        signal,
      });
      objects = page.items.map((o) => toObject(o, kind));
    } else {
      const path = entitlementPaths[kind];
      if (!path) return [];
      const params: Record<string, string | number> = { $top: top };
      if (term !== '') params.$filter = `startswith(displayName,${odataString(term)})`;
      if (kind === 'accessPackage') params.$expand = 'catalog';
      const page = await this.graph.page<GraphObject>(`${path}${query(params)}`, { signal });
      objects = page.items.map((o) => toObject(o, kind));
    }
    for (const o of objects) this.cache.set(o.id, o);
    return objects;
  }
}
