/**
 * An HTTP answer against a trivial Node server sending the same bytes: both fetched through one
 * keep-alive agent, interleaved with measure.ts's `interleave`, so the difference is what the
 * server under test does beyond writing its bytes.
 *
 * Both are measured warm: the trivial server's round trip keeps falling for the first few hundred
 * requests (Node's HTTP path on both ends being optimised; measured at 1M users: 626 µs in the
 * first 50, about 200 µs after 400), while a server that serialises per request gains far less
 * (1,194 → ~650 µs), so ten rounds of warm-up reported a ratio of about 2.0 where the steady
 * state is about 2.8.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { interleave } from './measure';

export const httpWarmup = 500;

/** GETs `url` and resolves with the whole body. */
export function fetchBody(agent: http.Agent, url: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
      .on('error', reject);
  });
}

/** Sends `body` as JSON with `method` and resolves with the status once the answer is read. */
export function sendJson(
  agent: http.Agent,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<number> {
  const bytes = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    http
      .request(
        url,
        { agent, method, headers: { ...headers, 'content-type': 'application/json', 'content-length': bytes.length } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      )
      .on('error', reject)
      .end(bytes);
  });
}

/**
 * Sample times in ns of GET `url` and of the trivial server, and the body both send (as first
 * fetched). `prepare` runs, untimed, before each GET of `url`, through the same agent.
 */
export async function againstTrivialServer(
  url: string,
  headers: Record<string, string>,
  samples: number,
  warmup = httpWarmup,
  prepare?: (agent: http.Agent) => Promise<unknown>,
): Promise<{ body: Buffer; subject: number[]; reference: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = await fetchBody(agent, url, headers);
  const trivial = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => trivial.listen(0, '127.0.0.1', () => r()));
  const trivialUrl = `http://127.0.0.1:${(trivial.address() as AddressInfo).port}/`;
  try {
    const { subject, reference } = await interleave(
      () => fetchBody(agent, url, headers),
      () => fetchBody(agent, trivialUrl, headers),
      samples,
      warmup,
      prepare && (() => prepare(agent)),
    );
    return { body, subject, reference };
  } finally {
    agent.destroy();
    await new Promise<void>((r) => trivial.close(() => r()));
  }
}

/**
 * A server that only serialises `page` per request (JSON.stringify and UTF-8 encoding, as the
 * sandbox's reply does), against the trivial server sending the resulting bytes: the least any
 * server that builds a page per request pays, beside what the sandbox pays.
 */
export async function againstSerialisingServer(
  page: unknown,
  samples: number,
): Promise<{ subject: number[]; reference: number[] }> {
  const server = http.createServer((_req, res) => {
    const bytes = Buffer.from(JSON.stringify(page), 'utf8');
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
    res.end(bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const { subject, reference } = await againstTrivialServer(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      {},
      samples,
    );
    return { subject, reference };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}
