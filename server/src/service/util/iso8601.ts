/**
 * The one reading of ISO 8601 durations and date-times, shared by the rule checker and evaluator
 * (`system.now -minus p30d`, `employeeHireDate -ge 2020-06-10T18:13:20Z`), the policy checks
 * (`"duration": "P365D"`) and the sandbox (expiry, grace periods, approval time-outs).
 *
 * Durations: `P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]`, any case, at least one component, no sign.
 * Graph types durations as Edm.Duration, the XML Schema `duration`, whose only fractional
 * component is the seconds: so `PT1.5S` is a duration and `P1.5D` is not (use `PT36H`). One
 * grammar here means a duration the policy check accepts is one the sandbox can apply.
 * Years and months are calendar steps (UTC); weeks, days, hours, minutes and seconds are exact.
 *
 * Date-times: `yyyy-mm-dd`, optionally `Thh:mm[:ss[.f]]` (or a space for `T`) and a zone (`Z`,
 * `+hh:mm`, `+hhmm`); without a zone the time is UTC. Fields are range-checked (no 30 February).
 */

export interface Duration {
  /** Calendar months (years × 12 + months). */
  months: number;
  /** Exact milliseconds (weeks, days, hours, minutes, seconds). */
  ms: number;
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** The largest duration accepted: 10,000 years (beyond it dates leave JavaScript's range). */
const MAX_MONTHS = 120_000;
const MAX_MS = 10_000 * 366 * 86_400_000;

/** An ISO 8601 duration as calendar months plus milliseconds, or undefined when the text is not one. */
export function parseDuration(text: string): Duration | undefined {
  const t = text.trim();
  const m = DURATION.exec(t);
  if (!m) return undefined;
  const [, y, mo, w, d, h, mi, s] = m;
  if ([y, mo, w, d, h, mi, s].every((x) => x === undefined)) return undefined;
  // `P1DT`: a T must be followed by at least one time component.
  if (/T$/i.test(t)) return undefined;
  const n = (x: string | undefined): number => (x === undefined ? 0 : Number(x));
  const months = n(y) * 12 + n(mo);
  const ms = (((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(mi)) * 60_000 + Math.round(n(s) * 1000);
  if (!Number.isFinite(ms) || !Number.isFinite(months) || months > MAX_MONTHS || ms > MAX_MS) return undefined;
  return { months, ms };
}

export function isDuration(text: string): boolean {
  return parseDuration(text) !== undefined;
}

/** `at` (epoch ms) moved by a duration, forwards (sign 1) or backwards (-1): months first, then the exact part. */
export function addDuration(at: number, d: Duration, sign: 1 | -1 = 1): number {
  let t = at;
  if (d.months !== 0) {
    const date = new Date(t);
    date.setUTCMonth(date.getUTCMonth() + sign * d.months);
    t = date.getTime();
  }
  return t + sign * d.ms;
}

/** Length of a duration in days (a month as 30 days, a year as 365), for bounds and comparisons. */
export function durationDays(text: string): number | undefined {
  const d = parseDuration(text);
  if (!d) return undefined;
  const years = Math.floor(d.months / 12);
  return years * 365 + (d.months - years * 12) * 30 + d.ms / 86_400_000;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A date or date-time as epoch milliseconds (UTC when no zone is given), or undefined. */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, f, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (zone && h === undefined) return undefined;
  const ms = f === undefined ? 0 : Math.floor(Number(`0.${f}`) * 1000);
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (!zm) return undefined;
    const zh = Number(zm[2]);
    const zmin = Number(zm[3]);
    if (zh > 14 || zmin > 59) return undefined;
    t -= (zm[1] === '-' ? -1 : 1) * (zh * 60 + zmin) * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

export function isDateTime(text: string): boolean {
  return parseDateTime(text) !== undefined;
}
