/**
 * Bytes of a file → text, as an editor would open it: UTF-8 (with or without a byte-order
 * mark), UTF-16 LE or BE with a byte-order mark. Anything else is said plainly instead of being
 * handed to the JSON parser as garbage (which reports one misleading error at 1:1).
 */

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding a byte-order mark announces, and the mark's length; UTF-8 without one. */
export function sniffEncoding(bytes: Uint8Array): { encoding: Encoding; bom: number } | { unsupported: string } {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { unsupported: 'UTF-32 (little-endian)' };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { unsupported: 'UTF-32 (big-endian)' };
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bom: 2 };
  return { encoding: 'utf-8', bom: 0 };
}

/** UTF-16 without a byte-order mark: ASCII text with every other byte zero. */
function looksLikeBomlessUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  if (n < 4) return false;
  let zeros = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) zeros++;
  return zeros >= n / 4;
}

export function decodeText(bytes: Uint8Array): Decoded {
  const sniffed = sniffEncoding(bytes);
  if ('unsupported' in sniffed)
    return { ok: false, reason: `the file is encoded in ${sniffed.unsupported}; save it as UTF-8` };
  if (sniffed.bom === 0 && looksLikeBomlessUtf16(bytes))
    return {
      ok: false,
      reason:
        'the file looks like UTF-16 without a byte-order mark; save it as UTF-8 (or as UTF-16 with a byte-order mark)',
    };
  try {
    const text = new TextDecoder(sniffed.encoding, { fatal: true }).decode(bytes.subarray(sniffed.bom));
    const encoding = sniffed.bom > 0 ? `${sniffed.encoding.toUpperCase()} with a byte-order mark` : 'UTF-8';
    return { ok: true, text, encoding };
  } catch {
    return {
      ok: false,
      reason: `the file is not valid ${sniffed.encoding.toUpperCase()} text; save it as UTF-8`,
    };
  }
}
