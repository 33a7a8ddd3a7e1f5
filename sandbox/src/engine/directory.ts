/**
 * Users, groups, catalogs and access packages: the directory and the containers policies live
 * in. A change to a user or to a group's members re-evaluates the automatic policies for the
 * users concerned.
 */
import { reconcileUser, userRemoved } from './autoAssign';
import { isObj, mustGet, update, type Engine } from './engine';
import { GraphError, badRequest } from '../http/errors';
import { users as userResource } from '../http/resources';
import type { Entity } from '../store/store';

const readOnlyUserFields = new Set(['id', 'createdDateTime']);
/** Create-only or write-only fields Graph accepts on users but never returns. */
const writeOnlyUserFields = new Set(['passwordProfile']);

function userFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.') || writeOnlyUserFields.has(k)) continue;
    if (readOnlyUserFields.has(k)) throw badRequest(`Property '${k}' is read-only and cannot be set.`);
    if (!userResource.properties.has(k) && !k.startsWith('extension_'))
      throw badRequest(
        `Property '${k}' does not exist as a declared property or extension property on type 'microsoft.graph.user'.`,
      );
    out[k] = v;
  }
  return out;
}

/** UPNs are unique regardless of case: answered by the store's index, never a scan. */
function upnTaken(eng: Engine, upn: unknown, except?: string): boolean {
  for (const id of eng.store.lookup('userByUpn', String(upn).toLowerCase())) if (id !== except) return true;
  return false;
}

export function createUser(eng: Engine, body: unknown): Entity {
  if (!isObj(body)) throw badRequest('The request body must be a user object.');
  const fields = userFields(body);
  for (const k of ['displayName', 'userPrincipalName']) {
    if (typeof fields[k] !== 'string' || fields[k] === '')
      throw badRequest(`Property '${k}' is required when creating a user.`);
  }
  if (upnTaken(eng, fields.userPrincipalName))
    throw badRequest('Another object with the same value for property userPrincipalName already exists.');
  const user = eng.store.put('users', {
    id: eng.newId(),
    accountEnabled: true,
    userType: 'Member',
    businessPhones: [],
    otherMails: [],
    proxyAddresses: [],
    mail: null,
    createdDateTime: eng.clock.iso(),
    ...fields,
  });
  reconcileUser(eng, user);
  return user;
}

export function patchUser(eng: Engine, id: string, body: unknown): void {
  const old = mustGet(eng, 'users', id, 'user');
  if (!isObj(body)) throw badRequest('The request body must be a user object.');
  const fields = userFields(body);
  if (fields.userPrincipalName !== undefined && upnTaken(eng, fields.userPrincipalName, id))
    throw badRequest('Another object with the same value for property userPrincipalName already exists.');
  const user = eng.store.put('users', { ...old, ...fields });
  reconcileUser(eng, user);
}

export function deleteUser(eng: Engine, id: string): void {
  mustGet(eng, 'users', id, 'user');
  userRemoved(eng, id);
  for (const gid of [...eng.store.lookup('groupsByMember', id)]) {
    const g = eng.store.get('groups', gid)!;
    eng.store.put('groups', update(g, { _members: (g._members as string[]).filter((m) => m !== id) }));
  }
  eng.store.delete('users', id);
}

export function createGroup(eng: Engine, body: unknown): Entity {
  if (!isObj(body) || typeof body.displayName !== 'string' || body.displayName === '')
    throw badRequest("Property 'displayName' is required when creating a group.");
  const { displayName, description, mailNickname, securityEnabled, mailEnabled, groupTypes } = body;
  return eng.store.put('groups', {
    id: eng.newId(),
    displayName,
    description: description ?? null,
    mailNickname: mailNickname ?? null,
    securityEnabled: securityEnabled ?? true,
    mailEnabled: mailEnabled ?? false,
    groupTypes: groupTypes ?? [],
    createdDateTime: eng.clock.iso(),
    _members: [],
  });
}

