/**
 * What the rule language knows about objects, properties and operators: the facts of
 * `membership-rules.md`, as data. The checker, completion, hover, evaluator and `$filter`
 * translation all read this one table.
 */

export type ObjectKind = 'user' | 'device';

export type PropertyType = 'string' | 'boolean' | 'dateTime' | 'stringCollection' | 'planCollection' | 'memberOf';

export interface PropertyInfo {
  /** Documented spelling. */
  name: string;
  type: PropertyType;
  description: string;
  /** Known values, offered in completion and checked with a warning. */
  values?: readonly string[];
  /** The values may also be null (userType). */
  nullable?: boolean;
  example: string;
  /** Marked preview in the documentation. */
  preview?: boolean;
}

export interface OperatorInfo {
  /** Documented spelling, without the hyphen. */
  name: string;
  kind: 'comparison' | 'logical' | 'quantifier' | 'arithmetic';
  description: string;
  /** Property types the operator applies to (comparison operators). */
  types?: readonly PropertyType[];
  /** The value is a list (`-in`, `-notIn`). */
  takesArray?: boolean;
  /** The value is a regular expression. */
  takesRegex?: boolean;
  /** Negated form, used by `$filter` translation and did-you-mean. */
  negationOf?: string;
}

const S: PropertyType = 'string';

function p(name: string, type: PropertyType, description: string, extra: Partial<PropertyInfo> = {}): PropertyInfo {
  const example = extra.example ?? defaultExample(name, type, extra.values);
  return { name, type, description, example, ...extra };
}

function defaultExample(name: string, type: PropertyType, values?: readonly string[]): string {
  switch (type) {
    case 'boolean':
      return `${name} -eq true`;
    case 'dateTime':
      return `${name} -ge system.now -minus p30d`;
    case 'stringCollection':
      return `${name} -any (_ -startsWith "smtp:")`;
    case 'planCollection':
      return `${name} -any (assignedPlan.capabilityStatus -eq "Enabled")`;
    case 'memberOf':
      return `${name} -any (group.objectId -in ["<group id>"])`;
    default:
      return `${name} -eq "${values?.[0] ?? 'value'}"`;
  }
}

const extensionAttributes = (): PropertyInfo[] =>
  Array.from({ length: 15 }, (_, i) =>
    p(
      `extensionAttribute${i + 1}`,
      S,
      `Exchange extension attribute ${i + 1} (synchronised from on-premises or set in Exchange Online).`,
    ),
  );

export const userProperties: readonly PropertyInfo[] = [
  p('accountEnabled', 'boolean', 'Whether the account can sign in.'),
  p('dirSyncEnabled', 'boolean', 'Whether the user is synchronised from an on-premises directory.'),
  p(
    'employeeHireDate',
    'dateTime',
    'Date the employee was hired or will start work. Compared with a date-time such as 2020-06-10T18:13:20Z or with system.now plus or minus a duration.',
    { preview: true },
  ),
  p('city', S, "City of the user's office."),
  p('country', S, 'Country or region of the user.'),
  p('companyName', S, 'Company the user works for.'),
  p('department', S, 'Department the user works in.', { example: 'department -eq "Sales"' }),
  p('displayName', S, 'Name shown for the user.'),
  p('employeeId', S, 'Identifier given to the user by the organisation.'),
  p('facsimileTelephoneNumber', S, 'Fax number.'),
  p('givenName', S, 'First name.'),
  p('jobTitle', S, 'Job title.', { example: 'jobTitle -startsWith "Senior"' }),
  p('mail', S, 'Primary e-mail address.', { example: 'mail -endsWith "@contoso.com"' }),
  p('mailNickName', S, 'E-mail alias.'),
  p('mobile', S, 'Mobile phone number.'),
  p('objectId', S, 'Object id (GUID) of the user. `user.objectId -ne null` selects all users.', {
    example: 'objectId -ne null',
  }),
  p('onPremisesDistinguishedName', S, 'Distinguished name in the on-premises directory.'),
  p('onPremisesSecurityIdentifier', S, 'Security identifier (SID) in the on-premises directory.'),
  p(
    'passwordPolicies',
    S,
    'Password policies: None, DisableStrongPassword, DisablePasswordExpiration, or the last two comma-separated.',
    {
      values: [
        'None',
        'DisableStrongPassword',
        'DisablePasswordExpiration',
        'DisablePasswordExpiration, DisableStrongPassword',
      ],
    },
  ),
  p('physicalDeliveryOfficeName', S, 'Office location.'),
  p('postalCode', S, 'Postal code.'),
  p('preferredLanguage', S, 'Preferred language, an ISO 639-1 code such as en-US.'),
  p('sipProxyAddress', S, 'SIP address.'),
  p('state', S, 'State or province.'),
  p('streetAddress', S, 'Street address.'),
  p('surname', S, 'Family name.'),
  p('telephoneNumber', S, 'Business phone number.'),
  p('usageLocation', S, "Two-letter country code where the user's licences are used."),
  p('userPrincipalName', S, 'Sign-in name (UPN).'),
  p('userType', S, 'Member, Guest, or null.', {
    values: ['Member', 'Guest'],
    nullable: true,
    example: 'userType -eq "Guest"',
  }),
  p(
    'otherMails',
    'stringCollection',
    'Additional e-mail addresses (a string collection: test items with -any/-all and `_`; string operators written directly, as documented, test each item).',
  ),
  p(
    'proxyAddresses',
    'stringCollection',
    'Proxy addresses such as "SMTP:alias@contoso.com" (a string collection: test items with -any/-all and `_`; string operators written directly, as documented, test each item).',
  ),
  p(
    'assignedPlans',
    'planCollection',
    'Service plans assigned to the user; test items with -any/-all on `assignedPlan.capabilityStatus`, `.service` or `.servicePlanId`.',
  ),
  p(
    'memberOf',
    'memberOf',
    'Groups the user is a member of (preview): `user.memberOf -any (group.objectId -in [...])`, which must be the whole rule (no -and/-or, -not or -all).',
    { preview: true },
  ),
  ...extensionAttributes(),
];

