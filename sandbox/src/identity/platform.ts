/**
 * The sandbox playing the Microsoft identity platform for one app registration (`--identity
 * CLIENT_ID:CLIENT_SECRET`), so `@azure/identity` can sign in to it over real HTTPS:
 *
 * - `GET /{tenantId}/v2.0/.well-known/openid-configuration`: the discovery document (the fields
 *   MSAL requires, with the issuer on the request's own origin);
 * - `POST /{tenantId}/oauth2/v2.0/token`: the client-credentials grant, the secret in the form or
 *   in HTTP Basic, or a `client_assertion` signed with a registered certificate's key (RS256 or
 *   PS256, checked) or, standing in for workload identity federation, equal to the secret;
 *   refusals in the identity platform's error shape with its `AADSTS` codes.
 *
 * Tokens are opaque random strings, kept in memory with their expiry; the Graph routes accept
 * them beside the sandbox's own token. Nothing is logged or written.
 */
import type * as http from 'node:http';
import { X509Certificate, constants, createHash, randomBytes, randomUUID, timingSafeEqual, verify } from 'node:crypto';

export interface IdentityOptions {
  clientId: string;
  clientSecret: string;
  /** The tenant's id; a new GUID when absent. */
  tenantId?: string;
  /** A certificate (PEM) registered on the app: client assertions signed with its key are accepted. */
  certificatePem?: string;
  /** Token lifetime in seconds (default 3599, as Entra answers). */
  lifetimeSeconds?: number;
  now?: () => number;
}

/** Parses `CLIENT_ID:CLIENT_SECRET` (the secret may itself contain `:`). */
export function parseIdentity(spec: string): { clientId: string; clientSecret: string } | undefined {
  const i = spec.indexOf(':');
  if (i <= 0 || i === spec.length - 1) return undefined;
  return { clientId: spec.slice(0, i), clientSecret: spec.slice(i + 1) };
}

interface Refusal {
  status: number;
  error: string;
  code: number;
  text: string;
}

interface TokenAnswer {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

const maxForm = 64 * 1024;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const maxTokens = 10_000;
const PATH = /^\/([^/]+)\/(?:v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/i;

export class IdentityPlatform {
  readonly tenantId: string;
  private readonly issued = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: IdentityOptions) {
    this.tenantId = options.tenantId ?? randomUUID();
    this.now = options.now ?? Date.now;
  }

  /** True for the paths this module answers (before the Graph routes and their token check). */
  handles(pathname: string): boolean {
    return PATH.test(pathname);
  }

  /** True when `token` was issued here and has not expired. */
  accepts(token: string): boolean {
    const expires = this.issued.get(token);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.issued.delete(token);
      return false;
    }
    return true;
  }

