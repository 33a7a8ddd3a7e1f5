/**
 * A string-keyed map split into 16 maps. A JS Map grows by rehashing all its entries at once;
 * at hundreds of thousands of entries that is tens of milliseconds in one go, and every table and
 * index of the store crosses the same sizes at about the same moment. Split, each part rehashes
 * a sixteenth, and the parts reach their thresholds at different moments.
 */
export class ShardedMap<V> {
  private readonly parts: Map<string, V>[] = Array.from({ length: 16 }, () => new Map<string, V>());

  private part(key: string): Map<string, V> {
    // The first two characters: random hex for ids and id-led keys; letters for names.
    return this.parts[(key.charCodeAt(0) + 7 * key.charCodeAt(key.length > 1 ? 1 : 0)) & 15]!;
  }

  get size(): number {
    let n = 0;
    for (const p of this.parts) n += p.size;
    return n;
  }

  get(key: string): V | undefined {
    return this.part(key).get(key);
  }

  set(key: string, value: V): void {
    this.part(key).set(key, value);
  }

  /** Sets the key and says whether it is new: one hash look-up where get-then-set makes two. */
  setIsNew(key: string, value: V): boolean {
    const p = this.part(key);
    const before = p.size;
    p.set(key, value);
    return p.size > before;
  }

  delete(key: string): void {
    this.part(key).delete(key);
  }
}
