/**
 * Approvals of requests (`…/accessPackageAssignmentApprovals/{requestId}`): one approval per
 * request, sharing its id, with one stage per approval stage of the policy. Stages run in order:
 * a stage appears when it starts, one decision settles it, a deny (or the stage's
 * `durationBeforeAutomaticDenial` running out) ends the request as denied, and approving the
 * last stage delivers the assignment. The policy's stages are copied when the request starts, so
 * later edits of the policy leave pending requests as they were.
 */
import { activeAssignment } from './assignments';
import { addDuration } from './clock';
import { isObj, mustGet, update, type Engine } from './engine';
import { fulfil } from './requests';
import { GraphError, badRequest } from '../http/errors';
import type { Entity } from '../store/store';

/** Graph's stage time-out when a policy does not set one. */
const defaultDecisionWindow = 'P14D';
/** Who decides: the sandbox has one caller, its administrator. */
const sandboxAdmin = { id: '00000000-0000-0000-0000-00000000a0a0', displayName: 'Sandbox Administrator' };

function newStage(eng: Engine): Record<string, unknown> {
  return {
    id: eng.newId(),
    displayName: null,
    reviewedDateTime: null,
    reviewResult: 'NotReviewed',
    status: 'InProgress',
    assignedToMe: true,
    justification: '',
    reviewedBy: null,
  };
}

function deadline(eng: Engine, policyStage: unknown): number {
  const d =
    isObj(policyStage) && typeof policyStage.durationBeforeAutomaticDenial === 'string'
      ? policyStage.durationBeforeAutomaticDenial
      : defaultDecisionWindow;
  return addDuration(eng.clock.now(), d) ?? eng.clock.now();
}

/** Puts a new request into approval: the request waits on its first stage. */
export function startApproval(eng: Engine, req: Entity, policyStages: unknown[]): void {
  eng.store.put('approvals', { id: req.id, stages: [newStage(eng)], _policyStages: policyStages });
  eng.store.put(
    'assignmentRequests',
    update(req, { state: 'pendingApproval', status: 'PendingApproval', _due: deadline(eng, policyStages[0]) }),
  );
}

export interface Decision {
  reviewResult?: unknown;
  justification?: unknown;
}

/** PATCH of a stage: records the decision and moves the request on. */
export function decide(eng: Engine, approvalId: string, stageId: string, body: unknown): void {
  const approval = mustGet(eng, 'approvals', approvalId, 'approval');
  const stages = approval.stages as Record<string, unknown>[];
  const index = stages.findIndex((s) => s.id === stageId);
  if (index < 0)
    throw new GraphError(
      404,
      'ResourceNotFound',
      `No approval stage with id '${stageId}' was found on approval '${approvalId}'.`,
    );
  const d = (isObj(body) ? body : {}) as Decision;
  const result = (typeof d.reviewResult === 'string' ? d.reviewResult : '').toLowerCase();
  if (result !== 'approve' && result !== 'deny') throw badRequest("reviewResult must be 'Approve' or 'Deny'.");
  const stage = stages[index]!;
  if (stage.status !== 'InProgress')
    throw new GraphError(
      409,
      'Conflict',
      `The approval stage '${stageId}' has already been completed (${String(stage.reviewResult)}).`,
    );
  const policyStages = approval._policyStages as unknown[];
  const ps = policyStages[index];
  if (isObj(ps) && ps.isApproverJustificationRequired === true && !d.justification)
    throw badRequest('This approval stage requires a justification from the approver.');
  const decided = {
    ...stage,
    reviewResult: result === 'approve' ? 'Approved' : 'Denied',
    status: 'Completed',
    justification: typeof d.justification === 'string' ? d.justification : '',
    reviewedBy: sandboxAdmin,
    reviewedDateTime: eng.clock.iso(),
  };
  const next = stages.map((s, i) => (i === index ? decided : s));
  const req = mustGet(eng, 'assignmentRequests', approvalId, 'accessPackageAssignmentRequest');
  if (req.state !== 'pendingApproval')
    throw new GraphError(
      409,
      'Conflict',
      `The request '${approvalId}' is no longer waiting for approval (state ${String(req.state)}).`,
    );
  if (result === 'deny') return finish(eng, approval, next, req, 'Denied');
  if (index + 1 < policyStages.length) {
    eng.store.put('approvals', update(approval, { stages: [...next, newStage(eng)] }));
    eng.store.put('assignmentRequests', update(req, { _due: deadline(eng, policyStages[index + 1]) }));
    return;
  }
  eng.store.put('approvals', update(approval, { stages: next }));
  deliverApproved(eng, req);
}

function deliverApproved(eng: Engine, req: Entity): void {
  const policy = eng.store.get('assignmentPolicies', req._policy as string);
  const user = eng.store.get('users', req._user as string);
  // The policy or the user may have gone while the request waited; so may the need for it.
  if (!policy || !user || activeAssignment(eng, user.id, req._pkg as string)) {
    eng.store.put(
      'assignmentRequests',
      update(req, {
        state: 'deliveryFailed',
        status: 'DeliveryFailed',
        completedDateTime: eng.clock.iso(),
        _due: undefined,
      }),
    );
    return;
  }
  fulfil(eng, req, policy, user);
}

function finish(eng: Engine, approval: Entity, stages: unknown[], req: Entity, status: 'Denied' | 'Expired'): void {
  eng.store.put('approvals', update(approval, { stages }));
  eng.store.put(
    'assignmentRequests',
    update(req, { state: 'denied', status, completedDateTime: eng.clock.iso(), _due: undefined }),
  );
}

/** Nobody decided in time: the stage expires and the request is denied. */
export function timeOut(eng: Engine, req: Entity): void {
  const approval = eng.store.get('approvals', req.id);
  if (!approval || req.state !== 'pendingApproval') return;
  const stages = (approval.stages as Record<string, unknown>[]).map((s) =>
    s.status === 'InProgress' ? { ...s, status: 'Expired' } : s,
  );
  finish(eng, approval, stages, req, 'Expired');
}
