/**
 * Due times by key: a map of the current time per key and a binary min-heap of (time, key)
 * entries. A changed or removed time leaves its old heap entry behind; it is recognised as stale
 * when it reaches the top (its time no longer matches the map) and dropped, and the heap is
 * rebuilt when stale entries outnumber live ones. Finding what is due costs O(k log n) for k due
 * items, nothing when nothing is due.
 */
export class DueHeap {
  private readonly current = new Map<string, number>();
  private times: number[] = [];
  private keys: string[] = [];

  get size(): number {
    return this.current.size;
  }

  set(key: string, at: number): void {
    if (this.current.get(key) === at) return;
    this.current.set(key, at);
    this.push(at, key);
    if (this.times.length > 1024 && this.times.length > 2 * this.current.size) this.rebuild();
  }

  delete(key: string): void {
    this.current.delete(key);
  }

  /** Removes and returns the keys due at or before `now` (each once). */
  popUntil(now: number): string[] {
    const out: string[] = [];
    while (this.times.length > 0 && this.times[0]! <= now) {
      const at = this.times[0]!;
      const key = this.keys[0]!;
      this.pop();
      if (this.current.get(key) === at) {
        this.current.delete(key);
        out.push(key);
      }
    }
    return out;
  }

  private rebuild(): void {
    this.times = [];
    this.keys = [];
    for (const [k, at] of this.current) this.push(at, k);
  }

  private push(at: number, key: string): void {
    const t = this.times;
    const k = this.keys;
    let i = t.length;
    t.push(at);
    k.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p]! <= at) break;
      t[i] = t[p]!;
      k[i] = k[p]!;
      i = p;
    }
    t[i] = at;
    k[i] = key;
  }

  private pop(): void {
    const t = this.times;
    const k = this.keys;
    const lastT = t.pop()!;
    const lastK = k.pop()!;
    const n = t.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && t[r]! < t[l]! ? r : l;
      if (t[c]! >= lastT) break;
      t[i] = t[c]!;
      k[i] = k[c]!;
      i = c;
    }
    t[i] = lastT;
    k[i] = lastK;
  }
}
