/**
 * OData system query options as Graph v1.0 accepts them on the sandbox's collections:
 * `$filter`, `$select`, `$expand` (with nested `$expand`/`$select`), `$top` (1-999),
 * `$count`, `$orderby` (displayName) and the opaque `$skiptoken` of our own next links.
 * An option Graph would reject here is a 400, never silently ignored.
 */
import { GraphError } from './errors';

export interface ExpandItem {
  name: string;
  select?: string[];
  expand?: ExpandItem[];
}

export interface QueryOptions {
  filter?: string;
  select?: string[];
  expand?: ExpandItem[];
  top?: number;
  count: boolean;
  orderby?: { prop: string; desc: boolean };
  skip: number;
  /** Keyset paging: continue after this ordinal of the collection's table (see store/table.ts). */
  after?: number;
  /** `$search` as sent; only the collections that support it read it (users, groups). */
  search?: string;
}

export const defaultPageSize = 100;
export const maxPageSize = 999;
const known = new Set(['$filter', '$select', '$expand', '$top', '$count', '$orderby', '$skiptoken', '$search']);

const bad = (message: string): GraphError => new GraphError(400, 'BadRequest', message);

export function parseQuery(params: URLSearchParams): QueryOptions {
  const q: QueryOptions = { count: false, skip: 0 };
  for (const key of new Set(params.keys())) {
    const k = key.toLowerCase();
    if (!k.startsWith('$')) continue;
    if (!known.has(k))
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `The query option '${key}' is not supported by this resource.`,
      );
    if (params.getAll(key).length > 1) throw bad(`The query option '${key}' is specified more than once.`);
    const v = params.get(key)!;
    if (k === '$filter') q.filter = v;
    else if (k === '$select') q.select = splitList(v, key);
    else if (k === '$expand') q.expand = parseExpand(v);
    else if (k === '$top') q.top = parseTop(v);
    else if (k === '$count') q.count = parseBool(v);
    else if (k === '$orderby') q.orderby = parseOrderBy(v);
    else if (k === '$search') q.search = v;
    else {
      const t = parseSkipToken(v);
      if (t.a !== undefined) q.after = t.a;
      else q.skip = t.o ?? 0;
    }
  }
  return q;
}

function splitList(v: string, key: string): string[] {
  const items = v.split(',').map((s) => s.trim());
  if (items.some((s) => !/^[A-Za-z_@][\w@.]*$/.test(s)))
    throw bad(`Invalid ${key} value '${v}': give a comma-separated list of property names.`);
  return items;
}

function parseTop(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > maxPageSize)
    throw bad(`Invalid page size specified: '${v}'. Must be between 1 and ${maxPageSize} inclusive.`);
  return n;
}

function parseBool(v: string): boolean {
  if (v === 'true' || v === 'false') return v === 'true';
  throw bad(`Invalid $count value '${v}': use true or false.`);
}

function parseOrderBy(v: string): { prop: string; desc: boolean } {
  const m = /^\s*([A-Za-z]\w*)(?:\s+(asc|desc))?\s*$/i.exec(v);
  if (!m)
    throw new GraphError(
      400,
      'Request_UnsupportedQuery',
      `$orderby '${v}' is not supported; order by one property, e.g. displayName or displayName desc.`,
    );
  return { prop: m[1]!, desc: (m[2] ?? '').toLowerCase() === 'desc' };
}

/** A token for offset paging (sorted or counted listings) or, with `after`, for keyset paging. */
export function makeSkipToken(offset: number, after?: number): string {
  return Buffer.from(JSON.stringify(after === undefined ? { o: offset } : { a: after })).toString('base64url');
}

function parseSkipToken(v: string): { o?: number; a?: number } {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  try {
    const t = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as { o?: unknown; a?: unknown };
    if (ok(t.o)) return { o: t.o };
    if (ok(t.a)) return { a: t.a };
  } catch {
    // fall through to the error below
  }
  throw bad(`The $skiptoken '${v}' is not valid; follow @odata.nextLink as returned.`);
}

/** Levels of nested `$expand` accepted (Graph itself expands few levels). */
export const maxExpandDepth = 4;

/** `a,b($expand=c;$select=d),e` → items; nesting is split on top-level commas only. */
export function parseExpand(v: string, depth = 1): ExpandItem[] {
  if (depth > maxExpandDepth)
    throw new GraphError(400, 'Request_UnsupportedQuery', `$expand nests deeper than ${maxExpandDepth} levels.`);
  return splitTopLevel(v, ',').map((part) => {
    const m = /^\s*([A-Za-z*][\w]*)\s*(?:\((.*)\))?\s*$/s.exec(part);
    if (!m) throw bad(`Invalid $expand item '${part}'.`);
    const item: ExpandItem = { name: m[1]! };
    if (m[2] !== undefined) {
      for (const opt of splitTopLevel(m[2], ';')) {
        const eq = opt.indexOf('=');
        const key = opt.slice(0, eq).trim().toLowerCase();
        const val = opt.slice(eq + 1);
        if (key === '$expand') item.expand = parseExpand(val, depth + 1);
        else if (key === '$select') item.select = splitList(val, '$select');
        else
          throw new GraphError(400, 'Request_UnsupportedQuery', `The option '${key}' is not supported inside $expand.`);
      }
    }
    return item;
  });
}

function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw bad(`Unbalanced parentheses in '${s}'.`);
  }
  if (depth !== 0) throw bad(`Unbalanced parentheses in '${s}'.`);
  out.push(s.slice(start));
  return out.filter((x) => x.trim() !== '');
}
