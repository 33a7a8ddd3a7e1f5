/**
 * What packages grant: resources of a catalog (added with `resourceRequests`), and the resource
 * role scopes of a package (a role of a catalog resource at one of its scopes). The sandbox
 * onboards directory groups (`AadGroup`), each with its Member and Owner roles and one root
 * scope; applications and SharePoint sites need a real tenant. Connected organisations are kept
 * as Graph describes them (they only matter to policies that name them).
 */
import { isObj, mustGet, type Engine } from './engine';
import { GraphError, badRequest } from '../http/errors';
import type { Entity } from '../store/store';

type Body = Record<string, unknown>;

export function catalogResourcesOf(eng: Engine, catalogId: string): Entity[] {
  return [...eng.store.values('catalogResources')].filter((r) => r._catalog === catalogId);
}

export function roleScopesOf(eng: Engine, packageId: string): Entity[] {
  return [...eng.store.values('resourceRoleScopes')].filter((r) => r._pkg === packageId);
}

function groupResource(eng: Engine, catalogId: string, group: Entity): Entity {
  const now = eng.clock.iso();
  const base = {
    displayName: group.displayName ?? null,
    description: group.description ?? null,
    originId: group.id,
    originSystem: 'AadGroup',
  };
  const id = eng.newId();
  const resource = { id, ...base };
  return eng.store.put('catalogResources', {
    ...resource,
    createdDateTime: now,
    modifiedDateTime: now,
    _catalog: catalogId,
    roles: ['Member', 'Owner'].map((r) => ({
      id: eng.newId(),
      displayName: r,
      description: null,
      originId: `${r}_${group.id}`,
      originSystem: 'AadGroup',
      resource,
    })),
    scopes: [
      {
        id: eng.newId(),
        displayName: 'Root',
        description: 'Root scope',
        originId: group.id,
        originSystem: 'AadGroup',
        isRootScope: true,
      },
    ],
  });
}

/** `POST …/resourceRequests`: `adminAdd` onboards a group into a catalog, `adminRemove` takes it out. */
export function resourceRequest(eng: Engine, body: unknown): Record<string, unknown> {
  if (!isObj(body)) throw badRequest('The request body must be an accessPackageResourceRequest object.');
  const type = typeof body.requestType === 'string' ? body.requestType : '';
  const resource = isObj(body.resource) ? body.resource : undefined;
  const catalogId = isObj(body.catalog) && typeof body.catalog.id === 'string' ? body.catalog.id : undefined;
  if (type !== 'adminAdd' && type !== 'adminRemove')
    throw badRequest(`requestType '${type}' is not supported by the sandbox; use adminAdd or adminRemove.`);
  if (!resource) throw badRequest('resource is required: {originId, originSystem}.');
  if (!catalogId) throw badRequest('catalog.id is required.');
  const catalog = mustGet(eng, 'catalogs', catalogId, 'accessPackageCatalog');
  const existing = catalogResourcesOf(eng, catalog.id).find(
    (r) => (typeof resource.id === 'string' && r.id === resource.id) || r.originId === resource.originId,
  );
  let done: Entity;
  if (type === 'adminAdd') {
    if (resource.originSystem !== 'AadGroup')
      throw badRequest(
        `originSystem '${String(resource.originSystem)}' is not supported by the sandbox; it onboards groups (AadGroup).`,
      );
    if (typeof resource.originId !== 'string') throw badRequest('resource.originId is required: the group id.');
    const group = mustGet(eng, 'groups', resource.originId, 'group');
    if (existing)
      throw new GraphError(
        400,
        'ResourceAlreadyOnboarded',
        `The resource '${group.id}' is already in catalog '${catalog.id}'.`,
      );
    done = groupResource(eng, catalog.id, group);
  } else {
    if (!existing)
      throw new GraphError(
        404,
        'ResourceNotFound',
        `No resource '${String(resource.id ?? resource.originId)}' in catalog '${catalog.id}'.`,
      );
    const used = [...eng.store.values('resourceRoleScopes')].find((s) => s._resource === existing.id);
    if (used)
      throw new GraphError(
        400,
        'ResourceInUse',
        `The resource '${existing.id}' is still granted by access package '${String(used._pkg)}'; remove its resource role scopes first.`,
      );
    eng.store.delete('catalogResources', existing.id);
    done = existing;
  }
  return {
    id: eng.newId(),
    requestType: type,
    state: 'delivered',
    createdDateTime: eng.clock.iso(),
    resource: { id: done.id, displayName: done.displayName, originId: done.originId, originSystem: done.originSystem },
    catalog: { id: catalog.id },
  };
}

