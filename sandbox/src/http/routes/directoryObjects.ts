/**
 * `POST /directoryObjects/getByIds`: the directory objects (users, groups) with the given ids, in
 * Graph's shape — each with its `@odata.type`, ids not found left out, at most 1000 ids, `types`
 * narrowing the kinds. A read: it runs outside the write transaction.
 */
import { GraphError } from '../errors';
import { present, groups, users, type Resource } from '../resources';
import { route, type Ctx, type Reply, type Route } from '../router';

const kinds: Record<string, Resource> = { user: users, group: groups };
const MAX_IDS = 1000;

function getByIds(ctx: Ctx): Reply {
  const body = ctx.body as { ids?: unknown; types?: unknown } | undefined;
  const ids = body?.ids;
  if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string'))
    throw new GraphError(400, 'Request_BadRequest', "The request body needs 'ids': an array of strings.");
  if (ids.length > MAX_IDS)
    throw new GraphError(400, 'Request_BadRequest', `Too many ids: at most ${MAX_IDS} per request.`);
  let types = Object.keys(kinds);
  if (body?.types !== undefined) {
    if (!Array.isArray(body.types) || body.types.some((t) => typeof t !== 'string'))
      throw new GraphError(400, 'Request_BadRequest', "'types' must be an array of strings.");
    const asked = (body.types as string[]).map((t) => t.replace(/^#?microsoft\.graph\./i, '').toLowerCase());
    const unknown = asked.find(
      (t) =>
        ![
          'user',
          'group',
          'device',
          'serviceprincipal',
          'application',
          'orgcontact',
          'directoryrole',
          'directoryroletemplate',
        ].includes(t),
    );
    if (unknown) throw new GraphError(400, 'Request_BadRequest', `Invalid type '${unknown}' in 'types'.`);
    types = types.filter((t) => asked.includes(t));
  }
  const value: Record<string, unknown>[] = [];
  for (const id of ids as string[]) {
    for (const t of types) {
      const res = kinds[t]!;
      const e = ctx.eng.store.get(res.coll, id) ?? ctx.eng.store.get(res.coll, id.toLowerCase());
      if (e) {
        value.push({ '@odata.type': `#microsoft.graph.${t}`, ...present(res, ctx.eng.store, e) });
        break;
      }
    }
  }
  return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#directoryObjects`, value } };
}

export const directoryObjectRoutes: Route[] = [
  { ...route('POST', 'directoryObjects/getByIds', getByIds), write: false },
];
