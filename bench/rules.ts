/**
 * Rule benchmarks:
 * (a) parse (and, later, check) of a ~3,000-character rule against `JSON.parse` of a JSON text
 *     of the same size; absolute target < 0.2 ms per rule.
 * (b) evaluation of a compiled 5-clause rule over 100,000 generated users against a hand-written
 *     predicate doing the same case-insensitive tests; target ratio ≤ 1.5.
 * (c) `-match` over 100,000 users: the linear-time engine (re2js, what every evaluator runs)
 *     against JavaScript's backtracking RegExp on the same pattern; the price of never hanging.
 * Subject and reference samples are interleaved (alternating which goes first) so drift in the
 * machine's speed affects both alike.
 */
import { compileRuleText, type RulePredicate } from '../server/src/service/rules/evaluate';
import { checkRule } from '../server/src/service/rules/checker';
import { interleave, result } from './measure';
import type { BenchResult } from './types';

/** What benchmark (a) measures: the one place to swap in the checker when it lands. */
export function checkRuleText(text: string): unknown {
  return checkRule(text);
}

export const evaluationRule =
  '(user.department -eq "Sales") -and (user.country -in ["US","CA","GB"]) -and (user.jobTitle -startsWith "senior") -and (user.accountEnabled -eq true) -and -not (user.userType -eq "Guest")';

const USERS = 100_000;
const SAMPLES = 21;
const WARMUP = 5;

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Graph-shaped users; some properties in other casings, null, or missing. */
export function generateUsers(count: number, seed = 42): Record<string, unknown>[] {
  const random = prng(seed);
  const departments = ['Sales', 'sales', 'SALES', 'Marketing', 'Engineering', 'Finance', 'Support', null, undefined];
  const countries = ['US', 'us', 'CA', 'GB', 'DE', 'FR', 'JP', 'IN', null];
  const titles = [
    'Senior Engineer',
    'senior manager',
    'SENIOR Analyst',
    'Engineer',
    'Manager',
    'Director',
    'Intern',
    null,
  ];
  const users: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const u: Record<string, unknown> = {
      id,
      displayName: `User ${i}`,
      userPrincipalName: `user${i}@contoso.com`,
      mail: `user${i}@contoso.com`,
      accountEnabled: random() < 0.9,
      userType: pick(random, ['Member', 'Member', 'Member', 'Guest', null]),
      country: pick(random, countries),
      jobTitle: pick(random, titles),
      proxyAddresses: [`SMTP:user${i}@contoso.com`],
    };
    const department = pick(random, departments);
    if (department !== undefined) u['department'] = department;
    users.push(u);
  }
  return users;
}

/** The hand-written predicate the compiled rule is measured against: the same tests, by hand. */
const countrySet = new Set(['us', 'ca', 'gb']);
export function referencePredicate(u: Record<string, unknown>): boolean {
  const d = u['department'];
  if (typeof d !== 'string' || d.toLowerCase() !== 'sales') return false;
  const c = u['country'];
  if (typeof c !== 'string' || !countrySet.has(c.toLowerCase())) return false;
  const j = u['jobTitle'];
  if (typeof j !== 'string' || !j.toLowerCase().startsWith('senior')) return false;
  if (u['accountEnabled'] !== true) return false;
  const t = u['userType'];
  return !(typeof t === 'string' && t.toLowerCase() === 'guest');
}

// Two loops written out separately so each call site sees only its own predicate.
function passReference(users: readonly Record<string, unknown>[]): number {
  let n = 0;
  for (let i = 0; i < users.length; i++) if (referencePredicate(users[i] as Record<string, unknown>)) n++;
  return n;
}

function passSubject(users: readonly Record<string, unknown>[], test: RulePredicate): number {
  let n = 0;
  for (let i = 0; i < users.length; i++) if (test(users[i] as Record<string, unknown>)) n++;
  return n;
}

export async function benchEvaluation(
  backend?: 'codegen' | 'closure',
  users = generateUsers(USERS),
): Promise<BenchResult> {
  const compiled = compileRuleText(evaluationRule, backend ? { backend } : {});
  if (!compiled.ok) throw new Error(`benchmark rule does not compile: ${compiled.reason}`);
  const test = compiled.test;
  const expected = passReference(users);
  const got = passSubject(users, test);
  if (expected !== got) throw new Error(`compiled rule selects ${got} users, the reference ${expected}`);
  const { subject, reference } = await interleave(
    () => passSubject(users, test),
    () => passReference(users),
    SAMPLES,
    WARMUP,
  );
  return result(
    `evaluate 5-clause rule over ${USERS.toLocaleString('en-US')} users (${compiled.backend})`,
    subject,
    reference,
    1e6,
    'ms',
    backend === 'closure' ? '(fallback; no target)' : 'ratio ≤ 1.5',
    `${expected} users match; reference: hand-written JS predicate`,
  );
}

