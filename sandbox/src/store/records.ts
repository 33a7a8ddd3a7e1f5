/**
 * The on-disk record: one line `CCCCCCCC <json>\n`, where CCCCCCCC is the CRC-32 (hex) of the
 * JSON's UTF-8 bytes. JSON never contains a raw newline, so a line is a record. Journal segments
 * and snapshots are both sequences of records, read back in fixed-size chunks (no whole-file
 * buffer, no whole-state string).
 *
 * Reading: every newline-terminated line must carry a matching checksum and parse, otherwise the
 * reader stops with a `CorruptRecord` naming the file and the byte offset. A last fragment without
 * its newline is a torn tail (a write the process or the machine did not finish, so never
 * acknowledged); only the newest journal segment may end with one, and it is cut off there.
 */
import * as zlib from 'node:zlib';
import type { FileSystem } from './fileSystem';

const table = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** zlib's CRC-32 (Node ≥ 20.15), or the same polynomial by table on older runtimes. */
const crc32: (b: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (b) => (zlib as unknown as { crc32(b: Uint8Array): number }).crc32(b)
    : (b) => {
        let c = -1;
        for (let i = 0; i < b.length; i++) c = table[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
        return (c ^ -1) >>> 0;
      };

const hex = (n: number): string => n.toString(16).padStart(8, '0');

/** One record as bytes, ready to append. */
export function encodeRecord(value: unknown): Buffer {
  return encodeJson(JSON.stringify(value));
}

/** One record from its JSON text (already serialized), as bytes ready to append. */
export function encodeJson(json: string): Buffer {
  const len = Buffer.byteLength(json);
  const buf = Buffer.allocUnsafe(len + 10);
  buf.write(json, 9, 'utf8');
  buf.write(hex(crc32(buf.subarray(9, 9 + len))), 0, 'latin1');
  buf[8] = 0x20;
  buf[len + 9] = 0x0a;
  return buf;
}

export class CorruptRecord extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `corrupted record in ${file} at byte offset ${offset} (${reason}); the sandbox will not start on damaged data. ` +
        'Move the data directory (or that file) aside to start without it.',
    );
  }
}

/** The JSON bytes of a line whose header and checksum are right, or why not. */
export function checkLine(line: Buffer): { ok: true; body: Buffer } | { ok: false; reason: string } {
  if (line.length < 10 || line[8] !== 0x20) return { ok: false, reason: 'no record header' };
  const want = line.toString('latin1', 0, 8);
  if (!/^[0-9a-f]{8}$/.test(want)) return { ok: false, reason: 'no record header' };
  const body = line.subarray(9);
  if (hex(crc32(body)) !== want) return { ok: false, reason: 'checksum mismatch' };
  return { ok: true, body };
}

/**
 * The index of the first byte at or after `from` that is not ASCII, or `body.length`. Four bytes
 * are tested at a time, as aligned 32-bit words of the record's memory: about 35 ms for 65 MB
 * where one `isAscii` call per 256 bytes took 70 (the call, not the scan, cost the time) and a
 * byte loop 65.
 */
function nextNonAscii(body: Buffer, from: number): number {
  const n = body.length;
  let i = from;
  while (i < n && ((body.byteOffset + i) & 3) !== 0) {
    if (body[i]! >= 0x80) return i;
    i++;
  }
  const count = (n - i) >> 2;
  if (count > 0) {
    const words = new Uint32Array(body.buffer, body.byteOffset + i, count);
    let w = 0;
    while (w < count && (words[w]! & 0x80808080) === 0) w++;
    i += w << 2;
  }
  while (i < n && body[i]! < 0x80) i++;
  return i;
}

