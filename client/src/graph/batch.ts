/**
 * Bulk work at Graph's pace: many calls sent as JSON batches (`POST /$batch`, at most 20 requests
 * each), a few batches in flight at once. Graph meters each inner request on its own, so a batch
 * answers 200 while some of its requests come back 429 with their own `Retry-After`; the SDK's
 * retry handler sees only the outer 200, so inner throttling is handled here: the throttled
 * requests go out again, in new batches, once the longest of their `Retry-After` delays has
 * passed (Graph's guidance), up to `maxAttempts` times each. Every call gets its own outcome,
 * never a throw; calls not sent when the signal aborts come back as `Canceled`.
 *
 * No `vscode` import: used by the commands and tested in plain Node against the sandbox.
 */
import { GraphRequestError, toGraphError, type GraphClient, type Permission } from './graphClient';

/** Graph's limit of requests per batch. */
export const BATCH_LIMIT = 20;

export interface BatchCall {
  /** Unique among the calls (the caller's key: a user id, an assignment id). */
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the service root: `/identityGovernance/entitlementManagement/assignmentRequests`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export type BatchOutcome<T = unknown> =
  | { key: string; ok: true; status: number; body: T; attempts: number }
  | { key: string; ok: false; status: number; code: string; message: string; attempts: number };

export interface BatchOptions {
  signal?: AbortSignal;
  /** The permission the whole batch needs (default: read for all-GET batches, write otherwise). */
  permission?: Permission;
  /** Batches in flight at once. Default 4. */
  concurrency?: number;
  /** Attempts per call when throttled (429) or unavailable (503/504). Default 6. */
  maxAttempts?: number;
  /** Seconds to wait when a throttled answer has no `Retry-After`. Default 2. */
  defaultRetryAfterSeconds?: number;
  /** Upper bound on one wait, in seconds (a hostile `Retry-After` cannot stall the work for hours). Default 120. */
  maxRetryAfterSeconds?: number;
  /** Calls done so far (each call counted once, when its final outcome is known). */
  onProgress?: (done: number, total: number) => void;
  /** How to wait (tests and benchmarks may shorten it); must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface InnerAnswer {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
}

const retryable = new Set([429, 503, 504]);

/** Runs the calls in batches of 20; one outcome per call, in the order of `calls`. */
export async function runBatched<T = unknown>(
  graph: GraphClient,
  calls: readonly BatchCall[],
  o: BatchOptions = {},
): Promise<BatchOutcome<T>[]> {
  const keys = new Set<string>();
  for (const c of calls) {
    if (keys.has(c.key)) throw new Error(`runBatched: the key '${c.key}' is used twice`);
    keys.add(c.key);
  }
  const maxAttempts = Math.max(1, o.maxAttempts ?? 6);
  const sleep = o.sleep ?? abortableSleep;
  const done = new Map<string, BatchOutcome<T>>();
  const attempts = new Map<string, number>();
  const finish = (outcome: BatchOutcome<T>): void => {
    done.set(outcome.key, outcome);
    o.onProgress?.(done.size, calls.length);
  };
  let pending = [...calls];
  while (pending.length > 0) {
    if (o.signal?.aborted) break;
    const throttled: { call: BatchCall; retryAfter: number; outcome: BatchOutcome<T> }[] = [];
    const chunks: BatchCall[][] = [];
    for (let i = 0; i < pending.length; i += BATCH_LIMIT) chunks.push(pending.slice(i, i + BATCH_LIMIT));
    await pool(chunks, Math.max(1, o.concurrency ?? 4), async (chunk) => {
      if (o.signal?.aborted) return;
      for (const c of chunk) attempts.set(c.key, (attempts.get(c.key) ?? 0) + 1);
      const answers = await sendBatch(graph, chunk, o);
      for (let i = 0; i < chunk.length; i++) {
        const call = chunk[i]!;
        const a = answers instanceof GraphRequestError ? answers : answers.get(String(i));
        const outcome = toOutcome<T>(call.key, a, attempts.get(call.key) ?? 1);
        if (!outcome.ok && retryable.has(outcome.status) && (attempts.get(call.key) ?? 1) < maxAttempts) {
          const inner = a instanceof GraphRequestError ? undefined : a;
          throttled.push({ call, retryAfter: retryAfterSeconds(inner, o), outcome });
        } else finish(outcome);
      }
    });
    if (throttled.length === 0 || o.signal?.aborted) {
      // Throttled calls not retried because of a cancel keep their last answer.
      for (const t of throttled) finish(t.outcome);
      break;
    }
    const wait = Math.min(o.maxRetryAfterSeconds ?? 120, Math.max(...throttled.map((t) => t.retryAfter)));
    await sleep(wait * 1000, o.signal);
    if (o.signal?.aborted) {
      for (const t of throttled) finish(t.outcome);
      break;
    }
    pending = throttled.map((t) => t.call);
  }
  return calls.map(
    (c) =>
      done.get(c.key) ?? {
        key: c.key,
        ok: false,
        status: 0,
        code: 'Canceled',
        message: 'Not sent: the operation was canceled.',
        attempts: attempts.get(c.key) ?? 0,
      },
  );
}

/** One `$batch` POST; its inner answers by batch id (the index in the chunk), or the error of the whole batch. */
async function sendBatch(
  graph: GraphClient,
  chunk: readonly BatchCall[],
  o: BatchOptions,
): Promise<Map<string, InnerAnswer> | GraphRequestError> {
  const requests = chunk.map((c, i) => {
    const r: Record<string, unknown> = { id: String(i), method: c.method, url: c.url };
    const headers = { ...(c.headers ?? {}) };
    if (c.body !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      r.body = c.body;
    }
    if (Object.keys(headers).length > 0) r.headers = headers;
    return r;
  });
  const permission =
    o.permission ??
    (chunk.every((c) => c.method === 'GET') ? 'EntitlementManagement.Read.All' : 'EntitlementManagement.ReadWrite.All');
  try {
    const body = await graph.post<{ responses?: InnerAnswer[] }>(
      '/$batch',
      { requests },
      { permission, signal: o.signal },
    );
    if (!body || !Array.isArray(body.responses))
      return new GraphRequestError(0, 'InvalidResponse', 'The $batch answer has no "responses" array.');
    // Graph does not keep the order of the requests: match by id.
    return new Map(body.responses.map((r) => [String(r.id), r]));
  } catch (e) {
    return toGraphError(e);
  }
}

function toOutcome<T>(key: string, a: InnerAnswer | GraphRequestError | undefined, attempts: number): BatchOutcome<T> {
  if (a instanceof GraphRequestError)
    return { key, ok: false, status: a.status, code: a.code, message: a.message, attempts };
  if (!a || typeof a.status !== 'number')
    return {
      key,
      ok: false,
      status: 0,
      code: 'InvalidResponse',
      message: 'The $batch answer has no response for this request.',
      attempts,
    };
  if (a.status < 400) return { key, ok: true, status: a.status, body: a.body as T, attempts };
  const err = (a.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    key,
    ok: false,
    status: a.status,
    code: typeof err?.code === 'string' ? err.code : `Http${a.status}`,
    message: typeof err?.message === 'string' ? err.message : `HTTP ${a.status}`,
    attempts,
  };
}

/** `Retry-After` of an inner answer in seconds (fractions allowed, as Graph sends them). */
function retryAfterSeconds(a: InnerAnswer | undefined, o: BatchOptions): number {
  const fallback = o.defaultRetryAfterSeconds ?? 2;
  const h = a?.headers;
  if (!h) return fallback;
  const raw = Object.entries(h).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  const n = Number(raw);
  if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(n) && n >= 0) return n;
  const date = typeof raw === 'string' ? Date.parse(raw) : NaN;
  return Number.isNaN(date) ? fallback : Math.max(0, (date - Date.now()) / 1000);
}

/** Runs `work` over `items` with at most `limit` running at once. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
