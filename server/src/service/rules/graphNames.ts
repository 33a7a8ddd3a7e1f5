/**
 * Where each rule property lives on a Microsoft Graph v1.0 object, and what Graph `$filter` can do
 * with it. Read by the evaluator (to find a value on a `GET /users` / `GET /devices` object) and by
 * the `$filter` translation.
 *
 * Sources: the `User`, `Device`, `OnPremisesExtensionAttributes` and `AssignedPlan` interfaces of
 * `@microsoft/microsoft-graph-types` (v1.0), their "Supports $filter" notes, and Graph's table of
 * advanced-query support for directory objects. Where those disagree or say nothing the table
 * below is conservative: an operator is marked as needing advanced query parameters
 * (`ConsistencyLevel: eventual` and `$count=true`), or as unsupported.
 *
 * Rules on the shape of the objects the evaluator reads:
 * - `telephoneNumber` is the first item of `businessPhones` (Graph holds at most one there).
 * - Device `extensionAttributeN` is `extensionAttributes.extensionAttributeN` (the v1.0 device
 *   resource documents it; the types package does not list it).
 * - `memberOf` is the array that `$expand=memberOf` returns: `{ id }` objects, optionally with
 *   `@odata.type`; items whose `@odata.type` is not `#microsoft.graph.group` are not groups.
 * - `sipProxyAddress` has no v1.0 user property; it is read from a top-level `sipProxyAddress`.
 * - Custom extension properties `extension_<appid>_<name>` are top-level keys of the same name.
 * - Any name not in the table is read from the key of the same name.
 */
import { customExtensionPattern, type ObjectKind } from './model';

/** How Graph's `$filter` supports one operator on a property. */
export type FilterLevel = 'default' | 'advanced';

export interface FilterSupport {
  /** Property path in `$filter` syntax (`onPremisesExtensionAttributes/extensionAttribute1`). */
  name: string;
  /** The Graph property is a collection of strings: comparisons go through `name/any(p:...)`. */
  collection?: boolean;
  /**
   * `eq` (and `in`, which Graph supports wherever it supports `eq`, at the same level). `ne` and
   * `not(...)` are supported where `eq` is, always with advanced query parameters.
   */
  eq: FilterLevel;
  startsWith?: FilterLevel;
  /** Graph supports `endsWith` only on mail, otherMails, userPrincipalName and proxyAddresses. */
  endsWith?: FilterLevel;
  /** `eq null` / `ne null`. */
  null?: FilterLevel;
  /** `ge` / `le` (date-times). */
  range?: FilterLevel;
}

export interface GraphProperty {
  /** Documented rule name (`mailNickName`). */
  rule: string;
  /** Path of the value in the Graph JSON object (`['mailNickname']`). */
  path: readonly string[];
  /** The Graph value is an array and the rule reads its first item (`telephoneNumber`). */
  first?: boolean;
  /** Graph `$filter` support; absent when the property cannot be filtered on. */
  filter?: FilterSupport;
}

const D: FilterLevel = 'default';
const A: FilterLevel = 'advanced';

function g(
  rule: string,
  path: string | readonly string[],
  filter?: Omit<FilterSupport, 'name'> & { name?: string },
  first?: boolean,
): GraphProperty {
  const p = typeof path === 'string' ? [path] : path;
  const out: GraphProperty = { rule, path: p };
  if (first) out.first = true;
  if (filter) out.filter = { ...filter, name: filter.name ?? p.join('/') };
  return out;
}

/** A string property Graph filters with eq/in/startsWith by default and eq null in advanced queries. */
const plainString = { eq: D, startsWith: D, null: A } as const;
/** A string property whose every filter needs advanced query parameters. */
const advancedString = { eq: A, startsWith: A, null: A } as const;

const userGraphProperties: readonly GraphProperty[] = [
  g('accountEnabled', 'accountEnabled', { eq: D }),
  g('dirSyncEnabled', 'onPremisesSyncEnabled', { eq: D, null: A }),
  g('employeeHireDate', 'employeeHireDate', { eq: A, range: A }),
  g('city', 'city', plainString),
  g('country', 'country', plainString),
  g('companyName', 'companyName', advancedString),
  g('department', 'department', plainString),
  g('displayName', 'displayName', plainString),
  g('employeeId', 'employeeId', plainString),
  // Listed on the user resource but not in the advanced-query table: assume advanced.
  g('facsimileTelephoneNumber', 'faxNumber', advancedString),
  g('givenName', 'givenName', plainString),
  g('jobTitle', 'jobTitle', plainString),
  g('mail', 'mail', { eq: D, startsWith: D, endsWith: A, null: A }),
  g('mailNickName', 'mailNickname', plainString),
  g('mobile', 'mobilePhone', advancedString),
  // `id ne null` is not supported; `objectId -ne null` (all users) becomes "no filter" instead.
  g('objectId', 'id', { eq: D }),
  g('onPremisesDistinguishedName', 'onPremisesDistinguishedName'),
  g('onPremisesSecurityIdentifier', 'onPremisesSecurityIdentifier', { eq: D, null: A }),
  g('passwordPolicies', 'passwordPolicies', { eq: A, null: A }),
  g('physicalDeliveryOfficeName', 'officeLocation', advancedString),
  g('postalCode', 'postalCode', advancedString),
  g('preferredLanguage', 'preferredLanguage', advancedString),
  g('sipProxyAddress', 'sipProxyAddress'),
  g('state', 'state', plainString),
  g('streetAddress', 'streetAddress', advancedString),
  g('surname', 'surname', plainString),
  g('telephoneNumber', 'businessPhones', { collection: true, eq: D, startsWith: A }, true),
  g('usageLocation', 'usageLocation', plainString),
  g('userPrincipalName', 'userPrincipalName', { eq: D, startsWith: D, endsWith: A }),
  g('userType', 'userType', { eq: D, null: A }),
  g('otherMails', 'otherMails', { collection: true, eq: D, startsWith: D, endsWith: A }),
  g('proxyAddresses', 'proxyAddresses', { collection: true, eq: D, startsWith: D, endsWith: A }),
  g('assignedPlans', 'assignedPlans', { eq: D }),
  g('memberOf', 'memberOf'),
  ...Array.from({ length: 15 }, (_, i) =>
    g(`extensionAttribute${i + 1}`, ['onPremisesExtensionAttributes', `extensionAttribute${i + 1}`], { eq: A }),
  ),
];

