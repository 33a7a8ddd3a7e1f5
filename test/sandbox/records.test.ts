/**
 * Reading a record back gives exactly the value written, now that records are decoded for
 * JSON.parse with their ASCII copied and each non-ASCII run escaped (records.ts `jsonText`)
 * instead of being decoded from UTF-8 whole: any JSON value with any characters, non-ASCII at
 * and across every word boundary of the search for non-ASCII bytes at every alignment, and bytes
 * that are not valid UTF-8 decoded as a whole-record decoding does.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkLine, encodeRecord, jsonText, parseBody } from '../../sandbox/src/store/records';

/** Writes `value` as a record, checks the line and parses it the way a restart does. */
function roundTrip(value: unknown): unknown {
  const line = encodeRecord(value);
  const checked = checkLine(line.subarray(0, line.length - 1));
  assert.ok(checked.ok, 'the checksum of a record just written matches');
  const parsed = parseBody(checked.body);
  assert.ok(parsed.ok, 'a record just written parses');
  return parsed.value;
}

/** The bytes as a JSON string's content (no quote, backslash or control byte), parsed back. */
function asStringContent(bytes: Buffer): string {
  return JSON.parse(`"${jsonText(bytes)}"`) as string;
}

/** Any UTF-16 unit: lone surrogates as well as pairs (JSON.stringify escapes the lone ones). */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Bytes that may sit inside a JSON string: letters, and any byte from 0x80 up (valid UTF-8 or not). */
const contentByte = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0x61, max: 0x7a }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
);

describe('sandbox: records read back as written', () => {
  it('any JSON value with any characters comes back equal (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), (v) => {
        assert.deepEqual(roundTrip(v), JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 400 },
    );
  });

  it('strings of any code points, lone surrogates included, come back equal (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: anyUnit, maxLength: 700 }), { maxLength: 6 }), (list) => {
        assert.deepEqual(roundTrip({ c: 'users', e: list.map((s) => ({ displayName: s })) }), {
          c: 'users',
          e: list.map((s) => ({ displayName: JSON.parse(JSON.stringify(s)) as string })),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('bytes inside a string decode as a whole-record UTF-8 decoding does, valid or not (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(contentByte, { maxLength: 1200, size: 'max' }), (list) => {
        const bytes = Buffer.from(list);
        assert.equal(asStringContent(bytes), bytes.toString('utf8'));
      }),
      { numRuns: 500 },
    );
  });

  it('non-ASCII at every position of the four-byte words the search reads, at every alignment, and runs longer than one', () => {
    const accent = Buffer.from('é', 'utf8'); // two bytes
    const emoji = Buffer.from('😀', 'utf8'); // four bytes, a surrogate pair in JavaScript
    for (const offset of [0, 1, 2, 3]) {
      for (const at of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255, 256, 257]) {
        for (const tail of [0, 1, 2, 3, 4, 5, 11, 300]) {
          for (const insert of [accent, emoji, Buffer.from('東京', 'utf8')]) {
            const record = Buffer.concat([Buffer.alloc(at, 'a'), insert, Buffer.alloc(tail, 'b')]);
            // The record where the search's word boundaries fall `offset` bytes into it.
            const memory = Buffer.allocUnsafeSlow(record.length + 4);
            record.copy(memory, offset);
            const placed = memory.subarray(offset, offset + record.length);
            assert.equal(
              asStringContent(placed),
              record.toString('utf8'),
              `${insert.toString('utf8')} at ${at} of ${record.length}, offset ${offset}`,
            );
          }
        }
      }
    }
    const long = Buffer.from('ł'.repeat(700), 'utf8'); // 1,400 bytes without ASCII
    assert.equal(asStringContent(long), 'ł'.repeat(700));
    assert.equal(
      asStringContent(Buffer.concat([Buffer.alloc(256, 'x'), long, Buffer.from('y')])),
      `${'x'.repeat(256)}${'ł'.repeat(700)}y`,
    );
  });

  it('invalid sequences: replaced as a whole-record decoding replaces them', () => {
    const cases = [
      [0x80], // a continuation byte alone
      [0xc3], // a lead byte at the end
      [0xc3, 0x61], // a lead byte before ASCII
      [0xe6, 0x9d, 0x61], // a three-byte sequence cut short
      [0xc0, 0xaf], // an overlong encoding
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xff, 0xfe, 0x61, 0xc3, 0xa9],
    ];
    for (const c of cases) {
      const bytes = Buffer.concat([Buffer.from('ab'), Buffer.from(c), Buffer.from('cd')]);
      assert.equal(asStringContent(bytes), bytes.toString('utf8'), `bytes ${Buffer.from(c).toString('hex')}`);
    }
  });

  it('structure stays JSON: a record whose strings are all non-ASCII parses to the same value', () => {
    const value = { c: 'users', e: [{ id: 'ü', displayName: 'Zoë Ångström', city: 'São Paulo', jobTitle: '営業' }] };
    assert.deepEqual(roundTrip(value), value);
    assert.match(jsonText(Buffer.from(JSON.stringify(value), 'utf8')), /^[\x20-\x7e]*$/);
  });
});
