/**
 * What each entity set exposes through OData: its Graph type name, the properties `$select`
 * accepts, the paths `$filter` accepts (and how to read them), the navigation properties
 * `$expand` accepts, and the index that answers the common `accessPackage/id eq '…'` and
 * `target/objectId eq '…'` filters without a scan. Stored entities keep their references in
 * `_`-prefixed fields that are never sent.
 */
import { GraphError } from './errors';
import type { ExpandItem, QueryOptions } from './query';
import { requiredEq, type FilterNode } from './filter';
import { bulkStates, userIndexes, type CollectionName, type Entity, type Ids, type Store } from '../store/store';

type Read = (store: Store, e: Entity) => unknown;
type Nav = (store: Store, e: Entity, item: ExpandItem) => unknown;

export interface Resource {
  type: string;
  /** The default projection (`defaults`), compiled once: see compileProjection. */
  project?: (e: Entity) => Record<string, unknown>;
  coll: CollectionName;
  properties: ReadonlySet<string>;
  /** What is returned without `$select` (Graph's default property set for users). */
  defaults?: readonly string[];
  filters: ReadonlyMap<string, string>;
  read: Readonly<Record<string, Read>>;
  navs: Readonly<Record<string, Nav>>;
  orderable: ReadonlySet<string>;
  candidates?(store: Store, filter: FilterNode | undefined): Iterable<Entity> | undefined;
}

const own =
  (name: string): Read =>
  (_s, e) =>
    e[name];
const ref =
  (coll: CollectionName, field: string): Read =>
  (s, e) =>
    typeof e[field] === 'string' ? s.get(coll, e[field])?.id : undefined;

function resource(
  r: Omit<Resource, 'filters' | 'read' | 'properties' | 'orderable'> & {
    props: string[];
    filter: Record<string, Read | true>;
    orderable?: string[];
  },
): Resource {
  const filters = new Map<string, string>();
  const read: Record<string, Read> = {};
  for (const [path, how] of Object.entries(r.filter)) {
    filters.set(path.toLowerCase(), path);
    read[path] = how === true ? own(path) : how;
  }
  return {
    ...r,
    ...(r.defaults ? { project: compileProjection(['id', ...r.defaults]) } : {}),
    properties: new Set(['id', ...r.props]),
    filters,
    read,
    orderable: new Set(r.orderable ?? ['displayName']),
  };
}

/**
 * A function that copies fixed properties (null when absent) into an object literal. Listing a
 * page presents a hundred entities with the same names; a loop of `out[k] = e[k]` over a name list
 * is a megamorphic keyed load and store per property (about a fifth of a users page's time),
 * where a literal with named properties gives every object one shape, cheap to build and to
 * serialise. The names are this file's constants, quoted as JSON; a loop remains the fallback.
 */
function compileProjection(names: readonly string[]): (e: Entity) => Record<string, unknown> {
  const loop = (e: Entity): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k of names) out[k] = e[k] ?? null;
    return out;
  };
  if (names.some((k) => k === '__proto__')) return loop;
  try {
    const body = names.map((k) => `${JSON.stringify(k)}: e[${JSON.stringify(k)}] ?? null`).join(', ');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above: constant names only
    return new Function('e', `return { ${body} };`) as (e: Entity) => Record<string, unknown>;
  } catch {
    return loop; // a runtime without code generation
  }
}

/** Public view of an entity for a response, honouring `$select` and `$expand`. */
export function present(
  res: Resource,
  store: Store,
  e: Entity,
  select?: readonly string[],
  expand?: readonly ExpandItem[],
): Record<string, unknown> {
  if (!select && res.project && !expand?.length) return res.project(e);
  const out: Record<string, unknown> = {};
  if (select || res.defaults) {
    out.id = e.id;
    for (const k of select ?? res.defaults!) out[k] = e[k] ?? null;
  } else {
    for (const [k, v] of Object.entries(e)) if (k[0] !== '_') out[k] = v;
  }
  for (const item of expand ?? []) {
    for (const name of item.name === '*' ? Object.keys(res.navs) : [item.name]) {
      const nav = Object.hasOwn(res.navs, name) ? res.navs[name] : undefined;
      // Top-level names are checked before any work (checkShape); nested ones are known only here.
      if (!nav)
        throw new GraphError(
          400,
          'BadRequest',
          `Could not find a navigation property named '${name}' on type 'microsoft.graph.${res.type}'; it cannot be expanded.`,
        );
      out[name] = nav(store, e, item);
    }
  }
  return out;
}

