/**
 * Hostile requests against a real sandbox process: malformed Host headers and request targets,
 * broken percent-encoding, NUL bytes, oversized heads, unknown methods, framing tricks, and a
 * connection that never finishes its head. Each one is answered with Graph's error shape (or the
 * connection is closed for what cannot be answered), and after each one the process is alive and
 * its health probe answers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { raw, type RawResponse } from './raw';
import { client, type Client } from './helpers';
import { spawnSandbox, type Spawned } from './spawned';

let sbx: Spawned;
let port: number;
before(async () => {
  sbx = await spawnSandbox(['--seed', 'empty'], 'hostile-test-token');
  port = sbx.port;
});
after(() => sbx.close());
const token = 'hostile-test-token';

const isGraphError = (r: RawResponse, status: number | number[]): void => {
  const statuses = Array.isArray(status) ? status : [status];
  assert.ok(statuses.includes(r.status), `status ${r.status}, expected ${statuses.join('/')}: ${r.body}`);
  assert.match(r.headers['content-type'] ?? '', /^application\/json/);
  const json = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(typeof json.error?.code, 'string');
  assert.equal(typeof json.error?.message, 'string');
};

async function healthy(): Promise<void> {
  assert.equal(sbx.child.exitCode, null, `the sandbox exited: ${sbx.stderr()}`);
  const r = await raw(port, ['GET /_sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n']);
  assert.equal(r.status, 200, `health after a hostile request: ${r.status} ${r.body}`);
}

const head = (target: string, headers: string, method = 'GET'): string =>
  `${method} ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`;
const auth = `Authorization: Bearer ${token}\r\n`;

describe('malformed Host headers and request targets', () => {
  const cases: [string, string, number | number[]][] = [
    ['Host "a b"', head('/_sandbox/health', 'Host: a b\r\n'), 400],
    ['Host "["', head('/_sandbox/health', 'Host: [\r\n'), 400],
    ['Host "x:99999"', head('/_sandbox/health', 'Host: x:99999\r\n'), 400],
    ['Host "127.0.0.1:99999"', head('/_sandbox/health', 'Host: 127.0.0.1:99999\r\n'), 400],
    ['Host "@"', head('/_sandbox/health', 'Host: @\r\n'), 400],
    ['Host with a path', head('/v1.0/users', 'Host: 127.0.0.1/evil\r\n' + auth), 400],
    ['a foreign Host (DNS rebinding)', head('/v1.0/users', 'Host: attacker.example\r\n' + auth), 400],
    ['target "//["', head('//[', 'Host: 127.0.0.1\r\n'), 400],
    ['target "http://[::1"', head('http://[::1', 'Host: 127.0.0.1\r\n'), 400],
    ['target "*"', head('*', 'Host: 127.0.0.1\r\n'), 400],
    ['target "x"', head('x', 'Host: 127.0.0.1\r\n'), 400],
    ['HTTP/1.0 without a Host', 'GET /_sandbox/health HTTP/1.0\r\n\r\n', 200],
    ['absolute-form target', head(`http://127.0.0.1/_sandbox/health`, 'Host: 127.0.0.1\r\n'), 200],
  ];
  for (const [name, request, status] of cases) {
    it(`${name} → ${String(status)}`, async () => {
      const r = await raw(port, [request]);
      if (status === 200) assert.equal(r.status, 200, r.body);
      else isGraphError(r, status);
      await healthy();
    });
  }
});

describe('hostile paths, queries, heads and framing', () => {
  const many = Array.from({ length: 1500 }, (_, i) => `p${i}=${i}`).join('&');
  const cases: [string, (string | Buffer | number)[], number | number[]][] = [
    ['%zz in the path', [head('/v1.0/users/%zz', 'Host: 127.0.0.1\r\n' + auth)], 400],
    ['a lone % in the path', [head('/v1.0/users/%', 'Host: 127.0.0.1\r\n' + auth)], 400],
    ['%zz in $filter', [head('/v1.0/users?$filter=%zz', 'Host: 127.0.0.1\r\n' + auth)], 400],
    ['a lone % in $filter', [head("/v1.0/users?$filter=displayName%20eq%20'%'%", 'Host: 127.0.0.1\r\n' + auth)], 400],
    ['a lone % in the query', [head('/v1.0/users?%', 'Host: 127.0.0.1\r\n' + auth)], 200],
    ['an encoded NUL in the path', [head('/v1.0/users/%00', 'Host: 127.0.0.1\r\n' + auth)], [400, 404]],
    ['a raw NUL in the target', [Buffer.from('GET /v1.0/us\0ers HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'latin1')], 400],
    ['a raw NUL in a header', [Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\0b\r\n\r\n', 'latin1')], 400],
    ['a 64 KB header', [head('/_sandbox/health', `Host: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n`)], 431],
    ['10,000 headers', [head('/_sandbox/health', `Host: 127.0.0.1\r\n${'X-A: 1\r\n'.repeat(10_000)}`)], 431],
    ['a 1 MB request target', [head(`/v1.0/users?$filter=${'('.repeat(1 << 20)}`, 'Host: 127.0.0.1\r\n')], 431],
    ['1,500 query parameters', [head(`/v1.0/users?${many}`, 'Host: 127.0.0.1\r\n' + auth)], 200],
    ['1,500 repeated $top', [head(`/v1.0/users?${'$top=1&'.repeat(1500)}`, 'Host: 127.0.0.1\r\n' + auth)], 400],
    ['method BREW', [head('/v1.0/users', 'Host: 127.0.0.1\r\n' + auth, 'BREW')], [400, 405]],
    ['method PROPFIND', [head('/v1.0/users', 'Host: 127.0.0.1\r\n' + auth, 'PROPFIND')], [400, 405]],
    ['a method with a NUL', [Buffer.from('GE\0T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'latin1')], 400],
    ['HTTP/9.9', ['GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n'], [400, 505]],
    [
      'Transfer-Encoding and Content-Length together',
      [
        'POST /v1.0/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `${auth}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      ],
      400,
    ],
    [
      'an unknown Transfer-Encoding',
      [
        'POST /v1.0/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `${auth}Transfer-Encoding: gzip, xchunked\r\n\r\n{}`,
      ],
      [400, 501],
    ],
    [
      'a chunk size that is not hexadecimal',
      [
        'POST /v1.0/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `${auth}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      ],
      400,
    ],
    [
      'a chunked body that never ends, past the body limit',
      [
        'POST /v1.0/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `${auth}Transfer-Encoding: chunked\r\n\r\nfffffffffff\r\n`,
        'a'.repeat(1100 * 1024),
      ],
      413,
    ],
    [
      'two Content-Length headers that disagree',
      [
        'POST /v1.0/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `${auth}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      ],
      400,
    ],
    [
      'a negative Content-Length',
      [`POST /v1.0/users HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Length: -1\r\n\r\n{}`],
      400,
    ],
  ];
  for (const [name, chunks, status] of cases) {
    it(`${name} → ${String(status)}`, async () => {
      const r = await raw(port, chunks);
      if (status === 200) assert.equal(r.status, 200, r.body);
      else isGraphError(r, status);
      await healthy();
    });
  }

  it('never exposes the token, and logs no internal error', () => {
    assert.doesNotMatch(sbx.stderr(), new RegExp(token));
    assert.doesNotMatch(sbx.stderr(), /internal error|Invalid URL|TypeError/);
  });
});

describe('connections that never finish', () => {
  let c: Client;
  let slowPort: number;
  before(async () => {
    c = await client({ seed: 'empty', headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
    slowPort = Number(new URL(c.sandbox.url).port);
  });
  after(() => c.close());

  it('times out a head that never ends (slowloris) with a 408, and keeps serving', async () => {
    const drip: (string | number)[] = ['GET /_sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\n'];
    for (let i = 0; i < 40; i++) drip.push(`X-Drip-${i}: ${i}\r\n`, 250);
    const started = Date.now();
    const r = await raw(slowPort, drip, 30_000);
    // A hang detector, not a timing assertion: without a timeout the server would hold it forever.
    assert.ok(r.closed || r.status > 0, `the connection was held for ${Date.now() - started} ms`);
    assert.equal(r.status, 408, r.body);
    assert.equal((await c.get('/users')).status, 200);
  });

  it('times out a body that never ends', async () => {
    const r = await raw(
      slowPort,
      [
        'POST /v1.0/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `Authorization: Bearer ${c.sandbox.token}\r\nContent-Length: 100\r\n\r\n{"displayName":`,
        15_000,
      ],
      30_000,
    );
    assert.ok(r.closed || r.status > 0, 'the connection was held open');
    assert.equal((await c.get('/users')).status, 200);
  });
});
