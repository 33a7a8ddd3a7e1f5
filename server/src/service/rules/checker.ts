/**
 * The semantic checker: walks a parsed rule and reports what Entra would reject (errors) or what
 * is probably not what the author meant (warnings, hints), each with a stable code, the exact
 * range, and the fix where one is mechanical.
 */
import type { Comparison, DirectReportsRule, Expression, PropertyPath, QuantifiedExpression, RuleAst } from './ast';
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
import { checkValue } from './valueChecks';
import type { Fix, ServiceDiagnostic, Severity } from '../diagnostics';
import { suggest } from '../util/suggest';

export interface RuleCheckOptions {
  /** Restrict the rule to one kind of object (automatic assignment policies take user rules). */
  objectKind?: ObjectKind;
  /** Offer hints where a name is written in another casing than the documented one (default true). */
  casingHints?: boolean;
}

export interface CheckResult {
  ast: RuleAst;
  diagnostics: ServiceDiagnostic[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses and checks a rule: syntax diagnostics first, then semantic ones, in text order. */
export function checkRule(text: string, options: RuleCheckOptions = {}): CheckResult {
  const { ast, diagnostics } = parseRule(text);
  const checker = new Checker(text, options, diagnostics);
  checker.run(ast);
  diagnostics.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { ast, diagnostics };
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

  constructor(
    private readonly text: string,
    private readonly options: RuleCheckOptions,
    private readonly out: ServiceDiagnostic[],
  ) {}

  run(ast: RuleAst): void {
    if (!ast.root) {
      this.add(
        0,
        this.text.length,
        'error',
        RuleCode.emptyRule,
        'The rule is empty; write a condition such as user.department -eq "Sales".',
      );
      return;
    }
    const length = this.text.trim().length;
    if (length > maxRuleLength) {
      const start = this.text.length - this.text.trimStart().length;
      this.add(
        start + maxRuleLength,
        start + length,
        'error',
        RuleCode.ruleTooLong,
        `The rule is ${length} characters long; Entra accepts at most ${maxRuleLength}.`,
      );
    }
    if (ast.root.kind === 'directReports') this.directReports(ast.root);
    else this.expression(ast.root, {});
  }

  private add(start: number, end: number, severity: Severity, code: string, message: string, fixes?: Fix[]): void {
    const d: ServiceDiagnostic = { range: { start, end }, severity, code, message };
    if (fixes && fixes.length > 0) d.fixes = fixes;
    this.out.push(d);
  }

  private directReports(node: DirectReportsRule): void {
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
  }

  private expression(node: Expression, scope: Scope): void {
    switch (node.kind) {
      case 'binary':
        this.expression(node.left, scope);
        this.expression(node.right, scope);
        return;
      case 'not':
        this.expression(node.operand, scope);
        return;
      case 'paren':
        this.expression(node.inner, scope);
        return;
      case 'comparison':
        this.comparison(node, scope);
        return;
      case 'quantified':
        this.quantified(node, scope);
        return;
      case 'error':
        return;
    }
  }

  /** Resolves a path and reports what is wrong with it; returns the property when usable. */
  private path(path: PropertyPath, scope: Scope): PropertyInfo | undefined {
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
        return r.info;
      case 'item':
        return this.itemPath(path, r, scope);
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
        const guess = suggest(path.object, ['user', 'device']);
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
        const guess = suggest(
          name,
          r.candidates.map((c) => c.name),
        );
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

  private comparison(node: Comparison, scope: Scope): void {
    const info = this.path(node.left, scope);
    if (!node.operator) return;
    const op = this.operator(node);
    if (!op || !info || !node.value) return;
    if (isCollection(info.type)) {
      if (node.value.kind === 'null')
        checkValue(node, info, op, false, (s, e, sev, code, msg, fixes) => this.add(s, e, sev, code, msg, fixes));
      else this.scalarOnCollection(node, info, op);
      return;
    }
    if (op.types && !op.types.includes(info.type)) {
      const severity: Severity = op.name === 'le' || op.name === 'ge' ? 'warning' : 'error';
      this.add(
        node.operator.start,
        node.operator.end,
        severity,
        RuleCode.operatorNotForType,
        `-${op.name} does not apply to ${info.name}, a ${describeType(info.type)} property; use ${operatorsFor(info).join(', ')}.`,
      );
      return;
    }
    checkValue(node, info, op, scope.item === 'group', (s, e, sev, code, msg, fixes) =>
      this.add(s, e, sev, code, msg, fixes),
    );
  }

  private operator(node: Comparison): OperatorInfo | undefined {
    const t = node.operator;
    if (!t) return undefined;
    const op = findOperator(t.name);
    if (op?.kind === 'comparison') return op;
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
    const guess =
      aliases[t.name.toLowerCase()] ??
      suggest(
        t.name,
        comparisonOperators.map((o) => o.name),
      );
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
    this.add(
      t.start,
      t.end,
      'warning',
      RuleCode.scalarOperatorOnCollection,
      `${info.name} holds several values; -${op.name} on the whole collection is not an item test. Use ${lhs} -any (_ -${op.name} ...).`,
      [
        {
          title: 'Wrap in -any (_ ...)',
          edits: [{ range: { start: node.start, end: node.end }, newText: wrapped }],
          preferred: true,
        },
      ],
    );
  }

  private quantified(node: QuantifiedExpression, scope: Scope): void {
    const info = this.path(node.left, scope);
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
    if (node.body) this.expression(node.body, item ? { item } : { lenient: true });
  }
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
