/** Expired tokens and paging loops: a 401 is renewed silently, then interactively, then reported; a repeating nextLink stops. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GraphClient, GraphRequestError, type Permission } from '../../client/src/graph/graphClient';
import { startSandbox, type Sandbox } from '../../sandbox/src/http/server';

describe('expired tokens', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: 'empty' });
  });
  after(() => sandbox.close());

  function client(tokens: Record<string, string>) {
    const asked: string[] = [];
    const g = new GraphClient({
      baseUrl: sandbox.url,
      maxRetries: 0,
      getToken: async (p: Permission, renew?: 'silent' | 'interactive') => {
        const key = renew ?? 'first';
        asked.push(`${p}:${key}`);
        return tokens[key] ?? tokens.first ?? '';
      },
    });
    return { g, asked };
  }

  it('renews silently after a 401 and succeeds without prompting', async () => {
    const { g, asked } = client({ first: 'expired-token', silent: sandbox.token });
    const users = await g.get<{ value: unknown[] }>('/users');
    assert.ok(Array.isArray(users.value));
    assert.deepEqual(asked, ['EntitlementManagement.Read.All:first', 'EntitlementManagement.Read.All:silent']);
  });

  it('prompts to sign in when the silent renewal gives no better token', async () => {
    const { g, asked } = client({ first: 'expired-token', silent: 'expired-token', interactive: sandbox.token });
    await g.get('/users');
    assert.deepEqual(
      asked.map((a) => a.split(':')[1]),
      ['first', 'silent', 'interactive'],
    );
  });

  it("reports Graph's 401 when no token works, after one try of each", async () => {
    const { g, asked } = client({ first: 'a', silent: 'b', interactive: 'c' });
    await assert.rejects(
      g.get('/users'),
      (e: unknown) => e instanceof GraphRequestError && e.status === 401 && /InvalidAuthenticationToken/.test(e.code),
    );
    assert.equal(asked.length, 3);
  });
});

describe('paging loops', () => {
  let server: Server;
  let url = '';
  before(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: [{ id: req.url }], '@odata.nextLink': `${url}/things?$skiptoken=same` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  });
  after(() => server.close());

  it('stops when the service returns the same nextLink again', async () => {
    const g = new GraphClient({ baseUrl: url, getToken: async () => 't', maxRetries: 0 });
    const pages: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const page of g.pages('/things')) pages.push(page);
      })(),
      (e: unknown) => e instanceof GraphRequestError && e.code === 'PagingLoop',
    );
    assert.equal(pages.length, 2, 'the first page and the first repeat of the link are read, then it stops');
  });
});
