/**
 * Codes of the findings that need the tenant (band `T1xx`): stable strings, never reused. The
 * editor and `check --tenant` report the same codes.
 */
export const TenantCode = {
  /** The directory could not be read: one information per document. */
  unreadable: 'T100',
  /** No object with this id in the tenant. */
  unknownId: 'T101',
  /** The id names an object of another kind than the place wants (a group where a user is expected). */
  wrongKind: 'T102',
  /** A rule names a custom extension property the tenant has not registered. */
  unregisteredExtension: 'T110',
} as const;
