/**
 * The one Graph access layer, for Microsoft Graph and the sandbox alike (only the base URL and
 * the token source differ). Built on `@microsoft/microsoft-graph-client` with
 * `Client.initWithMiddleware`: our `SigningMiddleware` first, then the SDK's `RetryHandler`
 * (honours `Retry-After`), `RedirectHandler`, our `OriginGuard` and `HTTPMessageHandler`.
 *
 * Redirects: the SDK's handler follows up to five, and would carry our Authorization header to a
 * protocol-relative `Location` (`//other:port/`) or when the headers are a `Headers` object. The
 * `OriginGuard` behind it sees every hop before it is sent and refuses any outside the configured
 * origin, so a redirect elsewhere fails the call with `UntrustedRedirect` and nothing (token
 * included) is sent there. Same-origin redirects are still followed.
 *
 * Why our own first link instead of the SDK's `AuthenticationHandler`: that handler signs only
 * `https://` URLs of Graph hosts, so requests to the sandbox (`http://127.0.0.1`) would go out
 * unsigned; and the SDK's path parser treats only `https://` links as absolute, so an `http://`
 * `@odata.nextLink` would be appended to the base URL. Absolute links are therefore carried in a
 * request option (`AbsoluteUrlOption`) and put back, untouched, by the signing middleware.
 *
 * No `vscode` import here: tokens come only from the `getToken` function passed in, and are never
 * logged.
 */
import {
  Client,
  GraphClientError,
  GraphError,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';

/** Delegated permissions, least-privileged first; the token source maps them to scopes. */
export type Permission =
  | 'EntitlementManagement.Read.All'
  | 'EntitlementManagement.ReadWrite.All'
  | 'User.ReadBasic.All'
  | 'User.Read.All'
  | 'GroupMember.Read.All';

/**
 * Where tokens come from. `refresh` asks for a new token after the service answered 401:
 * `silent` first (a cached or silently renewed token), then `interactive` (may prompt to sign in).
 */
export type GetToken = (permission: Permission, refresh?: 'silent' | 'interactive') => Promise<string>;

export interface GraphClientOptions {
  /** Service root including the version: `https://graph.microsoft.com/v1.0`, `http://127.0.0.1:PORT/v1.0`. */
  baseUrl: string;
  getToken: GetToken;
  /** Retries of 429/503/504 (the SDK's RetryHandler; `Retry-After` wins over the delay). Default 3. */
  maxRetries?: number;
  /** Seconds between retries when the answer has no `Retry-After`. Default 3. */
  retryDelaySeconds?: number;
  /** Middleware run just before the HTTP handler on every attempt (retries included). */
  beforeSend?: Middleware[];
  /** One line per request (method, URL, status, time); never headers. */
  log?: (line: string) => void;
}

export interface RequestOptions {
  /** The permission the request needs; by default read for GET and write otherwise. */
  permission?: Permission;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  nextLink?: string;
}

/** A failed Graph call: Graph's `code` and `message` (or ours for network and protocol failures). */
export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { code?: string; message?: string; target?: string }[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }

  override toString(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** Carries the exact URL of a request whose address is absolute (an `@odata.nextLink`). */
export class AbsoluteUrlOption implements MiddlewareOptions {
  constructor(readonly url: string) {}
}

/** Carries the permission a request needs to the signing middleware. */
export class PermissionOption implements MiddlewareOptions {
  constructor(readonly permission: Permission) {}
}

function setHeader(context: Context, name: string, value: string): void {
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers)) headers.push([name, value]);
  else options.headers = { ...(headers as Record<string, string> | undefined), [name]: value };
}

/** Splits `http://host:1/v1.0` into the SDK's host and version parts. */
export function splitBaseUrl(baseUrl: string): { host: string; version: string; root: string } {
  const u = new URL(baseUrl);
  const parts = u.pathname.replace(/\/+$/, '').split('/');
  const version = parts.pop() || 'v1.0';
  const host = `${u.origin}${parts.join('/')}/`;
  return { host, version, root: `${host}${version}` };
}

/**
 * Signs requests addressed to the configured service root and restores absolute links. A
 * request to any other origin is refused rather than sent with or without our token.
 */
export class SigningMiddleware implements Middleware {
  private next?: Middleware;
  private readonly origin: string;

