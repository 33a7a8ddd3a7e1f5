/**
 * Compiles a parsed membership rule into a predicate over Graph v1.0-shaped user or device objects
 * (as `GET /users` / `GET /devices` return them; see `graphNames.ts` for where each rule property
 * is read from).
 *
 * The compile step validates on its own: anything it cannot compile faithfully (syntax errors left
 * in the tree, unknown properties, mixed user/device properties, operators that do not apply to the
 * property, invalid regular expressions, dates or durations) gives `{ ok: false, reason }` rather
 * than a predicate that guesses.
 *
 * Semantics (Entra's documented behaviour, and our choices where it is silent):
 * - String comparisons are case-insensitive: both sides are lower-cased (`toLowerCase`, locale
 *   independent); constants are lower-cased once, at compile time. `-match`/`-notMatch` use a
 *   JavaScript regular expression compiled once with the `i` flag (JavaScript syntax, not .NET).
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
 * Two back ends give the same results: JavaScript source built for the rule and created with
 * `new Function` (the fast path), and plain closures where `new Function` is unavailable (a
 * content-security policy). The generated source never contains text of the rule: property
 * names and constants are embedded with `JSON.stringify`, regular expressions and sets are
 * passed in as closure arguments.
 */
import type {
  Comparison,
  DirectReportsRule,
  Expression,
  OffsetRange,
  PropertyPath,
  QuantifiedExpression,
  RuleAst,
  Value,
} from './ast';
import { graphGroupType, graphItemProperty, graphProperty } from './graphNames';
import { findOperator, type ObjectKind, type PropertyType } from './model';
import { parseRule } from './parser';
import { resolvePath, type ItemKind } from './resolve';
import { Refusal, refuse, scalarText, valueSyntaxProblem } from './values';

export interface CompileOptions {
  /** The clock for `system.now` (default: the current time). */
  now?: () => Date;
  /** Force a back end (tests); by default code generation when available, closures otherwise. */
  backend?: 'codegen' | 'closure';
}

export type RulePredicate = (obj: Record<string, unknown>) => boolean;

export type CompileResult =
  | { ok: true; object: ObjectKind; test: RulePredicate; backend: 'codegen' | 'closure' }
  | { ok: false; reason: string; range?: OffsetRange };

/** True when this runtime lets us create functions from source. */
export const codegenAvailable: boolean = (() => {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
})();

// ---------------------------------------------------------------------------------------------
// Intermediate form: what the rule tests, validated, with every constant prepared.

/** Where a value is read from, relative to the object (`o`) or to the current item (`it`). */
type Read =
  { r: 'path'; path: readonly string[]; first: boolean } | { r: 'self' } | { r: 'groupId' } | { r: 'managerId' };

interface Shift {
  sign: 1 | -1;
  months: number;
  ms: number;
}

type DateOperand = { fixed: number } | { now: number };

type Test =
  | { t: 'null' }
  | { t: 'str'; op: 'eq' | 'startsWith' | 'endsWith' | 'contains'; k: string }
  | { t: 'in'; set: ReadonlySet<string> }
  | { t: 'regex'; re: RegExp }
  | { t: 'bool'; b: boolean }
  | { t: 'date'; op: 'eq' | 'le' | 'ge'; at: DateOperand };

type Node =
  | { k: 'and' | 'or'; a: Node; b: Node }
  | { k: 'not'; a: Node }
  | { k: 'test'; read: Read; test: Test; neg: boolean }
  | { k: 'quant'; read: Read; groups: boolean; all: boolean; body: Node };

interface Program {
  object: ObjectKind;
  root: Node;
  /** The `system.now` offsets the rule uses; `{ now: i }` operands index this list. */
  shifts: Shift[];
}

// ---------------------------------------------------------------------------------------------
// Public entry points.

