/**
 * The entitlement-management calls the explorer makes, as typed functions over one GraphClient.
 * Paths and shapes follow Graph v1.0 (`/identityGovernance/entitlementManagement/...`).
 */
import type {
  AccessPackage,
  AccessPackageAssignment,
  AccessPackageAssignmentPolicy,
  AccessPackageAssignmentRequest,
  AccessPackageCatalog,
  User,
} from '@microsoft/microsoft-graph-types';
import { query, type GraphClient, type Page, type RequestOptions } from './graphClient';

export const EM = '/identityGovernance/entitlementManagement';

/** Assignment states a filter can pick (Graph's `AccessPackageAssignmentState`, minus unknownFutureValue). */
export const assignmentStates = ['delivered', 'delivering', 'partiallyDelivered', 'expired', 'deliveryFailed'] as const;
export type AssignmentState = (typeof assignmentStates)[number];

/** OData string literal: quotes doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export interface AssignmentQuery {
  accessPackageId: string;
  state?: AssignmentState;
  policyId?: string;
  /** Page size (`$top`); the service's default when absent. */
  top?: number;
}

/** The `$filter`/`$expand` of an access package's assignments, with target and policy names. */
export function assignmentsPath(q: AssignmentQuery): string {
  const clauses = [`accessPackage/id eq ${odataString(q.accessPackageId)}`];
  if (q.state) clauses.push(`state eq ${odataString(q.state)}`);
  if (q.policyId) clauses.push(`assignmentPolicy/id eq ${odataString(q.policyId)}`);
  return `${EM}/assignments${query({
    $filter: clauses.join(' and '),
    $expand: 'target,assignmentPolicy($select=id,displayName)',
    $top: q.top,
  })}`;
}

export type AdminAddResult =
  | { userId: string; ok: true; request: AccessPackageAssignmentRequest }
  | { userId: string; ok: false; code: string; message: string };

export interface AdminAddInput {
  accessPackageId: string;
  policyId: string;
  userId: string;
  justification?: string;
  startDateTime?: string;
  endDateTime?: string;
  answers?: unknown[];
}

/** The request body of an `adminAdd`, with an optional schedule (start and/or end). */
export function adminAddBody(input: AdminAddInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    requestType: 'adminAdd',
    assignment: { targetId: input.userId, assignmentPolicyId: input.policyId, accessPackageId: input.accessPackageId },
  };
  if (input.justification) body.justification = input.justification;
  if (input.startDateTime || input.endDateTime) {
    body.schedule = {
      startDateTime: input.startDateTime ?? new Date().toISOString(),
      expiration: input.endDateTime
        ? { type: 'afterDateTime', endDateTime: input.endDateTime }
        : { type: 'noExpiration' },
    };
  }
  if (input.answers && input.answers.length > 0) body.answers = input.answers;
  return body;
}

/** Basic user fields a search returns (all readable with `User.ReadBasic.All`). */
const basicUserFields = 'id,displayName,userPrincipalName,mail';

export class EntitlementsApi {
  constructor(readonly graph: GraphClient) {}

  catalogs(linkOrUndefined?: string, o?: RequestOptions): Promise<Page<AccessPackageCatalog>> {
    return this.graph.page(linkOrUndefined ?? `${EM}/catalogs`, o);
  }

  accessPackages(catalogId: string, link?: string, o?: RequestOptions): Promise<Page<AccessPackage>> {
    return this.graph.page(link ?? `${EM}/catalogs/${encodeURIComponent(catalogId)}/accessPackages`, o);
  }

  accessPackage(id: string, o?: RequestOptions): Promise<AccessPackage> {
    return this.graph.get(`${EM}/accessPackages/${encodeURIComponent(id)}${query({ $expand: 'catalog' })}`, o);
  }

  policies(accessPackageId: string, link?: string, o?: RequestOptions): Promise<Page<AccessPackageAssignmentPolicy>> {
    return this.graph.page(link ?? `${EM}/accessPackages/${encodeURIComponent(accessPackageId)}/assignmentPolicies`, o);
  }

  policy(id: string, o?: RequestOptions): Promise<AccessPackageAssignmentPolicy> {
    return this.graph.get(
      `${EM}/assignmentPolicies/${encodeURIComponent(id)}${query({ $expand: 'accessPackage' })}`,
      o,
    );
  }

  createPolicy(body: unknown, o?: RequestOptions): Promise<AccessPackageAssignmentPolicy> {
    return this.graph.post(`${EM}/assignmentPolicies`, body, o);
  }

  updatePolicy(id: string, body: unknown, o?: RequestOptions): Promise<AccessPackageAssignmentPolicy> {
    return this.graph.put(`${EM}/assignmentPolicies/${encodeURIComponent(id)}`, body, o);
  }

  deletePolicy(id: string, o?: RequestOptions): Promise<void> {
    return this.graph.delete(`${EM}/assignmentPolicies/${encodeURIComponent(id)}`, o);
  }

  createAccessPackage(
    catalogId: string,
    displayName: string,
    description: string,
    o?: RequestOptions,
  ): Promise<AccessPackage> {
    return this.graph.post(
      `${EM}/accessPackages`,
      { displayName, description, isHidden: false, catalog: { id: catalogId } },
      o,
    );
  }

  assignments(q: AssignmentQuery, link?: string, o?: RequestOptions): Promise<Page<AccessPackageAssignment>> {
    return this.graph.page(link ?? assignmentsPath(q), o);
  }

  /** Users whose display name starts with `prefix` (or the first page of users when empty). */
  searchUsers(prefix: string, o?: RequestOptions): Promise<Page<User>> {
    const filter = prefix.trim() === '' ? undefined : `startswith(displayName,${odataString(prefix.trim())})`;
    return this.graph.page(`/users${query({ $filter: filter, $select: basicUserFields, $top: 25 })}`, {
      permission: 'User.ReadBasic.All',
      ...o,
    });
  }

  /** `adminAdd` requests, one per user, in order; each user's outcome, never a throw. */
  async adminAdd(inputs: AdminAddInput[], o?: RequestOptions): Promise<AdminAddResult[]> {
    const out: AdminAddResult[] = [];
    for (const input of inputs) {
      if (o?.signal?.aborted) {
        out.push({
          userId: input.userId,
          ok: false,
          code: 'Canceled',
          message: 'Not sent: the operation was canceled.',
        });
        continue;
      }
      try {
        const request = await this.graph.post<AccessPackageAssignmentRequest>(
          `${EM}/assignmentRequests`,
          adminAddBody(input),
          o,
        );
        out.push({ userId: input.userId, ok: true, request });
      } catch (e) {
        const err = e as { code?: string; message?: string };
        out.push({ userId: input.userId, ok: false, code: err.code ?? 'Error', message: err.message ?? String(e) });
      }
    }
    return out;
  }

  /** `adminRemove` of one assignment. */
  adminRemove(assignmentId: string, o?: RequestOptions): Promise<AccessPackageAssignmentRequest> {
    return this.graph.post(
      `${EM}/assignmentRequests`,
      { requestType: 'adminRemove', assignment: { id: assignmentId } },
      o,
    );
  }
}
