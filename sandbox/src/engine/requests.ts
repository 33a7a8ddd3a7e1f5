/**
 * Assignment requests (`POST …/assignmentRequests`): adminAdd, userAdd, adminRemove, userRemove.
 * The answer shows the request as submitted (`submitted` / `Accepted`), as Graph's does; the
 * processing that Graph does moments later happens in the same write here: approval starts, or
 * the assignment is delivered or removed.
 */
import { activeAssignment, deliverAssignment, endAssignment, subjectFor } from './assignments';
import { autoRule } from './autoAssign';
import { startApproval } from './approvals';
import { isObj, mustGet, update, type Engine } from './engine';
import { outOfScope, type Via } from './scope';
import { GraphError, badRequest } from '../http/errors';
import { openRequestStates, type Entity } from '../store/store';

const supported = ['adminAdd', 'userAdd', 'adminRemove', 'userRemove'];
const openStates = openRequestStates;

type Body = Record<string, unknown>;

/** Creates and processes a request; returns the request as it looked when accepted. */
export function createRequest(eng: Engine, body: unknown): Entity {
  if (!isObj(body)) throw badRequest('The request body must be an accessPackageAssignmentRequest object.');
  const raw = typeof body.requestType === 'string' ? body.requestType : '';
  // Graph's own v1.0 examples still write PascalCase (AdminAdd); accept any casing.
  const type = supported.find((t) => t.toLowerCase() === raw.toLowerCase());
  if (!type) {
    throw badRequest(
      raw === ''
        ? 'requestType is required (adminAdd, userAdd, adminRemove or userRemove).'
        : `requestType '${raw}' is not supported by the sandbox; use adminAdd, userAdd, adminRemove or userRemove.`,
    );
  }
  if (!isObj(body.assignment))
    throw badRequest('assignment is required: {targetId, assignmentPolicyId, accessPackageId} to add, {id} to remove.');
  return type.endsWith('Add') ? add(eng, type, body, type === 'adminAdd' ? 'admin' : 'user') : remove(eng, type, body);
}

function add(eng: Engine, type: string, body: Body, via: Via): Entity {
  const asg = body.assignment as Body;
  const targetId =
    typeof asg.targetId === 'string'
      ? asg.targetId
      : isObj(asg.target) && typeof asg.target.objectId === 'string'
        ? asg.target.objectId
        : undefined;
  if (!targetId)
    throw badRequest(
      'assignment.targetId is required: the object id of the user to assign (users not yet in the directory are not supported by the sandbox).',
    );
  if (typeof asg.assignmentPolicyId !== 'string') throw badRequest('assignment.assignmentPolicyId is required.');
  const user = eng.store.get('users', targetId);
  if (!user) throw badRequest(`The target user '${targetId}' does not exist in the directory.`);
  const policy = eng.store.get('assignmentPolicies', asg.assignmentPolicyId);
  if (!policy) throw badRequest(`The assignment policy '${asg.assignmentPolicyId}' does not exist.`);
  if (typeof asg.accessPackageId === 'string' && asg.accessPackageId !== policy._pkg) {
    throw badRequest(
      `The assignment policy '${policy.id}' does not belong to access package '${asg.accessPackageId}'.`,
    );
  }
  checkAdmissible(eng, policy, user, via, body);
  const pkg = policy._pkg as string;
  if (activeAssignment(eng, user.id, pkg)) {
    throw new GraphError(
      400,
      'ActiveAssignmentExists',
      `The target user '${user.id}' already has an active assignment of access package '${pkg}'; remove it before requesting a new one.`,
    );
  }
  if (hasOpenRequest(eng, user.id, pkg)) {
    throw new GraphError(
      400,
      'ExistingOpenRequest',
      `The target user '${user.id}' already has an open request for access package '${pkg}'.`,
    );
  }
  const req = newRequest(eng, type, body, policy, user);
  const accepted = { ...req };
  const approval = isObj(policy.requestApprovalSettings) ? policy.requestApprovalSettings : {};
  const stages = Array.isArray(approval.stages) ? approval.stages : [];
  if (approval.isApprovalRequiredForAdd === true && stages.length > 0) startApproval(eng, req, stages);
  else fulfil(eng, req, policy, user);
  return accepted;
}

