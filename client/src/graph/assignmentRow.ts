/**
 * The compact form of an assignment that the tree and the CSV export keep: only what they show,
 * so 10k loaded rows cost less than the JSON they came from.
 */
import type { AccessPackageAssignment } from '@microsoft/microsoft-graph-types';

export interface AssignmentRow {
  id: string;
  state: string;
  status: string;
  targetName: string;
  principalName: string;
  email: string;
  /** The user's object id (`target.objectId`). */
  objectId: string;
  policyId: string;
  policyName: string;
  start: string;
  end: string;
}

export function toAssignmentRow(a: AccessPackageAssignment): AssignmentRow {
  const t = a.target ?? undefined;
  const p = a.assignmentPolicy ?? undefined;
  const s = a.schedule ?? undefined;
  const end = s?.expiration?.endDateTime ?? a.expiredDateTime ?? '';
  return {
    id: a.id ?? '',
    state: a.state ?? '',
    status: a.status ?? '',
    targetName: t?.displayName ?? '',
    principalName: t?.principalName ?? '',
    email: t?.email ?? '',
    objectId: t?.objectId ?? '',
    policyId: p?.id ?? '',
    policyName: p?.displayName ?? '',
    start: s?.startDateTime ?? '',
    end,
  };
}
