/**
 * The sandbox's notion of "now": real time plus an offset that tests move through
 * `POST /_sandbox/clock`, so expiry, grace periods and approval time-outs can be exercised
 * without waiting.
 */
import { addDuration as shift, parseDuration } from '../../../server/src/service/util/iso8601';

export class Clock {
  offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  setNow(ms: number): void {
    this.offsetMs = ms - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** `at` moved forward by an ISO 8601 duration (calendar months, exact days and times), or undefined if the text is not one. */
export function addDuration(at: number, duration: string): number | undefined {
  const d = parseDuration(duration);
  return d ? shift(at, d) : undefined;
}

export function isDuration(text: unknown): text is string {
  return typeof text === 'string' && /^P/i.test(text) && parseDuration(text) !== undefined;
}

export function isDateTime(text: unknown): text is string {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) && !Number.isNaN(Date.parse(text));
}
