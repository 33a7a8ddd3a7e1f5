/**
 * Translates a membership rule into the equivalent Microsoft Graph `$filter` for `GET /users` (or
 * `GET /devices` for a device rule), where one exists; otherwise says why not, naming the operator
 * or property and the range of the offending node.
 *
 * Case: Entra compares rule strings case-insensitively, and so does Graph's `$filter` `eq` (and
 * `startswith`) on the user and device string properties translated here, so values are passed
 * as written. Null: Entra's `-ne "x"` is true where the property is null; whether Graph's `ne`
 * returns objects with a null value is not documented, so a filter with `ne` may return fewer
 * objects than the rule selects.
 *
 * `advanced: true` means the request must carry the advanced query parameters (header
 * `ConsistencyLevel: eventual` and `$count=true`). That is the case, conservatively, for: `ne`,
 * `not(...)` (and so `-notStartsWith`, `-notIn` …), `endswith`, `eq null`/`ne null`, date-time
 * comparisons, extension attributes, custom extension properties, assignedPlans conditions other
 * than a lone `servicePlanId` test, and the properties Graph indexes only in its advanced store
 * (companyName, mobile, physicalDeliveryOfficeName, postalCode, … see `graphNames.ts`).
 *
 * Refused, with the reason: `-contains`/`-notContains` and `-match`/`-notMatch` (Graph has no
 * substring or regular-expression filter on directory objects), `-endsWith` except on mail,
 * userPrincipalName, otherMails and proxyAddresses, `-in`/`-notIn` on collections, `-all`,
 * `memberOf` (list the group's members instead), `Direct Reports` (use `/users/{id}/directReports`),
 * `system.now` (a filter would freeze the moment it was made), properties Graph cannot filter on
 * (onPremisesDistinguishedName, sipProxyAddress, several device properties), and rules with syntax
 * errors.
 *
 * The rule "all users" (`user.objectId -ne null`) translates to the empty filter: no `$filter`.
 */
import type { Comparison, Expression, OffsetRange, QuantifiedExpression, RuleAst, Value } from './ast';
import { graphItemProperty, graphProperty, type FilterLevel, type FilterSupport } from './graphNames';
import { findOperator, type ObjectKind, type PropertyInfo } from './model';
import { resolvePath } from './resolve';
import { parseDateTime } from './evaluate';
import { Refusal, refuse, scalarText, valueSyntaxProblem } from './values';

export type GraphFilterResult =
  | { ok: true; filter: string; advanced: boolean; object: ObjectKind }
  | { ok: false; reason: string; range?: OffsetRange };

/** A translated piece: always-true, or an OData expression with its precedence (1 or, 2 and, 3 atom). */
type Part = { always: true } | { always?: false; text: string; prec: 1 | 2 | 3; advanced: boolean };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An OData string literal: single quotes, an embedded quote doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function toGraphFilter(ast: RuleAst): GraphFilterResult {
  const t = new Translator(ast);
  try {
    const part = t.run();
    const object = t.object ?? 'user';
    if (part.always) return { ok: true, filter: '', advanced: false, object };
    return { ok: true, filter: part.text, advanced: part.advanced, object };
  } catch (e) {
    if (e instanceof Refusal)
      return e.range ? { ok: false, reason: e.reason, range: e.range } : { ok: false, reason: e.reason };
    throw e;
  }
}

function atom(text: string, advanced: boolean): Part {
  return { text, prec: 3, advanced };
}

function needs(level: FilterLevel | undefined): boolean {
  return level === 'advanced';
}

class Translator {
  object: ObjectKind | undefined;

  constructor(private readonly ast: RuleAst) {}

  run(): Part {
    const root = this.ast.root;
    if (!root) refuse('The rule is empty.');
    // Text outside the tree is what the parser reported and dropped: a syntax error.
    if (this.ast.text.slice(0, root.start).trim() !== '' || this.ast.text.slice(root.end).trim() !== '') {
      refuse('The rule has a syntax error: text the parser could not read.', root);
    }
    if (root.kind === 'directReports') {
      this.object = 'user';
      refuse('Direct Reports has no $filter equivalent; list GET /users/{manager id}/directReports instead.', root);
    }
    return this.expression(root);
  }

  private text(r: OffsetRange): string {
    return this.ast.text.slice(r.start, r.end);
  }

