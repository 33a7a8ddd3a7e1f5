/** `/users` and `/groups` (with `members`). */
import { getOne, listBody, listPage } from '../collection';
import { route, type Ctx, type Reply, type Route } from '../router';
import { groups, users } from '../resources';
import { addMember, createGroup, createUser, deleteUser, patchUser, removeMember } from '../../engine/directory';
import { mustGet } from '../../engine/engine';
import type { Entity } from '../../store/store';
import { applySearch } from './directorySearch';

const list = (ctx: Ctx, contextPath: string) => ({
  store: ctx.eng.store,
  query: ctx.query,
  url: ctx.url,
  base: ctx.base,
  contextPath,
});
const id = (ctx: Ctx, i = 0): string => ctx.params[i]!;

function members(ctx: Ctx): Reply {
  const g = mustGet(ctx.eng, 'groups', id(ctx), 'group');
  const source = function* (): Iterable<Entity> {
    for (const m of g._members as string[]) {
      const u = ctx.eng.store.get('users', m);
      if (u) yield u;
    }
  };
  const page = listPage(users, list(ctx, 'directoryObjects'), source());
  for (const v of page.value as Record<string, unknown>[]) Object.assign(v, { '@odata.type': '#microsoft.graph.user' });
  return { status: 200, body: page };
}

/** `$search` (with `ConsistencyLevel: eventual`) on the properties Graph tokenises for search. */
function searched(ctx: Ctx, coll: 'users' | 'groups', allowed: readonly string[]) {
  const search = ctx.query.search;
  if (search === undefined) return { ctx, source: undefined };
  const source = applySearch(search, ctx.headers, allowed, ctx.eng.store.values(coll));
  return { ctx: { ...ctx, query: { ...ctx.query, search: undefined } }, source };
}

function listUsers(ctx: Ctx): Reply {
  const s = searched(ctx, 'users', [
    'displayName',
    'userPrincipalName',
    'mail',
    'givenName',
    'surname',
    'mailNickname',
  ]);
  return { status: 200, body: listBody(users, list(s.ctx, 'users'), s.source) };
}

function listGroups(ctx: Ctx): Reply {
  const s = searched(ctx, 'groups', ['displayName', 'description', 'mail', 'mailNickname']);
  return { status: 200, body: listPage(groups, list(s.ctx, 'groups'), s.source) };
}

export const directoryRoutes: Route[] = [
  route('GET', 'users', listUsers),
  route('POST', 'users', (ctx) => ({ status: 201, body: createUser(ctx.eng, ctx.body) })),
  route('GET', 'users/{}', (ctx) => ({
    status: 200,
    body: getOne(users, list(ctx, 'users'), mustGet(ctx.eng, 'users', id(ctx), 'user')),
  })),
  route('PATCH', 'users/{}', (ctx) => (patchUser(ctx.eng, id(ctx), ctx.body), { status: 204 })),
  route('DELETE', 'users/{}', (ctx) => (deleteUser(ctx.eng, id(ctx)), { status: 204 })),
  route('GET', 'groups', listGroups),
  route('POST', 'groups', (ctx) => ({ status: 201, body: createGroup(ctx.eng, ctx.body) })),
  route('GET', 'groups/{}', (ctx) => ({
    status: 200,
    body: getOne(groups, list(ctx, 'groups'), mustGet(ctx.eng, 'groups', id(ctx), 'group')),
  })),
  route('GET', 'groups/{}/members', members),
  route('POST', 'groups/{}/members/$ref', (ctx) => (addMember(ctx.eng, id(ctx), ctx.body), { status: 204 })),
  route('DELETE', 'groups/{}/members/{}/$ref', (ctx) => (removeMember(ctx.eng, id(ctx), id(ctx, 1)), { status: 204 })),
];