/** Every UTF-16 unit of `s` as a JSON `\uXXXX` escape. */
function escaped(s: string): string {
  let out = '';
  for (let k = 0; k < s.length; k++) out += `\\u${s.charCodeAt(k).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * A record's JSON bytes as text for JSON.parse: ASCII copied as it is (as Latin-1), each run of
 * non-ASCII bytes as the `\uXXXX` escapes of what it decodes to.
 *
 * Why: a record holding one non-ASCII character (a name with an accent; nearly every record of a
 * real directory) decodes from UTF-8 to a two-byte string, and that decoding was a third of JSON
 * parsing's time at a restart (2.1 s of 7.3 s for 1M users, profiled); copying ASCII costs a tenth
 * of it, and the runs between are few and short.
 *
 * The same value as decoding the whole record: JSON's structure is ASCII, so the non-ASCII bytes
 * of a record JSON.stringify wrote are inside strings, where an escape means the same character;
 * and an ASCII byte never belongs to a multi-byte sequence (a decoder replaces an invalid sequence
 * before the ASCII byte that ends it), so decoding each non-ASCII run alone gives what decoding
 * the whole record gives.
 */
export function jsonText(body: Buffer): string {
  const n = body.length;
  let i = nextNonAscii(body, 0);
  if (i === n) return body.toString('latin1');
  let out = '';
  let from = 0; // the first byte not yet in `out`
  while (i < n) {
    let j = i + 1;
    while (j < n && body[j]! >= 0x80) j++;
    out += body.toString('latin1', from, i) + escaped(body.toString('utf8', i, j));
    from = j;
    i = nextNonAscii(body, j);
  }
  return out + body.toString('latin1', from, n);
}

/** The value of a checked record's JSON bytes, or why not. */
export function parseBody(body: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(jsonText(body)) as unknown };
  } catch {
    return { ok: false, reason: 'checksum matches but the JSON does not parse' };
  }
}

export interface ScanResult {
  /** Bytes of whole, valid records (where appending may continue). */
  end: number;
  /** Bytes of a torn tail after `end` (0 when the file ends cleanly). */
  torn: number;
}

const chunkSize = 8 * 1024 * 1024;

/**
 * Reads every record of a file in order. `tornTailAllowed` says whether the file may end with a
 * fragment (the newest journal segment); elsewhere a fragment is corruption too. `onBytes`, when
 * given, sees each checked record's JSON bytes first (valid until it returns) and may take it
 * whole by returning true; otherwise the record is parsed and handed to `onRecord`.
 */
export function scanRecords(
  fsx: FileSystem,
  file: string,
  onRecord: (value: unknown, offset: number) => void,
  tornTailAllowed: boolean,
  onBytes?: (body: Buffer, offset: number) => boolean,
): ScanResult {
  const fd = fsx.openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(chunkSize);
    let have = 0; // bytes in buf
    let bufStart = 0; // file offset of buf[0]
    let eof = false;
    for (;;) {
      if (!eof && have < buf.length) {
        const n = fsx.readSync(fd, buf, have, buf.length - have, bufStart + have);
        if (n === 0) eof = true;
        have += n;
      }
      let pos = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0 || nl >= have) break;
        const c = checkLine(buf.subarray(pos, nl));
        if (!c.ok) throw new CorruptRecord(file, bufStart + pos, c.reason);
        if (!onBytes?.(c.body, bufStart + pos)) {
          const r = parseBody(c.body);
          if (!r.ok) throw new CorruptRecord(file, bufStart + pos, r.reason);
          onRecord(r.value, bufStart + pos);
        }
        pos = nl + 1;
      }
      if (eof) {
        const rest = have - pos;
        if (rest > 0 && !tornTailAllowed)
          throw new CorruptRecord(file, bufStart + pos, 'the file ends inside a record');
        return { end: bufStart + pos, torn: rest };
      }
      // Keep the unfinished line; grow the buffer when one line is longer than it.
      const rest = have - pos;
      if (pos === 0 && rest === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, rest);
        buf = bigger;
      } else buf.copy(buf, 0, pos, have);
      bufStart += pos;
      have = rest;
    }
  } finally {
    fsx.closeSync(fd);
  }
}

/**
 * Records of one file read again by position, after a first scan checked them (store.ts keeps a
 * restart's lazy collections as such positions). Reads ahead in blocks of a few MiB, since those
 * records come in file order; the file stays open until `close`.
 */
export class RecordReader {
  private fd: number | undefined;
  private buf = Buffer.alloc(0);
  private start = 0;
  private have = 0;

  constructor(
    private readonly fsx: FileSystem,
    readonly file: string,
  ) {}

  /** The bytes of the line at `offset` (without its newline); valid until the next call. */
  line(offset: number, length: number): Buffer {
    if (offset < this.start || offset + length > this.start + this.have) {
      this.fd ??= this.fsx.openSync(this.file, 'r');
      if (this.buf.length < length) this.buf = Buffer.allocUnsafe(Math.max(length, 4 * 1024 * 1024));
      this.start = offset;
      this.have = 0;
      while (this.have < this.buf.length) {
        const n = this.fsx.readSync(this.fd, this.buf, this.have, this.buf.length - this.have, offset + this.have);
        if (n === 0) break;
        this.have += n;
      }
      if (this.have < length) throw new CorruptRecord(this.file, offset, 'the file is shorter than when it was read');
    }
    return this.buf.subarray(offset - this.start, offset - this.start + length);
  }

  close(): void {
    if (this.fd !== undefined) this.fsx.closeSync(this.fd);
    this.fd = undefined;
    this.buf = Buffer.alloc(0);
  }
}