export function compileRule(ast: RuleAst, options: CompileOptions = {}): CompileResult {
  let program: Program;
  try {
    program = new Lowering(ast).run();
  } catch (e) {
    if (e instanceof Refusal)
      return e.range ? { ok: false, reason: e.reason, range: e.range } : { ok: false, reason: e.reason };
    throw e;
  }
  const now = options.now ?? (() => new Date());
  const wanted = options.backend ?? (codegenAvailable ? 'codegen' : 'closure');
  if (wanted === 'codegen') {
    const test = generate(program, now);
    if (test) return { ok: true, object: program.object, test, backend: 'codegen' };
  }
  return { ok: true, object: program.object, test: closures(program, now), backend: 'closure' };
}

/** Parses and compiles; a rule with a syntax error is refused with the parser's first message. */
export function compileRuleText(text: string, options: CompileOptions = {}): CompileResult {
  const { ast, diagnostics } = parseRule(text);
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error) return { ok: false, reason: `The rule has a syntax error: ${error.message}`, range: error.range };
  return compileRule(ast, options);
}

// ---------------------------------------------------------------------------------------------
// Lowering: syntax tree → intermediate form, refusing what cannot be compiled.

interface Scope {
  item?: ItemKind;
}

class Lowering {
  private object: ObjectKind | undefined;
  private readonly shifts: Shift[] = [];

  constructor(private readonly ast: RuleAst) {}

  run(): Program {
    const root = this.ast.root;
    if (!root) refuse('The rule is empty.');
    checkCoverage(this.ast.text, root);
    const node = root.kind === 'directReports' ? this.directReports(root) : this.expression(root, {});
    return { object: this.object ?? 'user', root: node, shifts: this.shifts };
  }

  private text(r: OffsetRange): string {
    return this.ast.text.slice(r.start, r.end);
  }

  private directReports(node: DirectReportsRule): Node {
    const id = node.managerId;
    if (!id || !id.closed || id.quote === 'typographic')
      refuse('Direct Reports needs the manager\'s object id in quotes: Direct Reports for "<id>".', node);
    const k = id.value.trim().toLowerCase();
    if (k === '') refuse("The manager's object id is empty.", id);
    this.object = 'user';
    return { k: 'test', read: { r: 'managerId' }, test: { t: 'str', op: 'eq', k }, neg: false };
  }

  private expression(node: Expression, scope: Scope): Node {
    switch (node.kind) {
      case 'binary': {
        const written = this.text(node.opRange).toLowerCase();
        if (written !== node.op && written !== `-${node.op}`) {
          refuse(
            written === ''
              ? 'Two conditions are not joined by -and or -or.'
              : `'${written}' is not an operator of the rule language; use -${node.op}.`,
            node.opRange.start === node.opRange.end ? node : node.opRange,
          );
        }
        return { k: node.op, a: this.expression(node.left, scope), b: this.expression(node.right, scope) };
      }
      case 'not': {
        const written = this.text(node.opRange).toLowerCase();
        if (written !== 'not' && written !== '-not')
          refuse(`'${written}' is not an operator of the rule language; use -not.`, node.opRange);
        return { k: 'not', a: this.expression(node.operand, scope) };
      }
      case 'paren':
        if (!node.closed) refuse('A parenthesis is never closed.', node);
        return this.expression(node.inner, scope);
      case 'comparison':
        return this.comparison(node, scope);
      case 'quantified':
        return this.quantified(node, scope);
      case 'error':
        refuse('The rule has a syntax error here.', node);
    }
  }