/** Rejects `$select`/`$expand`/`$orderby` names the resource does not have, before any work. */
export function checkShape(res: Resource, q: Pick<QueryOptions, 'select' | 'expand' | 'orderby'>): void {
  for (const s of q.select ?? []) {
    if (!res.properties.has(s) && !s.startsWith('extension_'))
      throw new GraphError(
        400,
        'BadRequest',
        `Could not find a property named '${s}' on type 'microsoft.graph.${res.type}'.`,
      );
  }
  for (const item of q.expand ?? []) {
    if (item.name !== '*' && !Object.hasOwn(res.navs, item.name))
      throw new GraphError(
        400,
        'BadRequest',
        `Could not find a navigation property named '${item.name}' on type 'microsoft.graph.${res.type}'; it cannot be expanded.`,
      );
  }
  if (q.orderby && !res.orderable.has(q.orderby.prop))
    throw new GraphError(
      400,
      'Request_UnsupportedQuery',
      `Ordering by '${q.orderby.prop}' is not supported on ${res.type}; order by displayName.`,
    );
}

function expandOne(res: () => Resource, coll: CollectionName, field: string): Nav {
  return (s, e, item) => {
    const target = typeof e[field] === 'string' ? s.get(coll, e[field]) : undefined;
    if (!target) return null;
    checkShape(res(), item);
    return present(res(), s, target, item.select, item.expand);
  };
}

function expandMany(res: () => Resource, ids: (s: Store, e: Entity) => Iterable<string>, coll: CollectionName): Nav {
  return (s, e, item) => {
    checkShape(res(), item);
    const out: unknown[] = [];
    for (const id of ids(s, e)) {
      const t = s.get(coll, id);
      if (t) out.push(present(res(), s, t, item.select, item.expand));
    }
    return out;
  };
}

const userProps = [
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'jobTitle',
  'department',
  'companyName',
  'city',
  'country',
  'state',
  'streetAddress',
  'postalCode',
  'usageLocation',
  'officeLocation',
  'businessPhones',
  'mobilePhone',
  'faxNumber',
  'preferredLanguage',
  'employeeId',
  'employeeType',
  'employeeHireDate',
  'userType',
  'accountEnabled',
  'createdDateTime',
  'otherMails',
  'proxyAddresses',
  'onPremisesSyncEnabled',
  'onPremisesExtensionAttributes',
  'onPremisesSecurityIdentifier',
  'onPremisesDistinguishedName',
  'passwordPolicies',
  'assignedPlans',
  'ageGroup',
];
const userFilter = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'jobTitle',
  'department',
  'companyName',
  'city',
  'country',
  'state',
  'usageLocation',
  'employeeId',
  'employeeType',
  'userType',
  'accountEnabled',
  'officeLocation',
  'preferredLanguage',
];

export const users: Resource = resource({
  type: 'user',
  coll: 'users',
  props: userProps,
  defaults: [
    'businessPhones',
    'displayName',
    'givenName',
    'jobTitle',
    'mail',
    'mobilePhone',
    'officeLocation',
    'preferredLanguage',
    'surname',
    'userPrincipalName',
  ],
  filter: Object.fromEntries(userFilter.map((p) => [p, true])),
  navs: {},
  candidates: userCandidates,
});

/** `eq` on an indexed user property (the rarest value when several are given) narrows the scan. */
function userCandidates(s: Store, f: FilterNode | undefined): Iterable<Entity> | undefined {
  let best: Ids | undefined;
  for (const [prop, index] of Object.entries(userIndexes)) {
    const v = requiredEq(f, prop);
    if (v === undefined) continue;
    const ids = s.lookup(index, v.toLowerCase());
    if (!best || ids.size < best.size) best = ids;
  }
  if (!best) return undefined;
  const ids = best;
  return (function* () {
    for (const id of ids) {
      const e = s.get('users', id);
      if (e) yield e;
    }
  })();
}

export const groups: Resource = resource({
  type: 'group',
  coll: 'groups',
  props: [
    'displayName',
    'description',
    'groupTypes',
    'securityEnabled',
    'mailEnabled',
    'mail',
    'mailNickname',
    'membershipRule',
    'membershipRuleProcessingState',
    'createdDateTime',
    'visibility',
  ],
  filter: { id: true, displayName: true, mailNickname: true, securityEnabled: true, mailEnabled: true },
  navs: {
    members: expandMany(
      () => users,
      (_s, e) => (e._members as string[] | undefined) ?? [],
      'users',
    ),
  },
});

export const catalogs: Resource = resource({
  type: 'accessPackageCatalog',
  coll: 'catalogs',
  props: [
    'displayName',
    'description',
    'catalogType',
    'state',
    'isExternallyVisible',
    'createdDateTime',
    'modifiedDateTime',
  ],
  filter: { id: true, displayName: true, state: true, catalogType: true, isExternallyVisible: true },
  navs: {
    accessPackages: expandMany(
      () => accessPackages,
      (s, e) => s.lookup('packageByCatalog', e.id),
      'accessPackages',
    ),
  },
});

