/**
 * The HTTP front: authentication, fault injection, body limits, routing, and one store
 * transaction per write. Listens on 127.0.0.1 only. Every answer is JSON (errors included), and
 * no input can crash the process: the request target and Host are parsed inside the error
 * boundary (400 when malformed), what the HTTP parser refuses is answered with Graph's error shape
 * too (400, 408, 431), connections that never finish their headers or body are timed out, bodies
 * are bounded in size, depth and members before anything walks them, and unexpected exceptions
 * become a 500 (a stack overflow from input, a 400) and are logged.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { GraphError, errorBody } from './errors';
import { checkBodyShape, policyBodyLimits } from './bodyLimits';
import { parseQuery } from './query';
import { JsonBytes } from './presented';
import { Loading } from './loading';
import { match, type Reply, type Route } from './router';
import { directoryRoutes } from './routes/directory';
import { directoryObjectRoutes } from './routes/directoryObjects';
import { applicationRoutes } from './routes/directoryApplications';
import { entitlementRoutes } from './routes/entitlement';
import { consoleRoutes } from './routes/console';
import { hookRoutes } from './routes/hooks';
import { Clock } from '../engine/clock';
import { randomId, type Engine } from '../engine/engine';
import { tick } from '../engine/expiry';
import { RuleCache } from '../engine/rules';
import { Journal } from '../store/journal';
import { DirLock } from '../store/dirLock';
import type { FileSystem } from '../store/fileSystem';
import { Store } from '../store/store';
import { CorruptRecord } from '../store/records';
import { Prng } from '../seed/prng';
import { seedDemo, seedDirectory } from '../seed/demo';
import { seedAssignments } from '../seed/bulk';
import { seedUsers } from '../seed/users';
import { reconcileAll } from '../engine/autoAssign';
import { Scheduler } from '../engine/reconcile';
import { faultErrors, pickFault, sendFault, type FaultPlan } from './faults';
import { invalid } from '../engine/policies';
import { policyBodyProblems, type PolicyProblem } from '../engine/validatePolicy';
import { IdentityPlatform, type IdentityOptions } from '../identity/platform';
import { makeTls } from '../identity/tls';
import { isBatchPath, runBatch, type InnerRequest } from './routes/batch';

export interface SandboxOptions {
  port?: number;
  /** Persist under this directory (journal + snapshot); in memory when absent. */
  dataDir?: string;
  /** `demo`, `directory` (the demo's users and groups only) or `empty`. */
  seed?: 'demo' | 'directory' | 'empty';
  token?: string;
  /** Enables `POST /_sandbox/clock` and `POST /_sandbox/seed-assignments`. */
  testHooks?: boolean;
  /** Share of requests (0-1) answered with `fault`, chosen by a seeded PRNG. */
  faultRate?: number;
  fault?: string;
  /** Creates a package with this many assignments at start (empty tenants only). */
  seedAssignments?: number;
  /** Journal records between snapshots. */
  compactEvery?: number;
  /** Serve HTTPS with a CA and certificate generated for this run (`--tls`). */
  tls?: boolean;
  /** Play the identity platform for this app registration (`--identity ID:SECRET`; needs `tls`). */
  identity?: IdentityOptions;
  /** A connection that has not sent its whole request head by then gets a 408 and is closed. Default 10 s. */
  headersTimeoutMs?: number;
  /** The same for the whole request, body included. Default 60 s. */
  requestTimeoutMs?: number;
  /** Adds this many deterministic realistic users at the first start (see seed/users.ts). */
  seedUsers?: number;
  /** The journal's file-system seam (tests inject failures). */
  fileSystem?: FileSystem;
}

export interface Sandbox {
  url: string;
  token: string;
  clock: Clock;
  engine: Engine;
  /** With `identity`: the identity platform's origin (`https://127.0.0.1:PORT`) and the tenant id. */
  authority?: string;
  tenantId?: string;
  /** With `tls`: the path of the CA certificate (PEM) clients must trust. */
  ca?: string;
  journal?: Journal;
  close(): Promise<void>;
}

