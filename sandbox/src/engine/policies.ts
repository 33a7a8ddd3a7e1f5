/**
 * Assignment policies: create (201), full replace with PUT (200, as Graph documents no PATCH),
 * delete (204). Every write re-evaluates automatic assignment for the policy.
 */
import { autoRule, reconcilePolicy, releasePolicy } from './autoAssign';
import { isObj, mustGet, type Engine } from './engine';
import { engineProblems, type PolicyProblem } from './validatePolicy';
import { GraphError } from '../http/errors';
import type { Entity } from '../store/store';

const maxPoliciesPerPackage = 10;

export function invalid(problems: PolicyProblem[]): GraphError {
  const message =
    problems.length === 1
      ? problems[0]!.message
      : `The model is invalid: ${problems.length} problems. ${problems.map((p) => p.message).join(' ')}`;
  return new GraphError(
    400,
    'InvalidModel',
    message,
    problems.map((p) => ({ code: p.code, message: p.message })),
  );
}

/**
 * The checks that need the tenant (the body itself was validated before the write by the shared
 * service): the package exists, per-package limits, the rule compiles.
 */
function check(eng: Engine, body: unknown, replacing?: Entity): Record<string, unknown> {
  const problems = engineProblems(body);
  const b = body as Record<string, unknown>;
  const pkgId = isObj(b) && isObj(b.accessPackage) ? String(b.accessPackage.id) : undefined;
  if (problems.length === 0 && pkgId !== undefined) {
    if (!eng.store.get('accessPackages', pkgId))
      problems.push({
        code: 'AccessPackageNotFound',
        message: `accessPackage.id: the access package '${pkgId}' does not exist in this tenant.`,
      });
    else if (replacing && replacing._pkg !== pkgId)
      problems.push({ code: 'InvalidModel', message: 'A policy cannot be moved to another access package.' });
    else problems.push(...packageLimits(eng, b, pkgId, replacing));
    const rule = autoRule(b as Entity);
    const compiled = rule === undefined ? undefined : eng.rules.compile(rule);
    if (typeof compiled === 'string')
      problems.push({ code: 'InvalidRule', message: `The membership rule cannot be evaluated: ${compiled}` });
  }
  if (problems.length > 0) throw invalid(problems);
  return b;
}

function packageLimits(eng: Engine, body: Record<string, unknown>, pkgId: string, replacing?: Entity): PolicyProblem[] {
  const others = [...eng.store.lookup('policyByPackage', pkgId)]
    .filter((id) => id !== replacing?.id)
    .map((id) => eng.store.get('assignmentPolicies', id)!);
  const out: PolicyProblem[] = [];
  if (others.length >= maxPoliciesPerPackage)
    out.push({
      code: 'PolicyLimitReached',
      message: `Access package '${pkgId}' already has ${maxPoliciesPerPackage} policies, the maximum.`,
    });
  if (isObj(body.automaticRequestSettings) && others.some((p) => autoRule(p) !== undefined)) {
    out.push({
      code: 'AutoAssignmentPolicyExists',
      message: `Access package '${pkgId}' already has an automatic assignment policy; a package can have only one.`,
    });
  }
  return out;
}

/** The stored form: server-set fields, ids for inline questions and stage settings, references kept aside. */
function normalise(eng: Engine, b: Record<string, unknown>, id: string, created: string): Entity {
  const pkg = eng.store.get('accessPackages', String((b.accessPackage as Record<string, unknown>).id))!;
  const withIds = (list: unknown): unknown[] =>
    Array.isArray(list)
      ? list.map((x: unknown) => (isObj(x) ? { ...x, id: typeof x.id === 'string' ? x.id : eng.newId() } : x))
      : [];
  const e: Entity = {
    id,
    displayName: b.displayName ?? null,
    description: b.description ?? null,
    allowedTargetScope: b.allowedTargetScope ?? 'notSpecified',
    specificAllowedTargets: b.specificAllowedTargets ?? [],
    automaticRequestSettings: b.automaticRequestSettings ?? null,
    expiration: b.expiration ?? null,
    requestorSettings: b.requestorSettings ?? null,
    requestApprovalSettings: b.requestApprovalSettings ?? null,
    reviewSettings: b.reviewSettings ?? null,
    notificationSettings: b.notificationSettings ?? null,
    questions: withIds(b.questions),
    customExtensionStageSettings: withIds(b.customExtensionStageSettings),
    createdDateTime: created,
    modifiedDateTime: eng.clock.iso(),
    _pkg: pkg.id,
    _catalog: pkg._catalog,
  };
  return e;
}

export function createPolicy(eng: Engine, body: unknown): Entity {
  const b = check(eng, body);
  const policy = eng.store.put('assignmentPolicies', normalise(eng, b, eng.newId(), eng.clock.iso()));
  if (autoRule(policy) !== undefined) reconcilePolicy(eng, policy);
  return policy;
}

export function replacePolicy(eng: Engine, id: string, body: unknown): Entity {
  const old = mustGet(eng, 'assignmentPolicies', id, 'accessPackageAssignmentPolicy');
  const b = check(eng, body, old);
  const policy = eng.store.put('assignmentPolicies', normalise(eng, b, id, old.createdDateTime as string));
  if (autoRule(policy) !== undefined) reconcilePolicy(eng, policy);
  else if (autoRule(old) !== undefined) releasePolicy(eng, id);
  return policy;
}

export function deletePolicy(eng: Engine, id: string): void {
  const policy = mustGet(eng, 'assignmentPolicies', id, 'accessPackageAssignmentPolicy');
  if (autoRule(policy) !== undefined) releasePolicy(eng, id);
  else {
    for (const aid of eng.store.lookup('asgByPolicy', id)) {
      if (eng.store.get('assignments', aid)?.state !== 'expired') {
        throw new GraphError(
          400,
          'BadRequest',
          `The policy '${id}' has active assignments; remove them before deleting the policy.`,
        );
      }
    }
  }
  eng.store.delete('assignmentPolicies', id);
}
