/**
 * Regular expressions of `-match`/`-notMatch`: how a pattern is judged and how it is run.
 *
 * Run: always with re2js (a linear-time RE2 port), case-insensitive, searching anywhere in the
 * value, so no pattern and no value can make evaluation backtrack: the editor's preview, the CLI
 * and the sandbox all stay responsive. A pattern RE2 cannot run (backreferences `\1`, lookaround
 * `(?=`, atomic groups `(?>`, `\Z`...) is not run by another engine: the checker says so with a
 * warning (Entra's .NET engine may accept it) and the evaluator refuses the rule with the same
 * reason, which the CLI, the sandbox and the preview report.
 *
 * Dialect: Entra runs .NET regular expressions. Where .NET and RE2 differ we follow .NET: `\d`,
 * `\w`, `\s` are Unicode-aware (`\d` matches Arabic-Indic digits, `\w` accented letters), escapes
 * .NET does not know (`\q`) and ranges ending in a class (`[\d-z]`) are invalid. What remains
 * different: `\b` and `\W`/`\S` inside a class are ASCII here; `$` matches only at the very end
 * (.NET also before a final newline); .NET-only constructs are not run (R411).
 *
 * Judge: a pattern neither JavaScript nor RE2 can read, and that uses no .NET-only construct, is
 * invalid (an error). Patterns whose shape lets a backtracking engine (.NET's, in Entra) take
 * exponential time — a quantified group whose body is itself quantified (`(a+)+`), or quantified
 * alternatives that can match the same text (`(a|a)*`, `(\w|\d)+`) — are flagged with a warning.
 */
import { RE2JS } from 're2js';

export interface LinearPattern {
  /** True when the pattern matches somewhere in the text (case-insensitive). */
  test(text: string): boolean;
}

export type PatternVerdict =
  | { kind: 'ok'; pattern: LinearPattern }
  /** Valid for .NET (or JavaScript) but beyond RE2: not evaluated here. */
  | { kind: 'notLinear'; reason: string }
  | { kind: 'invalid'; reason: string };

/** Constructs .NET accepts and JavaScript does not; a pattern using them is not called invalid. */
const DOTNET_ONLY = /\(\?[imnsx-]+\)|\(\?>|\(\?#|\\[AZzG]|\(\?[imnsx-]+:|\(\?<[=!]|\(\?=|\(\?!|\\k<|\(\?'/;

/** .NET's Unicode meaning of the shorthand classes, in RE2 syntax (outside and inside `[...]`). */
const UNICODE_OUTSIDE: Readonly<Record<string, string>> = {
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  w: '[\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}]',
  W: '[^\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}]',
  s: '[\\f\\n\\r\\t\\x0B\\x{85}\\p{Z}]',
  S: '[^\\f\\n\\r\\t\\x0B\\x{85}\\p{Z}]',
};
const UNICODE_INSIDE: Readonly<Record<string, string>> = {
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  w: '\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}',
  s: '\\f\\n\\r\\t\\x0B\\x{85}\\p{Z}',
};

/**
 * The pattern with `\d`, `\w`, `\s` (and their negations outside classes) given .NET's Unicode
 * meaning: `\d` matches `٣`, `\w` matches `é`. Still ASCII: `\b`, and `\W`/`\S` inside `[...]`.
 */
export function dotnetShorthands(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      const table = inClass ? UNICODE_INSIDE : UNICODE_OUTSIDE;
      out += table[e] ?? `\\${e}`;
      i++;
    } else {
      if (c === '[' && !inClass) inClass = true;
      else if (c === ']' && inClass && source[i - 1] !== '[' && !(source[i - 1] === '^' && source[i - 2] === '['))
        inClass = false;
      out += c;
    }
  }
  return out;
}

/** A character-class range with a shorthand class at one end (`[\d-z]`): .NET refuses it. */
function classRangeProblem(source: string): string | undefined {
  const m = /\[[^\]]*?(?:\\[dDwWsS]-[^\]]|[^[\\]-\\[dDwWsS])/.exec(source);
  return m
    ? `in ${m[0]}…] a range starts or ends with a class such as \\d, which .NET refuses; put the hyphen last ([\\d-]) or escape it (\\-).`
    : undefined;
}