const deviceGraphProperties: readonly GraphProperty[] = [
  g('accountEnabled', 'accountEnabled', { eq: D }),
  g('deviceCategory', 'deviceCategory'),
  g('deviceId', 'deviceId', { eq: D, startsWith: D }),
  g('deviceManagementAppId', 'mdmAppId', { eq: D, startsWith: D }),
  g('deviceManufacturer', 'manufacturer'),
  g('deviceModel', 'model'),
  g('displayName', 'displayName', plainString),
  g('deviceOSType', 'operatingSystem', plainString),
  g('deviceOSVersion', 'operatingSystemVersion', plainString),
  g('deviceOwnership', 'deviceOwnership'),
  g('devicePhysicalIds', 'physicalIds', { collection: true, eq: D, startsWith: D }),
  g('deviceTrustType', 'trustType', { eq: D }),
  g('enrollmentProfileName', 'enrollmentProfileName'),
  g('isRooted', 'isRooted'),
  g('managementType', 'managementType'),
  g('memberOf', 'memberOf'),
  g('objectId', 'id', { eq: D }),
  g('profileType', 'profileType'),
  // A string[] in Graph, a string in rules: the evaluator tests its items.
  g('systemLabels', 'systemLabels'),
  ...Array.from({ length: 15 }, (_, i) =>
    g(`extensionAttribute${i + 1}`, ['extensionAttributes', `extensionAttribute${i + 1}`], {
      eq: A,
      startsWith: A,
      null: A,
    }),
  ),
];

/** Properties of an `assignedPlan` item: the same names on Graph's `assignedPlan`. */
const assignedPlanGraphProperties: readonly GraphProperty[] = [
  g('capabilityStatus', 'capabilityStatus', { eq: A }),
  g('service', 'service', { eq: A }),
  // `assignedPlans/any(a:a/servicePlanId eq <guid>)` is the documented default-level filter.
  g('servicePlanId', 'servicePlanId', { eq: D }),
];

/** The `group` item of `memberOf -any (...)`: `group.objectId` is the directory object's `id`. */
const groupItemGraphProperties: readonly GraphProperty[] = [g('objectId', 'id')];

function index(table: readonly GraphProperty[]): Map<string, GraphProperty> {
  return new Map(table.map((p) => [p.rule.toLowerCase(), p]));
}

const userIndex = index(userGraphProperties);
const deviceIndex = index(deviceGraphProperties);
const planIndex = index(assignedPlanGraphProperties);
const groupIndex = index(groupItemGraphProperties);

/**
 * The Graph location of a rule property (any casing). Custom extension properties map to the key
 * of the same name and are filterable with `eq` in advanced queries; unknown names fall back to
 * the key of the same name, without `$filter` support.
 */
export function graphProperty(object: ObjectKind, ruleName: string): GraphProperty {
  const known = (object === 'user' ? userIndex : deviceIndex).get(ruleName.toLowerCase());
  if (known) return known;
  if (customExtensionPattern.test(ruleName)) return g(ruleName, ruleName, { eq: A });
  return { rule: ruleName, path: [ruleName] };
}

/** The Graph location of an `assignedPlan.<name>` or `group.<name>` item property. */
export function graphItemProperty(item: 'plan' | 'group', ruleName: string): GraphProperty {
  const known = (item === 'plan' ? planIndex : groupIndex).get(ruleName.toLowerCase());
  return known ?? { rule: ruleName, path: [ruleName] };
}

/** The path of a rule property's value in a Graph object (`['onPremisesExtensionAttributes', 'extensionAttribute3']`). */
export function graphPath(object: ObjectKind, ruleName: string): readonly string[] {
  return graphProperty(object, ruleName).path;
}

/** The `$filter` support of a rule property, or undefined when Graph cannot filter on it. */
export function graphFilter(object: ObjectKind, ruleName: string): FilterSupport | undefined {
  return graphProperty(object, ruleName).filter;
}

/**
 * Reads a rule property's raw value from a Graph-shaped object: follows the path, and takes the
 * first item where the rule reads one value of a Graph array. Undefined when any step is missing.
 * (Paths come from the table or are validated rule names, never prototype keys.)
 */
export function readGraphValue(obj: unknown, prop: GraphProperty): unknown {
  let v: unknown = obj;
  for (const key of prop.path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  if (prop.first) return Array.isArray(v) ? v[0] : v;
  return v;
}

/** The `@odata.type` of a group in `memberOf`. */
export const graphGroupType = '#microsoft.graph.group';
