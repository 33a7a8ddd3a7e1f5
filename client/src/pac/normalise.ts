/**
 * Policy as code: the normal form of a catalog, access package or policy as it is kept in a
 * file. Read-only and server-set fields are dropped (ids, timestamps, `catalogType`, OData
 * annotations, the ids Graph gives questions and custom-extension stages), references between
 * objects are dropped (the layout supplies them), `null` values are dropped (null and absent mean
 * the same to Graph), and keys are in a stable order: `@odata.type`, `displayName`, `description`,
 * then alphabetical. Two pulls of an unchanged tenant therefore write the same bytes.
 */
export type Kind = 'catalog' | 'accessPackage' | 'policy';
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Top-level fields that Graph sets or that the layout supplies, per kind. */
const dropped: Readonly<Record<Kind, ReadonlySet<string>>> = {
  catalog: new Set(['id', 'catalogType', 'createdDateTime', 'modifiedDateTime', 'accessPackages']),
  accessPackage: new Set(['id', 'catalog', 'createdDateTime', 'modifiedDateTime', 'assignmentPolicies']),
  policy: new Set(['id', 'accessPackage', 'catalog', 'createdDateTime', 'modifiedDateTime']),
};

/** Lists whose items get a server-assigned `id` (differs per tenant, so it is not kept). */
const itemIdLists = new Set(['questions', 'customExtensionStageSettings']);

/** The fields a PATCH may change (catalogs and packages); policies are replaced whole with PUT. */
export const patchable: Readonly<Record<'catalog' | 'accessPackage', readonly string[]>> = {
  catalog: ['displayName', 'description', 'state', 'isExternallyVisible'],
  accessPackage: ['displayName', 'description', 'isHidden'],
};

const first = ['@odata.type', 'displayName', 'description'];

function order(a: string, b: string): number {
  const ia = first.indexOf(a);
  const ib = first.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Stable key order and no nulls, recursively; `keepNulls` keeps top-level nulls of a file (they mean "clear it"). */
export function canonical(v: unknown, keepNulls = false): Json {
  if (Array.isArray(v)) return v.map((x) => canonical(x));
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort(order)) {
      const x = v[k];
      if (x === undefined || (x === null && !keepNulls)) continue;
      out[k] = canonical(x);
    }
    return out;
  }
  return (v ?? null) as Json;
}

/** The normal form of an object of `kind`, from Graph or from a file. */
export function normalise(kind: Kind, obj: Record<string, unknown>, keepNulls = false): JsonObject {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (dropped[kind].has(k) || k.startsWith('@odata.') || k.includes('@odata.')) continue;
    out[k] = itemIdLists.has(k) && Array.isArray(v) ? v.map(withoutId) : v;
  }
  return canonical(out, keepNulls) as JsonObject;
}

function withoutId(item: unknown): unknown {
  if (!isObject(item)) return item;
  const { id: _id, ...rest } = item;
  return rest;
}

/** The text of a file: two-space JSON and a final newline. */
export function fileText(content: JsonObject): string {
  return `${JSON.stringify(content, null, 2)}\n`;
}

/**
 * Whether `want` holds in `have`: every key `want` names has the same value in `have` (a null in
 * `want` matches an absent or null one); keys only `have` has are server defaults and do not
 * count; arrays match item by item and must be the same length.
 */
export function holds(want: unknown, have: unknown): boolean {
  if (want === null || want === undefined) return have === null || have === undefined;
  if (Array.isArray(want))
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => holds(w, have[i]));
  if (isObject(want)) {
    if (!isObject(have)) return false;
    return Object.keys(want).every((k) => holds(want[k], have[k]));
  }
  return want === have;
}

/** The top-level fields of `want` that do not hold in `have`, in key order. */
export function differingFields(want: JsonObject, have: JsonObject): string[] {
  return Object.keys(want).filter((k) => !holds(want[k], have[k]));
}
