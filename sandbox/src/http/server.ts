/**
 * The HTTP front: authentication, fault injection, body limits, routing, and one store
 * transaction per write. Listens on 127.0.0.1 only. Every answer is JSON (errors included), and
 * no input can crash the process: unexpected exceptions become a 500 and are logged.
 */
import * as http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { GraphError, errorBody } from './errors';
import { parseQuery } from './query';
import { match, type Reply, type Route } from './router';
import { directoryRoutes } from './routes/directory';
import { directoryObjectRoutes } from './routes/directoryObjects';
import { applicationRoutes } from './routes/directoryApplications';
import { entitlementRoutes } from './routes/entitlement';
import { hookRoutes } from './routes/hooks';
import { Clock } from '../engine/clock';
import { randomId, type Engine } from '../engine/engine';
import { tick } from '../engine/expiry';
import { RuleCache } from '../engine/rules';
import { Journal } from '../store/journal';
import { Store } from '../store/store';
import { Prng } from '../seed/prng';
import { seedDemo, seedDirectory } from '../seed/demo';
import { seedAssignments } from '../seed/bulk';
import { pickFault, sendFault, type FaultPlan } from './faults';
import { invalid } from '../engine/policies';
import { policyBodyProblems, type PolicyProblem } from '../engine/validatePolicy';

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
  /** Journal lines between snapshots. */
  compactEvery?: number;
}

export interface Sandbox {
  url: string;
  token: string;
  clock: Clock;
  engine: Engine;
  close(): Promise<void>;
}

const maxBody = 1024 * 1024;
const routes: Route[] = [...directoryRoutes, ...directoryObjectRoutes, ...applicationRoutes, ...entitlementRoutes];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = new Clock();
  const store = new Store();
  const eng: Engine = { store, clock, rules: new RuleCache(() => clock.now()), newId: randomId };
  const journal = options.dataDir
    ? new Journal({ dir: options.dataDir, compactEvery: options.compactEvery })
    : undefined;
  const loaded = journal ? journal.load(store) : false;
  const meta = store.get('meta', 'clock');
  if (meta && typeof meta.offsetMs === 'number') clock.offsetMs = meta.offsetMs;
  if (!loaded) seedTenant(eng, options, journal);
  const token = options.token ?? randomBytes(32).toString('hex');
  const plan: FaultPlan = { rate: options.faultRate ?? 0, fault: options.fault ?? '503', prng: new Prng(0x5eed) };
  const server = http.createServer((req, res) => handle(eng, token, options, plan, req, res));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timer = setInterval(() => safeTick(eng), 1000);
  timer.unref();
  return {
    url: `http://127.0.0.1:${port}/v1.0`,
    token,
    clock,
    engine: eng,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => {
          journal?.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function seedTenant(eng: Engine, options: SandboxOptions, journal: Journal | undefined): void {
  const prng = new Prng(20240601);
  if (options.seed === 'demo' || options.seed === 'directory') {
    // Seeded ids make the demo tenant identical on every start.
    eng.newId = () => prng.guid();
    if (options.seed === 'demo') seedDemo(eng, prng);
    else seedDirectory(eng, prng);
  }
  if (options.seedAssignments) seedAssignments(eng, options.seedAssignments);
  eng.newId = randomId;
  // A large seed is one huge journal line; a snapshot is the better home for it.
  if (journal && (options.seed === 'demo' || options.seed === 'directory' || options.seedAssignments))
    journal.compact();
}

function safeTick(eng: Engine): void {
  try {
    tick(eng);
  } catch (err) {
    process.stderr.write(`sandbox: time-driven processing failed: ${String((err as Error).stack ?? err)}\n`);
  }
}

function authorised(req: http.IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!.trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function handle(
  eng: Engine,
  token: string,
  options: SandboxOptions,
  plan: FaultPlan,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  if (url.pathname === '/_sandbox/health' && req.method === 'GET')
    return send(res, { status: 200, body: { status: 'ok', now: eng.clock.iso() } });
  if (!authorised(req, token)) {
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
  const fault = pickFault(req, plan);
  if (fault && sendFault(fault, req, res)) return;
  readBody(req, (err, text) => {
    if (err) return send(res, { status: err.status, body: err });
    void prevalidate(req, url, text).then(
      (problems) => {
        let reply: Reply;
        try {
          reply = problems.length > 0 ? failure(invalid(problems)) : dispatch(eng, options, req, url, text);
        } catch (e) {
          reply = failure(e);
        }
        if (fault === 'truncate') return sendTruncated(res, reply);
        send(res, reply);
      },
      (e: unknown) => send(res, failure(e)),
    );
  });
}

const POLICY_PATH = /^\/v1\.0\/identityGovernance\/entitlementManagement\/assignmentPolicies(\/[^/]+)?\/?$/i;

/** Policy bodies are checked by the shared language service before the (synchronous) write. */
async function prevalidate(req: http.IncomingMessage, url: URL, text: string): Promise<PolicyProblem[]> {
  const m = POLICY_PATH.exec(url.pathname);
  const write = (req.method === 'POST' && m && !m[1]) || (req.method === 'PUT' && m?.[1]);
  if (!write || text.trim() === '') return [];
  try {
    JSON.parse(text);
  } catch {
    return []; // the route answers malformed JSON itself
  }
  return policyBodyProblems(text);
}

function dispatch(eng: Engine, options: SandboxOptions, req: http.IncomingMessage, url: URL, text: string): Reply {
  const method = req.method ?? 'GET';
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
  const base = `http://${req.headers.host ?? '127.0.0.1'}/v1.0`;
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
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new GraphError(400, 'BadRequest', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

function readBody(req: http.IncomingMessage, done: (err: GraphError | undefined, text: string) => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = new GraphError(
    413,
    'RequestEntityTooLarge',
    `The request body exceeds the limit of ${maxBody} bytes.`,
  );
  const chunks: Buffer[] = [];
  let size = 0;
  let over = declared > maxBody;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxBody) over = true;
    // Past the limit the rest is drained, not kept, so the client can read the 413.
    if (!over) chunks.push(c);
  });
  req.on('end', () => done(over ? tooLarge : undefined, over ? '' : Buffer.concat(chunks).toString('utf8')));
  req.on('error', () => req.destroy());
}

function failure(e: unknown): Reply {
  if (e instanceof GraphError) return { status: e.status, body: e };
  process.stderr.write(`sandbox: internal error: ${String((e as Error)?.stack ?? e)}\n`);
  return {
    status: 500,
    body: new GraphError(500, 'InternalServerError', 'The sandbox failed to process the request; see its log.'),
  };
}

function serialise(reply: Reply): { payload: string; headers: Record<string, string> } {
  const b = reply.body;
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (b instanceof GraphError) {
    Object.assign(headers, b.headers ?? {});
    return { payload: errorBody(b.code, b.message, b.details), headers };
  }
  return { payload: b === undefined ? '' : JSON.stringify(b), headers };
}

export function send(res: http.ServerResponse, reply: Reply): void {
  const { payload, headers } = serialise(reply);
  res.statusCode = reply.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('OData-Version', '4.0');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

/** The `truncate` fault: the headers promise the whole body, half of it arrives, the socket closes. */
function sendTruncated(res: http.ServerResponse, reply: Reply): void {
  const { payload } = serialise(reply);
  const bytes = Buffer.from(payload || '{"value":[]}');
  res.statusCode = reply.status === 204 ? 200 : reply.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}