  /** Resolves a path to what it reads and the type of the value. */
  private path(path: PropertyPath, scope: Scope): { read: Read; type: PropertyType; name: string } {
    const r = resolvePath(path);
    const where = path.propertyRange ?? path;
    switch (r.kind) {
      case 'property': {
        if (scope.item)
          refuse(`Inside -any/-all only the item can be tested, not ${path.object}.${path.property ?? ''}.`, path);
        this.track(path, r.object);
        const g = graphProperty(r.object, r.info.name);
        return { read: { r: 'path', path: g.path, first: g.first === true }, type: r.info.type, name: r.info.name };
      }
      case 'item': {
        if (!scope.item)
          refuse(
            `'${path.object}' names the item of a collection; it can only be used inside -any (...) or -all (...).`,
            path,
          );
        if (scope.item !== r.item) refuse(`'${path.object}' is not the item of this collection.`, path);
        if (r.item === 'string') return { read: { r: 'self' }, type: 'string', name: '_' };
        if (r.item === 'group') return { read: { r: 'groupId' }, type: 'string', name: r.info.name };
        const g = graphItemProperty('plan', r.info.name);
        return { read: { r: 'path', path: g.path, first: false }, type: r.info.type, name: r.info.name };
      }
      case 'unknownObject':
        return refuse(
          `Unknown object '${path.object}'; rules test user.<property> or device.<property>.`,
          path.objectRange,
        );
      case 'missingProperty':
        return refuse(`Expected a property after '${path.object}.'.`, path);
      case 'wrongObject':
        return refuse(`'${r.info.name}' is a ${r.owner} property; ${r.object} rules cannot use it.`, where);
      case 'retired':
        return refuse(r.message, where);
      default:
        return refuse(`Unknown property '${path.property ?? path.object}'.`, where);
    }
  }

  private track(path: PropertyPath, kind: ObjectKind): void {
    if (!this.object) this.object = kind;
    else if (this.object !== kind)
      refuse(
        `A rule cannot mix user and device properties; it started with ${this.object} properties.`,
        path.objectRange,
      );
  }

  private comparison(node: Comparison, scope: Scope): Node {
    const { read, type, name } = this.path(node.left, scope);
    const opToken = node.operator;
    if (!opToken) return refuse('Expected an operator and a value.', node);
    if (opToken.hyphen && this.ast.text[opToken.start] !== '-')
      refuse(`'${this.text(opToken)}' is not an operator of the rule language.`, opToken);
    const op = findOperator(opToken.name);
    if (!op || op.kind !== 'comparison') return refuse(`Unknown comparison operator '${this.text(opToken)}'.`, opToken);
    const value = node.value;
    if (!value) return refuse(`Expected a value after -${op.name}.`, opToken);
    checkValueSyntax(value);
    const opName = op.name;
    const negated = opName === 'ne' || opName.startsWith('not');
    const positive = negated ? (opName === 'ne' ? 'eq' : lowerFirst(opName.slice(3))) : opName;

    if (value.kind === 'null') {
      if (positive !== 'eq') refuse(`null can only be compared with -eq or -ne, not -${op.name}.`, opToken);
      return { k: 'test', read, test: { t: 'null' }, neg: negated };
    }
    switch (type) {
      case 'boolean': {
        if (positive !== 'eq') refuse(`-${op.name} does not apply to ${name}, a boolean; use -eq or -ne.`, opToken);
        return { k: 'test', read, test: { t: 'bool', b: booleanValue(value, name) }, neg: negated };
      }
      case 'dateTime': {
        if (positive !== 'eq' && positive !== 'le' && positive !== 'ge')
          refuse(`-${op.name} does not apply to ${name}, a date-time; use -eq, -ne, -le or -ge.`, opToken);
        return { k: 'test', read, test: { t: 'date', op: positive, at: this.dateOperand(value) }, neg: negated };
      }
      case 'string':
      case 'stringCollection':
        return { k: 'test', read, test: stringTest(positive, value, opToken), neg: negated };
      default:
        return refuse(`${name} is a collection of objects; test its items with -any (...) or -all (...).`, opToken);
    }
  }