function checkAdmissible(eng: Engine, policy: Entity, user: Entity, via: Via, body: Body): void {
  if (autoRule(policy) !== undefined)
    throw badRequest(
      `The assignment policy '${policy.id}' is an automatic assignment policy; its assignments follow its rule and cannot be requested.`,
    );
  const settings = isObj(policy.requestorSettings) ? policy.requestorSettings : {};
  if (via === 'user' && settings.enableTargetsToSelfAddAccess !== true)
    throw badRequest(`The assignment policy '${policy.id}' does not let users request access for themselves.`);
  const why = outOfScope(eng, policy, user, via);
  if (why)
    throw new GraphError(
      400,
      'TargetNotInPolicyScope',
      `The target user '${user.id}' is not in scope of assignment policy '${policy.id}': ${why}.`,
    );
  const approval = isObj(policy.requestApprovalSettings) ? policy.requestApprovalSettings : {};
  if (via === 'user' && approval.isRequestorJustificationRequired === true && !body.justification)
    throw badRequest('The policy requires a justification for requests.');
  if (via === 'user') checkAnswers(policy, body.answers);
}

/** Every required question of the policy must be answered by the requestor. */
function checkAnswers(policy: Entity, answers: unknown): void {
  const given = new Set(
    (Array.isArray(answers) ? answers : []).map((a) =>
      isObj(a) && isObj(a.answeredQuestion) ? a.answeredQuestion.id : undefined,
    ),
  );
  for (const q of Array.isArray(policy.questions) ? policy.questions : []) {
    if (isObj(q) && q.isRequired === true && !given.has(q.id))
      throw badRequest(`The required question '${String(q.text)}' (id ${String(q.id)}) is not answered.`);
  }
}

function hasOpenRequest(eng: Engine, userId: string, pkg: string): boolean {
  for (const id of eng.store.lookup('openReqByUserPackage', `${userId}|${pkg}`)) {
    const r = eng.store.get('assignmentRequests', id);
    if (r && openStates.has(r.state as string) && String(r.requestType).endsWith('Add')) return true;
  }
  return false;
}

function newRequest(eng: Engine, type: string, body: Body, policy: Entity, user: Entity): Entity {
  return eng.store.put('assignmentRequests', {
    id: eng.newId(),
    requestType: type,
    state: 'submitted',
    status: 'Accepted',
    justification: typeof body.justification === 'string' ? body.justification : null,
    createdDateTime: eng.clock.iso(),
    completedDateTime: null,
    schedule: isObj(body.schedule) ? body.schedule : null,
    answers: Array.isArray(body.answers) ? body.answers : [],
    customExtensionCalloutInstances: [],
    _pkg: policy._pkg,
    _policy: policy.id,
    _user: user.id,
    _requestor: subjectFor(eng, user).id,
  });
}

/** Delivers the assignment a request asked for (directly, or after its last approval). */
export function fulfil(eng: Engine, req: Entity, policy: Entity, user: Entity): void {
  const settings = isObj(policy.requestorSettings) ? policy.requestorSettings : {};
  const schedule = settings.allowCustomAssignmentSchedule === false ? undefined : req.schedule;
  const a = deliverAssignment(eng, policy, user, schedule);
  eng.store.put(
    'assignmentRequests',
    update(req, {
      state: 'delivered',
      status: 'Delivered',
      completedDateTime: eng.clock.iso(),
      _asg: a.id,
      _due: undefined,
    }),
  );
}

