/**
 * The store's string-keyed maps (id → slot of every table, key → ids of every index): an open-
 * addressing hash table over typed arrays, split into 16 parts.
 *
 * Why not a JS Map: loading a million-user tenant inserts some 5 million keys, and a Map costs
 * about 1.4 µs an insertion there (measured: 2.5M GUIDs in 3.4–4.0 s, this table 1.4–1.6 s), and
 * it grows by rehashing every entry into a new array of pointers at once. Here the hash slots are
 * typed arrays (the collector never walks them; a rehash moves integers), only keys and values
 * are JS arrays. Why not a library: the data-structure packages on npm (mnemonist among them)
 * wrap a Map or key by numbers. What is hand-written is small: FNV-1a hashing, linear probing,
 * deletion by backward shift (no tombstones), growth at half full.
 *
 * Why 16 parts: a table grows by rehashing all its keys at once; at hundreds of thousands of
 * keys that is tens of milliseconds in one go, and every table and index of the store crosses
 * the same sizes at about the same moment. Split, each part rehashes a sixteenth, and the parts
 * reach their thresholds at different moments.
 */
import { randomBytes } from 'node:crypto';

/**
 * A seed drawn per process: keys come from clients (user principal names, employee ids), and
 * with a hash they could predict they could send keys that all land in one run of slots, making
 * every insertion walk all of them.
 */
const seed = randomBytes(4).readInt32LE(0);

