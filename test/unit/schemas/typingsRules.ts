/**
 * Where the schemas knowingly differ from @microsoft/microsoft-graph-types 2.43.1 ("T" in
 * ../shared/reference/graph-model.md), each with its reason. The agreement test fails on any
 * difference not listed here.
 */

/** Properties of a typings interface left out of the schema definition of the same name. */
export const OMITTED_PROPERTIES: Record<string, Record<string, string>> = {
  accessPackage: {
    accessPackagesIncompatibleWith: 'read-only reverse relation, listed through its own GET; never part of a body',
    assignmentPolicies: 'relation returned only with $expand; policies are written through their own endpoint',
    incompatibleAccessPackages: 'relation edited through .../incompatibleAccessPackages/$ref, not in the package body',
    incompatibleGroups: 'relation edited through .../incompatibleGroups/$ref, not in the package body',
    resourceRoleScopes: 'relation written through .../resourceRoleScopes, not in the package body',
  },
  accessPackageCatalog: {
    accessPackages: 'relation of the catalog; only the catalog id is ever sent',
    customWorkflowExtensions: 'relation of the catalog; only the catalog id is ever sent',
    resourceRoles: 'relation of the catalog; only the catalog id is ever sent',
    resources: 'relation of the catalog; only the catalog id is ever sent',
    resourceScopes: 'relation of the catalog; only the catalog id is ever sent',
  },
  accessPackageSubject: {
    connectedOrganization: 'relation returned only with a nested $expand; never sent in a request',
  },
};

/** Properties a schema definition accepts although the typings interface lacks them. */
export const EXTRA_PROPERTIES: Record<string, Record<string, string>> = {
  accessPackageAssignment: {
    targetId: 'graph-model.md 2.17 and section 5: write-only key of add requests, absent from T',
    assignmentPolicyId: 'graph-model.md 2.17 and section 5: write-only key of add requests, absent from T',
    accessPackageId: 'graph-model.md 2.17 and section 5: write-only key of add requests, absent from T',
  },
  accessPackageApprovalStage: {
    approverInformationVisibility: 'graph-model.md 2.0 and 2.5: newer than T (documented GA in June 2026)',
  },
};

/** Property schemas that accept more kinds of value than the typings say. */
export const KIND_EXCEPTIONS: Record<string, string> = {
  'accessPackageAssignmentRequest.requestType':
    'graph-model.md section 5: v1.0 documentation examples write PascalCase request types; accepted with a warning',
};

/** Properties whose schema rejects null although the typings allow it. */
export const NULLABILITY_EXCEPTIONS: Record<string, string> = {
  'accessPackageAssignmentRequest.requestType':
    'graph-model.md 2.17: needed on create and immutable; null never makes a valid request',
  'accessPackageAssignmentRequest.assignment':
    'graph-model.md 2.17: needed on create (the assignment to add, or the one to change)',
};

/** Enumeration members documented after T: tolerated on input. */
export const NEWER_ENUM_MEMBERS: Record<string, string[]> = {
  allowedTargetScope: ['allDirectoryAgentIdentities'], // graph-model.md 2.0 (D 2026-04-28)
  accessPackageRequestType: ['approverRemove'], // graph-model.md 2.0 (Prefer: include-unknown-enum-members)
  accessPackageCustomExtensionStage: ['assignmentRequestDeterminingApprovalRequirements'], // 2.0, dynamic approvers (unsure)
};

/** Enumerations with no counterpart in T. */
export const ENUMS_NOT_IN_TYPINGS: Record<string, string> = {
  accessPackageApproverInformationVisibility:
    'graph-model.md 2.0: newer than T; v1.0 since mid-2026 with default/notVisible/visible (and the unknownFutureValue marker)',
};

/** Object definitions with no counterpart in T: the interface they derive from and what they add. */
export const TYPES_NOT_IN_TYPINGS: Record<string, { base: string; adds: string[]; reason: string }> = {
  accessPackageDynamicApprovalStage: {
    base: 'AccessPackageApprovalStage',
    adds: ['approverInformationVisibility'],
    reason: 'graph-model.md 2.5: newer than T; its customExtension is beta-only and flagged',
  },
};

/** Definitions that are value formats or spellings, not Graph types. */
export const HELPER_DEFINITIONS: Record<string, string> = {
  nullableDuration: 'Edm.Duration: T types durations as plain strings; the schema adds the ISO 8601 pattern',
  nullableDateTime: 'Edm.DateTimeOffset: T types timestamps as plain strings; the schema adds the date-time format',
  nullableDate: 'Edm.Date: T types dates as plain strings; the schema adds the date format',
  accessPackageRequestTypePascalCase: 'see KIND_EXCEPTIONS: PascalCase request types accepted with a warning',
};

/**
 * Unions discriminated by @odata.type ("any<Base>" definitions): whether the base type itself is
 * accepted, subtypes of T deliberately left out, and kinds newer than T.
 */
export const UNION_RULES: Record<
  string,
  { acceptsBase: boolean; omitted?: Record<string, string>; newer?: Record<string, string> }
> = {
  anySubjectSet: { acceptsBase: false },
  anyAccessPackageQuestion: { acceptsBase: true },
  anyAccessPackageAnswer: { acceptsBase: false },
  anyAccessPackageApprovalStage: {
    acceptsBase: true,
    newer: { AccessPackageDynamicApprovalStage: 'graph-model.md 2.5: newer than T (unsure)' },
  },
  anyCustomCalloutExtension: {
    acceptsBase: true,
    omitted: Object.fromEntries(
      [
        'CustomAuthenticationExtension',
        'OnAttributeCollectionStartCustomExtension',
        'OnAttributeCollectionSubmitCustomExtension',
        'OnOtpSendCustomExtension',
        'OnTokenIssuanceStartCustomExtension',
      ].map((n) => [
        n,
        'authentication-event extension of Entra ID; entitlement management runs only its two workflow extension kinds',
      ]),
    ),
  },
  anyCustomExtensionEndpointConfiguration: { acceptsBase: false },
  anyCustomExtensionAuthenticationConfiguration: { acceptsBase: false },
};