  constructor(
    root: string,
    private readonly getToken: GetToken,
  ) {
    this.origin = new URL(root).origin;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const control = context.middlewareControl;
    const absolute = control?.getMiddlewareOptions(AbsoluteUrlOption) as AbsoluteUrlOption | undefined;
    const url = absolute?.url ?? repairAbsolute(requestUrl(context));
    if (new URL(url).origin !== this.origin) {
      throw clientError('UntrustedLink', `Refusing to send a request outside ${this.origin}: ${new URL(url).origin}.`);
    }
    context.request = url;
    const explicit = control?.getMiddlewareOptions(PermissionOption) as PermissionOption | undefined;
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const permission =
      explicit?.permission ??
      (method === 'GET' ? 'EntitlementManagement.Read.All' : 'EntitlementManagement.ReadWrite.All');
    let token = await this.token(permission);
    setHeader(context, 'Authorization', `Bearer ${token}`);
    await this.next!.execute(context);
    // An expired or revoked token: one silent re-acquire, then one interactive one, then give up.
    for (const refresh of ['silent', 'interactive'] as const) {
      if (context.response?.status !== 401) return;
      const renewed = await this.token(permission, refresh);
      if (renewed === token) continue;
      token = renewed;
      setHeader(context, 'Authorization', `Bearer ${token}`);
      await this.next!.execute(context);
    }
  }

  private async token(permission: Permission, refresh?: 'silent' | 'interactive'): Promise<string> {
    try {
      return await this.getToken(permission, refresh);
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      throw clientError(
        typeof err?.code === 'string' ? err.code : 'SignInRequired',
        `No token for ${permission}: ${String(err?.message ?? e)}`,
      );
    }
  }
}

/** The URL of a request, whether the SDK holds it as a string or as a Request object. */
function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : String((context.request as { url: unknown }).url);
}

/** The SDK rethrows GraphClientError as it is (anything else it rewraps and loses the code). */
function clientError(code: string, message: string): GraphClientError {
  return Object.assign(new GraphClientError(message), { code });
}

/** The SDK joins an `http://` link onto the base URL; take the inner absolute URL back out. */
function repairAbsolute(url: string): string {
  const inner = url.slice(1).search(/https?:\/\//);
  return inner >= 0 ? url.slice(inner + 1) : url;
}

/**
 * The last check before anything is sent: the request's absolute URL must be on the configured
 * origin. The signing middleware already checked the first hop, so whatever fails here is a hop
 * chosen by a redirect. A relative `Location` is resolved against the origin.
 */
export class OriginGuard implements Middleware {
  private next?: Middleware;
  private readonly origin: string;

  constructor(root: string) {
    this.origin = new URL(root).origin;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const raw = requestUrl(context);
    let target: URL | undefined;
    try {
      target = new URL(raw, this.origin);
    } catch {
      target = undefined;
    }
    if (!target || target.origin !== this.origin) {
      const where = target ? target.origin : 'an address that is not a valid URL';
      throw clientError(
        'UntrustedRedirect',
        `The service redirected the request to ${where}; only ${this.origin} is trusted, so the request was not sent there.`,
      );
    }
    if (typeof context.request === 'string') context.request = target.href;
    await this.next!.execute(context);
  }
}

/** Logs each attempt after the response (or failure) is known. */
class LogMiddleware implements Middleware {
  private next?: Middleware;
  constructor(private readonly log: (line: string) => void) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const t0 = Date.now();
    const method = context.options?.method ?? 'GET';
    const url = String(context.request);
    try {
      await this.next!.execute(context);
      this.log(`${method} ${url} → ${context.response?.status ?? '?'} (${Date.now() - t0} ms)`);
    } catch (e) {
      this.log(`${method} ${url} → failed: ${(e as Error).message} (${Date.now() - t0} ms)`);
      throw e;
    }
  }
}

/** Turns whatever the SDK or the network threw into a GraphRequestError. */
export function toGraphError(e: unknown): GraphRequestError {
  if (e instanceof GraphRequestError) return e;
  if (e instanceof GraphClientError) {
    const code = (e as GraphClientError & { code?: unknown }).code;
    return new GraphRequestError(0, typeof code === 'string' ? code : 'ClientError', e.message);
  }
  if (e instanceof GraphError) {
    const status = e.statusCode > 0 ? e.statusCode : 0;
    let details: GraphRequestError['details'] = [];
    try {
      const body = JSON.parse(String(e.body)) as { details?: GraphRequestError['details'] };
      if (Array.isArray(body?.details)) details = body.details;
    } catch {
      // not a Graph error body
    }
    // A status with a thrown TypeError: the headers came, then the connection dropped mid-body.
    if (status > 0 && e.code === 'TypeError')
      return new GraphRequestError(
        status,
        'InvalidResponse',
        `The response ended before it was complete (${e.message}).`,
      );
    if (status === 0 || e.code === 'TypeError' || e.code === 'SyntaxError' || e.code === 'AbortError')
      return fromThrown(e.code ?? 'Error', e.message, status);
    return new GraphRequestError(
      status,
      e.code ?? `Http${status}`,
      e.message || `HTTP ${status}`,
      details,
      e.requestId ?? undefined,
    );
  }
  const err = e as Error;
  return fromThrown(err?.name ?? 'Error', err?.message ?? String(e), 0);
}

