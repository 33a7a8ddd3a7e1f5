/**
 * The `$filter` subset the seeds and the explorer use: comparisons (`eq`, `ne`, `gt`, `ge`, `lt`,
 * `le`), `in (...)`, `and`, `or`, `not`, parentheses, and `startswith`/`endswith`/`contains`
 * (optionally over `tolower(...)`). Anything else is a 400 with a message naming what was not
 * understood, as Graph answers unsupported queries. Property paths are checked against what each
 * resource allows; string comparisons ignore case, as the directory and the enum members do.
 * A filter is bounded before it is evaluated: at most `maxFilterDepth` nested parentheses and
 * `not`s, and at most `maxFilterNodes` clauses, operators and list values (Graph's OData parser has
 * such limits too), so neither parsing nor the recursive evaluation can exhaust the stack or turn
 * one request into minutes of work per entity.
 */
import { GraphError } from './errors';

export type Literal = string | number | boolean | null;
export type FilterNode =
  | { k: 'and' | 'or'; a: FilterNode; b: FilterNode }
  | { k: 'not'; a: FilterNode }
  | { k: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; path: string; value: Literal }
  | { k: 'in'; path: string; values: Literal[] }
  | { k: 'fn'; fn: 'startswith' | 'endswith' | 'contains'; path: string; value: string };

interface Token {
  t: 'id' | 'str' | 'num' | '(' | ')' | ',';
  v: string;
  at: number;
}

export const maxFilterDepth = 50;
export const maxFilterNodes = 250;

const unsupported = (message: string): GraphError =>
  new GraphError(400, 'BadRequest', `Invalid filter clause: ${message}`);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if ('(),'.includes(c)) out.push({ t: c as '(' | ')' | ',', v: c, at: i++ });
    else if (c === "'") {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw unsupported(`unterminated string literal at position ${i}.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += text[j++];
      }
      out.push({ t: 'str', v, at: i });
      i = j + 1;
    } else if (/[-\d]/.test(c) && /^-?\d/.test(text.slice(i, i + 2))) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i))!;
      out.push({ t: 'num', v: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_$@]/.test(c)) {
      const m = /^[A-Za-z_$@][\w$@./-]*/.exec(text.slice(i))!;
      out.push({ t: 'id', v: m[0], at: i });
      i += m[0].length;
    } else throw unsupported(`unexpected character '${c}' at position ${i}.`);
  }
  return out;
}

/** Parses a `$filter`; `allowed` maps lower-cased property paths to their canonical spelling. */
export function parseFilter(text: string, allowed: ReadonlyMap<string, string>, typeName: string): FilterNode {
  const p = new Parser(tokenize(text), allowed, typeName);
  const node = p.or();
  if (!p.done()) throw unsupported(`unexpected '${p.peek()!.v}' at position ${p.peek()!.at}.`);
  return node;
}

const comparisonOps = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const functions = new Set(['startswith', 'endswith', 'contains']);

class Parser {
  private i = 0;
  private depth = 0;
  private nodes = 0;
  constructor(
    private readonly toks: Token[],
    private readonly allowed: ReadonlyMap<string, string>,
    private readonly typeName: string,
  ) {}

  done(): boolean {
    return this.i >= this.toks.length;
  }
  peek(): Token | undefined {
    return this.toks[this.i];
  }

  /** Counts one node (clause, operator or list value) against the limit. */
  private count(): void {
    if (++this.nodes > maxFilterNodes)
      throw unsupported(`the node count limit of ${maxFilterNodes} has been exceeded; split the query.`);
  }

  private next(what: string): Token {
    const t = this.toks[this.i++];
    if (!t) throw unsupported(`expected ${what} but the expression ended.`);
    return t;
  }

  private keyword(word: string): boolean {
    const t = this.peek();
    if (t?.t === 'id' && t.v.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(t: Token['t']): void {
    const tok = this.next(`'${t}'`);
    if (tok.t !== t) throw unsupported(`expected '${t}' at position ${tok.at}, found '${tok.v}'.`);
  }

  or(): FilterNode {
    let a = this.and();
    while (this.keyword('or')) {
      this.count();
      a = { k: 'or', a, b: this.and() };
    }
    return a;
  }

  private and(): FilterNode {
    let a = this.unary();
    while (this.keyword('and')) {
      this.count();
      a = { k: 'and', a, b: this.unary() };
    }
    return a;
  }

  private unary(): FilterNode {
    const nested = this.peek()?.t === '(' || (this.peek()?.t === 'id' && this.peek()!.v.toLowerCase() === 'not');
    if (nested) {
      if (++this.depth > maxFilterDepth)
        throw unsupported(`parentheses and 'not' nest deeper than ${maxFilterDepth} levels.`);
      try {
        if (this.keyword('not')) {
          this.count();
          return { k: 'not', a: this.unary() };
        }
        this.i++;
        const inner = this.or();
        this.expect(')');
        return inner;
      } finally {
        this.depth--;
      }
    }
    this.count();
    const t = this.next('a property or function');
    if (t.t !== 'id') throw unsupported(`expected a property at position ${t.at}, found '${t.v}'.`);
    if (this.peek()?.t === '(') return this.call(t);
    return this.comparison(this.path(t.v));
  }

  private call(name: Token): FilterNode {
    const fn = name.v.toLowerCase();
    if (!functions.has(fn))
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `The function '${name.v}' is not supported in $filter here; use eq, ne, in, startswith, endswith or contains.`,
      );
    this.expect('(');
    const path = this.pathArgument();
    this.expect(',');
    const lit = this.next('a string');
    if (lit.t !== 'str') throw unsupported(`${fn} needs a quoted string as its second argument.`);
    this.expect(')');
    return { k: 'fn', fn: fn as 'startswith', path, value: lit.v };
  }

  /** A property, or `tolower(property)` (comparisons ignore case anyway). */
  private pathArgument(): string {
    const t = this.next('a property');
    if (t.t !== 'id') throw unsupported(`expected a property at position ${t.at}.`);
    if (t.v.toLowerCase() === 'tolower' && this.peek()?.t === '(') {
      if (++this.depth > maxFilterDepth) throw unsupported(`functions nest deeper than ${maxFilterDepth} levels.`);
      this.i++;
      const inner = this.pathArgument();
      this.expect(')');
      this.depth--;
      return inner;
    }
    return this.path(t.v);
  }

  private path(raw: string): string {
    const canonical = this.allowed.get(raw.toLowerCase());
    if (!canonical)
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${raw}' of resource '${this.typeName}'.`,
      );
    return canonical;
  }

  private comparison(path: string): FilterNode {
    const op = this.next('an operator');
    const name = op.v.toLowerCase();
    if (op.t === 'id' && name === 'in') return { k: 'in', path, values: this.list() };
    if (op.t !== 'id' || !comparisonOps.has(name))
      throw unsupported(`expected an operator (eq, ne, gt, ge, lt, le, in) after '${path}', found '${op.v}'.`);
    return { k: 'cmp', op: name as 'eq', path, value: this.literal() };
  }

  private list(): Literal[] {
    this.expect('(');
    const out = [this.literal()];
    while (this.peek()?.t === ',') {
      this.i++;
      this.count();
      out.push(this.literal());
    }
    this.expect(')');
    return out;
  }

  private literal(): Literal {
    const t = this.next('a value');
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    const w = t.v.toLowerCase();
    if (t.t === 'id' && (w === 'true' || w === 'false')) return w === 'true';
    if (t.t === 'id' && w === 'null') return null;
    // Graph also accepts unquoted GUIDs and date-times in some places; they are read as strings.
    if (t.t === 'id' && /^[0-9a-f-]{36}$|^\d{4}-\d{2}-\d{2}T/i.test(t.v)) return t.v;
    throw unsupported(`expected a value at position ${t.at}, found '${t.v}'; quote strings with single quotes.`);
  }
}