  /** Answers one request; never throws (whatever a client sends ends in an answer, not a crash). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    try {
      this.route(req, res, url);
    } catch {
      req.resume();
      if (!res.headersSent) json(res, 400, { error: 'invalid_request', error_description: 'Malformed request.' });
      else res.destroy();
    }
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const tenant = safeDecode(PATH.exec(url.pathname)?.[1] ?? '');
    const isToken = /\/token$/i.test(url.pathname);
    if (tenant.toLowerCase() !== this.tenantId.toLowerCase()) {
      req.resume();
      return this.refuse(res, {
        status: 400,
        error: 'invalid_request',
        code: 90002,
        text: `Tenant '${tenant}' not found. Check that the tenant id is right; this sandbox serves ${this.tenantId}.`,
      });
    }
    if (!isToken) {
      req.resume();
      if (req.method !== 'GET') return json(res, 405, { error: 'invalid_request' });
      return json(res, 200, this.discovery(req));
    }
    if (req.method !== 'POST') {
      req.resume();
      return this.refuse(res, {
        status: 405,
        error: 'invalid_request',
        code: 900561,
        text: 'The token endpoint only accepts POST requests.',
      });
    }
    readForm(req, (form) => {
      if (res.headersSent) return;
      if (!form)
        return this.refuse(res, {
          status: 400,
          error: 'invalid_request',
          code: 900144,
          text: 'The request body must be application/x-www-form-urlencoded and at most 64 KB.',
        });
      let answer: Refusal | TokenAnswer;
      try {
        answer = this.grant(req, form);
      } catch {
        answer = { status: 400, error: 'invalid_request', code: 900144, text: 'The request could not be read.' };
      }
      if ('status' in answer) return this.refuse(res, answer);
      json(res, 200, answer);
    });
  }

  private discovery(req: http.IncomingMessage): Record<string, unknown> {
    const origin = `https://${req.headers.host ?? '127.0.0.1'}`;
    const base = `${origin}/${this.tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      jwks_uri: `${origin}/${this.tenantId}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      tenant_region_scope: null,
      cloud_instance_name: 'sandbox.invalid',
      msgraph_host: req.headers.host ?? '127.0.0.1',
    };
  }

  private grant(req: http.IncomingMessage, form: URLSearchParams): Refusal | TokenAnswer {
    let clientId = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        clientId ??= safeDecode(decoded.slice(0, i));
        secret ??= safeDecode(decoded.slice(i + 1));
      }
    }
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials')
      return {
        status: 400,
        error: 'unsupported_grant_type',
        code: 70003,
        text: `The app requested an unsupported grant type '${grantType ?? ''}'; this sandbox issues tokens for client_credentials only.`,
      };
    if (!clientId || !same(clientId, this.options.clientId))
      return {
        status: 400,
        error: 'unauthorized_client',
        code: 700016,
        text: `Application with identifier '${clientId ?? ''}' was not found in the directory '${this.tenantId}'.`,
      };
    const assertion = form.get('client_assertion');
    let byAssertion = false;
    if (assertion !== null && secret === undefined) {
      // Workload identity federation: the sandbox runs no second identity provider, so the
      // federated token it trusts is the registered secret itself (write it to the token file).
      const problem =
        form.get('client_assertion_type') !== JWT_BEARER
          ? 'the client_assertion_type must be jwt-bearer'
          : same(assertion, this.options.clientSecret)
            ? undefined
            : this.certificateProblem(assertion);
      if (problem !== undefined)
        return {
          status: 401,
          error: 'invalid_client',
          code: /expired|not yet/.test(problem) ? 700024 : 700027,
          text: `Client assertion failed validation: ${problem}.`,
        };
      byAssertion = true;
    }
    if (secret === undefined && !byAssertion)
      return {
        status: 401,
        error: 'invalid_client',
        code: 7000218,
        text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      };
    if (!byAssertion && !same(secret ?? '', this.options.clientSecret))
      return {
        status: 401,
        error: 'invalid_client',
        code: 7000215,
        text: `Invalid client secret provided. Send the secret's value (not its id) for app '${this.options.clientId}'.`,
      };
    const scope = (form.get('scope') ?? '').trim();
    const scopes = scope.split(/\s+/).filter((s) => s !== '' && !['openid', 'profile', 'offline_access'].includes(s));
    if (scopes.length !== 1 || !/^https:\/\/[^/]+\/\.default$/i.test(scopes[0]!))
      return {
        status: 400,
        error: 'invalid_scope',
        code: 70011,
        text: `The provided value for the input parameter 'scope' is not valid: '${scope}'. The client-credentials grant takes one resource's '/.default' scope.`,
      };
    const lifetime = this.options.lifetimeSeconds ?? 3599;
    const token = `sbx_${randomBytes(32).toString('base64url')}`;
    this.prune();
    this.issued.set(token, this.now() + lifetime * 1000);
    return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token };
  }

  /**
   * Why a certificate-signed client assertion (RFC 7523, as MSAL builds it: RS256 with `x5t`, or
   * PS256 with `x5t#S256`) is not acceptable, or undefined when it is: signed by the registered
   * certificate's key, that certificate's thumbprint, issuer and subject the client id, audience
   * this tenant's token endpoint, within its lifetime.
   */
  private certificateProblem(jwt: string): string | undefined {
    if (!this.options.certificatePem)
      return 'no certificate is registered on this app, and it is not a trusted federated token';
    const parts = jwt.split('.');
    if (parts.length !== 3) return 'not a JWT';
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return 'the JWT header or claims are not JSON';
    }
    const cert = new X509Certificate(this.options.certificatePem);
    const data = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2]!, 'base64url');
    const key = cert.publicKey;
    const signed =
      header.alg === 'RS256'
        ? verify('sha256', data, key, signature)
        : header.alg === 'PS256'
          ? verify(
              'sha256',
              data,
              { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
              signature,
            )
          : false;
    if (!signed) return `the signature does not verify with the registered certificate (alg ${String(header.alg)})`;
    const thumb = (algorithm: 'sha1' | 'sha256'): string => createHash(algorithm).update(cert.raw).digest('base64url');
    if (header['x5t#S256'] !== undefined ? header['x5t#S256'] !== thumb('sha256') : header.x5t !== thumb('sha1'))
      return "the JWT's thumbprint is not the registered certificate's";
    if (claims.iss !== this.options.clientId || claims.sub !== this.options.clientId)
      return 'the issuer and subject must be the client id';
    if (typeof claims.aud !== 'string' || !claims.aud.toLowerCase().endsWith(`/${this.tenantId}/oauth2/v2.0/token`))
      return "the audience must be this tenant's token endpoint";
    const now = this.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp < now - 300) return 'the assertion has expired';
    if (typeof claims.nbf === 'number' && claims.nbf > now + 300) return 'the assertion is not yet valid';
    return undefined;
  }

  private prune(): void {
    const now = this.now();
    for (const [t, exp] of this.issued) if (exp <= now) this.issued.delete(t);
    // A client that asks for tokens in a loop cannot grow memory without bound: the oldest go first.
    while (this.issued.size >= maxTokens) this.issued.delete(this.issued.keys().next().value!);
  }

  private refuse(res: http.ServerResponse, r: Refusal): void {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date(this.now())
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    json(res, r.status, {
      error: r.error,
      error_description: `AADSTS${r.code}: ${r.text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [r.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    });
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

function readForm(req: http.IncomingMessage, done: (form: URLSearchParams | undefined) => void): void {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxForm) over = true;
    if (!over) chunks.push(c);
  });
  req.on('end', () =>
    done(
      over || type !== 'application/x-www-form-urlencoded'
        ? undefined
        : new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
    ),
  );
  req.on('error', () => req.destroy());
}