  private dateOperand(value: Value): DateOperand {
    if (value.kind === 'now') {
      if (!value.offset) return { now: this.addShift({ sign: 1, months: 0, ms: 0 }) };
      const d = value.offset.duration;
      if (!d) return refuse('Expected a duration such as p30d after -plus/-minus.', value);
      const text = d.kind === 'bare' ? d.text : d.value;
      const parsed = parseDuration(text);
      if (!parsed) return refuse(`'${text}' is not an ISO 8601 duration such as p30d or PT12H.`, d);
      return { now: this.addShift({ sign: value.offset.sign, ...parsed }) };
    }
    const text = value.kind === 'bare' ? value.text : value.kind === 'string' ? value.value : undefined;
    if (text === undefined) return refuse('Expected a date-time such as 2020-06-10T18:13:20Z, or system.now.', value);
    const ms = parseDateTime(text);
    if (ms === undefined) return refuse(`'${text}' is not a date-time such as 2020-06-10T18:13:20Z.`, value);
    return { fixed: ms };
  }

  private addShift(s: Shift): number {
    this.shifts.push(s);
    return this.shifts.length - 1;
  }

  private quantified(node: QuantifiedExpression, scope: Scope): Node {
    if (scope.item) refuse('-any and -all cannot be nested.', node.quantifier);
    const { read, type, name } = this.path(node.left, scope);
    const q = node.quantifier.name.toLowerCase();
    if (q !== 'any' && q !== 'all') refuse(`Unknown quantifier -${node.quantifier.name}.`, node.quantifier);
    const item: ItemKind | undefined =
      type === 'stringCollection'
        ? 'string'
        : type === 'planCollection'
          ? 'plan'
          : type === 'memberOf'
            ? 'group'
            : undefined;
    if (!item) refuse(`-${q} applies to multi-valued properties; ${name} holds a single value.`, node.quantifier);
    if (!node.body) refuse(`Expected a condition on each item after -${q}.`, node.quantifier);
    const body = this.expression(node.body, { item });
    return { k: 'quant', read, groups: item === 'group', all: q === 'all', body };
  }
}