/** `POST /groups/{id}/members/$ref` with `{"@odata.id": ".../users/{id}"}` (or `directoryObjects/{id}`). */
export function addMember(eng: Engine, groupId: string, body: unknown): void {
  const g = mustGet(eng, 'groups', groupId, 'group');
  const ref = isObj(body) && typeof body['@odata.id'] === 'string' ? body['@odata.id'] : '';
  const userId = /\/(?:users|directoryObjects)\/([^/?#]+)$/.exec(ref)?.[1];
  if (!userId)
    throw badRequest('The body must be {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}.');
  const user = mustGet(eng, 'users', decodeURIComponent(userId), 'user');
  const members = g._members as string[];
  if (members.includes(user.id))
    throw badRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  eng.store.put('groups', update(g, { _members: [...members, user.id] }));
  reconcileUser(eng, user);
}

export function removeMember(eng: Engine, groupId: string, userId: string): void {
  const g = mustGet(eng, 'groups', groupId, 'group');
  const members = g._members as string[];
  if (!members.includes(userId))
    throw new GraphError(404, 'Request_ResourceNotFound', `'${userId}' is not a member of group '${groupId}'.`);
  eng.store.put('groups', update(g, { _members: members.filter((m) => m !== userId) }));
  const user = eng.store.get('users', userId);
  if (user) reconcileUser(eng, user);
}

export function createCatalog(eng: Engine, body: unknown): Entity {
  if (!isObj(body) || typeof body.displayName !== 'string' || body.displayName === '')
    throw badRequest("Property 'displayName' is required when creating a catalog.");
  const now = eng.clock.iso();
  return eng.store.put('catalogs', {
    id: eng.newId(),
    displayName: body.displayName,
    description: body.description ?? null,
    catalogType: 'userManaged',
    state: body.state ?? 'published',
    isExternallyVisible: body.isExternallyVisible ?? false,
    createdDateTime: now,
    modifiedDateTime: now,
  });
}

export function createPackage(eng: Engine, body: unknown): Entity {
  if (!isObj(body) || typeof body.displayName !== 'string' || body.displayName === '')
    throw badRequest("Property 'displayName' is required when creating an access package.");
  const catalogId = isObj(body.catalog) ? String(body.catalog.id) : undefined;
  if (!catalogId || !eng.store.get('catalogs', catalogId))
    throw badRequest(
      `catalog.id must reference an existing catalog${catalogId ? ` ('${catalogId}' does not exist)` : ''}.`,
    );
  const now = eng.clock.iso();
  return eng.store.put('accessPackages', {
    id: eng.newId(),
    displayName: body.displayName,
    description: body.description ?? null,
    isHidden: body.isHidden ?? false,
    createdDateTime: now,
    modifiedDateTime: now,
    _catalog: catalogId,
  });
}

/** PATCH of a catalog or package: only the listed fields may change. */
export function patchEntity(
  eng: Engine,
  coll: 'catalogs' | 'accessPackages',
  id: string,
  body: unknown,
  allowed: string[],
): void {
  const old = mustGet(eng, coll, id, coll === 'catalogs' ? 'accessPackageCatalog' : 'accessPackage');
  if (!isObj(body)) throw badRequest('The request body must be a JSON object.');
  for (const k of Object.keys(body))
    if (!allowed.includes(k) && !k.startsWith('@odata.'))
      throw badRequest(`Property '${k}' cannot be updated; updatable: ${allowed.join(', ')}.`);
  const changes = Object.fromEntries(allowed.filter((k) => k in body).map((k) => [k, body[k]]));
  eng.store.put(coll, { ...old, ...changes, modifiedDateTime: eng.clock.iso() });
}

export function deletePackage(eng: Engine, id: string): void {
  mustGet(eng, 'accessPackages', id, 'accessPackage');
  for (const aid of eng.store.lookup('asgByPackage', id)) {
    if (eng.store.get('assignments', aid)?.state !== 'expired')
      throw badRequest(`The access package '${id}' has active assignments; remove them before deleting the package.`);
  }
  for (const pid of [...eng.store.lookup('policyByPackage', id)]) eng.store.delete('assignmentPolicies', pid);
  eng.store.delete('accessPackages', id);
}

export function deleteCatalog(eng: Engine, id: string): void {
  mustGet(eng, 'catalogs', id, 'accessPackageCatalog');
  if (eng.store.lookup('packageByCatalog', id).size > 0)
    throw badRequest(`The catalog '${id}' still contains access packages; delete them first.`);
  eng.store.delete('catalogs', id);
}
