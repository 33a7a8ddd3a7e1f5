/**
 * Automatic assignment: a policy with `automaticRequestSettings` keeps the package's assignments
 * equal to the users its rule selects. Users entering scope get an assignment (a `systemAdd`
 * request); users leaving it lose theirs (`systemRemove`) when the policy says so, after the
 * grace period when there is one (status `AutoAssignmentInGracePeriod` meanwhile). The real
 * service does this minutes later. The sandbox settles a changed user within the write that
 * changed it; a new or changed policy is settled for its first users within its write (all of a
 * small tenant, so a client sees the effect on its next read) and for the rest in background
 * batches (reconcile.ts).
 */
import { addDuration } from './clock';
import {
  activeAssignment,
  deliverAssignment,
  endAssignment,
  endGrace,
  fileSystemRequest,
  startGrace,
} from './assignments';
import { isObj, type Engine } from './engine';
import { startJob } from './reconcile';
import { userView, type CompiledRule } from './rules';
import type { Entity } from '../store/store';

/** The policy's membership rule when it is an automatic-assignment policy. */
export function autoRule(policy: Entity): string | undefined {
  const auto = policy.automaticRequestSettings;
  if (!isObj(auto) || auto.requestAccessForAllowedTargets === false) return undefined;
  const targets = Array.isArray(policy.specificAllowedTargets) ? policy.specificAllowedTargets : [];
  const rule = targets.find((t) => isObj(t) && typeof t.membershipRule === 'string') as
    Record<string, unknown> | undefined;
  return rule?.membershipRule as string | undefined;
}

export function compiled(eng: Engine, policy: Entity): CompiledRule | undefined {
  const rule = autoRule(policy);
  if (rule === undefined) return undefined;
  const c = eng.rules.compile(rule);
  return typeof c === 'string' ? undefined : c;
}

export const groupsOf =
  (eng: Engine) =>
  (userId: string): Iterable<string> =>
    eng.store.lookup('groupsByMember', userId);

/** Applies one policy's verdict for one user; `mine` is the user's active assignment from this policy. */
function settle(eng: Engine, policy: Entity, user: Entity, inScope: boolean, mine: Entity | undefined): void {
  const pkg = policy._pkg as string;
  if (inScope) {
    if (mine?.status === 'AutoAssignmentInGracePeriod') endGrace(eng, mine);
    else if (!mine && !activeAssignment(eng, user.id, pkg))
      fileSystemRequest(eng, 'systemAdd', deliverAssignment(eng, policy, user), policy.id);
    return;
  }
  if (!mine || mine.status === 'AutoAssignmentInGracePeriod') return;
  leave(eng, policy, mine);
}

/** The target left the rule's scope (or the policy changed under it). */
export function leave(eng: Engine, policy: Entity, a: Entity): void {
  const auto = isObj(policy.automaticRequestSettings) ? policy.automaticRequestSettings : {};
  // The portal turns removal on by default; a policy that does not say is treated the same way.
  if (auto.removeAccessWhenTargetLeavesAllowedTargets === false) return;
  const grace =
    typeof auto.gracePeriodBeforeAccessRemoval === 'string'
      ? addDuration(eng.clock.now(), auto.gracePeriodBeforeAccessRemoval)
      : undefined;
  if (grace !== undefined && grace > eng.clock.now()) startGrace(eng, a, grace);
  else fileSystemRequest(eng, 'systemRemove', endAssignment(eng, a), policy.id);
}

/**
 * Brings one automatic policy's assignments in line with its rule, over every user: the first
 * users within the caller's write, the rest in background batches (see reconcile.ts).
 */
export function reconcilePolicy(eng: Engine, policy: Entity): void {
  startJob(eng, policy.id, 'reconcile');
}

/** Re-evaluates every automatic policy over every user. */
export function reconcileAll(eng: Engine): void {
  for (const policy of autoPolicies(eng)) startJob(eng, policy.id, 'reconcile');
}

/** Re-evaluates every automatic policy for one user (after a change to the user or a membership). */
export function reconcileUser(eng: Engine, user: Entity): void {
  for (const policy of autoPolicies(eng)) {
    const rule = compiled(eng, policy);
    if (rule)
      settle(
        eng,
        policy,
        user,
        rule.test(userView(user, rule, groupsOf(eng))),
        activeAssignment(eng, user.id, policy._pkg as string, policy.id),
      );
  }
}

/** A user was deleted: the automatic policies' assignments end as if the user left scope without grace. */
export function userRemoved(eng: Engine, userId: string): void {
  for (const id of [...eng.store.lookup('asgByUser', userId)]) {
    const a = eng.store.get('assignments', id);
    if (a && a.state !== 'expired') fileSystemRequest(eng, 'systemRemove', endAssignment(eng, a), a._policy as string);
  }
}

/** Ends the active assignments a policy created (the policy is deleted or stops being automatic). */
export function releasePolicy(eng: Engine, policyId: string): void {
  startJob(eng, policyId, 'release');
}

export function autoPolicies(eng: Engine): Entity[] {
  const out: Entity[] = [];
  for (const p of eng.store.values('assignmentPolicies')) if (autoRule(p) !== undefined) out.push(p);
  return out;
}

/** Scope verdicts of every automatic policy over every user, without changing anything (the bench's subject). */
export function evaluateAll(eng: Engine): number {
  let selected = 0;
  const policies = autoPolicies(eng)
    .map((p) => compiled(eng, p))
    .filter((r): r is CompiledRule => r !== undefined);
  for (const user of eng.store.values('users')) {
    for (const rule of policies) if (rule.test(userView(user, rule, groupsOf(eng)))) selected++;
  }
  return selected;
}