  private expression(node: Expression): Part {
    switch (node.kind) {
      case 'paren':
        if (!node.closed) refuse('A parenthesis is never closed.', node);
        return this.expression(node.inner);
      case 'binary': {
        const written = this.text(node.opRange).toLowerCase();
        if (written !== node.op && written !== `-${node.op}`)
          refuse('The rule has a syntax error here: conditions must be joined by -and or -or.', node);
        return this.binary(node.op, this.expression(node.left), this.expression(node.right));
      }
      case 'not': {
        const written = this.text(node.opRange).toLowerCase();
        if (written !== 'not' && written !== '-not')
          refuse(`'${written}' is not an operator of the rule language; use -not.`, node.opRange);
        const inner = this.expression(node.operand);
        if (inner.always)
          refuse('This -not selects nothing; Graph $filter cannot express an always-false condition.', node);
        return atom(`not(${inner.text})`, true);
      }
      case 'comparison':
        return this.comparison(node);
      case 'quantified':
        return this.quantified(node);
      case 'error':
        return refuse('The rule has a syntax error here.', node);
    }
  }

  private binary(op: 'and' | 'or', a: Part, b: Part): Part {
    if (a.always || b.always) {
      if (op === 'or') return { always: true };
      return a.always ? b : a;
    }
    const prec = op === 'or' ? 1 : 2;
    const wrap = (p: Exclude<Part, { always: true }>): string => (p.prec < prec ? `(${p.text})` : p.text);
    return { text: `${wrap(a)} ${op} ${wrap(b)}`, prec, advanced: a.advanced || b.advanced };
  }

  private property(node: Comparison | QuantifiedExpression): {
    info: PropertyInfo;
    object: ObjectKind;
    filter: FilterSupport;
  } {
    const path = node.left;
    const r = resolvePath(path);
    if (r.kind === 'item')
      refuse(`'${path.object}' names the item of a collection and can only be used inside -any (...).`, path);
    if (r.kind !== 'property') refuse(`Unknown or unsupported property '${this.text(path)}'.`, path);
    if (this.object && this.object !== r.object) refuse('A rule cannot mix user and device properties.', path);
    this.object = r.object;
    const info = r.info;
    if (info.type === 'memberOf') {
      refuse(
        `memberOf has no $filter equivalent on /${r.object}s; list the groups' members (GET /groups/{id}/transitiveMembers) instead.`,
        node,
      );
    }
    const g = graphProperty(r.object, info.name);
    if (!g.filter) refuse(`Graph cannot filter ${r.object}s on ${info.name} (${g.path.join('.')}).`, node);
    return { info, object: r.object, filter: g.filter };
  }

  private operator(node: Comparison): { name: string; positive: string; negated: boolean } {
    const t = node.operator;
    if (!t) return refuse('Expected an operator and a value.', node);
    if (t.hyphen && this.ast.text[t.start] !== '-')
      refuse(`'${this.text(t)}' is not an operator of the rule language.`, t);
    const op = findOperator(t.name);
    if (!op || op.kind !== 'comparison') refuse(`Unknown comparison operator '${this.text(t)}'.`, t);
    const negated = op.name === 'ne' || op.name.startsWith('not');
    const positive = op.name === 'ne' ? 'eq' : negated ? op.name.charAt(3).toLowerCase() + op.name.slice(4) : op.name;
    return { name: op.name, positive, negated };
  }

