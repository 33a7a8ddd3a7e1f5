/**
 * Who a policy admits: `allowedTargetScope` and `specificAllowedTargets` read against the
 * directory. A direct-assignment policy (`notSpecified`) admits anyone an administrator assigns.
 */
import { isObj, type Engine } from './engine';
import { userView } from './rules';
import type { Entity } from '../store/store';

export type Via = 'admin' | 'user';

/** Why the user is outside the policy's scope, or undefined when the user is in scope. */
export function outOfScope(eng: Engine, policy: Entity, user: Entity, via: Via): string | undefined {
  const scope = textOr(policy.allowedTargetScope, 'notSpecified');
  const guest = textOr(user.userType, 'Member').toLowerCase() === 'guest';
  switch (scope) {
    case 'notSpecified':
      return via === 'admin'
        ? undefined
        : 'the policy does not let users request access (allowedTargetScope notSpecified)';
    case 'allDirectoryUsers':
      return undefined;
    case 'allMemberUsers':
      return guest ? 'the policy admits member users only and the target is a guest' : undefined;
    case 'allExternalUsers':
    case 'allConfiguredConnectedOrganizationUsers':
    case 'specificConnectedOrganizationUsers':
      return guest ? undefined : 'the policy admits external (guest) users only';
    case 'specificDirectoryUsers':
      return inSpecificTargets(eng, policy, user)
        ? undefined
        : "the target is not among the policy's specificAllowedTargets";
    default:
      return `the policy's allowedTargetScope ${scope} does not admit users`;
  }
}

function inSpecificTargets(eng: Engine, policy: Entity, user: Entity): boolean {
  const targets = Array.isArray(policy.specificAllowedTargets) ? policy.specificAllowedTargets : [];
  return targets.some((t) => isObj(t) && subjectIncludes(eng, t, user));
}

function subjectIncludes(eng: Engine, s: Record<string, unknown>, user: Entity): boolean {
  const type = textOr(s['@odata.type'], '').replace(/^#?microsoft\.graph\./, '');
  if (type === 'singleUser') return s.userId === user.id;
  if (type === 'groupMembers') return eng.store.lookup('groupsByMember', user.id).has(String(s.groupId));
  if (type === 'attributeRuleMembers' && typeof s.membershipRule === 'string') {
    const rule = eng.rules.compile(s.membershipRule);
    return typeof rule !== 'string' && rule.test(userView(user, rule, (id) => eng.store.lookup('groupsByMember', id)));
  }
  return false;
}

/** A stored value that should be text; anything else (absent, an object by mistake) reads as `fallback`. */
export function textOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
