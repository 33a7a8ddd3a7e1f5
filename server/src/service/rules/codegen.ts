/**
 * Evaluator back end 1: JavaScript source built from the resolved rule and created with
 * `new Function` (the fast path). The source never contains text of the rule: property names and
 * constants are embedded with `JSON.stringify`, patterns and sets are passed in as constants.
 * Long `-and`/`-or` lists become functions of statements (chunks of 64 tests), so a rule of
 * 100,000 clauses neither nests expressions deeply nor makes one giant function.
 */
import { helpers, readOf, stringPredicate, type Read, type Shift } from './evalRuntime';
import type { ResolvedNode, ResolvedRule, ResolvedTest } from './resolved';

export type RulePredicate = (obj: Record<string, unknown>) => boolean;

const CHUNK = 64;

/** A JavaScript literal for a string or number: JSON, with the two line separators escaped. */
function lit(x: string | number): string {
  return JSON.stringify(x)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

class Generator {
  readonly consts: unknown[] = [];
  readonly functions: string[] = [];
  readonly shifts: Shift[] = [];

  constant(x: unknown): string {
    this.consts.push(x);
    return `c${this.consts.length - 1}`;
  }

  private fn(param: 'o' | 'it', body: string): string {
    const index = this.functions.push('') - 1;
    this.functions[index] = `function f${index}(${param}) { var v; ${body} }`;
    return `f${index}`;
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

  node(n: ResolvedNode, base: 'o' | 'it'): string {
    switch (n.k) {
      case 'and':
      case 'or':
        return this.list(n.k, n.items, base);
      case 'not':
        return `!${this.node(n.a, base)}`;
      case 'quant': {
        const body = this.fn('it', `return ${this.node(n.body, 'it')};`);
        const read = this.read(readOf(n.prop), base);
        const coll = n.item === 'group' ? `h_groupsOf(${read})` : read;
        return `${n.all ? 'h_all' : 'h_any'}(${coll}, ${body})`;
      }
      case 'directReports':
        return `(typeof (v = h_managerId(o)) === "string" && v.toLowerCase() === ${lit(n.managerId)})`;
      case 'test': {
        const code = this.test(n, this.read(readOf(n.prop), base));
        return n.neg ? `!${code}` : code;
      }
    }
  }

  /** An n-ary connective: an expression when short, otherwise functions of at most CHUNK statements. */
  private list(k: 'and' | 'or', items: readonly ResolvedNode[], base: 'o' | 'it'): string {
    if (items.length <= 8) return `(${items.map((i) => this.node(i, base)).join(k === 'and' ? ' && ' : ' || ')})`;
    let calls = items.map((i) => this.node(i, base));
    while (calls.length > 1) {
      const next: string[] = [];
      for (let i = 0; i < calls.length; i += CHUNK) {
        const part = calls.slice(i, i + CHUNK);
        const body =
          k === 'and'
            ? `${part.map((c) => `if (!${c}) return false;`).join(' ')} return true;`
            : `${part.map((c) => `if (${c}) return true;`).join(' ')} return false;`;
        next.push(`${this.fn(base, body)}(${base})`);
      }
      calls = next;
    }
    return calls[0] as string;
  }

  private test(test: ResolvedTest, read: string): string {
    const value = test.value;
    switch (value.v) {
      case 'null':
        return `h_isNull(${read})`;
      case 'bool':
        return `((v = ${read}) === ${value.b} || h_boolString(v, ${lit(String(value.b))}))`;
      case 'date':
      case 'now': {
        let at: string;
        if (value.v === 'date') at = lit(value.ms);
        else {
          this.shifts.push({ sign: value.sign, duration: value.duration });
          at = `n${this.shifts.length - 1}`;
        }
        const op = test.op === 'le' ? '<=' : test.op === 'ge' ? '>=' : '===';
        return `(h_dateMs(${read}) ${op} ${at})`;
      }
      default: {
        const slow = this.constant(stringPredicate(test));
        return `(typeof (v = ${read}) === "string" ? ${this.fast(test)} : h_slowString(v, ${slow}))`;
      }
    }
  }

  /** The test on `v`, a string. */
  private fast(test: ResolvedTest): string {
    const value = test.value;
    if (value.v === 'list') return `${this.constant(new Set(value.lower))}.has(v.toLowerCase())`;
    if (value.v === 'regex') return `${this.constant(stringPredicate(test))}(v)`;
    const k = lit(value.v === 'text' ? value.lower : '');
    switch (test.op) {
      case 'startsWith':
        return `v.toLowerCase().startsWith(${k})`;
      case 'endsWith':
        return `v.toLowerCase().endsWith(${k})`;
      case 'contains':
        return `v.toLowerCase().includes(${k})`;
      default:
        return `v.toLowerCase() === ${k}`;
    }
  }
}

/** The source of the predicate for a rule, with its constants and `system.now` offsets. */
export function generatedSource(rule: ResolvedRule): { source: string; consts: unknown[]; shifts: Shift[] } {
  const gen = new Generator();
  const body = gen.node(rule.root, 'o');
  const lines: string[] = ['"use strict";'];
  for (const name of Object.keys(helpers)) lines.push(`var h_${name} = h[${lit(name)}];`);
  gen.consts.forEach((_, i) => lines.push(`var c${i} = c[${i}];`));
  gen.shifts.forEach((_, i) => lines.push(`var s${i} = shifts[${i}], n${i} = 0;`));
  lines.push(...gen.functions);
  const setNow =
    gen.shifts.length > 0
      ? `var t = now(); ${gen.shifts.map((_, i) => `n${i} = h_applyShift(t, s${i});`).join(' ')} `
      : '';
  lines.push(`return function test(o) { ${setNow}var v; return ${body}; };`);
  return { source: lines.join('\n'), consts: gen.consts, shifts: gen.shifts };
}

/** The predicate, or undefined when this runtime cannot create functions from source. */
export function generate(rule: ResolvedRule, now: () => Date): RulePredicate | undefined {
  try {
    const { source, consts, shifts } = generatedSource(rule);
    // The one place rule code is created from source; the source holds no rule text (see above).
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function('h', 'c', 'shifts', 'now', source) as (
      h: typeof helpers,
      c: unknown[],
      shifts: Shift[],
      now: () => Date,
    ) => RulePredicate;
    return factory(helpers, consts, shifts, now);
  } catch {
    return undefined;
  }
}
