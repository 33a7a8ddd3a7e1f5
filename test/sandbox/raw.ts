/**
 * Raw HTTP over `node:net`, for requests fetch would normalise or refuse to send (malformed Host
 * headers and targets, NUL bytes, unknown methods, conflicting framing, unfinished heads).
 */
import * as net from 'node:net';

export interface RawResponse {
  /** 0 when the connection closed without a status line. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the server closed the connection. */
  closed: boolean;
}

/**
 * Writes `chunks` (strings or bytes; a number pauses that many ms) and reads until the server
 * closes the connection or one whole response (by Content-Length) has arrived, or `limitMs` passes.
 */
export function raw(port: number, chunks: (string | Buffer | number)[], limitMs = 20_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parse(data.toString('latin1')), closed });
    };
    const timer = setTimeout(() => finish(false), limitMs);
    socket.on('data', (d: Buffer) => {
      data = Buffer.concat([data, d]);
      const r = parse(data.toString('latin1'));
      const length = Number(r.headers['content-length'] ?? NaN);
      if (r.status > 0 && Buffer.byteLength(r.body, 'latin1') >= length) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A reset after the response (or instead of one) counts as a close.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish(true);
      else if (!done) {
        done = true;
        clearTimeout(timer);
        reject(e);
      }
    });
    socket.on('connect', () => {
      void (async () => {
        for (const c of chunks) {
          if (done) return;
          if (typeof c === 'number') await new Promise((r) => setTimeout(r, c));
          else socket.write(c);
        }
      })();
    });
  });
}

function parse(text: string): Omit<RawResponse, 'closed'> {
  const end = text.indexOf('\r\n\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!m || end < 0) return { status: 0, headers: {}, body: '' };
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, end).split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(m[1]), headers, body: text.slice(end + 4) };
}