  private comparison(node: Comparison): Part {
    const { info, object, filter } = this.property(node);
    const op = this.operator(node);
    const value = node.value;
    if (!value) return refuse(`Expected a value after -${op.name}.`, node);
    checkValueSyntax(value);
    const name = filter.name;
    const negate = (p: Part): Part =>
      p.always ? refuse('Cannot negate this condition.', node) : op.negated ? atom(`not(${p.text})`, true) : p;

    if (op.positive === 'contains' || op.positive === 'match') {
      const what = op.positive === 'contains' ? 'substring (contains)' : 'regular-expression';
      return refuse(
        `-${op.name} has no Graph $filter equivalent: Graph offers no ${what} filter on ${object} properties.`,
        node,
      );
    }

    if (value.kind === 'null') {
      if (op.positive !== 'eq') refuse(`null can only be compared with -eq or -ne, not -${op.name}.`, node);
      if (info.name === 'objectId') {
        if (op.negated) return { always: true };
        return refuse('objectId -eq null selects nothing; Graph $filter cannot express that.', node);
      }
      if (!filter.null || filter.collection)
        return refuse(`Graph cannot filter ${object}s on ${info.name} being null.`, node);
      return atom(`${name} ${op.negated ? 'ne' : 'eq'} null`, true);
    }

    switch (info.type) {
      case 'boolean': {
        if (op.positive !== 'eq') refuse(`-${op.name} does not apply to ${info.name}, a boolean.`, node);
        const b = booleanOf(value);
        if (b === undefined) refuse(`${info.name} is a boolean; compare it with true or false.`, value);
        return atom(`${name} ${op.negated ? 'ne' : 'eq'} ${b}`, op.negated || needs(filter.eq));
      }
      case 'dateTime': {
        if (value.kind === 'now')
          refuse(
            'system.now changes with time; a $filter would freeze the moment it was made. Compare with a fixed date-time instead.',
            value,
          );
        const text = value.kind === 'bare' ? value.text : value.kind === 'string' ? value.value : undefined;
        const ms = text === undefined ? undefined : parseDateTime(text);
        if (ms === undefined) refuse('Expected a date-time such as 2020-06-10T18:13:20Z.', value);
        const iso = new Date(ms).toISOString().replace('.000Z', 'Z');
        if (op.positive === 'eq') return atom(`${name} ${op.negated ? 'ne' : 'eq'} ${iso}`, true);
        if ((op.positive === 'le' || op.positive === 'ge') && filter.range)
          return atom(`${name} ${op.positive} ${iso}`, true);
        return refuse(`-${op.name} on ${info.name} has no Graph $filter equivalent.`, node);
      }
      case 'string':
      case 'stringCollection':
        break;
      default:
        return refuse(`${info.name} is a collection of objects; test its items with -any (...).`, node);
    }

    const collection = filter.collection === true;
    if (op.positive === 'in') {
      if (value.kind !== 'array') refuse('-in and -notIn take a list: ["a", "b"].', value);
      if (collection)
        refuse(`-${op.name} on ${info.name}, a multi-valued property, has no Graph $filter equivalent.`, node);
      if (value.items.length === 0) refuse(`-${op.name} with an empty list has no Graph $filter equivalent.`, value);
      const items = value.items.map((item) => odataString(stringOf(item)));
      return negate(atom(`${name} in (${items.join(',')})`, needs(filter.eq)));
    }
    if (value.kind === 'array') refuse(`-${op.name} takes a single value, not a list.`, value);
    const literal = odataString(stringOf(value));
    switch (op.positive) {
      case 'eq': {
        const text = collection ? `${name}/any(p:p eq ${literal})` : `${name} eq ${literal}`;
        if (op.negated && !collection) return atom(`${name} ne ${literal}`, true);
        return negate(atom(text, needs(filter.eq)));
      }
      case 'startsWith': {
        if (!filter.startsWith)
          refuse(
            `-${op.name} on ${info.name} has no Graph $filter equivalent: Graph does not support startswith on ${name}.`,
            node,
          );
        const text = collection ? `${name}/any(p:startswith(p,${literal}))` : `startswith(${name},${literal})`;
        return negate(atom(text, needs(filter.startsWith)));
      }
      case 'endsWith': {
        if (!filter.endsWith)
          refuse(
            `-${op.name} on ${info.name} has no Graph $filter equivalent: Graph supports endswith only on mail, userPrincipalName, otherMails and proxyAddresses.`,
            node,
          );
        const text = collection ? `${name}/any(p:endswith(p,${literal}))` : `endswith(${name},${literal})`;
        return negate(atom(text, true));
      }
      default:
        return refuse(`-${op.name} does not apply to ${info.name}, a string.`, node);
    }
  }

  private quantified(node: QuantifiedExpression): Part {
    const q = node.quantifier.name.toLowerCase();
    const { info, filter } = this.property(node);
    if (q !== 'any') {
      return refuse(
        `-${node.quantifier.name} has no Graph $filter equivalent: Graph supports only any() on directory-object collections.`,
        node,
      );
    }
    if (!node.body) refuse('Expected a condition on each item after -any.', node.quantifier);
    if (info.type === 'stringCollection') return this.stringAny(filter, node.body);
    if (info.type === 'planCollection') return this.planAny(filter, node.body);
    return refuse(`-any applies to multi-valued properties; ${info.name} holds a single value.`, node.quantifier);
  }