export const deviceProperties: readonly PropertyInfo[] = [
  p('accountEnabled', 'boolean', 'Whether the device account is enabled.'),
  p('deviceCategory', S, 'Name of a valid device category.'),
  p('deviceId', S, 'Device id (GUID) registered in Entra ID.'),
  p('deviceManagementAppId', S, 'Id of the MDM application that manages the device.'),
  p('deviceManufacturer', S, 'Manufacturer.'),
  p('deviceModel', S, 'Model.'),
  p('displayName', S, 'Name of the device.'),
  p('deviceOSType', S, 'Operating system, e.g. Windows, iOS, Android, MacOS.', {
    example: 'deviceOSType -eq "Android"',
  }),
  p('deviceOSVersion', S, 'Operating system version.'),
  p('deviceOwnership', S, 'Personal, Company, or Unknown.', { values: ['Personal', 'Company', 'Unknown'] }),
  p(
    'devicePhysicalIds',
    'stringCollection',
    'Autopilot and other physical ids, such as "[ZTDId]..." (a string collection).',
    { example: 'devicePhysicalIds -any (_ -startsWith "[ZTDId]")' },
  ),
  p('deviceTrustType', S, 'AzureAD, ServerAD, or Workplace.', { values: ['AzureAD', 'ServerAD', 'Workplace'] }),
  p('enrollmentProfileName', S, 'Autopilot or Apple enrollment profile name.'),
  p('isRooted', 'boolean', 'Whether the device is rooted or jail-broken.'),
  p('managementType', S, 'Management channel, e.g. MDM.', { values: ['MDM'] }),
  p('memberOf', 'memberOf', 'Groups the device is a member of (preview).', { preview: true }),
  p('objectId', S, 'Object id (GUID) of the device. `device.objectId -ne null` selects all devices.', {
    example: 'objectId -ne null',
  }),
  p('profileType', S, 'Profile type of the device, e.g. RegisteredDevice, SecureVM, Printer, Shared, IoT.'),
  p('systemLabels', S, 'Read-only labels set by Microsoft services (e.g. for Microsoft 365 devices).'),
  ...extensionAttributes(),
];

/** Properties once supported and now rejected. */
export const retiredProperties: Readonly<Record<ObjectKind, Record<string, string>>> = {
  user: {},
  device: { organizationalunit: 'organizationalUnit is no longer supported in device rules.' },
};

/** Properties of an `assignedPlan` item inside `user.assignedPlans -any (...)`. */
export const assignedPlanProperties: readonly PropertyInfo[] = [
  p('capabilityStatus', S, 'State of the plan: Enabled, Warning, Suspended, Deleted, LockedOut.', {
    values: ['Enabled', 'Warning', 'Suspended', 'Deleted', 'LockedOut'],
  }),
  p('service', S, 'Name of the service, such as "SCO" or "exchange".'),
  p('servicePlanId', S, 'GUID of the service plan.'),
];

/** Properties of a `group` item inside `memberOf -any (...)`. */
export const groupItemProperties: readonly PropertyInfo[] = [p('objectId', S, 'Object id (GUID) of the group.')];

const stringTypes: readonly PropertyType[] = ['string'];
const scalarTypes: readonly PropertyType[] = ['string', 'boolean', 'dateTime'];

