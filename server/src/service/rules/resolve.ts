/**
 * Resolves `object.property` paths against the model: which object, which property, and what is
 * wrong with the path if anything. Shared by the checker, hover and completion.
 */
import type { PropertyPath } from './ast';
import {
  assignedPlanProperties,
  customExtensionPattern,
  deviceProperties,
  extensionAttributePattern,
  findIn,
  groupItemProperties,
  propertiesOf,
  retiredProperties,
  userProperties,
  type ObjectKind,
  type PropertyInfo,
} from './model';

/** What the item of a `-any`/`-all` body is called and which properties it has. */
export type ItemKind = 'string' | 'plan' | 'group';

export const itemVariable: Readonly<Record<ItemKind, string>> = { string: '_', plan: 'assignedPlan', group: 'group' };

export type Resolution =
  | { kind: 'property'; object: ObjectKind; info: PropertyInfo }
  | { kind: 'item'; item: ItemKind; info: PropertyInfo }
  | { kind: 'unknownObject' }
  | { kind: 'missingProperty'; object: ObjectKind }
  | { kind: 'unknownProperty'; object: ObjectKind; candidates: readonly PropertyInfo[] }
  | { kind: 'extensionAttributeRange'; object: ObjectKind }
  | { kind: 'invalidExtension'; object: ObjectKind }
  | { kind: 'retired'; object: ObjectKind; message: string }
  | { kind: 'wrongObject'; object: ObjectKind; owner: ObjectKind; info: PropertyInfo }
  | { kind: 'unknownItemProperty'; item: ItemKind; candidates: readonly PropertyInfo[] };

const stringItem: PropertyInfo = {
  name: '_',
  type: 'string',
  description: 'The current item of a string collection.',
  example: '_ -startsWith "smtp:"',
};

export function objectOf(path: PropertyPath): ObjectKind | undefined {
  const o = path.object.toLowerCase();
  return o === 'user' || o === 'device' ? o : undefined;
}

function itemOf(path: PropertyPath): ItemKind | undefined {
  const o = path.object.toLowerCase();
  if (o === '_') return 'string';
  if (o === 'assignedplan') return 'plan';
  if (o === 'group') return 'group';
  return undefined;
}

export function resolvePath(path: PropertyPath): Resolution {
  const object = objectOf(path);
  if (object) return resolveProperty(object, path.property);
  const item = itemOf(path);
  if (item) return resolveItem(item, path.property);
  return { kind: 'unknownObject' };
}

function resolveProperty(object: ObjectKind, name: string | undefined): Resolution {
  if (!name) return { kind: 'missingProperty', object };
  const info = findIn(propertiesOf(object), name);
  if (info) return { kind: 'property', object, info };
  if (customExtensionPattern.test(name)) {
    return {
      kind: 'property',
      object,
      info: {
        name,
        type: 'string',
        description: 'Custom directory extension property (single-valued).',
        example: `${name} -eq "value"`,
      },
    };
  }
  if (/^extension_/i.test(name)) return { kind: 'invalidExtension', object };
  if (extensionAttributePattern.test(name)) return { kind: 'extensionAttributeRange', object };
  const retired = retiredProperties[object][name.toLowerCase()];
  if (retired) return { kind: 'retired', object, message: retired };
  const owner: ObjectKind = object === 'user' ? 'device' : 'user';
  const other = findIn(owner === 'user' ? userProperties : deviceProperties, name);
  if (other) return { kind: 'wrongObject', object, owner, info: other };
  return { kind: 'unknownProperty', object, candidates: propertiesOf(object) };
}

function resolveItem(item: ItemKind, name: string | undefined): Resolution {
  if (item === 'string') {
    return name === undefined
      ? { kind: 'item', item, info: stringItem }
      : { kind: 'unknownItemProperty', item, candidates: [] };
  }
  const table = item === 'plan' ? assignedPlanProperties : groupItemProperties;
  const info = name === undefined ? undefined : findIn(table, name);
  return info ? { kind: 'item', item, info } : { kind: 'unknownItemProperty', item, candidates: table };
}

/** The item kind a collection property's `-any`/`-all` body uses. */
export function itemKindFor(info: PropertyInfo): ItemKind | undefined {
  switch (info.type) {
    case 'stringCollection':
      return 'string';
    case 'planCollection':
      return 'plan';
    case 'memberOf':
      return 'group';
    default:
      return undefined;
  }
}