/** A rule of about `size` characters (and at most the 3,072 Entra allows). */
export function longRule(size = 3000): string {
  const random = prng(7);
  const clauses: string[] = [];
  const props = ['department', 'jobTitle', 'city', 'country', 'companyName', 'mail', 'displayName'];
  const ops = ['-eq', '-ne', '-startsWith', '-contains', '-endsWith'];
  let text = '';
  for (let i = 0; ; i++) {
    let clause: string;
    switch (i % 4) {
      case 0:
        clause = `(user.${pick(random, props)} ${pick(random, ops)} "value ${i}")`;
        break;
      case 1:
        clause = `(user.country -in ["US","CA","GB","D${i}"])`;
        break;
      case 2:
        clause = `(user.proxyAddresses -any (_ -startsWith "smtp:${i}"))`;
        break;
      default:
        clause = `-not (user.accountEnabled -eq false)`;
    }
    const next = clauses.length === 0 ? clause : `${text} ${i % 3 === 0 ? '-or' : '-and'} ${clause}`;
    if (next.length > size) break;
    clauses.push(clause);
    text = next;
  }
  return text;
}

/** A JSON text of about `size` characters. */
function jsonOfSize(size: number): string {
  const items: unknown[] = [];
  let text = '[]';
  for (let i = 0; ; i++) {
    items.push({ id: i, name: `item ${i}`, tags: ['a', 'b'], enabled: i % 2 === 0, score: i * 1.5 });
    const next = JSON.stringify(items);
    if (next.length > size) break;
    text = next;
  }
  return text;
}

/** `rule` with its first `count` property names misspelt (unknown properties: did-you-mean runs for each). */
export function withTypos(rule: string, count: number): string {
  let n = 0;
  return rule.replace(/user\.([A-Za-z]+)/g, (whole, name: string) => {
    if (n >= count || name === 'proxyAddresses') return whole;
    n++;
    return `user.${name.slice(0, -2)}${name.slice(-1)}${name.slice(-2, -1)}x`;
  });
}

export async function benchParse(typos = 0): Promise<BenchResult> {
  const clean = longRule(3000);
  const rule = typos === 0 ? clean : withTypos(clean, typos);
  const json = jsonOfSize(rule.length);
  const parsed = checkRule(rule);
  const unknown = parsed.diagnostics.filter((d) => d.code === 'R202').length;
  if (parsed.diagnostics.some((d) => d.severity === 'error' && d.code !== 'R202') || (typos > 0 && unknown === 0))
    throw new Error(`benchmark rule has other errors than the ${typos} typos`);
  const rounds = 200;
  let sink = 0;
  const subject = (): void => {
    for (let i = 0; i < rounds; i++) sink += checkRuleText(rule) ? 1 : 0;
  };
  const reference = (): void => {
    for (let i = 0; i < rounds; i++) sink += JSON.parse(json) ? 1 : 0;
  };
  const times = await interleave(subject, reference, SAMPLES, WARMUP);
  if (sink === 0) throw new Error('unreachable');
  return result(
    typos === 0
      ? 'parse+check a ~3,000-character rule'
      : `parse+check a ~3,000-character rule with ${unknown} misspelt propert${unknown === 1 ? 'y' : 'ies'}`,
    times.subject,
    times.reference,
    rounds * 1e3,
    'µs',
    '< 200 µs',
    `rule ${rule.length} chars; reference: JSON.parse of ${json.length} chars`,
  );
}

export const matchPattern = '^user[0-9]*7@contoso\\.com$';

export async function benchMatch(users = generateUsers(USERS)): Promise<BenchResult> {
  const compiled = compileRuleText(`user.mail -match "${matchPattern}"`);
  if (!compiled.ok) throw new Error(`benchmark rule does not compile: ${compiled.reason}`);
  const test = compiled.test;
  const re = new RegExp(matchPattern, 'i');
  const reference = (u: Record<string, unknown>): boolean => {
    const m = u['mail'];
    return typeof m === 'string' && re.test(m);
  };
  const expected = passSubject(users, reference);
  if (passSubject(users, test) !== expected) throw new Error('re2js and RegExp disagree on the benchmark pattern');
  const times = await interleave(
    () => passSubject(users, test),
    () => passSubject(users, reference),
    SAMPLES,
    WARMUP,
  );
  return result(
    `-match over ${USERS.toLocaleString('en-US')} users (re2js, linear time)`,
    times.subject,
    times.reference,
    1e6,
    'ms',
    '(no target: the cost of a bound)',
    `${expected} users match; reference: JavaScript RegExp (backtracking) on the same pattern`,
  );
}

export async function benchRules(): Promise<BenchResult[]> {
  const users = generateUsers(USERS);
  return [
    await benchParse(),
    await benchParse(1),
    await benchParse(5),
    await benchParse(Infinity),
    await benchEvaluation(undefined, users),
    await benchEvaluation('closure', users),
    await benchMatch(users),
  ];
}
