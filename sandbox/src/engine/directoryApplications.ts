/**
 * Applications and the directory extension properties registered on them, as Graph keeps them:
 * an extension property `name` registered on an application with app id `A` is known to the
 * directory as `extension_<A without dashes>_<name>`, and `directoryObjects/getAvailableExtensionProperties`
 * lists every one of the tenant. Extension properties live inside their application's entity.
 */
import { isObj, mustGet, update, type Engine } from './engine';
import { badRequest } from '../http/errors';
import type { Entity } from '../store/store';

const dataTypes = new Set(['Binary', 'Boolean', 'DateTime', 'Integer', 'LargeInteger', 'String']);
const targets = new Set(['User', 'Group', 'AdministrativeUnit', 'Application', 'Device', 'Organization']);

export interface ExtensionProperty {
  id: string;
  name: string;
  dataType: string;
  isMultiValued: boolean;
  isSyncedFromOnPremises: boolean;
  targetObjects: string[];
  appDisplayName: string;
}

export function createApplication(eng: Engine, body: unknown): Entity {
  if (!isObj(body) || typeof body.displayName !== 'string' || body.displayName.trim() === '')
    throw badRequest("Property 'displayName' is required when creating an application.");
  return eng.store.put('applications', {
    id: eng.newId(),
    appId: eng.newId(),
    displayName: body.displayName,
    createdDateTime: eng.clock.iso(),
    _extensionProperties: [],
  });
}

export function extensionPropertiesOf(app: Entity): ExtensionProperty[] {
  return (app._extensionProperties as ExtensionProperty[] | undefined) ?? [];
}

export function addExtensionProperty(eng: Engine, appId: string, body: unknown): ExtensionProperty {
  const app = mustGet(eng, 'applications', appId, 'application');
  if (!isObj(body) || typeof body.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,119}$/.test(body.name))
    throw badRequest("Property 'name' is required: letters, digits and underscores, starting with a letter.");
  const dataType = body.dataType ?? 'String';
  if (typeof dataType !== 'string' || !dataTypes.has(dataType))
    throw badRequest(`Invalid dataType '${JSON.stringify(dataType)}': use ${[...dataTypes].join(', ')}.`);
  const targetObjects = body.targetObjects ?? ['User'];
  if (
    !Array.isArray(targetObjects) ||
    targetObjects.length === 0 ||
    targetObjects.some((t) => typeof t !== 'string' || !targets.has(t))
  )
    throw badRequest(`Invalid targetObjects: a non-empty list of ${[...targets].join(', ')}.`);
  const name = `extension_${String(app.appId).replace(/-/g, '')}_${body.name}`;
  const existing = extensionPropertiesOf(app);
  if (existing.some((p) => p.name.toLowerCase() === name.toLowerCase()))
    throw badRequest(`An extension property named '${body.name}' already exists on this application.`);
  const prop: ExtensionProperty = {
    id: eng.newId(),
    name,
    dataType,
    isMultiValued: body.isMultiValued === true,
    isSyncedFromOnPremises: false,
    targetObjects: targetObjects as string[],
    appDisplayName: String(app.displayName),
  };
  eng.store.put('applications', update(app, { _extensionProperties: [...existing, prop] }));
  return prop;
}

/** Every extension property of the tenant (optionally only those synced from on-premises). */
export function availableExtensionProperties(eng: Engine, body: unknown): ExtensionProperty[] {
  const synced = isObj(body) ? body.isSyncedFromOnPremises : undefined;
  if (synced !== undefined && typeof synced !== 'boolean')
    throw badRequest("'isSyncedFromOnPremises' must be true or false.");
  const out: ExtensionProperty[] = [];
  for (const app of eng.store.values('applications'))
    for (const p of extensionPropertiesOf(app))
      if (synced === undefined || p.isSyncedFromOnPremises === synced) out.push(p);
  return out;
}