  private stringAny(filter: FilterSupport, body: Expression): Part {
    const c = unwrap(body);
    if (c.kind !== 'comparison') {
      return refuse(
        'Graph $filter takes a single condition on the item here: write -any (_ -eq "…") or -any (_ -startsWith "…").',
        c,
      );
    }
    const r = resolvePath(c.left);
    if (r.kind !== 'item' || r.item !== 'string') refuse(`Inside -any the item of ${filter.name} is '_'.`, c.left);
    const op = this.operator(c);
    if (!c.value) return refuse(`Expected a value after -${op.name}.`, c);
    checkValueSyntax(c.value);
    if (op.negated) refuse(`-${op.name} inside -any has no Graph $filter equivalent.`, c);
    if (c.value.kind === 'array' || c.value.kind === 'null')
      refuse(`-${op.name} inside -any takes a single string here.`, c.value);
    const literal = odataString(stringOf(c.value));
    const name = filter.name;
    switch (op.positive) {
      case 'eq':
        return atom(`${name}/any(p:p eq ${literal})`, needs(filter.eq));
      case 'startsWith':
        if (!filter.startsWith) break;
        return atom(`${name}/any(p:startswith(p,${literal}))`, needs(filter.startsWith));
      case 'endsWith':
        if (!filter.endsWith) break;
        return atom(`${name}/any(p:endswith(p,${literal}))`, true);
      default:
        break;
    }
    return refuse(`-${op.name} inside -any on ${name} has no Graph $filter equivalent.`, c);
  }

  private planAny(filter: FilterSupport, body: Expression): Part {
    const clauses: Comparison[] = [];
    const collect = (e: Expression): void => {
      const u = unwrap(e);
      if (u.kind === 'binary' && u.op === 'and' && ['and', '-and'].includes(this.text(u.opRange).toLowerCase())) {
        collect(u.left);
        collect(u.right);
      } else if (u.kind === 'comparison') {
        clauses.push(u);
      } else {
        refuse('Graph $filter takes assignedPlan conditions joined by -and, each an -eq test.', u);
      }
    };
    collect(body);
    let advanced = needs(filter.eq);
    const parts = clauses.map((c) => {
      const r = resolvePath(c.left);
      if (r.kind !== 'item' || r.item !== 'plan')
        refuse("Inside -any the item of assignedPlans is 'assignedPlan'.", c.left);
      const op = this.operator(c);
      if (!c.value) return refuse(`Expected a value after -${op.name}.`, c);
      checkValueSyntax(c.value);
      if (op.name !== 'eq')
        refuse(`-${op.name} inside assignedPlans -any has no Graph $filter equivalent; only -eq is supported.`, c);
      if (c.value.kind === 'array' || c.value.kind === 'null')
        refuse('Compare assignedPlan properties with a single string.', c.value);
      const g = graphItemProperty('plan', r.info.name);
      const text = stringOf(c.value);
      if (r.info.name === 'servicePlanId') {
        if (!GUID.test(text.trim())) refuse('servicePlanId is a GUID; Graph cannot filter on another value.', c.value);
        if (needs(g.filter?.eq)) advanced = true;
        return `a/${g.path.join('/')} eq ${text.trim().toLowerCase()}`;
      }
      advanced = true;
      return `a/${g.path.join('/')} eq ${odataString(text)}`;
    });
    return atom(`${filter.name}/any(a:${parts.join(' and ')})`, advanced || parts.length > 1);
  }
}

function unwrap(e: Expression): Expression {
  let u = e;
  while (u.kind === 'paren') {
    if (!u.closed) refuse('A parenthesis is never closed.', u);
    u = u.inner;
  }
  return u;
}

function checkValueSyntax(value: Value): void {
  const problem = valueSyntaxProblem(value);
  if (problem) refuse(problem.reason, problem.at);
}

function stringOf(value: Value): string {
  return scalarText(value) ?? refuse('Expected a string value.', value);
}

function booleanOf(value: Value): boolean | undefined {
  if (value.kind === 'boolean') return value.value;
  const text = value.kind === 'string' ? value.value : value.kind === 'bare' ? value.text : undefined;
  const lower = text?.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}
