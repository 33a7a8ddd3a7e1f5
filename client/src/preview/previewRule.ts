/**
 * The preview's rule compilation: the shared checker resolves the rule once, the evaluator
 * compiles that resolved form, and the Graph fields to `$select` come from the same resolved
 * properties (so the preview reads exactly what the evaluator tests).
 */
import { checkRule } from '../../../server/src/service/rules/checker';
import { compileResolved, type RulePredicate } from '../../../server/src/service/rules/evaluate';
import { graphProperty } from '../../../server/src/service/rules/graphNames';
import { forEachNode } from '../../../server/src/service/rules/resolved';
import type { Permission } from '../graph/graphClient';

export interface CompiledPreviewRule {
  test: RulePredicate;
  /** Graph user properties to `$select` (always id, displayName, userPrincipalName). */
  select: string[];
  permission: Permission;
}

const basicFields = new Set(['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName']);

/** Checks and compiles a rule for the preview; the reason when it cannot be evaluated here. */
export function compilePreviewRule(rule: string, now?: () => Date): CompiledPreviewRule | { error: string } {
  const { diagnostics, resolved } = checkRule(rule, { objectKind: 'user' });
  if (!resolved)
    return {
      error: diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => d.message)
        .join(' '),
    };
  const fields = new Set(['id', 'displayName', 'userPrincipalName']);
  let relations = false;
  forEachNode(resolved.root, (n) => {
    if (n.k === 'directReports') relations = true;
    else if ((n.k === 'test' || n.k === 'quant') && n.prop.of === 'object') {
      const path = graphProperty(n.prop.object, n.prop.info.name).path;
      if (path[0] === 'memberOf') relations = true;
      else if (path[0] !== undefined) fields.add(path[0]);
    }
  });
  if (relations)
    return {
      error:
        'The preview reads users with their own properties only; rules on memberOf or Direct Reports need group and manager data it does not fetch.',
    };
  const compiled = compileResolved(resolved, now ? { now } : {});
  if (!compiled.ok) return { error: compiled.reason };
  const select = [...fields];
  return {
    test: compiled.test,
    select,
    permission: select.every((f) => basicFields.has(f)) ? 'User.ReadBasic.All' : 'User.Read.All',
  };
}