function re2(source: string): LinearPattern | string {
  try {
    return RE2JS.compile(dotnetShorthands(source), RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    // JavaScript spellings RE2 lacks: `\uXXXX` and `(?<name>...)`.
    if (/\\u[0-9a-fA-F]{4}|\(\?<[A-Za-z]/.test(source)) {
      try {
        return RE2JS.compile(RE2JS.translateRegExp(source), RE2JS.CASE_INSENSITIVE);
      } catch {
        // fall through to the first error
      }
    }
    return e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
  }
}

/** An escape .NET refuses (`\q`, `\i`...): .NET knows only these letters after a backslash. */
function unknownEscape(source: string): string | undefined {
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '\\') continue;
    const e = source[i + 1] ?? '';
    if (/[A-Za-z]/.test(e) && !/[abBtrvfnedDwWsSpPAZzGkcxu]/.test(e)) return `\\${e}`;
    i++;
  }
  return undefined;
}

function jsError(source: string): string | undefined {
  try {
    new RegExp(source, 'i');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
  }
}

/** Judges and compiles a pattern once; the checker and the evaluator share the verdict. */
export function compilePattern(source: string): PatternVerdict {
  const escape = unknownEscape(source);
  if (escape) return { kind: 'invalid', reason: `Invalid regular expression: ${escape} is not an escape .NET knows.` };
  const range = classRangeProblem(source);
  if (range) return { kind: 'invalid', reason: `Invalid regular expression: ${range}` };
  const compiled = re2(source);
  if (typeof compiled !== 'string') return { kind: 'ok', pattern: compiled };
  const js = jsError(source);
  if (js === undefined || DOTNET_ONLY.test(source)) {
    return {
      kind: 'notLinear',
      reason: `This pattern cannot be evaluated here (${compiled}): backreferences, lookaround, atomic groups and \\Z are beyond the linear-time engine that runs -match locally; Entra may still accept it.`,
    };
  }
  return { kind: 'invalid', reason: `Invalid regular expression: ${js}` };
}

// ---------------------------------------------------------------------------------------------
// Catastrophic backtracking: a structural scan of the pattern.

interface Group {
  /** Texts of the atoms repeated without bound inside (undefined: a repeated group, anything). */
  repeated: (string | undefined)[];
  /** First-character sets of each top-level alternative (undefined: could be anything). */
  firsts: (string | undefined)[];
  /** The current alternative has not seen its first atom yet. */
  atStart: boolean;
  /** Literal characters the body must match once per iteration (`,` in `(\d+,)`); undefined when dropped. */
  mandatory: (string | undefined)[];
  /** Where the first atom of the current alternative starts, to recognise its quantifier. */
  firstAt: number;
}

function group(): Group {
  return { repeated: [], firsts: [], atStart: true, mandatory: [], firstAt: -1 };
}

/** Whether an atom (`[a-z]`, `\d`, `.`, `x`) can match the character `c`; true when unsure. */
function atomMatches(atom: string | undefined, c: string | undefined): boolean {
  if (atom === undefined || c === undefined || c === '') return true;
  try {
    return new RegExp(`^(?:${atom})$`, 'i').test(c);
  } catch {
    return true;
  }
}

/**
 * A short reason when the pattern can backtrack catastrophically in a backtracking engine: a
 * group repeated without bound whose body repeats something that can also begin the next
 * iteration (`(a+)+`, `(\w+\s?)*`, `(a[a-z]+)*`, but not `(\.[a-z]+)*`), or whose alternatives
 * can begin with the same character (`(a|ab)*`).
 */