/** FNV-1a from a seeded start, over the UTF-16 code units: a 32-bit hash of any string. */
function hashOf(key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  // Spread the low bits (the slot) and the high bits (the part) over the whole string.
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/**
 * One hash table: slots hold entry index + 1 (0 is empty); entries are parallel arrays in
 * insertion order. A delete leaves a hole in the entries; once holes are half of them the entries
 * are copied, without the holes, into new arrays (an iteration begun before goes on over the old
 * ones: it sees the entries as they were, never a moved one twice).
 */
class Part<V> {
  private slots = new Int32Array(8);
  private mask = 7;
  private hashes = new Int32Array(8);
  private keys: (string | undefined)[] = [];
  private vals: (V | undefined)[] = [];
  private holes = 0;
  size = 0;

  /** The slot holding key, or the empty slot where it would go, as ~slot. */
  private find(key: string, h: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let p = h & mask;
    for (;;) {
      const e = slots[p]!;
      if (e === 0) return ~p;
      if (this.hashes[e - 1] === h && this.keys[e - 1] === key) return p;
      p = (p + 1) & mask;
    }
  }

  get(key: string, h: number): V | undefined {
    const p = this.find(key, h);
    return p < 0 ? undefined : this.vals[this.slots[p]! - 1];
  }

  has(key: string, h: number): boolean {
    return this.find(key, h) >= 0;
  }

  /** Sets the value; returns true when the key is new. */
  set(key: string, h: number, value: V): boolean {
    const p = this.find(key, h);
    if (p >= 0) {
      this.vals[this.slots[p]! - 1] = value;
      return false;
    }
    const e = this.keys.length;
    this.keys.push(key);
    this.vals.push(value);
    if (e >= this.hashes.length) {
      const bigger = new Int32Array(this.hashes.length * 2);
      bigger.set(this.hashes);
      this.hashes = bigger;
    }
    this.hashes[e] = h;
    this.slots[~p] = e + 1;
    this.size++;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return true;
  }

  delete(key: string, h: number): boolean {
    let i = this.find(key, h);
    if (i < 0) return false;
    const slots = this.slots;
    const mask = this.mask;
    const e = slots[i]! - 1;
    this.keys[e] = undefined;
    this.vals[e] = undefined;
    this.size--;
    this.holes++;
    // Backward shift: move later entries of the run into the hole when their home allows it.
    slots[i] = 0;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const f = slots[j]!;
      if (f === 0) break;
      const home = this.hashes[f - 1]! & mask;
      // The entry at j may move to i unless its home lies cyclically in (i, j].
      const stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (stays) continue;
      slots[i] = f;
      slots[j] = 0;
      i = j;
    }
    if (this.holes > 8 && this.holes * 2 > this.keys.length) this.squeeze();
    return true;
  }

  /** Grows the slots (and hashes) for n keys at once; never shrinks. */
  reserve(n: number): void {
    if (n > this.hashes.length) {
      const bigger = new Int32Array(n);
      bigger.set(this.hashes);
      this.hashes = bigger;
    }
    let size = this.slots.length;
    while (n * 2 > size) size *= 2;
    if (size > this.slots.length) this.rehash(size);
  }

  /** Keys in insertion order (over the entries as they are when it starts). */
  *keysInOrder(): Generator<string> {
    const keys = this.keys;
    for (let e = 0; e < keys.length; e++) {
      const k = keys[e];
      if (k !== undefined) yield k;
    }
  }

  /** [key, value] in insertion order (over the entries as they are when it starts). */
  *entries(): Generator<[string, V]> {
    const keys = this.keys;
    const vals = this.vals;
    for (let e = 0; e < keys.length; e++) {
      const k = keys[e];
      if (k !== undefined) yield [k, vals[e]!];
    }
  }

  private squeeze(): void {
    const keys: string[] = [];
    const vals: V[] = [];
    const hashes = new Int32Array(Math.max(8, this.size * 2));
    for (let e = 0; e < this.keys.length; e++) {
      const k = this.keys[e];
      if (k === undefined) continue;
      hashes[keys.length] = this.hashes[e]!;
      keys.push(k);
      vals.push(this.vals[e]!);
    }
    this.keys = keys;
    this.vals = vals;
    this.hashes = hashes;
    this.holes = 0;
    let size = 8;
    while (size < keys.length * 2) size *= 2;
    this.rehash(size);
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.keys.length; e++) {
      if (this.keys[e] === undefined) continue;
      let p = this.hashes[e]! & mask;
      while (slots[p] !== 0) p = (p + 1) & mask;
      slots[p] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

export class ShardedMap<V> {
  private readonly parts: Part<V>[] = Array.from({ length: 16 }, () => new Part<V>());

  get size(): number {
    let n = 0;
    for (const p of this.parts) n += p.size;
    return n;
  }

  /** Room for about n keys without rehashing (a part holds a sixteenth, give or take). */
  reserve(n: number): void {
    if (!(n > 0 && n <= 1 << 26)) return;
    const each = Math.ceil((n / 16) * 1.1) + 16;
    for (const p of this.parts) p.reserve(each);
  }

  get(key: string): V | undefined {
    const h = hashOf(key);
    return this.parts[h >>> 28]!.get(key, h);
  }

  set(key: string, value: V): void {
    this.setIsNew(key, value);
  }

  /** Sets the key and says whether it is new (one look-up). */
  setIsNew(key: string, value: V): boolean {
    const h = hashOf(key);
    return this.parts[h >>> 28]!.set(key, h, value);
  }

  has(key: string): boolean {
    const h = hashOf(key);
    return this.parts[h >>> 28]!.has(key, h);
  }

  /** Every [key, value], part by part (no overall order). */
  *entries(): Generator<[string, V]> {
    for (const p of this.parts) yield* p.entries();
  }

  delete(key: string): void {
    const h = hashOf(key);
    this.parts[h >>> 28]!.delete(key, h);
  }
}

/**
 * A set of ids in insertion order (an index posting: the assignments of one package, say), on
 * one hash table: a JS Set grows by rehashing every member at once into a new array the
 * collector then walks, which at 262,144 members of three such sets growing together blocked the
 * sandbox for 0.4–0.5 s (measured under the 300k-user reconcile); this one rehashes a typed array.
 */
export class IdSet implements Iterable<string> {
  private readonly part = new Part<true>();

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.part.size;
  }

  has(id: string): boolean {
    return this.part.has(id, hashOf(id));
  }

  add(id: string): this {
    this.part.set(id, hashOf(id), true);
    return this;
  }

  delete(id: string): boolean {
    return this.part.delete(id, hashOf(id));
  }

  [Symbol.iterator](): Iterator<string> {
    return this.part.keysInOrder();
  }
}