export const comparisonOperators: readonly OperatorInfo[] = [
  {
    name: 'eq',
    kind: 'comparison',
    description: 'Equals (case-insensitive for strings). Also compares with null.',
    types: scalarTypes,
    negationOf: 'ne',
  },
  {
    name: 'ne',
    kind: 'comparison',
    description: 'Not equals (case-insensitive for strings). `-ne null` tests that a value is set.',
    types: scalarTypes,
    negationOf: 'eq',
  },
  {
    name: 'startsWith',
    kind: 'comparison',
    description: 'The text starts with the value (case-insensitive).',
    types: stringTypes,
    negationOf: 'notStartsWith',
  },
  {
    name: 'notStartsWith',
    kind: 'comparison',
    description: 'The text does not start with the value (case-insensitive).',
    types: stringTypes,
    negationOf: 'startsWith',
  },
  {
    name: 'endsWith',
    kind: 'comparison',
    description: 'The text ends with the value (case-insensitive).',
    types: stringTypes,
    negationOf: 'notEndsWith',
  },
  {
    name: 'notEndsWith',
    kind: 'comparison',
    description: 'The text does not end with the value (case-insensitive).',
    types: stringTypes,
    negationOf: 'endsWith',
  },
  {
    name: 'contains',
    kind: 'comparison',
    description:
      'The text contains the value (a partial, case-insensitive string match; not membership in a collection).',
    types: stringTypes,
    negationOf: 'notContains',
  },
  {
    name: 'notContains',
    kind: 'comparison',
    description: 'The text does not contain the value (case-insensitive).',
    types: stringTypes,
    negationOf: 'contains',
  },
  {
    name: 'match',
    kind: 'comparison',
    description:
      "The text matches the regular expression (case-insensitive). Entra uses .NET's syntax; evaluated here in linear time with .NET's Unicode `\\d`, `\\w`, `\\s`. Backreferences and lookaround are not evaluated locally (R411); `\\b` is ASCII here.",
    types: stringTypes,
    takesRegex: true,
    negationOf: 'notMatch',
  },
  {
    name: 'notMatch',
    kind: 'comparison',
    description: 'The text does not match the regular expression (case-insensitive).',
    types: stringTypes,
    takesRegex: true,
    negationOf: 'match',
  },
  {
    name: 'in',
    kind: 'comparison',
    description: 'The value is one of the listed values: `-in ["a", "b"]`.',
    types: stringTypes,
    takesArray: true,
    negationOf: 'notIn',
  },
  {
    name: 'notIn',
    kind: 'comparison',
    description: 'The value is none of the listed values: `-notIn ["a", "b"]`.',
    types: stringTypes,
    takesArray: true,
    negationOf: 'in',
  },
  {
    name: 'le',
    kind: 'comparison',
    description: 'Less than or equal to; documented for employeeHireDate only (there is no -lt).',
    types: ['dateTime'],
  },
  {
    name: 'ge',
    kind: 'comparison',
    description: 'Greater than or equal to; documented for employeeHireDate only (there is no -gt).',
    types: ['dateTime'],
  },
];

export const logicalOperators: readonly OperatorInfo[] = [
  { name: 'and', kind: 'logical', description: 'Both conditions hold. Binds tighter than -or.' },
  { name: 'or', kind: 'logical', description: 'At least one condition holds.' },
  {
    name: 'not',
    kind: 'logical',
    description: 'Negates the condition that follows: `-not (user.userType -eq "Guest")`.',
  },
];

export const quantifiers: readonly OperatorInfo[] = [
  {
    name: 'any',
    kind: 'quantifier',
    description: 'At least one item of the collection satisfies the condition: `-any (_ -startsWith "smtp:")`.',
  },
  {
    name: 'all',
    kind: 'quantifier',
    description:
      'Every item of the collection satisfies the condition: `-all (assignedPlan.capabilityStatus -eq "Enabled")`.',
  },
];

export const arithmeticOperators: readonly OperatorInfo[] = [
  { name: 'plus', kind: 'arithmetic', description: 'Adds a duration to system.now: `system.now -plus p1d`.' },
  { name: 'minus', kind: 'arithmetic', description: 'Subtracts a duration from system.now: `system.now -minus p30d`.' },
];

export const allOperators: readonly OperatorInfo[] = [
  ...comparisonOperators,
  ...logicalOperators,
  ...quantifiers,
  ...arithmeticOperators,
];

const operatorIndex = new Map(allOperators.map((o) => [o.name.toLowerCase(), o]));

export function findOperator(name: string): OperatorInfo | undefined {
  return operatorIndex.get(name.toLowerCase());
}

const indexes = new Map<readonly PropertyInfo[], Map<string, PropertyInfo>>();

export function findIn(table: readonly PropertyInfo[], name: string): PropertyInfo | undefined {
  let index = indexes.get(table);
  if (!index) {
    index = new Map(table.map((x) => [x.name.toLowerCase(), x]));
    indexes.set(table, index);
  }
  return index.get(name.toLowerCase());
}

export function propertiesOf(object: ObjectKind): readonly PropertyInfo[] {
  return object === 'user' ? userProperties : deviceProperties;
}

/** `extension_<app id without dashes>_<name>`: a directory extension (custom extension property). */
export const customExtensionPattern = /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/i;
export const extensionAttributePattern = /^extensionAttribute(\d+)$/i;

/** Documented maximum length of a rule. */
export const maxRuleLength = 3072;

export function isCollection(type: PropertyType): boolean {
  return type === 'stringCollection' || type === 'planCollection' || type === 'memberOf';
}
