/**
 * The bridge to the service's rule checker and evaluator (the same code the editor and the CLI
 * run, so all three agree on who a rule selects). Compiled predicates are cached by rule text.
 */
import { checkRule, hasErrors } from '../../../server/src/service/rules/checker';
import { compileRule, type RulePredicate } from '../../../server/src/service/rules/evaluate';
import type { Entity } from '../store/store';

export interface CompiledRule {
  test: RulePredicate;
  /** The rule reads group membership or the manager: the user view must carry them. */
  needsRelations: boolean;
}

/** The checker's error messages for a rule (empty when the rule is acceptable for a user policy). */
export function ruleErrors(rule: string): string[] {
  const { diagnostics } = checkRule(rule, { objectKind: 'user' });
  return hasErrors(diagnostics) ? diagnostics.filter((d) => d.severity === 'error').map((d) => d.message) : [];
}

/** Compiled predicates by rule text, for one tenant (its clock feeds `system.now`). */
export class RuleCache {
  private readonly cache = new Map<string, CompiledRule | string>();

  constructor(private readonly now: () => number) {}

  /** A predicate for the rule, or the reason it cannot be evaluated. */
  compile(rule: string): CompiledRule | string {
    const hit = this.cache.get(rule);
    if (hit) return hit;
    const { ast, diagnostics } = checkRule(rule, { objectKind: 'user' });
    let out: CompiledRule | string;
    if (hasErrors(diagnostics)) out = diagnostics.find((d) => d.severity === 'error')!.message;
    else {
      const r = compileRule(ast, { now: () => new Date(this.now()) });
      out = r.ok ? { test: r.test, needsRelations: /memberof|direct\s+reports/i.test(rule) } : r.reason;
    }
    // Rules are few (one per automatic policy); the cap only guards against a client churning them.
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(rule, out);
    return out;
  }
}

/** The user as the evaluator reads it: stored fields plus `memberOf` and `manager` when the rule needs them. */
export function userView(
  user: Entity,
  rule: CompiledRule,
  groupsOf: (userId: string) => Iterable<string>,
): Record<string, unknown> {
  if (!rule.needsRelations) return user;
  const view: Record<string, unknown> = {
    ...user,
    memberOf: [...groupsOf(user.id)].map((id) => ({ '@odata.type': '#microsoft.graph.group', id })),
  };
  if (typeof user._manager === 'string') view.manager = { id: user._manager };
  return view;
}