function fromThrown(name: string, message: string, status: number): GraphRequestError {
  if (name === 'AbortError') return new GraphRequestError(status, 'Canceled', 'The operation was canceled.');
  if (name === 'SyntaxError')
    return new GraphRequestError(
      status,
      'InvalidResponse',
      `The service sent a response that is not valid JSON (${message}).`,
    );
  if (name === 'TypeError')
    return new GraphRequestError(status, 'NetworkError', `The request could not be completed: ${message}.`);
  return new GraphRequestError(status, name, message);
}

/** Encodes a query: `{ $filter: "state eq 'x'" }` → `?%24filter=state%20eq%20'x'`. */
export function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(
      ([k, v]) =>
        `${k}=${encodeURIComponent(String(v)).replace(/%2C/g, ',').replace(/%2F/g, '/').replace(/%24/g, '$')}`,
    );
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

export class GraphClient {
  readonly root: string;
  private readonly client: Client;

  constructor(options: GraphClientOptions) {
    const { host, version, root } = splitBaseUrl(options.baseUrl);
    this.root = root;
    const retry = new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds ?? 3, options.maxRetries ?? 3));
    const chain: Middleware[] = [
      new SigningMiddleware(root, options.getToken),
      retry,
      new RedirectHandler(),
      new OriginGuard(root),
    ];
    if (options.log) chain.push(new LogMiddleware(options.log));
    chain.push(...(options.beforeSend ?? []), new HTTPMessageHandler());
    this.client = Client.initWithMiddleware({ baseUrl: host, defaultVersion: version, middleware: chain });
  }

  private request(pathOrUrl: string, options: RequestOptions = {}) {
    const absolute = /^https?:\/\//i.test(pathOrUrl);
    const req = this.client.api(absolute ? '/' : pathOrUrl);
    const mw: MiddlewareOptions[] = [];
    if (absolute) mw.push(new AbsoluteUrlOption(pathOrUrl));
    if (options.permission) mw.push(new PermissionOption(options.permission));
    req.middlewareOptions(mw);
    if (options.headers) req.headers(options.headers);
    if (options.signal) req.option('signal', options.signal);
    return req;
  }

  async get<T>(pathOrUrl: string, options?: RequestOptions): Promise<T> {
    try {
      return (await this.request(pathOrUrl, options).get()) as T;
    } catch (e) {
      throw toGraphError(e);
    }
  }

  async post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    try {
      return (await this.request(path, options).post(body)) as T;
    } catch (e) {
      throw toGraphError(e);
    }
  }

  async put<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    try {
      return (await this.request(path, options).put(body)) as T;
    } catch (e) {
      throw toGraphError(e);
    }
  }

  async patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    try {
      return (await this.request(path, options).patch(body)) as T;
    } catch (e) {
      throw toGraphError(e);
    }
  }

  async delete(path: string, options?: RequestOptions): Promise<void> {
    try {
      await this.request(path, options).delete();
    } catch (e) {
      throw toGraphError(e);
    }
  }

  /** One page of a collection: a path with its query, or an `@odata.nextLink` as received. */
  async page<T>(pathOrLink: string, options?: RequestOptions): Promise<Page<T>> {
    const body = await this.get<{ value?: T[]; '@odata.nextLink'?: string }>(pathOrLink, options);
    if (!body || !Array.isArray(body.value))
      throw new GraphRequestError(
        0,
        'InvalidResponse',
        'The service answered a collection request without a "value" array.',
      );
    const next = body['@odata.nextLink'];
    return next ? { items: body.value, nextLink: next } : { items: body.value };
  }

  /** Every page of a collection, following `@odata.nextLink` until it is absent. */
  async *pages<T>(path: string, options?: RequestOptions): AsyncGenerator<T[]> {
    let link: string | undefined = path;
    const seen = new Set<string>();
    while (link) {
      if (options?.signal?.aborted) throw new GraphRequestError(0, 'Canceled', 'The operation was canceled.');
      const page: Page<T> = await this.page<T>(link, options);
      yield page.items;
      link = page.nextLink;
      if (link !== undefined && seen.has(link)) {
        throw new GraphRequestError(
          0,
          'PagingLoop',
          'The service returned an @odata.nextLink it had already returned; paging stopped so it cannot run forever.',
        );
      }
      if (link !== undefined) seen.add(link);
    }
  }
}
