/**
 * The admin's console endpoints (issue 17): cancel and reprocess a request, catalog resources
 * and `resourceRequests`, a package's resource role scopes, connected organisations.
 */
import { getOne, listPage, type ListContext } from '../collection';
import type { Resource } from '../resources';
import { route, type Ctx, type Reply, type Route } from '../router';
import {
  addRoleScope,
  catalogResourcesOf,
  createConnectedOrganization,
  removeRoleScope,
  resourceRequest,
  roleScopesOf,
} from '../../engine/catalogResources';
import { mustGet } from '../../engine/engine';
import { cancelRequest, reprocessRequest } from '../../engine/requests';
import type { CollectionName, Entity, Store } from '../../store/store';

const EM = 'identityGovernance/entitlementManagement';

function lctx(ctx: Ctx, contextPath: string): ListContext {
  return { store: ctx.eng.store, query: ctx.query, url: ctx.url, base: ctx.base, contextPath: `${EM}/${contextPath}` };
}

/** A resource description for an entity set whose navigation properties are stored inline. */
function inline(
  type: string,
  coll: CollectionName,
  props: string[],
  filters: string[],
  navs: string[],
  idOf: (e: Entity) => string = (e) => e.id,
): Resource {
  const read: Resource['read'] = Object.fromEntries(
    filters.map((f) => [f, f === 'id' ? (_s: Store, e: Entity) => idOf(e) : (_s: Store, e: Entity) => e[f]]),
  );
  return {
    type,
    coll,
    properties: new Set(['id', ...props]),
    // Navigation properties are returned only when expanded.
    defaults: props.filter((p) => !navs.includes(p)),
    filters: new Map(filters.map((f) => [f.toLowerCase(), f])),
    read,
    navs: Object.fromEntries(navs.map((n) => [n, (_s: Store, e: Entity) => e[n] ?? null])),
    orderable: new Set(['displayName']),
  };
}

const catalogResources = inline(
  'accessPackageResource',
  'catalogResources',
  ['displayName', 'description', 'originId', 'originSystem', 'createdDateTime', 'modifiedDateTime', 'roles', 'scopes'],
  ['id', 'displayName', 'originId', 'originSystem'],
  ['roles', 'scopes'],
);
const roleScopes = inline(
  'accessPackageResourceRoleScope',
  'resourceRoleScopes',
  ['createdDateTime', 'role', 'scope'],
  ['id'],
  ['role', 'scope'],
  (e) => String(e._key),
);
const connectedOrganizations = inline(
  'connectedOrganization',
  'connectedOrganizations',
  ['displayName', 'description', 'identitySources', 'state', 'createdDateTime', 'modifiedDateTime'],
  ['id', 'displayName', 'state'],
  [],
);

/** Role scopes are named `roleId_scopeId` as Graph names them. */
function withKeys(page: Record<string, unknown>, list: Entity[]): Record<string, unknown> {
  const keys = new Map(list.map((e) => [e.id, String(e._key)]));
  for (const v of page.value as Record<string, unknown>[]) v.id = keys.get(v.id as string) ?? v.id;
  return page;
}

function listRoleScopes(ctx: Ctx): Reply {
  const pkg = mustGet(ctx.eng, 'accessPackages', ctx.params[0]!, 'accessPackage');
  const list = roleScopesOf(ctx.eng, pkg.id);
  return {
    status: 200,
    body: withKeys(listPage(roleScopes, lctx(ctx, `accessPackages('${pkg.id}')/resourceRoleScopes`), list), list),
  };
}

function postRoleScope(ctx: Ctx): Reply {
  const e = addRoleScope(ctx.eng, ctx.params[0]!, ctx.body);
  const { role, scope, createdDateTime } = e;
  return {
    status: 201,
    body: {
      '@odata.context': `${ctx.base}/$metadata#${EM}/accessPackages('${String(e._pkg)}')/resourceRoleScopes/$entity`,
      id: e._key,
      createdDateTime,
      role,
      scope,
    },
  };
}

function listCatalogResources(ctx: Ctx): Reply {
  const cat = mustGet(ctx.eng, 'catalogs', ctx.params[0]!, 'accessPackageCatalog');
  return {
    status: 200,
    body: listPage(catalogResources, lctx(ctx, `catalogs('${cat.id}')/resources`), catalogResourcesOf(ctx.eng, cat.id)),
  };
}

export const consoleRoutes: Route[] = [
  route(
    'POST',
    `${EM}/assignmentRequests/{}/cancel`,
    (ctx) => (cancelRequest(ctx.eng, ctx.params[0]!), { status: 204 }),
  ),
  route(
    'POST',
    `${EM}/assignmentRequests/{}/reprocess`,
    (ctx) => (reprocessRequest(ctx.eng, ctx.params[0]!), { status: 202 }),
  ),
  route('GET', `${EM}/catalogs/{}/resources`, listCatalogResources),
  route('POST', `${EM}/resourceRequests`, (ctx) => ({
    status: 201,
    body: {
      '@odata.context': `${ctx.base}/$metadata#${EM}/resourceRequests/$entity`,
      ...resourceRequest(ctx.eng, ctx.body),
    },
  })),
  route('GET', `${EM}/accessPackages/{}/resourceRoleScopes`, listRoleScopes),
  route('POST', `${EM}/accessPackages/{}/resourceRoleScopes`, postRoleScope),
  route(
    'DELETE',
    `${EM}/accessPackages/{}/resourceRoleScopes/{}`,
    (ctx) => (removeRoleScope(ctx.eng, ctx.params[0]!, ctx.params[1]!), { status: 204 }),
  ),
  route('GET', `${EM}/connectedOrganizations`, (ctx) => ({
    status: 200,
    body: listPage(connectedOrganizations, lctx(ctx, 'connectedOrganizations')),
  })),
  route('GET', `${EM}/connectedOrganizations/{}`, (ctx) => ({
    status: 200,
    body: getOne(
      connectedOrganizations,
      lctx(ctx, 'connectedOrganizations'),
      mustGet(ctx.eng, 'connectedOrganizations', ctx.params[0]!, 'connectedOrganization'),
    ),
  })),
  route('POST', `${EM}/connectedOrganizations`, (ctx) => ({
    status: 201,
    body: {
      '@odata.context': `${ctx.base}/$metadata#${EM}/connectedOrganizations/$entity`,
      ...createConnectedOrganization(ctx.eng, ctx.body),
    },
  })),
  route('DELETE', `${EM}/connectedOrganizations/{}`, (ctx) => {
    mustGet(ctx.eng, 'connectedOrganizations', ctx.params[0]!, 'connectedOrganization');
    ctx.eng.store.delete('connectedOrganizations', ctx.params[0]!);
    return { status: 204 };
  }),
];
