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
 *
 * It translates the checker's resolved form (`resolved.ts`): a rule with errors is refused with
 * the checker's first error; every other refusal here is a limit of Graph's `$filter`.
 */
import type { OffsetRange, RuleAst } from './ast';
import { resolveRule, type RuleCheckOptions } from './checker';
import { graphItemProperty, graphProperty, type FilterLevel, type FilterSupport } from './graphNames';
import type { ObjectKind } from './model';
import type { ResolvedNode, ResolvedQuantifier, ResolvedRule, ResolvedTest } from './resolved';
import { Refusal, refuse } from './values';

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

export function toGraphFilter(ast: RuleAst, options: RuleCheckOptions = {}): GraphFilterResult {
  const r = resolveRule(ast, options);
  if (!r.ok) return r.range ? { ok: false, reason: r.reason, range: r.range } : { ok: false, reason: r.reason };
  return toGraphFilterResolved(r.rule);
}

/** Translates the checker's resolved form of a rule. */
export function toGraphFilterResolved(rule: ResolvedRule): GraphFilterResult {
  try {
    if (rule.root.k === 'directReports')
      refuse(
        'Direct Reports has no $filter equivalent; list GET /users/{manager id}/directReports instead.',
        rule.root,
      );
    const part = new Translator().node(rule.root);
    if (part.always) return { ok: true, filter: '', advanced: false, object: rule.object };
    return { ok: true, filter: part.text, advanced: part.advanced, object: rule.object };
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
  node(n: ResolvedNode): Part {
    switch (n.k) {
      case 'and':
      case 'or':
        return this.list(n.k, n.items);
      case 'not': {
        const inner = this.node(n.a);
        if (inner.always)
          refuse('This -not selects nothing; Graph $filter cannot express an always-false condition.', n);
        return atom(`not(${inner.text})`, true);
      }
      case 'test':
        return this.comparison(n);
      case 'quant':
        return this.quantified(n);
      case 'directReports':
        return refuse(
          'Direct Reports has no $filter equivalent; list GET /users/{manager id}/directReports instead.',
          n,
        );
    }
  }

  private list(op: 'and' | 'or', items: readonly ResolvedNode[]): Part {
    const prec = op === 'or' ? 1 : 2;
    const parts: Exclude<Part, { always: true }>[] = [];
    for (const item of items) {
      const p = this.node(item);
      if (p.always) {
        if (op === 'or') return { always: true };
        continue;
      }
      parts.push(p);
    }
    if (parts.length === 0) return { always: true };
    if (parts.length === 1) return parts[0] as Part;
    const text = parts.map((p) => (p.prec < prec ? `(${p.text})` : p.text)).join(` ${op} `);
    return { text, prec, advanced: parts.some((p) => p.advanced) };
  }

  private property(node: ResolvedTest | ResolvedQuantifier): FilterSupport {
    const prop = node.prop;
    if (prop.of !== 'object') return refuse('Expected a property of the user or device.', prop.range);
    if (prop.info.type === 'memberOf') {
      refuse(
        `memberOf has no $filter equivalent on /${prop.object}s; list the groups' members (GET /groups/{id}/transitiveMembers) instead.`,
        node,
      );
    }
    const g = graphProperty(prop.object, prop.info.name);
    if (!g.filter) refuse(`Graph cannot filter ${prop.object}s on ${prop.info.name} (${g.path.join('.')}).`, node);
    return g.filter;
  }

  private comparison(node: ResolvedTest): Part {
    const filter = this.property(node);
    const { info, object } = node.prop as Extract<ResolvedTest['prop'], { of: 'object' }>;
    const name = filter.name;
    const value = node.value;
    const opName = node.written.slice(1);
    const negate = (p: Part): Part =>
      p.always ? refuse('Cannot negate this condition.', node) : node.neg ? atom(`not(${p.text})`, true) : p;

    if (node.op === 'contains' || node.op === 'match') {
      const what = node.op === 'contains' ? 'substring (contains)' : 'regular-expression';
      return refuse(
        `${node.written} has no Graph $filter equivalent: Graph offers no ${what} filter on ${object} properties.`,
        node,
      );
    }

    if (value.v === 'null') {
      if (info.name === 'objectId') {
        if (node.neg) return { always: true };
        return refuse('objectId -eq null selects nothing; Graph $filter cannot express that.', node);
      }
      if (!filter.null || filter.collection)
        return refuse(`Graph cannot filter ${object}s on ${info.name} being null.`, node);
      return atom(`${name} ${node.neg ? 'ne' : 'eq'} null`, true);
    }
    if (value.v === 'bool') return atom(`${name} ${node.neg ? 'ne' : 'eq'} ${value.b}`, node.neg || needs(filter.eq));
    if (value.v === 'now')
      return refuse(
        'system.now changes with time; a $filter would freeze the moment it was made. Compare with a fixed date-time instead.',
        node.valueRange,
      );
    if (value.v === 'date') {
      const iso = new Date(value.ms).toISOString().replace('.000Z', 'Z');
      if (node.op === 'eq') return atom(`${name} ${node.neg ? 'ne' : 'eq'} ${iso}`, true);
      if (filter.range) return atom(`${name} ${node.op} ${iso}`, true);
      return refuse(`${node.written} on ${info.name} has no Graph $filter equivalent.`, node);
    }

    const collection = filter.collection === true;
    if (value.v === 'list') {
      if (collection)
        refuse(`${node.written} on ${info.name}, a multi-valued property, has no Graph $filter equivalent.`, node);
      if (value.items.length === 0)
        refuse(`${node.written} with an empty list has no Graph $filter equivalent.`, node.valueRange);
      const items = value.items.map((item) => odataString(item));
      return negate(atom(`${name} in (${items.join(',')})`, needs(filter.eq)));
    }
    if (value.v !== 'text') return refuse(`${node.written} does not apply to ${info.name}.`, node);
    const literal = odataString(value.text);
    switch (node.op) {
      case 'eq': {
        const text = collection ? `${name}/any(p:p eq ${literal})` : `${name} eq ${literal}`;
        if (node.neg && !collection) return atom(`${name} ne ${literal}`, true);
        return negate(atom(text, needs(filter.eq)));
      }
      case 'startsWith': {
        if (!filter.startsWith)
          refuse(
            `-${opName} on ${info.name} has no Graph $filter equivalent: Graph does not support startswith on ${name}.`,
            node,
          );
        const text = collection ? `${name}/any(p:startswith(p,${literal}))` : `startswith(${name},${literal})`;
        return negate(atom(text, needs(filter.startsWith)));
      }
      case 'endsWith': {
        if (!filter.endsWith)
          refuse(
            `-${opName} on ${info.name} has no Graph $filter equivalent: Graph supports endswith only on mail, userPrincipalName, otherMails and proxyAddresses.`,
            node,
          );
        const text = collection ? `${name}/any(p:endswith(p,${literal}))` : `endswith(${name},${literal})`;
        return negate(atom(text, true));
      }
      default:
        return refuse(`-${opName} does not apply to ${info.name}, a string.`, node);
    }
  }

  private quantified(node: ResolvedQuantifier): Part {
    const filter = this.property(node);
    if (node.all) {
      return refuse(
        `${this.quantifierText(node)} has no Graph $filter equivalent: Graph supports only any() on directory-object collections.`,
        node,
      );
    }
    if (node.item === 'string') return this.stringAny(filter, node.body);
    return this.planAny(filter, node.body);
  }

  private quantifierText(node: ResolvedQuantifier): string {
    return node.all ? '-all' : '-any';
  }

  private stringAny(filter: FilterSupport, body: ResolvedNode): Part {
    if (body.k !== 'test') {
      return refuse(
        'Graph $filter takes a single condition on the item here: write -any (_ -eq "…") or -any (_ -startsWith "…").',
        body,
      );
    }
    if (body.neg) refuse(`${body.written} inside -any has no Graph $filter equivalent.`, body);
    if (body.value.v !== 'text')
      return refuse(`${body.written} inside -any takes a single string here.`, body.valueRange);
    const literal = odataString(body.value.text);
    const name = filter.name;
    switch (body.op) {
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
    return refuse(`${body.written} inside -any on ${name} has no Graph $filter equivalent.`, body);
  }

  private planAny(filter: FilterSupport, body: ResolvedNode): Part {
    const clauses = body.k === 'and' ? body.items : [body];
    let advanced = needs(filter.eq);
    const parts = clauses.map((c) => {
      if (c.k !== 'test' || c.prop.of !== 'item')
        return refuse('Graph $filter takes assignedPlan conditions joined by -and, each an -eq test.', c);
      if (c.op !== 'eq' || c.neg)
        refuse(`${c.written} inside assignedPlans -any has no Graph $filter equivalent; only -eq is supported.`, c);
      if (c.value.v !== 'text') return refuse('Compare assignedPlan properties with a single string.', c.valueRange);
      const info = c.prop.info;
      const g = graphItemProperty('plan', info.name);
      const text = c.value.text;
      if (info.name === 'servicePlanId') {
        if (!GUID.test(text.trim()))
          refuse('servicePlanId is a GUID; Graph cannot filter on another value.', c.valueRange);
        if (needs(g.filter?.eq)) advanced = true;
        return `a/${g.path.join('/')} eq ${text.trim().toLowerCase()}`;
      }
      advanced = true;
      return `a/${g.path.join('/')} eq ${odataString(text)}`;
    });
    return atom(`${filter.name}/any(a:${parts.join(' and ')})`, advanced || parts.length > 1);
  }
}