type Reader = (path: string) => unknown;

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : (v ?? null));

/** Evaluates a parsed filter; `read` returns the value of a canonical path on the current entity. */
export function matches(node: FilterNode, read: Reader): boolean {
  switch (node.k) {
    case 'and':
      return matches(node.a, read) && matches(node.b, read);
    case 'or':
      return matches(node.a, read) || matches(node.b, read);
    case 'not':
      return !matches(node.a, read);
    case 'in': {
      const v = norm(read(node.path));
      return node.values.some((x) => norm(x) === v);
    }
    case 'fn': {
      const v = read(node.path);
      if (typeof v !== 'string') return false;
      const s = v.toLowerCase();
      const x = node.value.toLowerCase();
      return node.fn === 'startswith' ? s.startsWith(x) : node.fn === 'endswith' ? s.endsWith(x) : s.includes(x);
    }
    case 'cmp':
      return compare(node.op, norm(read(node.path)), norm(node.value));
  }
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (a === null || b === null || typeof a !== typeof b) return false;
  const x = a as string | number;
  const y = b as string | number;
  return op === 'gt' ? x > y : op === 'ge' ? x >= y : op === 'lt' ? x < y : x <= y;
}

/** The value a top-level `and` chain requires for `path` with `eq` (used to pick an index). */
export function requiredEq(node: FilterNode | undefined, path: string): string | undefined {
  if (!node) return undefined;
  if (node.k === 'cmp' && node.op === 'eq' && node.path === path && typeof node.value === 'string') return node.value;
  if (node.k === 'and') return requiredEq(node.a, path) ?? requiredEq(node.b, path);
  return undefined;
}
