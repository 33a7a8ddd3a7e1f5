/**
 * `eval --users FILE`: the ids of the users a rule selects, streamed. The file is read in chunks
 * and parsed with @streamparser/json, one user at a time, so memory stays bounded whatever its
 * size (a 1M-user export is ~500 MB: more than one JavaScript string can hold). Accepted shapes:
 * - a JSON array of users: `[{...}, {...}]`;
 * - a Graph page, or several concatenated: `{"@odata.context": ..., "value": [{...}, ...]}`;
 * - JSON Lines: one user object per line.
 * UTF-8 with or without a byte-order mark, or UTF-16 with one. The output is a JSON array of ids,
 * written as matches are found; if the file breaks off, the matches so far are printed (the
 * array is closed), the error goes to stderr, and the exit status is 2.
 */
import { createReadStream, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { JSONParser } from '@streamparser/json';
import { sniffEncoding } from './decode';
import { escapeForTerminal } from './terminal';

type User = Record<string, unknown>;

const isUser = (v: unknown): v is User => !!v && typeof v === 'object' && !Array.isArray(v);

/** A Graph page: an object whose `value` is an array (its items are streamed as users). */
const isPage = (v: unknown): boolean => isUser(v) && Array.isArray(v.value);

/** Writes pieces of output, waiting for the stream to drain when it asks to. */
class Output {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly out: Writable) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }
  async flush(force = false): Promise<void> {
    if (this.parts.length === 0 || (!force && this.size < 64 * 1024)) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}

export interface EvalStreams {
  stdout: Writable;
  stderr: Writable;
}

/**
 * Streams `file`, printing the ids of the users `matches` selects. Never rejects: every failure
 * is reported on stderr and answered with exit status 2.
 */
export async function streamMatches(
  file: string,
  matches: (user: User) => boolean,
  io: EvalStreams = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const out = new Output(io.stdout);
  const name = escapeForTerminal(file);
  let count = 0;
  let users = 0;
  let parser: JSONParser | undefined;
  let decoder: TextDecoder | undefined;
  let first = true;
  let failure: string | undefined;

  const take = (user: unknown) => {
    if (!isUser(user)) return;
    users++;
    if (!matches(user)) return;
    const id = user.id ?? user.objectId ?? null;
    out.push(`${count++ === 0 ? '' : ','}${JSON.stringify(id)}`);
  };

  /** A parser for the shape the first significant character announces (`[` or `{`). */
  const start = (c: string): JSONParser => {
    if (c === '[') {
      const p = new JSONParser({ paths: ['$.*'], keepStack: false });
      p.onValue = ({ value }) => take(value);
      return p;
    }
    if (c === '{') {
      // Each top-level object is a user (JSON Lines) or a page whose items are streamed; the
      // page's own object is kept by the parser (it is emitted whole), so each item is dropped
      // from it as soon as it has been evaluated.
      const p = new JSONParser({ paths: ['$', '$.value.*'], keepStack: false, separator: '' });
      p.onValue = ({ value, parent, stack }) => {
        if (stack.length === 0) {
          if (!isPage(value)) take(value);
        } else if (Array.isArray(parent)) {
          take(value);
          parent.pop();
        }
      };
      return p;
    }
    throw new Error(
      `expected a JSON array of users, a Graph page {"value": [...]} or JSON Lines, not a file starting with ${JSON.stringify(c)}`,
    );
  };

  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch (err) {
    io.stderr.write(`error: ${name}: ${escapeForTerminal(err instanceof Error ? err.message : String(err))}\n`);
    return 2;
  }
  io.stdout.write('[');
  try {
    const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
    for await (const raw of stream) {
      let chunk = raw as Buffer;
      if (first) {
        first = false;
        const sniffed = sniffEncoding(chunk);
        if ('unsupported' in sniffed)
          throw new Error(`the file is encoded in ${sniffed.unsupported}; save it as UTF-8`);
        chunk = chunk.subarray(sniffed.bom);
        if (sniffed.encoding !== 'utf-8') decoder = new TextDecoder(sniffed.encoding, { fatal: true });
      }
      // UTF-8 goes to the parser as bytes (it decodes across chunk boundaries); UTF-16 as text.
      const data: string | Buffer = decoder ? decoder.decode(chunk, { stream: true }) : chunk;
      if (!parser) {
        const significant = /\S/.exec(typeof data === 'string' ? data : data.toString('latin1'))?.[0];
        if (significant === undefined) continue;
        parser = start(significant);
      }
      parser.write(data);
      await out.flush();
    }
    if (!parser) throw new Error('the file is empty; expected a JSON array of users, a Graph page or JSON Lines');
    if (decoder) parser.write(decoder.decode());
    if (!parser.isEnded) parser.end();
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  out.push(']\n');
  await out.flush(true);
  if (failure !== undefined) {
    const partial = users > 0 ? ` (after ${users} user(s): the ids printed are the matches up to there)` : '';
    io.stderr.write(`error: ${name}: ${escapeForTerminal(failure)}${partial}\n`);
    return 2;
  }
  return 0;
}
