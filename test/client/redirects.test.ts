/**
 * Redirects to other origins are refused like foreign nextLinks: the call fails with
 * `UntrustedRedirect` and nothing (the token least of all) reaches the other origin. Two tiny local
 * HTTP servers: the "service" the client is configured for, which redirects, and an "elsewhere"
 * that records every request it receives. Same-origin redirects are still followed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphClient, GraphRequestError } from '../../client/src/graph/graphClient';

const token = 'redirect-test-token';

interface Recorded {
  method: string;
  url: string;
  host: string;
  authorization?: string;
}

function listen(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

let service: { server: http.Server; port: number };
let elsewhere: { server: http.Server; port: number };
const atService: Recorded[] = [];
const atElsewhere: Recorded[] = [];

const record = (list: Recorded[], req: http.IncomingMessage): void => {
  list.push({ method: req.method!, url: req.url!, host: req.headers.host!, authorization: req.headers.authorization });
};

before(async () => {
  elsewhere = await listen((req, res) => {
    record(atElsewhere, req);
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end('{"value":[{"id":"stolen"}]}');
  });
  service = await listen((req, res) => {
    record(atService, req);
    req.resume();
    // /v1.0/redirect/<status>/<where>: answer <status> with Location <where> (decoded).
    const m = /^\/v1\.0\/redirect\/(\d{3})\/(.+)$/.exec(req.url!);
    if (m) {
      const where = decodeURIComponent(m[2]!)
        .replace('ELSEWHERE', String(elsewhere.port))
        .replace('SERVICE', String(service.port));
      res.statusCode = Number(m[1]);
      res.setHeader('location', where);
      res.end();
      return;
    }
    if (req.headers.host !== `127.0.0.1:${service.port}`) {
      res.statusCode = 421;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"value":[{"id":"ok"}]}');
  });
});
after(() => {
  service.server.close();
  elsewhere.server.close();
});

const graph = (): GraphClient =>
  new GraphClient({
    baseUrl: `http://127.0.0.1:${service.port}/v1.0`,
    getToken: () => Promise.resolve(token),
    maxRetries: 0,
  });

describe('redirects', () => {
  const foreign: [string, string, string][] = [
    ['302 to another port', '302', 'http://127.0.0.1:ELSEWHERE/steal'],
    ['301 to another port', '301', 'http://127.0.0.1:ELSEWHERE/steal'],
    ['307 to another port', '307', 'http://127.0.0.1:ELSEWHERE/steal'],
    ['308 to another port', '308', 'http://127.0.0.1:ELSEWHERE/steal'],
    ['302 protocol-relative', '302', '//127.0.0.1:ELSEWHERE/steal'],
    ['302 to another host name on the same port', '302', 'http://localhost:SERVICE/v1.0/ok'],
    ['302 to https on the same host', '302', 'https://127.0.0.1:SERVICE/v1.0/ok'],
    ['302 to a URL with credentials', '302', 'http://user:pw@127.0.0.1:ELSEWHERE/steal'],
  ];
  for (const [name, status, where] of foreign) {
    for (const method of ['GET', 'POST'] as const) {
      it(`${method}: ${name} is refused and nothing reaches the other origin`, async () => {
        atElsewhere.length = 0;
        atService.length = 0;
        const path = `/redirect/${status}/${encodeURIComponent(where)}`;
        const call = method === 'GET' ? graph().get(path) : graph().post(path, { a: 1 });
        await assert.rejects(call, (e: unknown) => {
          assert.ok(e instanceof GraphRequestError, String(e));
          assert.equal(e.code, 'UntrustedRedirect', e.message);
          assert.match(e.message, /only http:\/\/127\.0\.0\.1:\d+ is trusted/);
          assert.doesNotMatch(e.message, new RegExp(token));
          return true;
        });
        assert.deepEqual(atElsewhere, [], 'the other origin received a request');
        // The service saw only the first request (the one that was redirected), with the token.
        assert.equal(atService.length, 1);
        assert.equal(atService[0]!.authorization, `Bearer ${token}`);
      });
    }
  }

  it('follows a redirect within the same origin, signed', async () => {
    atService.length = 0;
    const body = await graph().get<{ value: { id: string }[] }>(`/redirect/302/${encodeURIComponent('/v1.0/ok')}`);
    assert.equal(body.value[0]!.id, 'ok');
    assert.equal(atService.length, 2);
    assert.ok(atService.every((r) => r.authorization === `Bearer ${token}`));
  });
});