const pick = <T extends Record<string, unknown>>(list: T[], ref: Body): T | undefined =>
  list.find(
    (x) =>
      (typeof ref.id === 'string' && x.id === ref.id) ||
      (typeof ref.originId === 'string' && x.originId === ref.originId),
  );

/** `POST …/accessPackages/{id}/resourceRoleScopes`: the package grants a role of a resource in its catalog. */
export function addRoleScope(eng: Engine, packageId: string, body: unknown): Entity {
  const pkg = mustGet(eng, 'accessPackages', packageId, 'accessPackage');
  if (!isObj(body) || !isObj(body.role) || !isObj(body.scope))
    throw badRequest('The body must be {role: {…, resource: {id}}, scope: {…}}.');
  const role = body.role;
  const resourceRef = isObj(role.resource) ? role.resource : {};
  const resources = catalogResourcesOf(eng, pkg._catalog as string);
  const resource = pick(resources, resourceRef) ?? resources.find((r) => pick(r.roles as Body[], role));
  if (!resource)
    throw new GraphError(
      400,
      'ResourceNotInCatalog',
      `The resource of this role is not in the catalog of access package '${pkg.id}'; add it to the catalog first.`,
    );
  const r = pick(resource.roles as Body[], role);
  if (!r) throw badRequest(`The resource '${resource.id}' has no role '${String(role.originId ?? role.id)}'.`);
  const s = pick(resource.scopes as Body[], body.scope);
  if (!s)
    throw badRequest(`The resource '${resource.id}' has no scope '${String(body.scope.originId ?? body.scope.id)}'.`);
  const id = `${String(r.id)}_${String(s.id)}`;
  if (roleScopesOf(eng, pkg.id).some((x) => x._key === id))
    throw new GraphError(
      400,
      'ResourceRoleScopeAlreadyExists',
      `Access package '${pkg.id}' already grants role '${String(r.displayName)}' of '${String(resource.displayName)}'.`,
    );
  return eng.store.put('resourceRoleScopes', {
    // Graph names a role scope by its role and scope; the stored key adds the package so two packages can grant the same role.
    id: `${pkg.id}:${id}`,
    createdDateTime: eng.clock.iso(),
    role: r,
    scope: s,
    _pkg: pkg.id,
    _resource: resource.id,
    _key: id,
  });
}

export function removeRoleScope(eng: Engine, packageId: string, roleScopeId: string): void {
  mustGet(eng, 'accessPackages', packageId, 'accessPackage');
  const found = roleScopesOf(eng, packageId).find((x) => x._key === roleScopeId || x.id === roleScopeId);
  if (!found)
    throw new GraphError(
      404,
      'ResourceNotFound',
      `No accessPackageResourceRoleScope with id '${roleScopeId}' was found on access package '${packageId}'.`,
    );
  eng.store.delete('resourceRoleScopes', found.id);
}

const identityTypes = [
  'azureActiveDirectoryTenant',
  'crossCloudAzureActiveDirectoryTenant',
  'domainIdentitySource',
  'externalDomainFederation',
  'socialIdentitySource',
];

/** `POST …/connectedOrganizations`. */
export function createConnectedOrganization(eng: Engine, body: unknown): Entity {
  if (!isObj(body)) throw badRequest('The request body must be a connectedOrganization object.');
  if (typeof body.displayName !== 'string' || body.displayName.trim() === '')
    throw badRequest('displayName is required.');
  const sources = Array.isArray(body.identitySources) ? body.identitySources : [];
  if (sources.length !== 1) throw badRequest('identitySources must hold exactly one identity source.');
  const raw = isObj(sources[0]) ? sources[0]['@odata.type'] : undefined;
  const type = (typeof raw === 'string' ? raw : '').replace(/^#?microsoft\.graph\./, '');
  if (!identityTypes.includes(type))
    throw badRequest(
      `identitySources[0] has an unknown @odata.type '${type}'; use one of ${identityTypes.join(', ')}.`,
    );
  const state = body.state ?? 'proposed';
  if (state !== 'configured' && state !== 'proposed') throw badRequest("state must be 'configured' or 'proposed'.");
  const now = eng.clock.iso();
  return eng.store.put('connectedOrganizations', {
    id: eng.newId(),
    displayName: body.displayName,
    description: typeof body.description === 'string' ? body.description : null,
    identitySources: sources,
    state,
    createdDateTime: now,
    modifiedDateTime: now,
  });
}
