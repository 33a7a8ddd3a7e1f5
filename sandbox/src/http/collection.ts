/**
 * Listing and reading entities the OData way: filter, order, page with `@odata.nextLink`
 * (absolute links carrying a `$skiptoken`), count, select and expand.
 */
import { GraphError } from './errors';
import { matches, parseFilter, type FilterNode } from './filter';
import { defaultPageSize, makeSkipToken, type QueryOptions } from './query';
import { joinArray, JsonBytes, PresentedCache } from './presented';
import { checkShape, present, type Resource } from './resources';
import type { Entity, Store } from '../store/store';

export interface ListContext {
  store: Store;
  query: QueryOptions;
  /** The request URL as the client sent it, made absolute against the sandbox's origin. */
  url: URL;
  /** `http://127.0.0.1:PORT/v1.0`, for `@odata.context`. */
  base: string;
  /** The context path (`users`, `identityGovernance/entitlementManagement/assignments`). */
  contextPath: string;
}

export function compileFilter(res: Resource, text: string | undefined): FilterNode | undefined {
  return text === undefined ? undefined : parseFilter(text, res.filters, `microsoft.graph.${res.type}`);
}

interface Page {
  /** `@odata.context` and, with `$count`, `@odata.count`: what precedes `value`. */
  head: Record<string, unknown>;
  page: Entity[];
  next: string | undefined;
}

/** One page of a collection; `source` narrows the set (a package's policies, a group's members). */
export function listPage(res: Resource, ctx: ListContext, source?: Iterable<Entity>): Record<string, unknown> {
  const { head, page, next } = pageOf(res, ctx, source);
  const q = ctx.query;
  const out: Record<string, unknown> = {
    ...head,
    value: page.map((e) => present(res, ctx.store, e, q.select, q.expand)),
  };
  if (next !== undefined) out['@odata.nextLink'] = next;
  return out;
}

const presentedCaches = new WeakMap<Resource, PresentedCache>();

/**
 * The same page as listPage, as a reply body. Without `$select` and `$expand` each entity's
 * default projection is taken, already encoded, from presented.ts's cache, and the page is the
 * bytes joined; the result is byte for byte what JSON.stringify(listPage(…)) gives.
 */
export function listBody(
  res: Resource,
  ctx: ListContext,
  source?: Iterable<Entity>,
): Record<string, unknown> | JsonBytes {
  const q = ctx.query;
  if (!res.project || q.select || q.expand?.length) return listPage(res, ctx, source);
  const { head, page, next } = pageOf(res, ctx, source);
  let cache = presentedCaches.get(res);
  if (!cache) presentedCaches.set(res, (cache = new PresentedCache(res.project)));
  const start = JSON.stringify(head);
  const tail = next === undefined ? '}' : `,"@odata.nextLink":${JSON.stringify(next)}}`;
  return joinArray(cache, page, `${start.slice(0, -1)},"value":`, tail);
}

function pageOf(res: Resource, ctx: ListContext, source: Iterable<Entity> | undefined): Page {
  const q = ctx.query;
  if (q.search !== undefined)
    throw new GraphError(400, 'Request_UnsupportedQuery', `$search is not supported on ${res.type} collections here.`);
  checkShape(res, q);
  const filter = compileFilter(res, q.filter);
  const narrowed = source ?? res.candidates?.(ctx.store, filter);
  const keep = filter ? (e: Entity): boolean => matches(filter, (p) => res.read[p]!(ctx.store, e)) : undefined;
  const size = q.top ?? defaultPageSize;
  let page: Entity[];
  let total: number | undefined;
  let more: boolean;
  let after: number | undefined;
  const items = narrowed ?? ctx.store.values(res.coll);
  if (q.after !== undefined && (narrowed || q.orderby || q.count))
    throw new GraphError(
      400,
      'BadRequest',
      'The $skiptoken does not belong to this query; follow @odata.nextLink as returned.',
    );
  if (!narrowed && !q.orderby && !q.count) {
    // A whole collection in table order: the page resumes after the last entity's ordinal, so its
    // cost does not depend on how deep the page is.
    // The table's slots are read in place (nothing here writes to the table).
    const { slots, ords, start } = ctx.store.table(res.coll).view(q.after ?? 0);
    page = [];
    more = false;
    after = q.after ?? 0;
    let skipped = 0;
    for (let i = start; i < slots.length; i++) {
      const e = slots[i];
      if (e === undefined || (keep && !keep(e))) continue;
      if (skipped < q.skip) {
        skipped++;
        continue;
      }
      if (page.length === size) {
        more = true;
        break;
      }
      page.push(e);
      after = ords[i]!;
    }
  } else if (q.orderby || q.count) {
    const all: Entity[] = [];
    for (const e of items) if (!keep || keep(e)) all.push(e);
    if (q.orderby) sortBy(all, q.orderby.prop, q.orderby.desc);
    total = all.length;
    page = all.slice(q.skip, q.skip + size);
    more = q.skip + size < all.length;
  } else {
    // Without ordering or a count, stop as soon as the page and one look-ahead item are found.
    ({ page, more } = takePage(items, (e) => e, keep, q.skip, size));
  }
  const head: Record<string, unknown> = { '@odata.context': `${ctx.base}/$metadata#${ctx.contextPath}` };
  if (total !== undefined) head['@odata.count'] = total;
  return { head, page, next: more ? nextLink(ctx.url, q.skip + size, after) : undefined };
}

/**
 * The first `size` kept items after skipping `skip` kept ones, reading one item past the page to
 * know whether there is more (and nothing beyond it).
 */
function takePage<T>(
  items: Iterable<T>,
  entity: (item: T) => Entity,
  keep: ((e: Entity) => boolean) | undefined,
  skip: number,
  size: number,
): { page: T[]; more: boolean } {
  const page: T[] = [];
  let seen = 0;
  for (const item of items) {
    if (keep && !keep(entity(item))) continue;
    if (seen++ < skip) continue;
    if (page.length === size) return { page, more: true };
    page.push(item);
  }
  return { page, more: false };
}

function sortBy(list: Entity[], prop: string, desc: boolean): void {
  const key = (e: Entity): string => {
    const v = e[prop];
    return typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  };
  list.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -c : c;
  });
}

/** The request's own link with a new `$skiptoken`; the rest of the query is kept as the client wrote it. */
function nextLink(url: URL, offset: number, after: number | undefined): string {
  const kept = url.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '' && !/^(\$|%24)skiptoken=/i.test(p));
  kept.push(`$skiptoken=${makeSkipToken(offset, after)}`);
  return `${url.origin}${url.pathname}?${kept.join('&')}`;
}

/** A single entity with `$select`/`$expand`; `$filter`, `$top` and friends make no sense here. */
export function getOne(res: Resource, ctx: ListContext, e: Entity): Record<string, unknown> {
  const q = ctx.query;
  if (q.filter !== undefined || q.top !== undefined || q.orderby || q.count || q.skip || q.after !== undefined) {
    throw new GraphError(400, 'BadRequest', 'Only $select and $expand apply when reading a single entity.');
  }
  checkShape(res, q);
  return {
    '@odata.context': `${ctx.base}/$metadata#${ctx.contextPath}/$entity`,
    ...present(res, ctx.store, e, q.select, q.expand),
  };
}