function remove(eng: Engine, type: string, body: Body): Entity {
  const asgId = (body.assignment as Body).id;
  if (typeof asgId !== 'string') throw badRequest('assignment.id is required to remove an assignment.');
  const a = mustGet(eng, 'assignments', asgId, 'accessPackageAssignment');
  if (a.state === 'expired') throw badRequest(`The assignment '${asgId}' has already ended (state expired).`);
  const policy = eng.store.get('assignmentPolicies', a._policy as string);
  if (type === 'userRemove') {
    const settings = policy && isObj(policy.requestorSettings) ? policy.requestorSettings : {};
    if (settings.enableTargetsToSelfRemoveAccess !== true)
      throw badRequest(`The assignment policy '${String(a._policy)}' does not let users remove their own access.`);
  }
  const now = eng.clock.iso();
  const req = eng.store.put('assignmentRequests', {
    id: eng.newId(),
    requestType: type,
    state: 'submitted',
    status: 'Accepted',
    justification: typeof body.justification === 'string' ? body.justification : null,
    createdDateTime: now,
    completedDateTime: null,
    schedule: null,
    answers: [],
    customExtensionCalloutInstances: [],
    _pkg: a._pkg,
    _policy: a._policy,
    _user: a._user,
    _asg: a.id,
    _requestor: a._target,
  });
  const accepted = { ...req };
  endAssignment(eng, a);
  eng.store.put('assignmentRequests', update(req, { state: 'delivered', status: 'Delivered', completedDateTime: now }));
  return accepted;
}

/** States a request can be canceled from: not yet delivered, or failed delivery. */
const cancelable = new Set(['submitted', 'pendingApproval', 'scheduled', 'delivering', 'deliveryFailed']);

/** `POST …/assignmentRequests/{id}/cancel`: the request ends as `canceled`; a pending approval stops. */
export function cancelRequest(eng: Engine, id: string): Entity {
  const req = mustGet(eng, 'assignmentRequests', id, 'accessPackageAssignmentRequest');
  if (!cancelable.has(String(req.state)))
    throw new GraphError(
      400,
      'RequestNotCancelable',
      `The request '${id}' cannot be canceled in state '${String(req.state)}'; only requests not yet delivered (or whose delivery failed) can.`,
    );
  const approval = eng.store.get('approvals', id);
  if (approval) {
    const stages = (approval.stages as Record<string, unknown>[]).map((s) =>
      s.status === 'InProgress' ? { ...s, status: 'Completed', reviewResult: 'NotReviewed' } : s,
    );
    eng.store.put('approvals', update(approval, { stages }));
  }
  return eng.store.put(
    'assignmentRequests',
    update(req, { state: 'canceled', status: 'Canceled', completedDateTime: eng.clock.iso(), _due: undefined }),
  );
}

/** How long after completion a failed request can still be reprocessed (the reference says 7 or 14 days; the longer is kept). */
const reprocessWindowMs = 14 * 24 * 3600 * 1000;

/**
 * `POST …/assignmentRequests/{id}/reprocess`: a request whose delivery failed is delivered again
 * (it stays failed, with its reason, while the cause is still there).
 */
export function reprocessRequest(eng: Engine, id: string): Entity {
  const req = mustGet(eng, 'assignmentRequests', id, 'accessPackageAssignmentRequest');
  if (req.state !== 'deliveryFailed' && req.state !== 'partiallyDelivered')
    throw new GraphError(
      400,
      'RequestNotReprocessable',
      `The request '${id}' is in state '${String(req.state)}'; only requests in deliveryFailed or partiallyDelivered can be reprocessed.`,
    );
  const completed = typeof req.completedDateTime === 'string' ? Date.parse(req.completedDateTime) : eng.clock.now();
  if (eng.clock.now() - completed > reprocessWindowMs)
    throw new GraphError(
      400,
      'RequestNotReprocessable',
      `The request '${id}' completed more than 14 days ago and can no longer be reprocessed.`,
    );
  const policy = eng.store.get('assignmentPolicies', req._policy as string);
  const user = eng.store.get('users', req._user as string);
  const blocking = user && activeAssignment(eng, user.id, req._pkg as string);
  if (!policy || !user || blocking) {
    return eng.store.put(
      'assignmentRequests',
      update(req, { status: 'DeliveryFailed', completedDateTime: eng.clock.iso() }),
    );
  }
  fulfil(eng, req, policy, user);
  return eng.store.get('assignmentRequests', id)!;
}
