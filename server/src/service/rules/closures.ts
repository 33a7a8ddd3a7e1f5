/**
 * Evaluator back end 2: plain closures, for runtimes without `new Function` (a content-security
 * policy). `-and`/`-or` lists loop over their items, so long rules cost no stack depth.
 */
import type { RulePredicate } from './codegen';
import {
  all,
  any,
  applyShift,
  boolString,
  dateMs,
  first,
  groupId,
  groupsOf,
  isNull,
  managerId,
  readOf,
  slowString,
  stringPredicate,
  type Read,
  type Shift,
} from './evalRuntime';
import type { ResolvedNode, ResolvedRule, ResolvedTest } from './resolved';

type Fn = (x: unknown) => boolean;

export function closures(rule: ResolvedRule, now: () => Date): RulePredicate {
  const shifts: Shift[] = [];
  const nows: number[] = [];
  const root = closureNode(rule.root, shifts, nows);
  if (shifts.length === 0) return root;
  return (o) => {
    const t = now();
    for (let i = 0; i < shifts.length; i++) nows[i] = applyShift(t, shifts[i]!);
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

function closureTest(test: ResolvedTest, shifts: Shift[], nows: number[]): (v: unknown) => boolean {
  const value = test.value;
  if (value.v === 'null') return isNull;
  if (value.v === 'bool') {
    const b = value.b;
    const lower = String(b);
    return (v) => v === b || boolString(v, lower);
  }
  if (value.v === 'date' || value.v === 'now') {
    let limit: () => number;
    if (value.v === 'date') {
      const ms = value.ms;
      limit = () => ms;
    } else {
      const i = shifts.push({ sign: value.sign, duration: value.duration }) - 1;
      nows.push(0);
      limit = () => nows[i] as number;
    }
    if (test.op === 'le') return (v) => dateMs(v) <= limit();
    if (test.op === 'ge') return (v) => dateMs(v) >= limit();
    return (v) => dateMs(v) === limit();
  }
  const p = stringPredicate(test);
  return (v) => (typeof v === 'string' ? p(v) : slowString(v, p));
}

function closureNode(n: ResolvedNode, shifts: Shift[], nows: number[]): Fn {
  switch (n.k) {
    case 'and': {
      const fs = n.items.map((i) => closureNode(i, shifts, nows));
      return (x) => {
        for (const f of fs) if (!f(x)) return false;
        return true;
      };
    }
    case 'or': {
      const fs = n.items.map((i) => closureNode(i, shifts, nows));
      return (x) => {
        for (const f of fs) if (f(x)) return true;
        return false;
      };
    }
    case 'not': {
      const a = closureNode(n.a, shifts, nows);
      return (x) => !a(x);
    }
    case 'quant': {
      const read = closureRead(readOf(n.prop));
      const coll = n.item === 'group' ? (x: unknown) => groupsOf(read(x)) : read;
      const body = closureNode(n.body, shifts, nows);
      return n.all ? (x) => all(coll(x), body) : (x) => any(coll(x), body);
    }
    case 'directReports': {
      const id = n.managerId;
      return (x) => {
        const v = managerId(x as Record<string, unknown>);
        return typeof v === 'string' && v.toLowerCase() === id;
      };
    }
    case 'test': {
      const read = closureRead(readOf(n.prop));
      const p = closureTest(n, shifts, nows);
      return n.neg ? (x) => !p(read(x)) : (x) => p(read(x));
    }
  }
}
