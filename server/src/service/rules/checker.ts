/**
 * The semantic checker: walks a parsed rule and reports what Entra would reject (errors) or what
 * is probably not what the author meant (warnings, hints), each with a stable code, the exact
 * range, and the fix where one is mechanical. While it checks it builds the rule's one resolved
 * form (`resolved.ts`), which the evaluator, the `$filter` translation and the preview consume:
 * a rule gets a resolved form exactly when the checker finds no error in it.
 *
 * Chains of `-and`/`-or` are walked with an explicit stack, so a rule of 100,000 clauses costs
 * no stack depth; parentheses and `-not` are bounded by the parser's nesting limit.
 */
import type {
  BinaryExpression,
  Comparison,
  DirectReportsRule,
  Expression,
  OffsetRange,
  PropertyPath,
  QuantifiedExpression,
  RuleAst,
} from './ast';
import { RuleCode } from './codes';
import {
  comparisonOperators,
  findOperator,
  isCollection,
  maxRuleLength,
  type ObjectKind,
  type OperatorInfo,
  type PropertyInfo,
} from './model';
import { parseRule } from './parser';
import { itemKindFor, itemVariable, objectOf, resolvePath, type ItemKind, type Resolution } from './resolve';
import type { ResolvedNode, ResolvedProperty, ResolvedRule, TestKind } from './resolved';
import { checkValue } from './valueChecks';
import { valueSyntaxProblem } from './values';
import type { Fix, ServiceDiagnostic, Severity } from '../diagnostics';
import { suggest } from '../util/suggest';

export interface RuleCheckOptions {
  /** Restrict the rule to one kind of object (automatic assignment policies take user rules). */
  objectKind?: ObjectKind;
  /** Offer hints where a name is written in another casing than the documented one (default true). */
  casingHints?: boolean;
  /**
   * The longest rule accepted (default Entra's 3,072 characters, R501). Local tools may raise it to
   * evaluate or translate longer rules; nothing else about the rule changes.
   */
  maxLength?: number;
}

export interface CheckResult {
  ast: RuleAst;
  diagnostics: ServiceDiagnostic[];
  /** The rule's resolved form; present exactly when there is no error. */
  resolved?: ResolvedRule;
}

/** A rule resolved from a tree alone, or the first reason it cannot be (an error, or a syntax problem). */
export type ResolveResult = { ok: true; rule: ResolvedRule } | { ok: false; reason: string; range?: OffsetRange };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses and checks a rule: syntax diagnostics first, then semantic ones, in text order. */
export function checkRule(text: string, options: RuleCheckOptions = {}): CheckResult {
  const { ast, diagnostics } = parseRule(text);
  const checker = new Checker(text, options, diagnostics);
  const root = checker.run(ast);
  diagnostics.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const result: CheckResult = { ast, diagnostics };
  if (root && !checker.broken && !hasErrors(diagnostics)) result.resolved = { text, object: checker.object(), root };
  return result;
}

/**
 * Resolves a syntax tree on its own (no parser diagnostics at hand): the checker's walk, refusing
 * at the first error it reports or the first syntax problem left in the tree. The evaluator and
 * the `$filter` translation take their rules through here.
 */
export function resolveRule(ast: RuleAst, options: RuleCheckOptions = {}): ResolveResult {
  const diagnostics: ServiceDiagnostic[] = [];
  const checker = new Checker(ast.text, options, diagnostics);
  const root = checker.run(ast);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  errors.sort((a, b) => a.range.start - b.range.start);
  const first = errors[0];
  if (first) return { ok: false, reason: refusalText(first), range: first.range };
  if (checker.broken) {
    // The parser's own words for the problem, when the text still says it (the tree may have been built by hand).
    const parsed = parseRule(ast.text).diagnostics.find((d) => d.severity === 'error');
    if (parsed) return { ok: false, reason: refusalText(parsed), range: parsed.range };
    return { ok: false, reason: checker.broken.reason, range: checker.broken.range };
  }
  if (!root) return { ok: false, reason: 'The rule is empty.' };
  return { ok: true, rule: { text: ast.text, object: checker.object(), root } };
}

/** A checker error as a refusal reason: syntax errors (R1xx) say so. */
export function refusalText(d: ServiceDiagnostic): string {
  return d.code.startsWith('R1') ? `The rule has a syntax error: ${d.message}` : d.message;
}