const maxBody = 1024 * 1024;
const routes: Route[] = [
  ...directoryRoutes,
  ...directoryObjectRoutes,
  ...applicationRoutes,
  ...entitlementRoutes,
  ...consoleRoutes,
];
export const graphRoutes = routes;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  // One sandbox per data directory (dirLock.ts): a second start waits for one stopping, and is
  // refused, naming the holder, while one runs.
  // The journal's constructor creates the directory (0700); nothing is read or written before the lock.
  const journal =
    options.dataDir !== undefined
      ? new Journal({ dir: options.dataDir, compactEvery: options.compactEvery, fs: options.fileSystem })
      : undefined;
  const lock = options.dataDir !== undefined ? await DirLock.acquire(options.dataDir) : undefined;
  let sandbox: Sandbox;
  try {
    sandbox = await open(options, journal, lock);
  } catch (e) {
    lock?.release();
    throw e;
  }
  try {
    lock?.publish({ url: sandbox.url, token: sandbox.token, ...(sandbox.ca ? { ca: sandbox.ca } : {}) });
  } catch {
    // The lock holds without the endpoint (a full disk): a second start is refused, not handed over.
  }
  return sandbox;
}

async function open(
  options: SandboxOptions,
  journal: Journal | undefined,
  lock: DirLock | undefined,
): Promise<Sandbox> {
  const clock = new Clock();
  const store = new Store();
  const eng: Engine = { store, clock, rules: new RuleCache(() => clock.now()), newId: randomId };
  const loaded = journal ? journal.load(store) : false;
  const meta = store.get('meta', 'clock');
  if (meta && typeof meta.offsetMs === 'number') clock.offsetMs = meta.offsetMs;
  eng.jobs = new Scheduler(eng);
  if (!loaded) seedTenant(eng, options, journal);
  eng.jobs.resume();
  const token = options.token ?? randomBytes(32).toString('hex');
  const plan: FaultPlan = { rate: options.faultRate ?? 0, fault: options.fault ?? '503', prng: new Prng(0x5eed) };
  if (options.identity && !options.tls) throw new Error('--identity needs --tls (the identity library refuses http)');
  const identity = options.identity ? new IdentityPlatform(options.identity) : undefined;
  const tls = options.tls ? await makeTls() : undefined;
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const serverOptions = {
    headersTimeout,
    requestTimeout: Math.max(headersTimeout, options.requestTimeoutMs ?? 60_000),
    // How often Node looks for connections past those timeouts (its default is 30 s).
    connectionsCheckingInterval: Math.min(1000, headersTimeout),
  };
  // Requests that need what a restart still applies between requests wait for it (loading.ts).
  const loading = new Loading(store);
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void =>
    guarded(res, () => handle(eng, token, options, plan, loading, req, res, identity));
  const server = tls
    ? https.createServer({ ...serverOptions, key: tls.key, cert: tls.cert }, listener)
    : http.createServer(serverOptions, listener);
  server.keepAliveTimeout = 5000;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timer = setInterval(() => safeTick(eng), 1000);
  timer.unref();
  // After a restart, the large collections (users and history) and their indexes are completed
  // between requests (store.ts), and the requests held for them go as soon as theirs are. A record
  // that checked but does not parse stops that: the collection's every use then fails with the
  // file and the offset (the held requests too), and nothing is written over it.
  let indexing: NodeJS.Immediate | undefined;
  const buildIndexes = (): void => {
    try {
      indexing = store.buildIndexes(10) ? undefined : setImmediate(buildIndexes);
      loading.release();
    } catch (e) {
      indexing = undefined;
      process.stderr.write(`sandbox: ${(e as Error)?.message ?? String(e)}\n`);
      loading.release(true);
    }
  };
  if (store.indexesPending) indexing = setImmediate(buildIndexes);
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1.0`,
    token,
    clock,
    engine: eng,
    ...(identity ? { authority: origin, tenantId: identity.tenantId } : {}),
    ...(tls ? { ca: tls.caPath } : {}),
    journal,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        if (indexing) clearImmediate(indexing);
        eng.jobs?.close();
        server.close(() => {
          journal?.close();
          lock?.release();
          tls?.dispose();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function seedTenant(eng: Engine, options: SandboxOptions, journal: Journal | undefined): void {
  if (options.seed !== 'demo' && options.seed !== 'directory' && !options.seedAssignments && !options.seedUsers) return;
  // The seed becomes durable as one snapshot, not record by record: a start killed while seeding
  // leaves no data and simply seeds again.
  const sink = eng.store.sink;
  eng.store.sink = undefined;
  const prng = new Prng(20240601);
  if (options.seed === 'demo' || options.seed === 'directory') {
    // Seeded ids make the demo tenant identical on every start.
    eng.newId = () => prng.guid();
    if (options.seed === 'demo') seedDemo(eng, prng);
    else seedDirectory(eng, prng);
  }
  if (options.seedUsers) {
    seedUsers(eng.store, options.seedUsers, 0x5eed_0001, eng.clock.iso());
    // The new users may fall under the seed's automatic policies.
    eng.store.transact(() => reconcileAll(eng));
  }
  if (options.seedAssignments) seedAssignments(eng, options.seedAssignments);
  // Automatic assignment of the seed happens now, with the seed's ids: the same tenant every time.
  eng.jobs?.drain();
  eng.newId = randomId;
  eng.store.sink = sink;
  journal?.snapshotNow();
}

function safeTick(eng: Engine): void {
  try {
    tick(eng);
  } catch (err) {
    process.stderr.write(`sandbox: time-driven processing failed: ${String((err as Error).stack ?? err)}\n`);
  }
}

function authorised(req: http.IncomingMessage, token: string, identity?: IdentityPlatform): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  if (identity?.accepts(m[1]!.trim())) return true;
  const a = Buffer.from(m[1]!.trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The error boundary around everything a request triggers: nothing thrown here reaches the process. */
function guarded(res: http.ServerResponse, work: () => void): void {
  try {
    work();
  } catch (e) {
    const reply = failure(e);
    if (!res.headersSent && !res.writableEnded) send(res, reply);
    else res.destroy();
  }
}

/** Names under which a loopback listener can legitimately be addressed, with an optional port. */
const LOOPBACK_HOST = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?::(\d{1,5}))?$/i;

const shown = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/**
 * The request URL, built from the request target and the Host header; a 400 when either is
 * malformed. Only loopback host names are accepted (the sandbox listens on 127.0.0.1 only; any
 * other name means a mistake or a DNS-rebinding page). The target's path is always read as a
 * path (`//[` is not an authority), and an absolute-form target lends only its path and query.
 */
export function requestUrl(target: string | undefined, host: string | undefined, port: number): URL {
  const authority = host === undefined || host === '' ? `127.0.0.1:${port}` : host;
  const m = LOOPBACK_HOST.exec(authority);
  if (!m || (m[1] !== undefined && Number(m[1]) > 65535))
    throw new GraphError(
      400,
      'BadRequest',
      `The Host header ${shown(authority)} is not accepted: address the sandbox as 127.0.0.1 or localhost with its port.`,
    );
  let path = target ?? '/';
  // `//x` would be read as an authority: a path never starts with an empty segment here.
  if (path.startsWith('//'))
    throw new GraphError(400, 'BadRequest', `The request target ${shown(path)} is not a valid path.`);
  if (!path.startsWith('/')) {
    let absolute: URL | undefined;
    try {
      absolute = /^https?:\/\//i.test(path) ? new URL(path) : undefined;
    } catch {
      absolute = undefined;
    }
    if (!absolute) throw new GraphError(400, 'BadRequest', `The request target ${shown(path)} is not a valid URL.`);
    path = `${absolute.pathname}${absolute.search}`;
  }
  try {
    return new URL(`http://${authority}${path}`);
  } catch {
    throw new GraphError(400, 'BadRequest', `The request target ${shown(path)} is not a valid URL.`);
  }
}

/** Reason phrases for the statuses answered on a raw socket. */
const reasons: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * What Node's HTTP parser refuses (malformed request line or headers, NUL bytes, unknown methods,
 * conflicting Content-Length/Transfer-Encoding, oversized heads) and connections that time out
 * before finishing their request: answered on the socket with Graph's error shape, then closed.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const busy = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || busy) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'RequestHeaderFieldsTooLarge', 'The request line and headers exceed the size limit.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'RequestTimeout', 'The request was not received in time; the connection is closed.']
        : [400, 'BadRequest', `The request is not valid HTTP/1.1 (${err.code ?? 'parse error'}).`];
  const body = errorBody(code, message);
  socket.end(
    `HTTP/1.1 ${status} ${reasons[status]}\r\nContent-Type: application/json; charset=utf-8\r\nOData-Version: 4.0\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function handle(
  eng: Engine,
  token: string,
  options: SandboxOptions,
  plan: FaultPlan,
  loading: Loading,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  identity?: IdentityPlatform,
): void {
  const url = requestUrl(req.url, req.headers.host, req.socket.localPort ?? 0);
  if (url.pathname === '/_sandbox/health' && req.method === 'GET')
    return send(res, { status: 200, body: { status: 'ok', now: eng.clock.iso() } });
  if (identity?.handles(url.pathname)) return identity.handle(req, res, url);
  if (!authorised(req, token, identity)) {
    const empty = !req.headers.authorization;
    return send(res, {
      status: 401,
      body: new GraphError(
        401,
        'InvalidAuthenticationToken',
        empty ? 'Access token is empty.' : 'Access token validation failure. Invalid audience.',
      ),
    });
  }
  // A batch is metered per inner request (as Graph does): the fault rate applies inside it.
  const batch = isBatchPath(req.method, url.pathname);
  const fault = pickFault(req, batch ? { ...plan, rate: 0 } : plan);
  if (fault && sendFault(fault, req, res)) return;
  const respond = (text: string): void => {
    const answer = (problems: PolicyProblem[]): void =>
      guarded(res, () => {
        let reply: Reply;
        try {
          reply = problems.length > 0 ? failure(invalid(problems)) : dispatch(eng, options, req, url, text);
        } catch (e) {
          reply = failure(e);
        }
        if (fault === 'truncate') return sendTruncated(res, reply);
        send(res, reply);
      });
    // Only policy writes wait for the (asynchronous) language service; everything else is answered in this turn.
    if (!isPolicyWrite(req, url, text)) return answer([]);
    void prevalidate(req, url, text).then(answer, (e: unknown) => guarded(res, () => send(res, failure(e))));
  };
  readBody(req, (err, text) =>
    guarded(res, () => {
      if (err) return send(res, { status: err.status, body: err });
      if (batch) return void batchReply(eng, options, plan, loading, req, text).then((r) => send(res, r));
      loading.hold(req.method, url.pathname, () => guarded(res, () => respond(text)));
    }),
  );
}

/** `POST /v1.0/$batch`: each inner request goes through faults, validation and routing like a request of its own. */
async function batchReply(
  eng: Engine,
  options: SandboxOptions,
  plan: FaultPlan,
  loading: Loading,
  outer: http.IncomingMessage,
  text: string,
): Promise<Reply> {
  const runInner = async (inner: InnerRequest): Promise<Reply> => {
    const headers = { ...inner.headers, host: outer.headers.host ?? '127.0.0.1' };
    const req = { method: inner.method, headers, socket: outer.socket } as unknown as http.IncomingMessage;
    const fault = pickFault(req, plan);
    const make = fault === undefined ? undefined : faultErrors[fault];
    if (make) return failure(make());
    try {
      const url = requestUrl(`/v1.0${inner.url}`, outer.headers.host, outer.socket.localPort ?? 0);
      await loading.wait(inner.method, url.pathname);
      const problems = await prevalidate(req, url, inner.text);
      return problems.length > 0 ? failure(invalid(problems)) : dispatch(eng, options, req, url, inner.text);
    } catch (e) {
      return failure(e);
    }
  };
  try {
    return await runBatch(parseBody(outer, text), runInner, (n) => Math.floor(Math.random() * n));
  } catch (e) {
    return failure(e);
  }
}

const POLICY_PATH = /^\/v1\.0\/identityGovernance\/entitlementManagement\/assignmentPolicies(\/[^/]+)?\/?$/i;

function isPolicyWrite(req: http.IncomingMessage, url: URL, text: string): boolean {
  if (req.method !== 'POST' && req.method !== 'PUT') return false;
  const m = POLICY_PATH.exec(url.pathname);
  const write = (req.method === 'POST' && m && !m[1]) || (req.method === 'PUT' && m?.[1]);
  return Boolean(write) && text.trim() !== '';
}

/** Policy bodies are checked by the shared language service before the (synchronous) write. */
async function prevalidate(req: http.IncomingMessage, url: URL, text: string): Promise<PolicyProblem[]> {
  if (!isPolicyWrite(req, url, text)) return [];
  // Bounded before the (asynchronous, whole-document) validation, which no one can interrupt.
  checkBodyShape(text, policyBodyLimits);
  try {
    JSON.parse(text);
  } catch {
    return []; // the route answers malformed JSON itself
  }
  return policyBodyProblems(text);
}

function dispatch(eng: Engine, options: SandboxOptions, req: http.IncomingMessage, url: URL, text: string): Reply {
  const method = req.method ?? 'GET';
  // Over --tls, links the sandbox builds (nextLink, context) must say https too.
  if ('encrypted' in req.socket) url.protocol = 'https:';
  const path = url.pathname.replace(/\/+$/, '');
  const body = parseBody(req, text);
  if (path.startsWith('/_sandbox/')) {
    if (!options.testHooks)
      throw new GraphError(404, 'ResourceNotFound', 'Test hooks are disabled; start the sandbox with --test-hooks.');
    const m = match(hookRoutes, method, path.slice('/_sandbox/'.length).split('/'));
    return runRoute(eng, m.route, {
      eng,
      method,
      url,
      base: '',
      query: { count: false, skip: 0 },
      body,
      params: m.params,
    });
  }
  if (!path.startsWith('/v1.0/'))
    throw new GraphError(400, 'BadRequest', `Invalid version: use /v1.0 (got '${path.split('/')[1] ?? ''}').`);
  const segments = path.slice('/v1.0/'.length).split('/').map(decodeSegment);
  const m = match(routes, method, segments);
  safeTick(eng);
  const base = `${url.origin}/v1.0`;
  return runRoute(eng, m.route, {
    eng,
    method,
    url,
    base,
    query: parseQuery(url.searchParams),
    body,
    params: m.params,
    headers: req.headers,
  });
}

function runRoute(eng: Engine, route: Route, ctx: Parameters<Route['handler']>[0]): Reply {
  return route.write ? eng.store.transact(() => route.handler(ctx)) : route.handler(ctx);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new GraphError(400, 'BadRequest', `The path segment '${s}' is not valid percent-encoding.`);
  }
}

function parseBody(req: http.IncomingMessage, text: string): unknown {
  if (text.trim() === '') return undefined;
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json')
    throw new GraphError(
      415,
      'UnsupportedMediaType',
      `The request body must be JSON (Content-Type: application/json), not '${type || 'none'}'.`,
    );
  checkBodyShape(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new GraphError(400, 'BadRequest', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Collects the body up to `maxBody`. Past the limit the 413 is answered at once (a chunked body
 * has no declared length and may never end), and the rest is drained, not kept, so the client can
 * read the answer; the request timeout closes a connection that keeps sending.
 */
function readBody(req: http.IncomingMessage, done: (err: GraphError | undefined, text: string) => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  // Without Content-Length and Transfer-Encoding a request has no body (RFC 9112 §6.3): answer
  // in this turn. Node discards the (empty) stream when the response ends.
  if (req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] === undefined || declared === 0))
    return done(undefined, '');
  const tooLarge = (): GraphError =>
    new GraphError(413, 'RequestEntityTooLarge', `The request body exceeds the limit of ${maxBody} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  let answered = false;
  const answer = (err: GraphError | undefined, text: string): void => {
    if (answered) return;
    answered = true;
    done(err, text);
  };
  if (declared > maxBody) answer(tooLarge(), '');
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxBody && !answered) answer(tooLarge(), '');
    if (!answered) chunks.push(c);
  });
  req.on('end', () => answer(undefined, Buffer.concat(chunks).toString('utf8')));
  req.on('error', () => req.destroy());
}

