/**
 * Friendly words for Graph's enumerations in the tree (descriptions, tooltips, pickers): an admin
 * reads "all member users", not `allMemberUsers`. Unknown values (Graph adds members over time)
 * are split at their capitals rather than shown raw.
 */
const words: Record<string, string> = {
  // AllowedTargetScope
  notSpecified: 'direct assignment only',
  specificDirectoryUsers: 'specific users and groups',
  specificConnectedOrganizationUsers: 'specific connected organisations',
  specificDirectoryServicePrincipals: 'specific service principals',
  allMemberUsers: 'all member users',
  allDirectoryUsers: 'all users (members and guests)',
  allDirectoryServicePrincipals: 'all service principals',
  allConfiguredConnectedOrganizationUsers: 'all connected organisations',
  allExternalUsers: 'all external users',
  allDirectoryAgentIdentities: 'all agent identities',
  // Assignment and request states
  delivered: 'delivered',
  delivering: 'delivering',
  partiallyDelivered: 'partially delivered',
  deliveryFailed: 'delivery failed',
  expired: 'expired',
  submitted: 'submitted',
  pendingApproval: 'pending approval',
  denied: 'denied',
  scheduled: 'scheduled',
  canceled: 'canceled',
  // Request types
  adminAdd: 'added by an admin',
  adminUpdate: 'updated by an admin',
  adminRemove: 'removed by an admin',
  userAdd: 'requested by the user',
  userUpdate: 'updated by the user',
  userRemove: 'removed by the user',
  systemAdd: 'added automatically',
  systemUpdate: 'updated automatically',
  systemRemove: 'removed automatically',
  onBehalfAdd: 'requested on behalf',
  // Catalogs
  userManaged: 'user managed',
  serviceDefault: 'built-in',
  serviceManaged: 'service managed',
  published: 'published',
  unpublished: 'unpublished',
  // Expiration
  noExpiration: 'no expiration',
  afterDateTime: 'ends on a date',
  afterDuration: 'ends after a duration',
  // Resource origin systems
  AadGroup: 'group',
  AadApplication: 'application',
  SharePointOnline: 'SharePoint site',
  // Connected organisations
  configured: 'configured',
  proposed: 'proposed',
  // Approval stage results
  NotReviewed: 'not reviewed',
  Approved: 'approved',
  Denied: 'denied',
  InProgress: 'in progress',
  Completed: 'completed',
  Expired: 'expired',
};

/** The friendly form of a Graph enumeration member (`allMemberUsers` → "all member users"). */
export function friendly(value: string | null | undefined): string {
  if (!value) return '';
  const known = words[value];
  if (known) return known;
  const lower = value.charAt(0).toLowerCase() + value.slice(1);
  if (words[lower]) return words[lower];
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toLowerCase())
    .toLowerCase();
}
