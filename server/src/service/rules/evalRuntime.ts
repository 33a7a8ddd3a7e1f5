/**
 * What both evaluator back ends share: where a resolved property is read from in a Graph-shaped
 * object, and the run-time helpers (null, strings and lists, booleans stored as text, instants,
 * groups, the manager, quantifiers). See `evaluate.ts` for the semantics.
 */
import { graphGroupType, graphItemProperty, graphProperty } from './graphNames';
import type { ResolvedProperty, ResolvedTest } from './resolved';
import { addDuration, parseDateTime, type Duration } from '../util/iso8601';

/** Where a value is read from, relative to the object (`o`) or to the current item (`it`). */
export type Read =
  { r: 'path'; path: readonly string[]; first: boolean } | { r: 'self' } | { r: 'groupId' } | { r: 'managerId' };

export function readOf(prop: ResolvedProperty): Read {
  if (prop.of === 'object') {
    const g = graphProperty(prop.object, prop.info.name);
    return { r: 'path', path: g.path, first: g.first === true };
  }
  if (prop.item === 'string') return { r: 'self' };
  if (prop.item === 'group') return { r: 'groupId' };
  return { r: 'path', path: graphItemProperty('plan', prop.info.name).path, first: false };
}

/** A `system.now` offset. */
export interface Shift {
  sign: 1 | -1;
  duration: Duration;
}

export function applyShift(now: Date, s: Shift): number {
  return addDuration(now.getTime(), s.duration, s.sign);
}

export function isNull(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
}

/** A string test on a value that is not a string: null is false, lists test their items. */
export function slowString(v: unknown, p: (s: string) => boolean): boolean {
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

export function boolString(v: unknown, lower: string): boolean {
  return typeof v === 'string' && v.trim().toLowerCase() === lower;
}

export function dateMs(v: unknown): number {
  if (typeof v === 'string') {
    const ms = parseDateTime(v);
    return ms === undefined ? Number.NaN : ms;
  }
  if (v instanceof Date) return v.getTime();
  return Number.NaN;
}

export function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

export function groupId(item: unknown): unknown {
  if (typeof item === 'string') return item;
  if (item === null || typeof item !== 'object') return undefined;
  const type = (item as Record<string, unknown>)['@odata.type'];
  if (type !== undefined && type !== graphGroupType) return undefined;
  return (item as Record<string, unknown>)['id'];
}

export function groupsOf(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  return v.filter((item) => groupId(item) !== undefined);
}

export function managerId(o: Record<string, unknown>): unknown {
  const m = o['manager'];
  if (m !== null && typeof m === 'object') {
    const id = (m as Record<string, unknown>)['id'];
    if (typeof id === 'string') return id;
  }
  return o['managerId'];
}

export function any(v: unknown, f: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (f(v[i])) return true;
  return false;
}

export function all(v: unknown, f: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return true;
  for (let i = 0; i < v.length; i++) if (!f(v[i])) return false;
  return true;
}

/** The positive test of a string comparison on one string (not lower-cased yet). */
export function stringPredicate(test: ResolvedTest): (s: string) => boolean {
  const value = test.value;
  if (value.v === 'list') {
    const set = new Set(value.lower);
    return (s) => set.has(s.toLowerCase());
  }
  if (value.v === 'regex') {
    if (value.verdict.kind !== 'ok') return () => false;
    const re = value.verdict.pattern;
    return (s) => re.test(s);
  }
  const k = value.v === 'text' ? value.lower : '';
  switch (test.op) {
    case 'startsWith':
      return (s) => s.toLowerCase().startsWith(k);
    case 'endsWith':
      return (s) => s.toLowerCase().endsWith(k);
    case 'contains':
      return (s) => s.toLowerCase().includes(k);
    default:
      return (s) => s.toLowerCase() === k;
  }
}

export const helpers = {
  isNull,
  slowString,
  boolString,
  dateMs,
  first,
  groupId,
  groupsOf,
  managerId,
  any,
  all,
  applyShift,
};