function failure(e: unknown): Reply {
  if (e instanceof GraphError) return { status: e.status, body: e };
  // Only input nests deep enough to exhaust the stack (a rule, a filter, a body within the limits).
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return {
      status: 400,
      body: new GraphError(400, 'BadRequest', 'The request is nested too deeply to process; simplify it.'),
    };
  // Damaged data found after listening (a record applied late, store.ts): the admin is told which
  // file and where, as a start refused on it would have said, on every request that needs it.
  if (e instanceof CorruptRecord) return { status: 500, body: new GraphError(500, 'InternalServerError', e.message) };
  process.stderr.write(`sandbox: internal error: ${String((e as Error)?.stack ?? e)}\n`);
  return {
    status: 500,
    body: new GraphError(500, 'InternalServerError', 'The sandbox failed to process the request; see its log.'),
  };
}

function serialise(reply: Reply): { payload: string | Buffer | JsonBytes; headers: Record<string, string> } {
  const b = reply.body;
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (b instanceof GraphError) {
    Object.assign(headers, b.headers ?? {});
    return { payload: errorBody(b.code, b.message, b.details), headers };
  }
  if (b instanceof JsonBytes) return { payload: b, headers };
  return { payload: b === undefined ? '' : JSON.stringify(b), headers };
}

/**
 * One encoding pass: the bytes give the length and are what is written. A payload whose UTF-8
 * length equals its length in UTF-16 units is ASCII (any other character takes more bytes than
 * units), and ASCII is copied as Latin-1, about half the time of a UTF-8 encoding.
 */
function encoded(payload: string | Buffer | JsonBytes): Buffer {
  if (payload instanceof JsonBytes) return payload.joined();
  if (typeof payload !== 'string') return payload;
  return Buffer.byteLength(payload, 'utf8') === payload.length
    ? Buffer.from(payload, 'latin1')
    : Buffer.from(payload, 'utf8');
}

export function send(res: http.ServerResponse, reply: Reply): void {
  const { payload, headers } = serialise(reply);
  res.statusCode = reply.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('OData-Version', '4.0');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (payload instanceof JsonBytes) {
    // Written part by part in this turn: Node corks the socket, so they leave in one writev.
    const { parts } = payload;
    res.setHeader('Content-Length', payload.length);
    for (let i = 0; i < parts.length - 1; i++) res.write(parts[i]);
    res.end(parts[parts.length - 1]);
    return;
  }
  const bytes = encoded(payload);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/** The `truncate` fault: the headers promise the whole body, half of it arrives, the socket closes. */
function sendTruncated(res: http.ServerResponse, reply: Reply): void {
  const { payload } = serialise(reply);
  const bytes = payload.length > 0 ? encoded(payload) : Buffer.from('{"value":[]}');
  res.statusCode = reply.status === 204 ? 200 : reply.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}
