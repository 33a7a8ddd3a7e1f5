/**
 * Path routing: patterns such as `users/{}/memberOf` matched segment by segment (segments are
 * compared case-insensitively, as Graph does), `{}` capturing an id.
 */
import { GraphError } from './errors';
import type { QueryOptions } from './query';
import type { Engine } from '../engine/engine';

export interface Ctx {
  eng: Engine;
  method: string;
  /** Absolute request URL (`http://127.0.0.1:PORT/v1.0/...`). */
  url: URL;
  /** `http://127.0.0.1:PORT/v1.0`. */
  base: string;
  query: QueryOptions;
  body: unknown;
  params: string[];
  /** The request's headers (lower-case names), for the few routes that read one (`ConsistencyLevel`). */
  headers?: Record<string, string | string[] | undefined>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply;

export interface Route {
  method: string;
  pattern: string[];
  handler: Handler;
  /** Changes state: runs inside one store transaction (validation to journal append, no await). */
  write: boolean;
}

export function route(method: string, pattern: string, handler: Handler): Route {
  return { method, pattern: pattern.split('/'), handler, write: method !== 'GET' };
}

export interface Match {
  route: Route;
  params: string[];
}

/** The route for a path (without the `/v1.0/` prefix), a 405 for a known path with another method, or a 400 for an unknown segment. */
export function match(routes: readonly Route[], method: string, segments: string[]): Match {
  let pathKnown = false;
  let deepest = 0;
  for (const r of routes) {
    const { ok, depth, params } = compare(r.pattern, segments);
    deepest = Math.max(deepest, depth);
    if (!ok) continue;
    if (r.method === method) return { route: r, params };
    pathKnown = true;
  }
  if (pathKnown)
    throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed on this resource.`);
  const segment = segments[Math.min(deepest, segments.length - 1)] ?? '';
  throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

function compare(pattern: string[], segments: string[]): { ok: boolean; depth: number; params: string[] } {
  const params: string[] = [];
  let depth = 0;
  for (; depth < pattern.length && depth < segments.length; depth++) {
    const p = pattern[depth]!;
    const s = segments[depth]!;
    if (p === '{}') params.push(s);
    else if (p.toLowerCase() !== s.toLowerCase()) break;
  }
  return { ok: depth === pattern.length && depth === segments.length, depth, params };
}
