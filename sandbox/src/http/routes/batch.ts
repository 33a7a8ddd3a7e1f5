/**
 * `POST /v1.0/$batch`: Graph's JSON batching. Up to 20 inner requests `{id, method, url, headers?,
 * body?, dependsOn?}`; each runs through the same path as a request of its own (fault injection,
 * policy validation, routing, one store transaction per write) and gets its own
 * `{id, status, headers, body}`. The outer answer is 200 whenever the batch itself is well formed;
 * responses come back in an order of their own (clients must match by `id`, as with Graph).
 * A request whose dependency failed gets 424. Under `--fault-rate` each inner request is metered
 * on its own, as Graph meters them: an injected 429 comes back inside with its own `Retry-After`.
 */
import { GraphError, badRequest, errorBody } from '../errors';
import type { Reply } from '../router';

export const maxBatchRequests = 20;

export interface InnerRequest {
  id: string;
  method: string;
  /** Path and query relative to the version root: `/users?$top=1`. */
  url: string;
  headers: Record<string, string>;
  /** The body as text (JSON), or '' when none. */
  text: string;
}

export interface InnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs one inner request as the server runs a request of its own. */
export type RunInner = (r: InnerRequest) => Promise<Reply>;

export function isBatchPath(method: string | undefined, pathname: string): boolean {
  return method === 'POST' && /^\/v1\.0\/\$batch\/?$/i.test(pathname);
}

/** Validates the batch, runs its requests (in dependency order) and collects their answers. */
export async function runBatch(body: unknown, run: RunInner, shuffle: (n: number) => number): Promise<Reply> {
  const requests = parse(body);
  const order = dependencyOrder(requests);
  const status = new Map<string, number>();
  const out: InnerResponse[] = [];
  for (const r of order) {
    const failedDep = r.dependsOn.find((d) => (status.get(d.toLowerCase()) ?? 0) >= 400);
    let reply: Reply;
    if (failedDep !== undefined)
      reply = {
        status: 424,
        body: new GraphError(424, 'FailedDependency', `The request depends on '${failedDep}', which failed.`),
      };
    else reply = await run(r.inner);
    status.set(r.inner.id.toLowerCase(), reply.status);
    out.push(toInner(r.inner.id, reply));
  }
  // Graph does not keep the order of the request; neither do we, so clients match by id.
  for (let i = out.length - 1; i > 0; i--) {
    const j = shuffle(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return { status: 200, body: { responses: out } };
}

function toInner(id: string, reply: Reply): InnerResponse {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let body: unknown = reply.body;
  if (body instanceof GraphError) {
    Object.assign(headers, body.headers ?? {});
    body = JSON.parse(errorBody(body.code, body.message, body.details)) as unknown;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return body === undefined ? { id, status: reply.status, headers } : { id, status: reply.status, headers, body };
}

interface Parsed {
  inner: InnerRequest;
  dependsOn: string[];
}

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function parse(body: unknown): Parsed[] {
  if (!isObj(body) || !Array.isArray(body.requests))
    throw badRequest('Invalid batch payload format: send {"requests": [ ... ]}.');
  const list = body.requests as unknown[];
  if (list.length === 0) throw badRequest('The batch has no requests.');
  if (list.length > maxBatchRequests)
    throw badRequest(`Number of batch request steps exceeds the maximum of ${maxBatchRequests}.`);
  const seen = new Set<string>();
  return list.map((item, i) => {
    if (!isObj(item)) throw badRequest(`Batch request ${i} is not an object.`);
    const { id, method, url } = item;
    if (typeof id !== 'string' || id === '') throw badRequest(`Batch request ${i} has no 'id'.`);
    if (seen.has(id.toLowerCase())) throw badRequest(`Batch request id '${id}' is used more than once.`);
    seen.add(id.toLowerCase());
    if (typeof method !== 'string' || !methods.has(method.toUpperCase()))
      throw badRequest(`Batch request '${id}': 'method' must be one of ${[...methods].join(', ')}.`);
    if (typeof url !== 'string' || url === '' || /^[a-z][a-z0-9+.-]*:/i.test(url))
      throw badRequest(`Batch request '${id}': 'url' must be relative to the version root, e.g. '/users'.`);
    const headers: Record<string, string> = {};
    if (item.headers !== undefined) {
      if (!isObj(item.headers)) throw badRequest(`Batch request '${id}': 'headers' must be an object.`);
      for (const [k, v] of Object.entries(item.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    }
    let text = '';
    if (item.body !== undefined) {
      if (!headers['content-type'])
        throw badRequest(`Batch request '${id}' has a body, so its 'headers' must include Content-Type.`);
      text =
        typeof item.body === 'string' ? Buffer.from(item.body, 'base64').toString('utf8') : JSON.stringify(item.body);
    }
    const deps = item.dependsOn;
    if (deps !== undefined && (!Array.isArray(deps) || !deps.every((d) => typeof d === 'string')))
      throw badRequest(`Batch request '${id}': 'dependsOn' must be an array of request ids.`);
    const path = `/${url.replace(/^\/+/, '')}`.replace(/^\/v1\.0(?=\/|$|\?)/i, '') || '/';
    return {
      inner: { id, method: method.toUpperCase(), url: path, headers, text },
      dependsOn: deps ?? [],
    };
  });
}

/** Requests in an order where each comes after what it depends on; unknown ids and cycles are refused. */
function dependencyOrder(list: Parsed[]): Parsed[] {
  const byId = new Map(list.map((p) => [p.inner.id.toLowerCase(), p]));
  for (const p of list)
    for (const d of p.dependsOn)
      if (!byId.has(d.toLowerCase()))
        throw badRequest(`Batch request '${p.inner.id}' depends on '${d}', which is not in the batch.`);
  const out: Parsed[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: Parsed): void => {
    const key = p.inner.id.toLowerCase();
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw badRequest(`The batch's dependsOn form a cycle through '${p.inner.id}'.`);
    state.set(key, 'visiting');
    for (const d of p.dependsOn) visit(byId.get(d.toLowerCase())!);
    state.set(key, 'done');
    out.push(p);
  };
  for (const p of list) visit(p);
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