/** Refuses a tree that leaves text unread around it (stray tokens the parser reported and dropped). */
function checkCoverage(text: string, root: OffsetRange): void {
  const before = text.slice(0, root.start);
  const after = text.slice(root.end);
  if (before.trim() !== '')
    refuse('The rule has a syntax error: unexpected text before the condition.', { start: 0, end: root.start });
  if (after.trim() !== '')
    refuse('The rule has a syntax error: unexpected text after the condition.', { start: root.end, end: text.length });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function checkValueSyntax(value: Value): void {
  const problem = valueSyntaxProblem(value);
  if (problem) refuse(problem.reason, problem.at);
}

function stringTest(positive: string, value: Value, at: OffsetRange): Test {
  if (positive === 'in') {
    if (value.kind !== 'array') return refuse('-in and -notIn take a list: ["a", "b"].', value);
    const set = new Set<string>();
    for (const item of value.items) {
      const s = scalarText(item);
      if (s === undefined) refuse('The items of the list must be strings.', item);
      set.add(s.toLowerCase());
    }
    return { t: 'in', set };
  }
  if (value.kind === 'array') return refuse(`-${positive} takes a single value, not a list.`, value);
  const text = scalarText(value);
  if (text === undefined) return refuse('Expected a string value.', value);
  switch (positive) {
    case 'eq':
    case 'startsWith':
    case 'endsWith':
    case 'contains':
      return { t: 'str', op: positive, k: text.toLowerCase() };
    case 'match': {
      try {
        return { t: 'regex', re: new RegExp(text, 'i') };
      } catch (e) {
        return refuse(`The regular expression does not compile: ${(e as Error).message}`, value);
      }
    }
    default:
      return refuse(`-${positive} does not apply to strings.`, at);
  }
}

function booleanValue(value: Value, name: string): boolean {
  if (value.kind === 'boolean') return value.value;
  const text = value.kind === 'string' ? value.value : value.kind === 'bare' ? value.text : undefined;
  const lower = text?.trim().toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  return refuse(`${name} is a boolean; compare it with true or false.`, value);
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** An ISO 8601 duration (`P30D`, `pt12h`, `P1Y2M3DT4H5M6.5S`) as calendar months plus milliseconds. */
export function parseDuration(text: string): { months: number; ms: number } | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, w, d, h, mi, s] = m;
  if ([y, mo, w, d, h, mi, s].every((x) => x === undefined)) return undefined;
  if (/T$/i.test(text.trim())) return undefined;
  const n = (x: string | undefined): number => (x === undefined ? 0 : Number(x));
  const months = n(y) * 12 + n(mo);
  const ms = (((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(mi)) * 60_000 + n(s) * 1000;
  if (!Number.isFinite(ms) || !Number.isFinite(months) || months > 120_000) return undefined;
  return { months, ms };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A date or date-time as epoch milliseconds; without a zone it is UTC. */
export function parseDateTime(text: string): number | undefined {
  const t = text.trim();
  const m = DATE_TIME.exec(t);
  if (!m) return undefined;
  const hasTime = t.length > 10;
  const ms = Date.parse(hasTime && !m[1] ? `${t.replace(' ', 'T')}Z` : t.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}

function applyShift(now: Date, s: Shift): number {
  let t = now.getTime();
  if (s.months !== 0) {
    const d = new Date(t);
    d.setUTCMonth(d.getUTCMonth() + s.sign * s.months);
    t = d.getTime();
  }
  return t + s.sign * s.ms;
}

// ---------------------------------------------------------------------------------------------
// Run-time helpers shared by both back ends.

function isNull(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
}

/** A string test on a value that is not a string: null is false, lists test their items. */
function slowString(v: unknown, p: (s: string) => boolean): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return p(v);
  if (Array.isArray(v)) {
    for (const item of v) {
      if (
        typeof item === 'string' ? p(item) : (typeof item === 'number' || typeof item === 'boolean') && p(String(item))
      )
        return true;
    }
    return false;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return p(String(v));
  return false;
}

function boolString(v: unknown, lower: string): boolean {
  return typeof v === 'string' && v.trim().toLowerCase() === lower;
}

function dateMs(v: unknown): number {
  if (typeof v === 'string') {
    const ms = parseDateTime(v);
    return ms === undefined ? Number.NaN : ms;
  }
  if (v instanceof Date) return v.getTime();
  return Number.NaN;
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function groupId(item: unknown): unknown {
  if (typeof item === 'string') return item;
  if (item === null || typeof item !== 'object') return undefined;
  const type = (item as Record<string, unknown>)['@odata.type'];
  if (type !== undefined && type !== graphGroupType) return undefined;
  return (item as Record<string, unknown>)['id'];
}

function groupsOf(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  return v.filter((item) => groupId(item) !== undefined);
}

function managerId(o: Record<string, unknown>): unknown {
  const m = o['manager'];
  if (m !== null && typeof m === 'object') {
    const id = (m as Record<string, unknown>)['id'];
    if (typeof id === 'string') return id;
  }
  return o['managerId'];
}

function any(v: unknown, f: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (f(v[i])) return true;
  return false;
}

function all(v: unknown, f: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return true;
  for (let i = 0; i < v.length; i++) if (!f(v[i])) return false;
  return true;
}

/** The positive test on one string (not lower-cased yet), for the slow path and the closures. */
function stringPredicate(test: Extract<Test, { t: 'str' | 'in' | 'regex' }>): (s: string) => boolean {
  switch (test.t) {
    case 'in': {
      const set = test.set;
      return (s) => set.has(s.toLowerCase());
    }
    case 'regex': {
      const re = test.re;
      return (s) => re.test(s);
    }
    case 'str': {
      const k = test.k;
      switch (test.op) {
        case 'eq':
          return (s) => s.toLowerCase() === k;
        case 'startsWith':
          return (s) => s.toLowerCase().startsWith(k);
        case 'endsWith':
          return (s) => s.toLowerCase().endsWith(k);
        case 'contains':
          return (s) => s.toLowerCase().includes(k);
      }
    }
  }
}

const helpers = { isNull, slowString, boolString, dateMs, first, groupId, groupsOf, managerId, any, all, applyShift };

// ---------------------------------------------------------------------------------------------
// Back end 1: generated source.

/** A JavaScript literal for a string or number: JSON, with the two line separators escaped. */
function lit(x: string | number): string {
  return JSON.stringify(x)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

class Generator {
  readonly consts: unknown[] = [];
  readonly functions: string[] = [];

  constant(x: unknown): string {
    this.consts.push(x);
    return `c${this.consts.length - 1}`;
  }

  read(read: Read, base: 'o' | 'it'): string {
    switch (read.r) {
      case 'self':
        return 'it';
      case 'groupId':
        return 'h_groupId(it)';
      case 'managerId':
        return 'h_managerId(o)';
      case 'path': {
        let code = base === 'o' ? `o[${lit(read.path[0] ?? '')}]` : `it?.[${lit(read.path[0] ?? '')}]`;
        for (const key of read.path.slice(1)) code += `?.[${lit(key)}]`;
        return read.first ? `h_first(${code})` : code;
      }
    }
  }

  node(n: Node, base: 'o' | 'it'): string {
    switch (n.k) {
      case 'and':
        return `(${this.node(n.a, base)} && ${this.node(n.b, base)})`;
      case 'or':
        return `(${this.node(n.a, base)} || ${this.node(n.b, base)})`;
      case 'not':
        return `!${this.node(n.a, base)}`;
      case 'quant': {
        const index = this.functions.push('') - 1;
        const name = `q${index}`;
        this.functions[index] = `function ${name}(it) { var v; return ${this.node(n.body, 'it')}; }`;
        const coll = n.groups ? `h_groupsOf(${this.read(n.read, base)})` : this.read(n.read, base);
        return `${n.all ? 'h_all' : 'h_any'}(${coll}, ${name})`;
      }
      case 'test': {
        const code = this.test(n.test, this.read(n.read, base));
        return n.neg ? `!${code}` : code;
      }
    }
  }

  private test(test: Test, read: string): string {
    switch (test.t) {
      case 'null':
        return `h_isNull(${read})`;
      case 'bool':
        return `((v = ${read}) === ${test.b} || h_boolString(v, ${lit(String(test.b))}))`;
      case 'date': {
        const at = 'fixed' in test.at ? lit(test.at.fixed) : `n${test.at.now}`;
        const op = test.op === 'eq' ? '===' : test.op === 'le' ? '<=' : '>=';
        return `(h_dateMs(${read}) ${op} ${at})`;
      }
      case 'in':
      case 'regex':
      case 'str': {
        const slow = this.constant(stringPredicate(test));
        return `(typeof (v = ${read}) === "string" ? ${this.fast(test)} : h_slowString(v, ${slow}))`;
      }
    }
  }

  /** The test on `v`, a string. */
  private fast(test: Extract<Test, { t: 'str' | 'in' | 'regex' }>): string {
    switch (test.t) {
      case 'in':
        return `${this.constant(test.set)}.has(v.toLowerCase())`;
      case 'regex':
        return `${this.constant(test.re)}.test(v)`;
      case 'str':
        switch (test.op) {
          case 'eq':
            return `v.toLowerCase() === ${lit(test.k)}`;
          case 'startsWith':
            return `v.toLowerCase().startsWith(${lit(test.k)})`;
          case 'endsWith':
            return `v.toLowerCase().endsWith(${lit(test.k)})`;
          case 'contains':
            return `v.toLowerCase().includes(${lit(test.k)})`;
        }
    }
  }
}

/**
 * The source that the code-generating back end would create for a rule, or the reason it cannot
 * be compiled; for tests and debugging.
 */
export function generatedRuleSource(ast: RuleAst): { ok: true; source: string } | { ok: false; reason: string } {
  try {
    return { ok: true, source: generatedSource(new Lowering(ast).run()).source };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.reason };
    throw e;
  }
}

function generatedSource(program: Program): { source: string; consts: unknown[] } {
  const gen = new Generator();
  const body = gen.node(program.root, 'o');
  const lines: string[] = ['"use strict";'];
  for (const name of Object.keys(helpers)) lines.push(`var h_${name} = h[${lit(name)}];`);
  gen.consts.forEach((_, i) => lines.push(`var c${i} = c[${i}];`));
  program.shifts.forEach((_, i) => lines.push(`var s${i} = shifts[${i}], n${i} = 0;`));
  lines.push(...gen.functions);
  const setNow =
    program.shifts.length > 0
      ? `var t = now(); ${program.shifts.map((_, i) => `n${i} = h_applyShift(t, s${i});`).join(' ')} `
      : '';
  lines.push(`return function test(o) { ${setNow}var v; return ${body}; };`);
  return { source: lines.join('\n'), consts: gen.consts };
}

function generate(program: Program, now: () => Date): RulePredicate | undefined {
  try {
    const { source, consts } = generatedSource(program);
    const factory = new Function('h', 'c', 'shifts', 'now', source) as (
      h: typeof helpers,
      c: unknown[],
      shifts: Shift[],
      now: () => Date,
    ) => RulePredicate;
    return factory(helpers, consts, program.shifts, now);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Back end 2: closures (no `new Function`).

type Fn = (x: unknown) => boolean;

function closures(program: Program, now: () => Date): RulePredicate {
  const nows = program.shifts.map(() => 0);
  const root = closureNode(program.root, nows);
  if (program.shifts.length === 0) return root as RulePredicate;
  const shifts = program.shifts;
  return (o) => {
    const t = now();
    for (let i = 0; i < shifts.length; i++) nows[i] = applyShift(t, shifts[i] as Shift);
    return root(o);
  };
}

function closureRead(read: Read): (x: unknown) => unknown {
  switch (read.r) {
    case 'self':
      return (x) => x;
    case 'groupId':
      return groupId;
    case 'managerId':
      return (x) => managerId(x as Record<string, unknown>);
    case 'path': {
      const path = read.path;
      const get = (x: unknown): unknown => {
        let v = x;
        for (const key of path) {
          if (v === null || v === undefined) return undefined;
          v = (v as Record<string, unknown>)[key];
        }
        return v;
      };
      return read.first ? (x) => first(get(x)) : get;
    }
  }
}

function closureTest(test: Test, nows: number[]): (v: unknown) => boolean {
  if (test.t === 'null') return isNull;
  if (test.t === 'bool') {
    const b = test.b;
    const lower = String(b);
    return (v) => v === b || boolString(v, lower);
  }
  if (test.t === 'date') {
    const at = test.at;
    const limit = 'fixed' in at ? () => at.fixed : () => nows[at.now] as number;
    if (test.op === 'eq') return (v) => dateMs(v) === limit();
    if (test.op === 'le') return (v) => dateMs(v) <= limit();
    return (v) => dateMs(v) >= limit();
  }
  const p = stringPredicate(test);
  return (v) => (typeof v === 'string' ? p(v) : slowString(v, p));
}

function closureNode(n: Node, nows: number[]): Fn {
  switch (n.k) {
    case 'and': {
      const a = closureNode(n.a, nows);
      const b = closureNode(n.b, nows);
      return (x) => a(x) && b(x);
    }
    case 'or': {
      const a = closureNode(n.a, nows);
      const b = closureNode(n.b, nows);
      return (x) => a(x) || b(x);
    }
    case 'not': {
      const a = closureNode(n.a, nows);
      return (x) => !a(x);
    }
    case 'quant': {
      const read = closureRead(n.read);
      const coll = n.groups ? (x: unknown) => groupsOf(read(x)) : read;
      const body = closureNode(n.body, nows);
      return n.all ? (x) => all(coll(x), body) : (x) => any(coll(x), body);
    }
    case 'test': {
      const read = closureRead(n.read);
      const p = closureTest(n.test, nows);
      return n.neg ? (x) => !p(read(x)) : (x) => p(read(x));
    }
  }
}
