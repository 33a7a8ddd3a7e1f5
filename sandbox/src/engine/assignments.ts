/**
 * Assignments and the system's own requests: delivering an assignment (with its expiration),
 * ending one, and the accessPackageSubject that represents a user in entitlement management.
 */
import { addDuration } from './clock';
import { earliest, isObj, update, type Engine } from './engine';
import type { Entity } from '../store/store';

/**
 * Values many entities hold unchanged, shared and frozen: entities are immutable values, and at a
 * million assignments each object fewer per entity is memory and garbage-collector work saved.
 */
const none: readonly never[] = Object.freeze([]);
const noExpiration = Object.freeze({ type: 'noExpiration', duration: null, endDateTime: null });

/** The user's accessPackageSubject, created the first time the user is assigned or requests. */
export function subjectFor(eng: Engine, user: Entity): Entity {
  for (const id of eng.store.lookup('subjectByUser', user.id)) {
    const s = eng.store.get('subjects', id);
    if (s) return s;
  }
  return eng.store.put('subjects', {
    id: eng.newId(),
    displayName: user.displayName ?? null,
    email: user.mail ?? null,
    principalName: user.userPrincipalName ?? null,
    objectId: user.id,
    onPremisesSecurityIdentifier: user.onPremisesSecurityIdentifier ?? null,
    subjectType: 'user',
  });
}

export const isActive = (a: Entity): boolean => a.state !== 'expired';

/** The user's active assignment of the package (under any policy, or under `policyId` when given). */
export function activeAssignment(eng: Engine, userId: string, pkgId: string, policyId?: string): Entity | undefined {
  // A user's assignments are few: read them all rather than keep a user+package key per assignment.
  for (const id of eng.store.lookup('asgByUser', userId)) {
    const a = eng.store.get('assignments', id);
    if (a && a._pkg === pkgId && isActive(a) && (policyId === undefined || a._policy === policyId)) return a;
  }
  return undefined;
}

/** The schedule of a new assignment: the request's schedule when it carries one, else the policy's expiration. */
function scheduleFor(
  eng: Engine,
  policy: Entity,
  requested: unknown,
): { schedule: Record<string, unknown>; end: number | undefined } {
  const now = eng.clock.now();
  const req = isObj(requested) ? requested : {};
  const start = typeof req.startDateTime === 'string' ? Date.parse(req.startDateTime) : now;
  const exp = isObj(req.expiration)
    ? req.expiration
    : isObj(policy.expiration)
      ? policy.expiration
      : { type: 'noExpiration' };
  let end: number | undefined;
  if (exp.type === 'afterDuration' && typeof exp.duration === 'string') end = addDuration(start, exp.duration);
  else if (exp.type === 'afterDateTime' && typeof exp.endDateTime === 'string') end = Date.parse(exp.endDateTime);
  const type = exp.type ?? 'noExpiration';
  const expiration =
    type === 'noExpiration' && end === undefined
      ? noExpiration
      : {
          type,
          duration: exp.type === 'afterDuration' ? (exp.duration ?? null) : null,
          endDateTime: end !== undefined ? new Date(end).toISOString() : null,
        };
  return { schedule: { startDateTime: new Date(start).toISOString(), recurrence: null, expiration }, end };
}

/** Creates a delivered assignment of the policy's package for the user. */
export function deliverAssignment(eng: Engine, policy: Entity, user: Entity, requestedSchedule?: unknown): Entity {
  const subject = subjectFor(eng, user);
  const { schedule, end } = scheduleFor(eng, policy, requestedSchedule);
  return eng.store.put('assignments', {
    id: eng.newId(),
    state: 'delivered',
    status: 'Delivered',
    expiredDateTime: null,
    schedule,
    customExtensionCalloutInstances: none,
    _pkg: policy._pkg,
    _catalog: policy._catalog,
    _policy: policy.id,
    _user: user.id,
    _target: subject.id,
    _expiresAt: end,
    _due: end,
  });
}

/** Ends an assignment: it stays listed with state `expired`, as Graph keeps removed and expired assignments. */
export function endAssignment(eng: Engine, a: Entity): Entity {
  return eng.store.put(
    'assignments',
    update(a, {
      state: 'expired',
      status: 'Expired',
      expiredDateTime: eng.clock.iso(),
      _due: undefined,
      _expiresAt: undefined,
      _graceEnds: undefined,
    }),
  );
}

/** Puts the assignment in its grace period (automatic policies, target left the rule's scope). */
export function startGrace(eng: Engine, a: Entity, until: number): Entity {
  return eng.store.put(
    'assignments',
    update(a, {
      status: 'AutoAssignmentInGracePeriod',
      _graceEnds: until,
      _due: earliest(until, a._expiresAt as number | undefined),
    }),
  );
}

/** The target is back in scope: the grace period no longer applies. */
export function endGrace(eng: Engine, a: Entity): Entity {
  return eng.store.put('assignments', update(a, { status: 'Delivered', _graceEnds: undefined, _due: a._expiresAt }));
}

/** A completed request filed by the system itself (automatic assignment, grace-period removal). */
export function fileSystemRequest(
  eng: Engine,
  type: 'systemAdd' | 'systemRemove',
  a: Entity,
  policyId: string,
): Entity {
  const now = eng.clock.iso();
  return eng.store.put('assignmentRequests', {
    id: eng.newId(),
    requestType: type,
    state: 'delivered',
    status: 'Delivered',
    justification: null,
    createdDateTime: now,
    completedDateTime: now,
    schedule: a.schedule ?? null,
    answers: none,
    customExtensionCalloutInstances: none,
    _pkg: a._pkg,
    _policy: policyId,
    _user: a._user,
    _asg: a.id,
    _requestor: a._target,
  });
}
