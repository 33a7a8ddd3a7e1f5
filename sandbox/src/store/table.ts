/**
 * One entity set in insertion order: entities live in an array of slots, each with an ordinal
 * that only grows, and a map from id to slot. Listing can then resume after any ordinal in
 * O(log n) (the `$skiptoken` of a page, the cursor of a background reconcile), whatever the
 * offset. Deletes leave holes that are squeezed out once they are half the array; ordinals keep
 * their order, so a cursor stays valid across that.
 */
import { ShardedMap } from './shardedMap';
import type { Entity } from './store';

export class Table {
  private readonly pos = new ShardedMap<number>();
  private slots: (Entity | undefined)[] = [];
  private ords: number[] = [];
  private nextOrd = 1;
  private holes = 0;
  /** Changes when slots move; iterators re-find their place by ordinal. */
  private epoch = 0;

  get size(): number {
    return this.pos.size;
  }

  get(id: string): Entity | undefined {
    const i = this.pos.get(id);
    return i === undefined ? undefined : this.slots[i];
  }

  /** The entity's ordinal (its place in the listing order), or undefined. */
  ordOf(id: string): number | undefined {
    const i = this.pos.get(id);
    return i === undefined ? undefined : this.ords[i];
  }

  /** Sizes the id map for about n entities, so loading them rehashes nothing. */
  reserve(n: number): void {
    this.pos.reserve(n);
  }

  /** Puts the entity in its place (a new one at the end); returns the value it replaced. */
  set(e: Entity): Entity | undefined {
    const i = this.pos.get(e.id);
    if (i !== undefined) {
      const old = this.slots[i];
      this.slots[i] = e;
      return old;
    }
    this.pos.set(e.id, this.slots.length);
    this.slots.push(e);
    this.ords.push(this.nextOrd++);
    return undefined;
  }

  /**
   * set() for bulk loading, where nearly every id is new: appended with one hash look-up. An id
   * seen before (a fuzzy snapshot lists an entity deleted and put again twice) finds its slot by
   * a scan of this table, which happens only there.
   */
  load(e: Entity): Entity | undefined {
    const i = this.slots.length;
    if (this.pos.setIsNew(e.id, i)) {
      this.slots.push(e);
      this.ords.push(this.nextOrd++);
      return undefined;
    }
    const at = this.slots.findIndex((s) => s?.id === e.id);
    this.pos.set(e.id, at);
    const old = this.slots[at];
    this.slots[at] = e;
    return old;
  }

  delete(id: string): void {
    const i = this.pos.get(id);
    if (i === undefined) return;
    this.pos.delete(id);
    this.slots[i] = undefined;
    this.holes++;
    if (this.holes > 1024 && this.holes * 2 > this.slots.length) this.squeeze();
  }

  /**
   * The raw slots and ordinals, for a hot loop that reads them by index without copying (valid
   * until the next write to this table; holes are undefined), and where to start after `ord`.
   */
  view(ord: number): { slots: readonly (Entity | undefined)[]; ords: readonly number[]; start: number } {
    return { slots: this.slots, ords: this.ords, start: this.after(ord) };
  }

  /** Index of the first slot whose ordinal is greater than `ord`. */
  private after(ord: number): number {
    let lo = 0;
    let hi = this.ords.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ords[mid]! <= ord) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Up to `max` entities after ordinal `ord`, and the ordinal to continue after (same when at the end). */
  batchAfter(ord: number, max: number): { items: Entity[]; next: number; done: boolean } {
    const items: Entity[] = [];
    let i = this.after(ord);
    let next = ord;
    while (i < this.slots.length && items.length < max) {
      const e = this.slots[i];
      next = this.ords[i]!;
      if (e) items.push(e);
      i++;
    }
    return { items, next, done: i >= this.slots.length };
  }

  /** Entities after ordinal `ord` in order, with their ordinals; safe across writes between steps. */
  *entriesAfter(ord = 0): Generator<[number, Entity]> {
    let epoch = this.epoch;
    let i = this.after(ord);
    let last = ord;
    for (;;) {
      if (epoch !== this.epoch) {
        epoch = this.epoch;
        i = this.after(last);
      }
      if (i >= this.slots.length) return;
      const e = this.slots[i];
      last = this.ords[i]!;
      i++;
      if (e) yield [last, e];
    }
  }

  *values(): Generator<Entity> {
    for (const [, e] of this.entriesAfter(0)) yield e;
  }

  private squeeze(): void {
    const slots: Entity[] = [];
    const ords: number[] = [];
    for (let i = 0; i < this.slots.length; i++) {
      const e = this.slots[i];
      if (!e) continue;
      this.pos.set(e.id, slots.length);
      slots.push(e);
      ords.push(this.ords[i]!);
    }
    this.slots = slots;
    this.ords = ords;
    this.holes = 0;
    this.epoch++;
  }
}