export function catastrophicReason(source: string): string | undefined {
  const stack: Group[] = [group()];
  let i = 0;
  const n = source.length;
  /** The last atom: its text and first character, or the group it closed. */
  let last: { group?: Group; text?: string; first?: string; at: number; mandatory?: number } | undefined;
  const unbounded = (at: number): { yes: boolean; end: number } => {
    const c = source[at];
    if (c === '*' || c === '+') return { yes: true, end: at + 1 };
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at, at + 20));
      if (m) {
        const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
        return { yes: max > 10, end: at + m[0].length };
      }
    }
    return { yes: false, end: at };
  };
  const top = (): Group => stack[stack.length - 1] as Group;
  const atom = (first: string | undefined, at: number): void => {
    const g = top();
    if (g.atStart) {
      g.firsts.push(first);
      g.atStart = false;
      g.firstAt = at;
    }
  };
  while (i < n) {
    const c = source[i] as string;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      const first = /[dwsDWSbBpP]/.test(e) ? undefined : e.toLowerCase();
      const text = source.slice(i, i + 2);
      if (!/[bBAZzG]/.test(e)) atom(first, i);
      last = { text: /[pP]/.test(e) ? undefined : text, first, at: i };
      if (first !== undefined && !/[A-Za-z0-9]/.test(e)) last.mandatory = top().mandatory.push(first) - 1;
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < n && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      atom(undefined, i);
      last = { text: source.slice(i, j + 1), at: i };
      i = j + 1;
    } else if (c === '(') {
      atom(undefined, i);
      stack.push(group());
      const m = /^\(\?(?:[:=!>]|<[=!]|<[A-Za-z]\w*>|P<\w+>|[imnsx-]+[:)])?/.exec(source.slice(i, i + 40));
      i += m ? m[0].length : 1;
      last = undefined;
    } else if (c === ')') {
      if (stack.length > 1) {
        const g = stack.pop() as Group;
        const open = top().firstAt;
        last = { group: g, at: open };
        // What the group repeats counts, for its parent, as something repeated inside it.
        for (const r of g.repeated) top().repeated.push(r);
        const firsts = g.firsts;
        const parent = top();
        if (parent.firsts.length > 0 && parent.firstAt === open)
          parent.firsts[parent.firsts.length - 1] = firsts.length === 1 ? firsts[0] : undefined;
      }
      i++;
    } else if (c === '|') {
      const g = top();
      if (g.atStart) g.firsts.push('');
      g.atStart = true;
      last = undefined;
      i++;
    } else if (c === '*' || c === '+' || c === '{' || c === '?') {
      const q = unbounded(i);
      const g = top();
      if (q.yes && last) {
        if (last.group) {
          const inner = last.group;
          if (inner.atStart) inner.firsts.push('');
          // Iterations are delimited when the body must match a character none of its repetitions can.
          const delimited =
            inner.firsts.length === 1 &&
            inner.mandatory.some((m) => m !== undefined && !inner.repeated.some((r) => atomMatches(r, m)));
          if (inner.repeated.length > 0 && !delimited)
            return 'a repeated group contains another repetition, such as (a+)+';
          if (overlap(inner.firsts))
            return 'a repeated group has alternatives that can match the same text, such as (a|a)*';
          g.repeated.push(undefined);
        } else {
          g.repeated.push(last.text);
        }
      }
      if (last?.mandatory !== undefined) g.mandatory[last.mandatory] = undefined;
      i = Math.max(q.end, i + 1);
      if (source[i] === '?' || source[i] === '+') i++;
      last = undefined;
    } else {
      const first = c === '.' || c === '^' || c === '$' ? undefined : c.toLowerCase();
      if (c !== '^' && c !== '$') atom(first, i);
      last = { text: c === '.' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), first, at: i };
      if (first !== undefined) last.mandatory = top().mandatory.push(first) - 1;
      i++;
    }
  }
  return undefined;
}

/** Alternatives that may start with the same character (undefined: any character). */
function overlap(firsts: (string | undefined)[]): boolean {
  if (firsts.length < 2) return false;
  const seen = new Set<string>();
  for (const f of firsts) {
    if (f === undefined || f === '') return true;
    if (seen.has(f)) return true;
    seen.add(f);
  }
  return false;
}