/** True when the diagnostics include an error (such a rule is not evaluated or deployed). */
export function hasErrors(diagnostics: readonly ServiceDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

interface Scope {
  item?: ItemKind;
  /** Inside the body of a misapplied -any/-all: item names are not reported again. */
  lenient?: boolean;
}

class Checker {
  private firstObject: { kind: ObjectKind; path: PropertyPath } | undefined;
  /** The first syntax problem left in the tree (the parser reported it); the rule has no resolved form. */
  broken: { reason: string; range: OffsetRange } | undefined;
  private errorCount = 0;

  constructor(
    private readonly text: string,
    private readonly options: RuleCheckOptions,
    private readonly out: ServiceDiagnostic[],
  ) {}

  object(): ObjectKind {
    return this.firstObject?.kind ?? 'user';
  }

  private breaks(reason: string, range: OffsetRange): undefined {
    if (!this.broken)
      this.broken = { reason: `The rule has a syntax error: ${reason}`, range: { start: range.start, end: range.end } };
    return undefined;
  }

  run(ast: RuleAst): ResolvedNode | undefined {
    if (!ast.root) {
      this.add(
        0,
        this.text.length,
        'error',
        RuleCode.emptyRule,
        'The rule is empty; write a condition such as user.department -eq "Sales".',
      );
      return undefined;
    }
    const length = this.text.trim().length;
    const limit = this.options.maxLength ?? maxRuleLength;
    if (length > limit) {
      const start = this.text.length - this.text.trimStart().length;
      this.add(
        start + limit,
        start + length,
        'error',
        RuleCode.ruleTooLong,
        `The rule is ${length} characters long; Entra accepts at most ${limit}.`,
      );
    }
    const root = ast.root;
    if (this.text.slice(0, root.start).trim() !== '')
      this.breaks('unexpected text before the condition.', { start: 0, end: root.start });
    if (this.text.slice(root.end).trim() !== '')
      this.breaks('unexpected text after the condition.', { start: root.end, end: this.text.length });
    if (root.kind === 'directReports') return this.directReports(root);
    this.memberOfAlone(root);
    return this.expression(root, {});
  }

  /**
   * "memberOf can't be used with other rules": a memberOf condition must be the whole rule (in
   * parentheses or not), never negated, combined with -and/-or, or written with -all.
   */
  private memberOfAlone(root: Expression): void {
    let top: Expression = root;
    while (top.kind === 'paren') top = top.inner;
    const stack: Expression[] = [root];
    while (stack.length > 0) {
      const e = stack.pop() as Expression;
      if (e.kind === 'binary') stack.push(e.right, e.left);
      else if (e.kind === 'not') stack.push(e.operand);
      else if (e.kind === 'paren') stack.push(e.inner);
      else if ((e.kind === 'quantified' || e.kind === 'comparison') && e.left.property?.toLowerCase() === 'memberof') {
        const r = resolvePath(e.left);
        if (r.kind !== 'property' || r.info.type !== 'memberOf') continue;
        if (e.kind === 'quantified' && e.quantifier.name.toLowerCase() === 'all')
          this.add(
            e.quantifier.start,
            e.quantifier.end,
            'error',
            RuleCode.memberOfAll,
            'memberOf rules take -any only: write user.memberOf -any (group.objectId -in [...]).',
            [{ title: 'Use -any', edits: [{ range: e.quantifier, newText: '-any' }], preferred: true }],
          );
        if (e !== top)
          this.add(
            e.start,
            e.end,
            'error',
            RuleCode.memberOfCombined,
            'A memberOf condition must be the whole rule: it cannot be negated or combined with other conditions by -and/-or.',
          );
      }
    }
  }

  private add(start: number, end: number, severity: Severity, code: string, message: string, fixes?: Fix[]): void {
    if (severity === 'error') this.errorCount++;
    const d: ServiceDiagnostic = { range: { start, end }, severity, code, message };
    if (fixes && fixes.length > 0) d.fixes = fixes;
    this.out.push(d);
  }

  private directReports(node: DirectReportsRule): ResolvedNode | undefined {
    const errors = this.errorCount;
    if (this.options.objectKind === 'device') {
      this.add(
        node.start,
        node.end,
        'error',
        RuleCode.deviceRuleNotAllowed,
        'A Direct Reports rule selects users; this place takes a device rule.',
      );
    }
    const id = node.managerId;
    if (id && !GUID.test(id.value.trim())) {
      this.add(
        id.start,
        id.end,
        'error',
        RuleCode.directReportsId,
        'The manager must be given by object id (a GUID such as "0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22").',
      );
    }
    if (!id || !id.closed || id.quote === 'typographic')
      return this.breaks('Direct Reports needs the manager\'s object id in quotes: Direct Reports for "<id>".', node);
    if (this.errorCount > errors) return undefined;
    return { k: 'directReports', managerId: id.value.trim().toLowerCase(), start: node.start, end: node.end };
  }

  private expression(node: Expression, scope: Scope): ResolvedNode | undefined {
    switch (node.kind) {
      case 'binary':
        return this.chain(node, scope);
      case 'not': {
        const written = this.text.slice(node.opRange.start, node.opRange.end).toLowerCase();
        if (written !== 'not' && written !== '-not')
          this.breaks(`'${written}' is not an operator of the rule language; use -not.`, node.opRange);
        const a = this.expression(node.operand, scope);
        return a && { k: 'not', a, start: node.start, end: node.end };
      }
      case 'paren': {
        if (!node.closed) this.breaks('a parenthesis is never closed.', node);
        return this.expression(node.inner, scope);
      }
      case 'comparison':
        return this.comparison(node, scope);
      case 'quantified':
        return this.quantified(node, scope);
      case 'error':
        return this.breaks('the condition here could not be read.', node);
    }
  }

  /** A chain of one connective (`a -or b -or c`), flattened without recursion into an n-ary node. */
  private chain(node: BinaryExpression, scope: Scope): ResolvedNode | undefined {
    const op = node.op;
    const operands: Expression[] = [];
    const stack: Expression[] = [node];
    while (stack.length > 0) {
      const n = stack.pop() as Expression;
      if (n.kind === 'binary' && n.op === op) {
        const written = this.text.slice(n.opRange.start, n.opRange.end).toLowerCase();
        if (written !== op && written !== `-${op}`)
          this.breaks(
            written === ''
              ? 'two conditions are not joined by -and or -or.'
              : `'${written}' is not an operator of the rule language; use -${op}.`,
            n.opRange.start === n.opRange.end ? n : n.opRange,
          );
        stack.push(n.right, n.left);
      } else if (n.kind === 'paren' && n.closed && n.inner.kind === 'binary' && n.inner.op === op) {
        // (a -or b) -or c: the parentheses change nothing; flatten them too (deep nesting stays flat).
        stack.push(n.inner);
      } else {
        operands.push(n);
      }
    }
    const items: ResolvedNode[] = [];
    let ok = true;
    for (const e of operands) {
      const r = this.expression(e, scope);
      if (r) items.push(r);
      else ok = false;
    }
    return ok ? { k: op, items, start: node.start, end: node.end } : undefined;
  }

  /** Resolves a path and reports what is wrong with it; returns the property when usable. */
  private path(path: PropertyPath, scope: Scope): ResolvedProperty | undefined {
    const range = { start: path.start, end: path.end };
    const r = resolvePath(path);
    const object = objectOf(path);
    if (object && scope.item) {
      const expected = itemVariable[scope.item];
      this.add(
        path.start,
        path.end,
        'error',
        RuleCode.wrongItemVariable,
        `Inside -any/-all the condition tests each item, '${expected}'; ${path.object} properties cannot be used here.`,
      );
      return undefined;
    }
    if (object) this.trackObject(path, object);
    switch (r.kind) {
      case 'property':
        this.casing(path, r.info.name);
        return { of: 'object', object: r.object, info: r.info, range };
      case 'item': {
        const info = this.itemPath(path, r, scope);
        return info && { of: 'item', item: r.item, info, range };
      }
      default:
        this.badPath(path, r);
        return undefined;
    }
  }

  private itemPath(
    path: PropertyPath,
    r: Extract<Resolution, { kind: 'item' }>,
    scope: Scope,
  ): PropertyInfo | undefined {
    if (scope.lenient) return undefined;
    if (!scope.item) {
      this.add(
        path.start,
        path.end,
        'error',
        RuleCode.itemOutsideCollection,
        `'${path.object}' names the item of a collection; it can only be used inside -any (...) or -all (...).`,
      );
      return undefined;
    }
    if (scope.item !== r.item) {
      const expected = itemVariable[scope.item];
      this.add(
        path.objectRange.start,
        path.objectRange.end,
        'error',
        RuleCode.wrongItemVariable,
        `Inside this -any/-all the item is '${expected}', not '${path.object}'.`,
        [{ title: `Use '${expected}'`, edits: [{ range: path.objectRange, newText: expected }], preferred: true }],
      );
      return undefined;
    }
    if (path.property) this.casing(path, r.info.name);
    return r.info;
  }

  private trackObject(path: PropertyPath, kind: ObjectKind): void {
    const at = path.objectRange;
    if (path.object !== kind && this.casingHints()) {
      this.add(at.start, at.end, 'hint', RuleCode.propertyCasing, `Documented as '${kind}'.`, [
        { title: `Write '${kind}'`, edits: [{ range: at, newText: kind }], preferred: true },
      ]);
    }
    if (this.options.objectKind && this.options.objectKind !== kind) {
      this.add(
        at.start,
        at.end,
        'error',
        RuleCode.deviceRuleNotAllowed,
        `Only ${this.options.objectKind} rules are accepted here; '${path.object}.' properties cannot be used.`,
      );
      return;
    }
    if (!this.firstObject) {
      this.firstObject = { kind, path };
    } else if (this.firstObject.kind !== kind) {
      this.add(
        at.start,
        at.end,
        'error',
        RuleCode.mixedObjects,
        `A rule cannot mix user and device properties; this rule started with ${this.firstObject.kind} properties.`,
      );
    }
  }

  private casing(path: PropertyPath, documented: string): void {
    const range = path.propertyRange;
    if (!range || path.property === documented || !this.casingHints()) return;
    this.add(range.start, range.end, 'hint', RuleCode.propertyCasing, `Documented as '${documented}'.`, [
      { title: `Write '${documented}'`, edits: [{ range, newText: documented }], preferred: true },
    ]);
  }

  private casingHints(): boolean {
    return this.options.casingHints !== false;
  }

  private badPath(path: PropertyPath, r: Resolution): void {
    const prop = path.propertyRange ?? path;
    const name = path.property ?? '';
    switch (r.kind) {
      case 'unknownObject': {
        const guess = suggest(path.object, objectNames);
        const fixes: Fix[] = guess
          ? [{ title: `Change to '${guess}'`, edits: [{ range: path.objectRange, newText: guess }], preferred: true }]
          : [];
        const message =
          path.property === undefined
            ? `'${path.object}' is not a property; write it as user.<property> or device.<property>.`
            : `Unknown object '${path.object}'; rules test user.<property> or device.<property>.`;
        this.add(path.objectRange.start, path.objectRange.end, 'error', RuleCode.unknownObject, message, fixes);
        return;
      }
      case 'missingProperty':
        this.add(
          path.start,
          path.end,
          'error',
          RuleCode.missingProperty,
          `Expected a property after '${path.object}.'.`,
        );
        return;
      case 'unknownProperty':
      case 'unknownItemProperty': {
        const guess = suggest(name, namesOf(r.candidates));
        const owner = r.kind === 'unknownProperty' ? `${r.object}` : itemVariable[r.item];
        const fixes: Fix[] = guess
          ? [{ title: `Change to '${guess}'`, edits: [{ range: prop, newText: guess }], preferred: true }]
          : [];
        const hint = guess ? ` Did you mean '${guess}'?` : '';
        this.add(
          prop.start,
          prop.end,
          'error',
          RuleCode.unknownProperty,
          `Unknown property '${name}' of ${owner}.${hint}`,
          fixes,
        );
        return;
      }
      case 'extensionAttributeRange':
        this.add(
          prop.start,
          prop.end,
          'error',
          RuleCode.extensionAttributeRange,
          `'${name}' does not exist: extension attributes are numbered extensionAttribute1 to extensionAttribute15.`,
        );
        return;
      case 'invalidExtension':
        this.add(
          prop.start,
          prop.end,
          'error',
          RuleCode.invalidExtensionProperty,
          `'${name}' is not a valid custom extension property: write extension_<application id without dashes>_<name>.`,
        );
        return;
      case 'retired':
        this.add(prop.start, prop.end, 'error', RuleCode.unsupportedProperty, r.message, undefined);
        return;
      case 'wrongObject':
        this.add(
          prop.start,
          prop.end,
          'error',
          RuleCode.wrongObject,
          `'${r.info.name}' is a ${r.owner} property; ${r.object} rules cannot use it.`,
        );
        return;
      default:
        return;
    }
  }

  private comparison(node: Comparison, scope: Scope): ResolvedNode | undefined {
    const errors = this.errorCount;
    const prop = this.path(node.left, scope);
    if (!node.operator) return this.breaks(`expected an operator and a value after ${node.left.object}.`, node);
    if (node.operator.hyphen && this.text[node.operator.start] !== '-')
      this.breaks(`'${this.text.slice(node.operator.start, node.operator.end)}' is not an operator.`, node.operator);
    const op = this.operator(node);
    if (!node.value) return this.breaks(`expected a value after -${node.operator.name}.`, node.operator);
    const problem = valueSyntaxProblem(node.value);
    if (problem) this.breaks(problem.reason, problem.at);
    if (!op || !prop) return undefined;
    const info = prop.info;
    if (isCollection(info.type) && node.value.kind !== 'null') {
      if (itemKindFor(info) !== 'string') {
        this.scalarOnCollection(node, info, op);
        return undefined;
      }
      // A string operator on a string collection tests each item; -le/-ge apply to no string.
      if (this.wrongType(node.operator, op, info, 'string')) return undefined;
      this.scalarOnCollection(node, info, op);
    } else if (!isCollection(info.type) && this.wrongType(node.operator, op, info, info.type)) {
      return undefined;
    }
    const value = checkValue(node, info, op, scope.item === 'group', (s, e, sev, code, msg, fixes) =>
      this.add(s, e, sev, code, msg, fixes),
    );
    if (!value) {
      // Every path without a value reports an error; this keeps "no error ⇒ resolved" true by construction.
      if (this.errorCount === errors)
        this.add(
          node.value.start,
          node.value.end,
          'error',
          RuleCode.valueType,
          `This value cannot be compared with ${info.name}.`,
        );
      return undefined;
    }
    if (this.errorCount > errors) return undefined;
    const negated = op.name === 'ne' || op.name.startsWith('not');
    const positive = (op.name === 'ne' ? 'eq' : negated ? lowerFirst(op.name.slice(3)) : op.name) as TestKind;
    return {
      k: 'test',
      prop,
      type: info.type,
      op: positive,
      neg: negated,
      written: `-${op.name}`,
      value,
      valueRange: { start: node.value.start, end: node.value.end },
      start: node.start,
      end: node.end,
    };
  }

  /** Reports an operator that does not apply to the type (R301); true when it did. */
  private wrongType(at: OffsetRange, op: OperatorInfo, info: PropertyInfo, type: PropertyInfo['type']): boolean {
    if (!op.types || op.types.includes(type)) return false;
    this.add(
      at.start,
      at.end,
      'error',
      RuleCode.operatorNotForType,
      `-${op.name} does not apply to ${info.name}, a ${describeType(info.type)} property; use ${operatorsFor(info).join(', ')}.`,
    );
    return true;
  }

  private operator(node: Comparison): OperatorInfo | undefined {
    const t = node.operator;
    if (!t) return undefined;
    const op = findOperator(t.name);
    if (op?.kind === 'comparison') {
      if (t.name !== op.name && this.casingHints()) {
        const at = { start: t.hyphen ? t.start + 1 : t.start, end: t.end };
        if (this.text.slice(at.start, at.end) === t.name)
          this.add(at.start, at.end, 'hint', RuleCode.operatorCasing, `Documented as -${op.name}.`, [
            { title: `Write -${op.name}`, edits: [{ range: at, newText: op.name }], preferred: true },
          ]);
      }
      return op;
    }
    if (op?.name === 'not') {
      this.add(
        t.start,
        t.end,
        'error',
        RuleCode.unknownOperator,
        '-not negates a whole condition and cannot be used as a comparison; write -ne, or -not (condition).',
      );
      return undefined;
    }
    const guess = aliases[t.name.toLowerCase()] ?? suggest(t.name, comparisonOperatorNames);
    const fixes: Fix[] = guess
      ? [{ title: `Replace with -${guess}`, edits: [{ range: t, newText: `-${guess}` }], preferred: true }]
      : [];
    const hint = guess ? ` Did you mean -${guess}?` : '';
    this.add(
      t.start,
      t.end,
      'error',
      RuleCode.unknownOperator,
      `Unknown operator '${this.text.slice(t.start, t.end)}'.${hint}`,
      fixes,
    );
    return undefined;
  }

  private scalarOnCollection(node: Comparison, info: PropertyInfo, op: OperatorInfo): void {
    const t = node.operator;
    if (!t || !node.value) return;
    const item = itemKindFor(info);
    if (item !== 'string') {
      this.add(
        t.start,
        t.end,
        'error',
        RuleCode.scalarOperatorOnCollection,
        `${info.name} is a collection of objects; test its items with -any (...) or -all (...).`,
      );
      return;
    }
    const lhs = this.text.slice(node.left.start, node.left.end);
    const rhs = this.text.slice(node.value.start, node.value.end);
    const wrapped = `${lhs} -any (_ -${op.name} ${rhs})`;
    // Microsoft's property table lists -startsWith, -contains... directly on these two: a hint only.
    const documented = /^(otherMails|proxyAddresses)$/.test(info.name);
    this.add(
      t.start,
      t.end,
      documented ? 'hint' : 'warning',
      RuleCode.scalarOperatorOnCollection,
      documented
        ? `-${op.name} on ${info.name} tests each value (it holds not one but several): the same as ${lhs} -any (_ -${op.name} ...).`
        : `${info.name} holds several values; -${op.name} on the whole collection is not an item test. Use ${lhs} -any (_ -${op.name} ...).`,
      [
        {
          title: 'Wrap in -any (_ ...)',
          edits: [{ range: { start: node.start, end: node.end }, newText: wrapped }],
          preferred: true,
        },
      ],
    );
  }

  private quantified(node: QuantifiedExpression, scope: Scope): ResolvedNode | undefined {
    const errors = this.errorCount;
    const prop = this.path(node.left, scope);
    const info = prop?.info;
    const item = info ? itemKindFor(info) : undefined;
    if (scope.item || scope.lenient) {
      this.add(
        node.quantifier.start,
        node.quantifier.end,
        'error',
        RuleCode.quantifierOnScalar,
        '-any and -all cannot be nested.',
      );
    } else if (info && !item) {
      this.add(
        node.quantifier.start,
        node.quantifier.end,
        'error',
        RuleCode.quantifierOnScalar,
        `-${node.quantifier.name.toLowerCase()} applies to multi-valued properties; ${info.name} holds a single value.`,
      );
    }
    if (!node.body)
      return this.breaks(`expected a condition on each item after -${node.quantifier.name}.`, node.quantifier);
    const body = this.expression(node.body, item ? { item } : { lenient: true });
    if (!body || !prop || prop.of !== 'object' || !item || this.errorCount > errors) return undefined;
    return {
      k: 'quant',
      prop,
      all: node.quantifier.name.toLowerCase() === 'all',
      item,
      body,
      quantifierRange: { start: node.quantifier.start, end: node.quantifier.end },
      start: node.start,
      end: node.end,
    };
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

const objectNames: readonly string[] = ['user', 'device'];
const comparisonOperatorNames: readonly string[] = comparisonOperators.map((o) => o.name);
const names = new WeakMap<readonly PropertyInfo[], readonly string[]>();

/** The names of a model table, one array per table (so did-you-mean answers are remembered). */
function namesOf(table: readonly PropertyInfo[]): readonly string[] {
  let n = names.get(table);
  if (!n) {
    n = table.map((p) => p.name);
    names.set(table, n);
  }
  return n;
}

const aliases: Readonly<Record<string, string>> = {
  equals: 'eq',
  equal: 'eq',
  is: 'eq',
  notequals: 'ne',
  isnot: 'ne',
  neq: 'ne',
  like: 'contains',
  notlike: 'notContains',
  startswith: 'startsWith',
  endswith: 'endsWith',
  regex: 'match',
  matches: 'match',
  notin: 'notIn',
  lte: 'le',
  gte: 'ge',
};

function describeType(type: PropertyInfo['type']): string {
  return type === 'dateTime'
    ? 'date-time'
    : type === 'boolean'
      ? 'boolean'
      : type === 'string'
        ? 'string'
        : 'multi-valued';
}

/** The comparison operators valid for a property, for messages and completion. */
export function operatorsFor(info: PropertyInfo): string[] {
  if (isCollection(info.type)) return ['-any', '-all'];
  return comparisonOperators.filter((o) => o.types?.includes(info.type)).map((o) => `-${o.name}`);
}
