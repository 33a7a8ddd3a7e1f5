/**
 * The sandbox as the identity platform (`tls` + `identity`): HTTPS with a CA of its own, the
 * discovery document, the client-credentials grant and its AADSTS refusals, and Graph routes
 * that accept the tokens it issued (and nothing else). Raw HTTPS requests trusting its CA.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/src/http/server';

let sandbox: Sandbox;
let ca: string;
let now = Date.now();
const clientId = 'a0b1c2d3-0000-4000-8000-00000000c11e';
const secret = 'sandbox~secret:with:colons';

before(async () => {
  sandbox = await startSandbox({
    seed: 'demo',
    tls: true,
    identity: { clientId, clientSecret: secret, lifetimeSeconds: 600, now: () => now },
  });
  ca = readFileSync(sandbox.ca!, 'utf8');
});
after(() => sandbox.close());

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

function call(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const form = (fields: Record<string, string>): [string, Record<string, string>] => [
  new URLSearchParams(fields).toString(),
  { 'content-type': 'application/x-www-form-urlencoded' },
];
const tokenUrl = (): string => `${sandbox.authority}/${sandbox.tenantId}/oauth2/v2.0/token`;
const grant = (extra: Record<string, string> = {}) =>
  call(
    'POST',
    tokenUrl(),
    ...form({
      client_id: clientId,
      client_secret: secret,
      scope: `${new URL(sandbox.url).origin}/.default`,
      grant_type: 'client_credentials',
      ...extra,
    }),
  );

test('the URLs, the CA in a private folder, and a certificate the CA signed for 127.0.0.1', async () => {
  assert.match(sandbox.url, /^https:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
  assert.equal(sandbox.authority, new URL(sandbox.url).origin);
  assert.match(sandbox.tenantId!, /^[0-9a-f-]{36}$/);
  assert.equal(statSync(sandbox.ca!).mode & 0o777, 0o600);
  assert.equal(statSync(dirname(sandbox.ca!)).mode & 0o777, 0o700);
  // Trusting only that CA, a TLS connection to 127.0.0.1 verifies (request() rejects otherwise).
  const r = await call('GET', `${sandbox.authority}/_sandbox/health`);
  assert.equal(r.status, 200);
  await assert.rejects(
    new Promise((resolve, reject) =>
      request(`${sandbox.authority}/_sandbox/health`, resolve).on('error', reject).end(),
    ),
    /self-signed|unable to verify|certificate/i,
  );
});

test('the discovery document has what MSAL requires, with the issuer on the authority', async () => {
  const r = await call('GET', `${sandbox.authority}/${sandbox.tenantId}/v2.0/.well-known/openid-configuration`);
  assert.equal(r.status, 200);
  for (const k of ['authorization_endpoint', 'token_endpoint', 'end_session_endpoint', 'issuer', 'jwks_uri'])
    assert.equal(new URL(r.json[k]).origin, sandbox.authority, k);
  assert.equal(r.json.token_endpoint, tokenUrl());
  assert.equal(r.json.issuer, `${sandbox.authority}/${sandbox.tenantId}/v2.0`);
  const other = await call(
    'GET',
    `${sandbox.authority}/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration`,
  );
  assert.equal(other.status, 400);
  assert.deepEqual(other.json.error_codes, [90002]);
});

test('the client-credentials grant issues a token the Graph routes accept', async () => {
  const r = await grant();
  assert.equal(r.status, 200);
  assert.equal(r.json.token_type, 'Bearer');
  assert.ok(r.json.expires_in > 300);
  const token = r.json.access_token as string;
  assert.notEqual(token, sandbox.token);
  const cats = await call('GET', `${sandbox.url}/identityGovernance/entitlementManagement/catalogs`, undefined, {
    authorization: `Bearer ${token}`,
  });
  assert.equal(cats.status, 200);
  assert.ok(cats.json.value.length > 0);
  // Links the server builds point at https too, so a client following them stays on TLS.
  const paged = await call('GET', `${sandbox.url}/users?$top=2`, undefined, { authorization: `Bearer ${token}` });
  assert.match(paged.json['@odata.nextLink'], /^https:\/\//);
});

test('HTTP Basic carries the client credentials as well', async () => {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  const [body, headers] = form({ scope: `${new URL(sandbox.url).origin}/.default`, grant_type: 'client_credentials' });
  const r = await call('POST', tokenUrl(), body, { ...headers, authorization: `Basic ${basic}` });
  assert.equal(r.status, 200);
});

const refusals: [string, Record<string, string>, number, string, number][] = [
  ['a wrong secret', { client_secret: 'nope' }, 401, 'invalid_client', 7000215],
  ['an unknown app', { client_id: 'someone-else' }, 400, 'unauthorized_client', 700016],
  ['no credential', { client_secret: '' }, 401, 'invalid_client', 7000215],
  ['a delegated scope', { scope: 'https://graph.microsoft.com/User.Read' }, 400, 'invalid_scope', 70011],
  ['two resources', { scope: 'https://a.test/.default https://b.test/.default' }, 400, 'invalid_scope', 70011],
  ['another grant', { grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
];

for (const [what, extra, status, error, code] of refusals) {
  test(`the token endpoint refuses ${what} in the identity platform's shape (AADSTS${code})`, async () => {
    const r = await grant(extra);
    assert.equal(r.status, status);
    assert.equal(r.json.error, error);
    assert.deepEqual(r.json.error_codes, [code]);
    assert.match(r.json.error_description, new RegExp(`^AADSTS${code}: `));
    assert.match(r.json.trace_id, /^[0-9a-f-]{36}$/);
    assert.equal(r.json.access_token, undefined);
  });
}

test('a missing secret is AADSTS7000218; a body that is not a form is refused', async () => {
  const [body, headers] = form({
    client_id: clientId,
    scope: 'https://x.test/.default',
    grant_type: 'client_credentials',
  });
  const r = await call('POST', tokenUrl(), body, headers);
  assert.deepEqual(r.json.error_codes, [7000218]);
  const json = await call('POST', tokenUrl(), '{}', { 'content-type': 'application/json' });
  assert.equal(json.status, 400);
  assert.equal(json.json.error, 'invalid_request');
});

test('Graph refuses tokens it did not issue and tokens past their lifetime', async () => {
  const bogus = await call('GET', `${sandbox.url}/users`, undefined, { authorization: 'Bearer sbx_not-issued-here' });
  assert.equal(bogus.status, 401);
  const token = (await grant()).json.access_token as string;
  now += 601_000;
  const late = await call('GET', `${sandbox.url}/users`, undefined, { authorization: `Bearer ${token}` });
  assert.equal(late.status, 401);
  assert.equal(late.json.error.code, 'InvalidAuthenticationToken');
  assert.equal(JSON.stringify(late.json).includes(token), false);
});

test('the CA folder is removed when the sandbox stops', async () => {
  const s = await startSandbox({ seed: 'empty', tls: true });
  const dir = dirname(s.ca!);
  assert.ok(statSync(dir).isDirectory());
  await s.close();
  assert.throws(() => statSync(dir), /ENOENT/);
});

test('hostile requests to the identity endpoints get answers, and the sandbox keeps serving', async () => {
  const { connect } = await import('node:tls');
  const port = Number(new URL(sandbox.authority!).port);
  const raw = (text: string): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => socket.end(text));
      let out = '';
      socket.setEncoding('utf8').on('data', (c: string) => (out += c));
      socket.on('close', () => resolve(out));
      socket.on('error', () => resolve(out));
    });
  const path = `/${sandbox.tenantId}`;
  const answers = await Promise.all([
    raw(
      `GET ${path}/v2.0/.well-known/openid-configuration HTTP/1.1\r\nHost: ${'x'.repeat(2000)}\r\nConnection: close\r\n\r\n`,
    ),
    raw(
      `POST ${path}/oauth2/v2.0/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic %%%\r\nContent-Length: 9\r\nConnection: close\r\n\r\nclient_id`,
    ),
    raw(
      `POST /%E0%A4%A/oauth2/v2.0/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    ),
    raw(
      `POST ${path}/oauth2/v2.0/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n${'a='.repeat(35000)}`,
    ),
    raw(`DELETE ${path}/oauth2/v2.0/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
  ]);
  for (const a of answers) assert.match(a, /^HTTP\/1\.1 (200|400|401|405)/, a.slice(0, 80));
  assert.equal((await call('GET', `${sandbox.authority}/_sandbox/health`)).status, 200);
});

test('a federated assertion is accepted only when it is the registered secret, with the jwt-bearer type', async () => {
  const post = (assertion: string, type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') =>
    call(
      'POST',
      tokenUrl(),
      ...form({
        client_id: clientId,
        client_assertion_type: type,
        client_assertion: assertion,
        scope: `${new URL(sandbox.url).origin}/.default`,
        grant_type: 'client_credentials',
      }),
    );
  assert.equal((await post(secret)).status, 200);
  for (const r of [await post('eyJ.not.trusted'), await post(secret, 'urn:other')]) {
    assert.equal(r.status, 401);
    assert.deepEqual(r.json.error_codes, [700027]);
  }
});

test('certificate assertions: signature, thumbprint, issuer, audience and lifetime are all checked', async () => {
  const { generate } = await import('selfsigned');
  const { createHash, sign, X509Certificate } = await import('node:crypto');
  const app = await generate([{ name: 'commonName', value: 'app' }], { keySize: 2048, algorithm: 'sha256' });
  const stranger = await generate([{ name: 'commonName', value: 'stranger' }], { keySize: 2048, algorithm: 'sha256' });
  const s2 = await startSandbox({
    seed: 'empty',
    tls: true,
    identity: { clientId, clientSecret: secret, certificatePem: app.cert },
  });
  try {
    const ca2 = readFileSync(s2.ca!, 'utf8');
    const endpoint = `${s2.authority}/${s2.tenantId}/oauth2/v2.0/token`;
    const x5t = createHash('sha1').update(new X509Certificate(app.cert).raw).digest('base64url');
    const now = Math.floor(Date.now() / 1000);
    const jwt = (claims: Record<string, unknown>, key = app.private, thumb = x5t): string => {
      const head = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5t: thumb })).toString('base64url');
      const body = Buffer.from(
        JSON.stringify({ aud: endpoint, iss: clientId, sub: clientId, exp: now + 600, nbf: now, jti: 'j', ...claims }),
      ).toString('base64url');
      return `${head}.${body}.${sign('sha256', Buffer.from(`${head}.${body}`), key).toString('base64url')}`;
    };
    const post = (assertion: string) =>
      new Promise<{ status: number; json: any }>((resolve, reject) => {
        const body = new URLSearchParams({
          client_id: clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
          scope: `${s2.authority}/.default`,
          grant_type: 'client_credentials',
        }).toString();
        const req = request(
          endpoint,
          { method: 'POST', ca: ca2, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    assert.equal((await post(jwt({}))).status, 200);
    const refused: [string, string, number][] = [
      ['another key', jwt({}, stranger.private), 700027],
      ['another thumbprint', jwt({}, app.private, 'AAAA'), 700027],
      ['another issuer', jwt({ iss: 'x', sub: 'x' }), 700027],
      ['another audience', jwt({ aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' }), 700027],
      ['expired', jwt({ exp: now - 3600 }), 700024],
      ['not yet valid', jwt({ nbf: now + 3600 }), 700024],
      ['not a JWT', 'abc', 700027],
    ];
    for (const [what, assertion, code] of refused) {
      const r = await post(assertion);
      assert.equal(r.status, 401, what);
      assert.deepEqual(r.json.error_codes, [code], what);
    }
  } finally {
    await s2.close();
  }
});
