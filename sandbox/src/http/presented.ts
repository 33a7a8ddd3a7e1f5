/**
 * Entities' default presentation as UTF-8 JSON, kept from one request to the next.
 *
 * Listing users builds a page of a hundred default projections per request; measured warm at 1M
 * users, serialising and encoding that page (about 35 KB) costs more than everything else the
 * request does, and more than a trivial server spends answering with the same bytes
 * (RELIABILITY.md, issue 16). Entities are immutable values (store.ts): a change is a new object,
 * so an entry keyed by the entity object can never be stale; it is correct by construction, with
 * no invalidation to forget. What a write replaces is simply never looked up again.
 *
 * Memory is bounded: entries are encoded into an arena of `arenaBytes`; when it is full it becomes
 * the old generation and a new arena starts, and the generation before that is dropped (an entry
 * found in the old generation is copied into the new one, so pages read often stay). At most two
 * arenas are held, whatever the tenant's size; an entity whose JSON is larger than a whole arena is
 * encoded on its own and not kept.
 */
import type { Entity } from '../store/store';

/** A reply body that is JSON already encoded; `toJSON` lets it sit inside another body ($batch). */
export class JsonBytes {
  /** The bytes in order; a reply writes them as they are, without joining them first. */
  constructor(readonly parts: readonly Buffer[]) {}
  get length(): number {
    let n = 0;
    for (const p of this.parts) n += p.length;
    return n;
  }
  joined(): Buffer {
    return Buffer.concat(this.parts);
  }
  toJSON(): unknown {
    return JSON.parse(this.joined().toString('utf8')) as unknown;
  }
}

class Generation {
  readonly entries = new WeakMap<Entity, Buffer>();
  used = 0;
  constructor(readonly arena: Buffer) {}

  fits(n: number): boolean {
    return this.used + n <= this.arena.length;
  }

  /** `bytes` copied into this arena as the entry for `e` (the caller checked that it fits). */
  put(e: Entity, bytes: Buffer): Buffer {
    const at = this.used;
    bytes.copy(this.arena, at);
    this.used += bytes.length;
    const kept = this.arena.subarray(at, this.used);
    this.entries.set(e, kept);
    return kept;
  }
}

export class PresentedCache {
  private young: Generation;
  private old: Generation | undefined;

  constructor(
    private readonly present: (e: Entity) => unknown,
    private readonly arenaBytes = 4 << 20,
  ) {
    this.young = new Generation(Buffer.allocUnsafeSlow(arenaBytes));
  }

  /**
   * A comma and `present(e)` as UTF-8 JSON: the form an element takes after the first in a JSON
   * array. Entries are written one after another, so the entities of a page read before sit side
   * by side in the arena and join into one copy (see `joinArray`).
   */
  bytes(e: Entity): Buffer {
    const hit = this.young.entries.get(e);
    if (hit) return hit;
    const b = this.old?.entries.get(e) ?? Buffer.from(`,${JSON.stringify(this.present(e))}`, 'utf8');
    if (b.length > this.arenaBytes) return b;
    if (!this.young.fits(b.length)) {
      this.old = this.young;
      this.young = new Generation(Buffer.allocUnsafeSlow(this.arenaBytes));
    }
    return this.young.put(e, b);
  }
}

/**
 * `[` + the entities' JSON, comma-separated + `]` between `head` and `tail`, as one buffer. Entries
 * adjacent in an arena are copied as one run: a page read before is one or a few copies instead of
 * one per entity (each copy of a small buffer costs more than its bytes).
 */
export function joinArray(cache: PresentedCache, entities: readonly Entity[], head: string, tail: string): JsonBytes {
  const parts: Buffer[] = [Buffer.from(`${head}[`, 'utf8')];
  // The current run: a range of one arena, or of a buffer of its own.
  let buf: ArrayBufferLike | undefined;
  let start = 0;
  let end = 0;
  for (let i = 0; i < entities.length; i++) {
    const b = cache.bytes(entities[i]!);
    const from = i === 0 ? b.byteOffset + 1 : b.byteOffset;
    if (b.buffer === buf && from === end) {
      end += b.length;
      continue;
    }
    if (buf) parts.push(Buffer.from(buf, start, end - start));
    buf = b.buffer;
    start = from;
    end = b.byteOffset + b.length;
  }
  if (buf) parts.push(Buffer.from(buf, start, end - start));
  parts.push(Buffer.from(`]${tail}`, 'utf8'));
  return new JsonBytes(parts);
}
