/**
 * The Graph calls of the admin's console: requests and their approvals (decide, cancel,
 * reprocess), what a package grants (resource role scopes, catalog resources), connected
 * organisations. Graph v1.0 paths and shapes; no `vscode` import, so it is tested against the
 * sandbox in plain Node.
 */
import type {
  AccessPackageAssignmentRequest,
  AccessPackageResource,
  AccessPackageResourceRoleScope,
  Approval,
  ConnectedOrganization,
} from '@microsoft/microsoft-graph-types';
import { EM, odataString } from '../graph/entitlements';
import { query, type GraphClient, type Page, type RequestOptions } from '../graph/graphClient';

/** Request states a Requests folder can show (Graph's `AccessPackageRequestState`). */
export const requestStates = [
  'pendingApproval',
  'delivering',
  'deliveryFailed',
  'partiallyDelivered',
  'submitted',
  'scheduled',
  'delivered',
  'denied',
  'canceled',
] as const;
export type RequestState = (typeof requestStates)[number];

/** What the Requests folder shows by default: what needs an admin's attention. */
export const attentionStates: readonly RequestState[] = [
  'pendingApproval',
  'delivering',
  'deliveryFailed',
  'partiallyDelivered',
];

export type Decision = 'Approve' | 'Deny';

/** The `$filter` of a package's requests in the given states. */
export function requestsPath(accessPackageId: string, states: readonly string[], top?: number): string {
  const clauses = [`accessPackage/id eq ${odataString(accessPackageId)}`];
  if (states.length === 1) clauses.push(`state eq ${odataString(states[0]!)}`);
  else if (states.length > 1) clauses.push(`(${states.map((s) => `state eq ${odataString(s)}`).join(' or ')})`);
  return `${EM}/assignmentRequests${query({
    $filter: clauses.join(' and '),
    $expand: 'requestor,assignment',
    $top: top,
  })}`;
}

export class ConsoleApi {
  constructor(readonly graph: GraphClient) {}

  requests(
    accessPackageId: string,
    states: readonly string[],
    link?: string,
    o?: RequestOptions,
  ): Promise<Page<AccessPackageAssignmentRequest>> {
    return this.graph.page(link ?? requestsPath(accessPackageId, states), o);
  }

  request(id: string, o?: RequestOptions): Promise<AccessPackageAssignmentRequest> {
    return this.graph.get(
      `${EM}/assignmentRequests/${encodeURIComponent(id)}${query({ $expand: 'requestor,accessPackage,assignment' })}`,
      o,
    );
  }

  approval(requestId: string, o?: RequestOptions): Promise<Approval> {
    return this.graph.get(`${EM}/accessPackageAssignmentApprovals/${encodeURIComponent(requestId)}`, o);
  }

  /** Records a decision on an approval stage (PATCH; Graph answers 204). */
  decide(
    requestId: string,
    stageId: string,
    result: Decision,
    justification: string,
    o?: RequestOptions,
  ): Promise<unknown> {
    return this.graph.patch(
      `${EM}/accessPackageAssignmentApprovals/${encodeURIComponent(requestId)}/stages/${encodeURIComponent(stageId)}`,
      { reviewResult: result, justification },
      o,
    );
  }

  cancel(requestId: string, o?: RequestOptions): Promise<unknown> {
    return this.graph.post(`${EM}/assignmentRequests/${encodeURIComponent(requestId)}/cancel`, undefined, o);
  }

  reprocess(requestId: string, o?: RequestOptions): Promise<unknown> {
    return this.graph.post(`${EM}/assignmentRequests/${encodeURIComponent(requestId)}/reprocess`, undefined, o);
  }

  roleScopes(
    accessPackageId: string,
    link?: string,
    o?: RequestOptions,
  ): Promise<Page<AccessPackageResourceRoleScope>> {
    return this.graph.page(
      link ??
        `${EM}/accessPackages/${encodeURIComponent(accessPackageId)}/resourceRoleScopes${query({ $expand: 'role,scope' })}`,
      o,
    );
  }

  catalogResources(catalogId: string, link?: string, o?: RequestOptions): Promise<Page<AccessPackageResource>> {
    return this.graph.page(
      link ?? `${EM}/catalogs/${encodeURIComponent(catalogId)}/resources${query({ $expand: 'roles,scopes' })}`,
      o,
    );
  }

  /** Onboards a group into a catalog (`resourceRequests`, `adminAdd`). */
  addGroupToCatalog(catalogId: string, groupId: string, displayName: string, o?: RequestOptions): Promise<unknown> {
    return this.graph.post(
      `${EM}/resourceRequests`,
      {
        requestType: 'adminAdd',
        resource: { displayName, originId: groupId, originSystem: 'AadGroup' },
        catalog: { id: catalogId },
      },
      o,
    );
  }

  /** The package grants the group's role (`Member` or `Owner`), at the resource's root scope. */
  addGroupRole(
    accessPackageId: string,
    resource: AccessPackageResource,
    roleName: 'Member' | 'Owner',
    o?: RequestOptions,
  ): Promise<AccessPackageResourceRoleScope> {
    const groupId = resource.originId ?? '';
    const role = resource.roles?.find((r) => r.originId === `${roleName}_${groupId}`);
    const scope = resource.scopes?.find((s) => s.isRootScope) ?? resource.scopes?.[0];
    return this.graph.post(
      `${EM}/accessPackages/${encodeURIComponent(accessPackageId)}/resourceRoleScopes`,
      {
        role: {
          ...(role?.id ? { id: role.id } : {}),
          displayName: roleName,
          originSystem: 'AadGroup',
          originId: `${roleName}_${groupId}`,
          resource: { id: resource.id, originId: groupId, originSystem: 'AadGroup' },
        },
        scope: {
          ...(scope?.id ? { id: scope.id } : {}),
          originId: groupId,
          originSystem: 'AadGroup',
          isRootScope: true,
        },
      },
      o,
    );
  }

  removeRoleScope(accessPackageId: string, roleScopeId: string, o?: RequestOptions): Promise<void> {
    return this.graph.delete(
      `${EM}/accessPackages/${encodeURIComponent(accessPackageId)}/resourceRoleScopes/${encodeURIComponent(roleScopeId)}`,
      o,
    );
  }

  connectedOrganizations(link?: string, o?: RequestOptions): Promise<Page<ConnectedOrganization>> {
    return this.graph.page(link ?? `${EM}/connectedOrganizations`, o);
  }
}
