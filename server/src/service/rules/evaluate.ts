/**
 * Compiles a parsed membership rule into a predicate over Graph v1.0-shaped user or device objects
 * (as `GET /users` / `GET /devices` return them; see `graphNames.ts` for where each rule property
 * is read from).
 *
 * The evaluator has no validation of its own: it compiles the checker's resolved form of the rule
 * (`resolved.ts`), so a rule the checker accepts without errors is a rule it runs, and a rule the
 * checker rejects is refused with the checker's first error as the reason. The only further
 * refusal is a `-match` pattern beyond the linear-time engine, which the checker flags (R411).
 *
 * Semantics (Entra's documented behaviour, and our choices where it is silent):
 * - String comparisons are case-insensitive: both sides are lower-cased (`toLowerCase`, locale
 *   independent); constants are lower-cased once, when the rule is resolved. `-match`/`-notMatch`
 *   run on re2js (linear time, case-insensitive; see `regex.ts`) with .NET's Unicode `\d`, `\w`,
 *   `\s`: a pattern RE2 cannot run (backreferences, lookaround) is refused with the checker's
 *   reason (R411).
 * - Null (a missing key, `null`, or an empty collection): `-eq null` is true, `-ne null` false.
 *   Every positive comparison against null is false. Every negated operator (`-ne`, `-notIn`,
 *   `-notStartsWith`, `-notEndsWith`, `-notContains`, `-notMatch`) is exactly the negation of
 *   its positive form, so it is TRUE on null: `user.department -ne "Sales"` selects users without
 *   a department (our reading of Entra's likely behaviour).
 * - Booleans compare with `true`/`false`, and with the strings "true"/"false" in any case (Entra
 *   stores some booleans as strings): `accountEnabled -eq true` holds for `true` and `"True"`.
 * - String operators applied directly to a collection (`user.otherMails -startsWith "a"`, or
 *   `device.systemLabels`, a list in Graph) hold when some item satisfies them; the negated
 *   operators when no item satisfies the positive form.
 * - `-any` over an empty or missing collection is false; `-all` over one is TRUE (vacuous truth,
 *   matching the documented "no assigned plan" example `assignedPlans -all (... -eq null)`).
 * - `memberOf` items are `{ id }` objects (as `$expand=memberOf` returns) or bare id strings;
 *   items with an `@odata.type` other than `#microsoft.graph.group` are ignored.
 * - `Direct Reports for "<id>"` holds when the object's `manager.id` (or, failing that, a
 *   `managerId` string) equals the id, case-insensitively: the object must carry its manager, as
 *   `$expand=manager` returns it.
 * - `employeeHireDate` compares instants: with a date-time (without a zone it is read as UTC) or
 *   with `system.now -plus/-minus <ISO 8601 duration>` (`p1d`, `P30D`, `PT12H`, `P1Y2M`; any
 *   case), where "now" is `options.now()` read once per call of `test`. Years and months are
 *   calendar (UTC) steps; the rest exact.
 *
 * Two back ends give the same results: `codegen.ts` (JavaScript source created with `new Function`,
 * the fast path) and `closures.ts` (where `new Function` is unavailable: a content-security
 * policy). Run-time helpers shared by both are in `evalRuntime.ts`; durations and date-times are
 * read by `../util/iso8601.ts`.
 */
import type { OffsetRange, RuleAst } from './ast';
import { checkRule, refusalText, resolveRule, type RuleCheckOptions } from './checker';
import { closures } from './closures';
import { generate, generatedSource, type RulePredicate } from './codegen';
import type { ObjectKind } from './model';
import { forEachNode, type ResolvedRule } from './resolved';

export type { RulePredicate };

export interface CompileOptions {
  /** The clock for `system.now` (default: the current time). */
  now?: () => Date;
  /** Force a back end (tests); by default code generation when available, closures otherwise. */
  backend?: 'codegen' | 'closure';
  /** Restrict the rule to one kind of object, as the checker does. */
  objectKind?: RuleCheckOptions['objectKind'];
  /** The longest rule accepted, as the checker's option (default Entra's 3,072 characters). */
  maxLength?: number;
}

function checkOptions(options: CompileOptions): RuleCheckOptions {
  const o: RuleCheckOptions = {};
  if (options.objectKind) o.objectKind = options.objectKind;
  if (options.maxLength !== undefined) o.maxLength = options.maxLength;
  return o;
}

export type CompileResult =
  | { ok: true; object: ObjectKind; test: RulePredicate; backend: 'codegen' | 'closure' }
  | { ok: false; reason: string; range?: OffsetRange };

/** True when this runtime lets us create functions from source. */
export const codegenAvailable: boolean = (() => {
  try {
    // Only a probe of whether this runtime allows code generation (a content-security policy may not).
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const probe = Function('return true') as () => unknown;
    return probe() === true;
  } catch {
    return false;
  }
})();

/** Compiles a syntax tree: resolved by the checker first, refused with its first error. */
export function compileRule(ast: RuleAst, options: CompileOptions = {}): CompileResult {
  const r = resolveRule(ast, checkOptions(options));
  if (!r.ok) return r.range ? { ok: false, reason: r.reason, range: r.range } : { ok: false, reason: r.reason };
  return compileResolved(r.rule, options);
}

/** Parses, checks and compiles; a rule with an error is refused with the checker's first error. */
export function compileRuleText(text: string, options: CompileOptions = {}): CompileResult {
  const checked = checkRule(text, checkOptions(options));
  if (!checked.resolved) {
    const error = checked.diagnostics.find((d) => d.severity === 'error');
    if (error) return { ok: false, reason: refusalText(error), range: error.range };
    return compileRule(checked.ast, options);
  }
  return compileResolved(checked.resolved, options);
}

/** Compiles the checker's resolved form (what `checkRule(...).resolved` gives). */
export function compileResolved(rule: ResolvedRule, options: CompileOptions = {}): CompileResult {
  const unrunnable = unrunnablePattern(rule);
  if (unrunnable) return unrunnable;
  const now = options.now ?? (() => new Date());
  const wanted = options.backend ?? (codegenAvailable ? 'codegen' : 'closure');
  if (wanted === 'codegen') {
    const test = generate(rule, now);
    if (test) return { ok: true, object: rule.object, test, backend: 'codegen' };
  }
  return { ok: true, object: rule.object, test: closures(rule, now), backend: 'closure' };
}

/** The one refusal past the checker: a `-match` pattern the linear-time engine cannot run (R411). */
function unrunnablePattern(rule: ResolvedRule): Extract<CompileResult, { ok: false }> | undefined {
  let out: Extract<CompileResult, { ok: false }> | undefined;
  forEachNode(rule.root, (n) => {
    if (!out && n.k === 'test' && n.value.v === 'regex' && n.value.verdict.kind === 'notLinear')
      out = { ok: false, reason: n.value.verdict.reason, range: n.valueRange };
  });
  return out;
}

/**
 * The source that the code-generating back end would create for a rule, or the reason it cannot
 * be compiled; for tests and debugging.
 */
export function generatedRuleSource(ast: RuleAst): { ok: true; source: string } | { ok: false; reason: string } {
  const r = resolveRule(ast);
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, source: generatedSource(r.rule).source };
}