export const accessPackages: Resource = resource({
  type: 'accessPackage',
  coll: 'accessPackages',
  props: ['displayName', 'description', 'isHidden', 'createdDateTime', 'modifiedDateTime'],
  filter: { id: true, displayName: true, description: true, isHidden: true, 'catalog/id': ref('catalogs', '_catalog') },
  navs: {
    assignmentPolicies: expandMany(
      () => policies,
      (s, e) => s.lookup('policyByPackage', e.id),
      'assignmentPolicies',
    ),
    catalog: expandOne(() => catalogs, 'catalogs', '_catalog'),
  },
  candidates: (s, f) => byIndex(s, f, 'catalog/id', 'packageByCatalog', 'accessPackages'),
});

export const policies: Resource = resource({
  type: 'accessPackageAssignmentPolicy',
  coll: 'assignmentPolicies',
  props: [
    'displayName',
    'description',
    'allowedTargetScope',
    'specificAllowedTargets',
    'automaticRequestSettings',
    'expiration',
    'requestorSettings',
    'requestApprovalSettings',
    'reviewSettings',
    'notificationSettings',
    'questions',
    'customExtensionStageSettings',
    'createdDateTime',
    'modifiedDateTime',
  ],
  filter: {
    id: true,
    displayName: true,
    allowedTargetScope: true,
    'accessPackage/id': ref('accessPackages', '_pkg'),
    'catalog/id': ref('catalogs', '_catalog'),
  },
  navs: {
    accessPackage: expandOne(() => accessPackages, 'accessPackages', '_pkg'),
    catalog: expandOne(() => catalogs, 'catalogs', '_catalog'),
  },
  candidates: (s, f) => byIndex(s, f, 'accessPackage/id', 'policyByPackage', 'assignmentPolicies'),
});

export const subjects: Resource = resource({
  type: 'accessPackageSubject',
  coll: 'subjects',
  props: ['displayName', 'email', 'objectId', 'principalName', 'onPremisesSecurityIdentifier', 'subjectType'],
  filter: { id: true, objectId: true },
  navs: {},
});

export const assignments: Resource = resource({
  type: 'accessPackageAssignment',
  coll: 'assignments',
  props: ['state', 'status', 'schedule', 'expiredDateTime', 'customExtensionCalloutInstances'],
  filter: {
    id: true,
    state: true,
    status: true,
    expiredDateTime: true,
    'accessPackage/id': ref('accessPackages', '_pkg'),
    'assignmentPolicy/id': ref('assignmentPolicies', '_policy'),
    'target/objectId': (_s, e) => e._user,
    'target/id': (_s, e) => e._target,
  },
  orderable: [],
  navs: {
    target: expandOne(() => subjects, 'subjects', '_target'),
    accessPackage: expandOne(() => accessPackages, 'accessPackages', '_pkg'),
    assignmentPolicy: expandOne(() => policies, 'assignmentPolicies', '_policy'),
  },
  candidates: (s, f) =>
    byIndex(s, f, 'accessPackage/id', 'asgByPackage', 'assignments') ??
    byIndex(s, f, 'target/objectId', 'asgByUser', 'assignments') ??
    byIndex(s, f, 'state', 'asgByState', 'assignments', (v) => !bulkStates.has(v)),
});

export const requests: Resource = resource({
  type: 'accessPackageAssignmentRequest',
  coll: 'assignmentRequests',
  props: [
    'requestType',
    'state',
    'status',
    'justification',
    'schedule',
    'answers',
    'createdDateTime',
    'completedDateTime',
    'customExtensionCalloutInstances',
  ],
  filter: {
    id: true,
    state: true,
    status: true,
    requestType: true,
    createdDateTime: true,
    'accessPackage/id': ref('accessPackages', '_pkg'),
    'requestor/objectId': (s, e) =>
      typeof e._requestor === 'string' ? s.get('subjects', e._requestor)?.objectId : undefined,
  },
  orderable: [],
  navs: {
    accessPackage: expandOne(() => accessPackages, 'accessPackages', '_pkg'),
    requestor: expandOne(() => subjects, 'subjects', '_requestor'),
    assignment: expandOne(() => assignments, 'assignments', '_asg'),
  },
});

function byIndex(
  s: Store,
  f: FilterNode | undefined,
  path: string,
  index: 'asgByPackage' | 'asgByUser' | 'asgByState' | 'policyByPackage' | 'packageByCatalog',
  coll: CollectionName,
  /** Whether the index holds this value (an index may leave out values too common to be worth it). */
  covers: (value: string) => boolean = () => true,
): Iterable<Entity> | undefined {
  const v = requiredEq(f, path);
  if (v === undefined || !covers(v.toLowerCase())) return undefined;
  const ids = s.lookup(index, v.toLowerCase());
  return (function* () {
    for (const id of ids) {
      const e = s.get(coll, id);
      if (e) yield e;
    }
  })();
}
