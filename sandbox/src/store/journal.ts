/**
 * Durability under `--data DIR`: a segmented journal and streaming snapshots, all made of
 * checksummed records (see records.ts).
 *
 * - Every committed transaction is one record `{s: seq, m: mutations}` appended to the newest
 *   segment `journal-<first seq>.log` and fsync'ed before the transaction returns (so before any
 *   answer leaves). A write or fsync that fails is cut back off the file and the transaction rolls
 *   back: an error answer is never visible after a restart. When even that fails the journal
 *   refuses every later write until a restart (a failed fsync is never retried).
 * - A snapshot `snapshot-<seq>.snap` is written beside the running tenant in small chunks between
 *   requests (a fuzzy checkpoint: entities are immutable values and journal records carry final
 *   values, so the snapshot started at seq S plus every record after S is the state). It is
 *   written to a temporary file, fsync'ed, renamed, and only then are older segments deleted; a
 *   failed snapshot leaves the journal as it was.
 * - Start: the newest snapshot is read, then the segments in order, records up to S skipped.
 *   Sequence numbers must follow each other; a damaged record, a gap or a damaged snapshot stops
 *   the start with the file and offset. Only the newest segment may end in a torn record, which is
 *   cut off.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GraphError } from '../http/errors';
import { nodeFileSystem, fsyncDir, type FileSystem } from './fileSystem';
import { CorruptRecord, encodeJson, encodeRecord, RecordReader, scanRecords } from './records';
import { collectionNames, type CollectionName, type Entity, type Mutation, type Sink, type Store } from './store';

export interface JournalOptions {
  dir: string;
  /** Start a snapshot after this many journal records (default 200,000). */
  compactEvery?: number;
  /** …or after this many journal bytes since the last snapshot, if more than the snapshot's size (default 64 MiB). */
  compactBytes?: number;
  /** Start a new segment past this size (default 64 MiB). */
  segmentBytes?: number;
  fs?: FileSystem;
  log?: (message: string) => void;
}

interface JournalRecord {
  s: number;
  m: Mutation[];
}

const pad = (n: number): string => String(n).padStart(12, '0');
const segmentName = (first: number): string => `journal-${pad(first)}.log`;
const snapshotName = (seq: number): string => `snapshot-${pad(seq)}.snap`;
/**
 * Snapshot records hold up to about this much JSON (UTF-16 units): below V8's largest regular
 * heap object even as a two-byte string, so reading a record back allocates no large object
 * (those are mapped and faulted in page by page: 512-entity records made decoding 2.8 s of a
 * 1.9 GB snapshot, 48 KiB ones 1.2 s, measured).
 */
const recordBytes = 48 * 1024;
/** The start of a snapshot record: its collection and entity count, then its entities. */
const lazyHead = /^\{"c":"([A-Za-z]+)","n":(\d+),"e":\[/;
const segmentRe = /^journal-(\d{12})\.log$/;
const snapshotRe = /^snapshot-(\d{12})\.snap$/;

export class StartError extends Error {}

export class Journal implements Sink {
  private readonly fsx: FileSystem;
  private readonly log: (message: string) => void;
  private readonly compactEvery: number;
  private readonly compactBytes: number;
  private readonly segmentBytes: number;
  private store: Store | undefined;
  private fd: number | undefined;
  private segment = '';
  private size = 0;
  private recordsSince = 0;
  private bytesSince = 0;
  private recordsGoal: number;
  private bytesGoal: number;
  private broken: string | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly opts: JournalOptions) {
    if (typeof opts.dir !== 'string' || opts.dir.trim() === '')
      throw new StartError('the data directory is empty: give --data a directory path');
    this.fsx = opts.fs ?? nodeFileSystem;
    this.log = opts.log ?? ((m) => process.stderr.write(`sandbox: ${m}\n`));
    this.compactEvery = opts.compactEvery ?? 200_000;
    this.compactBytes = opts.compactBytes ?? 64 * 1024 * 1024;
    this.segmentBytes = opts.segmentBytes ?? 64 * 1024 * 1024;
    this.recordsGoal = this.compactEvery;
    this.bytesGoal = this.compactBytes;
    const fresh = !this.fsx.existsSync(opts.dir);
    this.fsx.mkdirSync(opts.dir, 0o700);
    if (fresh) this.fsx.chmodSync(opts.dir, 0o700);
  }

  private file(name: string): string {
    return path.join(this.opts.dir, name);
  }

  /** Loads snapshot + journal into the store and attaches itself as the store's sink. Returns true if anything was loaded. */
  load(store: Store): boolean {
    this.store = store;
    store.beginLoad();
    try {
      return this.loadAll(store);
    } finally {
      store.endLoad();
    }
  }

  private loadAll(store: Store): boolean {
    const names = this.fsx.readdirSync(this.opts.dir);
    for (const n of names) if (n.endsWith('.tmp')) this.unlink(n);
    const legacy = this.loadLegacy(store, names);
    const snaps = names.filter((n) => snapshotRe.test(n)).sort();
    let loaded = legacy;
    const newest = snaps[snaps.length - 1];
    if (newest) {
      this.readSnapshot(store, newest);
      loaded = true;
      for (const old of snaps.slice(0, -1)) this.unlink(old);
    }
    const segments = names.filter((n) => segmentRe.test(n)).sort();
    // Segments wholly covered by the snapshot (a crash between its rename and their deletion).
    const live: string[] = [];
    for (let i = 0; i < segments.length; i++) {
      const nextFirst = i + 1 < segments.length ? Number(segmentRe.exec(segments[i + 1]!)![1]) : Infinity;
      if (nextFirst - 1 <= store.seq) this.unlink(segments[i]!);
      else live.push(segments[i]!);
    }
    for (let i = 0; i < live.length; i++) {
      if (this.replay(store, live[i]!, i === live.length - 1)) loaded = true;
    }
    for (const n of live) this.fsx.chmodSync(this.file(n), 0o600);
    const last = live[live.length - 1];
    if (last) this.openSegment(last, false);
    else this.openSegment(segmentName(store.seq + 1), true);
    store.sink = this;
    if (legacy) {
      this.snapshotNow();
      for (const n of ['snapshot.json', 'journal.log']) if (names.includes(n)) this.unlink(n);
    }
    return loaded;
  }

  private readSnapshot(store: Store, name: string): void {
    const file = this.file(name);
    let seq: number | undefined;
    let count = 0;
    let ended = false;
    // Records of lazy collections (store.ts) are checked here and read again when applied.
    const reader = new RecordReader(this.fsx, file);
    const onBytes = (b: Buffer, offset: number): boolean => {
      if (seq === undefined || ended || b[0] !== 0x7b) return false;
      const m = lazyHead.exec(b.toString('latin1', 0, Math.min(b.length, 64)));
      if (!m || !store.defers(m[1]!)) return false;
      const n = Number(m[2]);
      store.defer(m[1], reader, offset, b.length + 9, n);
      count += n;
      return true;
    };
    const { end } = scanRecords(
      this.fsx,
      file,
      (v, offset) => {
        const r = v as {
          snapshot?: number;
          seq?: number;
          sizes?: unknown;
          c?: CollectionName;
          n?: number;
          e?: Entity[];
          end?: number;
        };
        if (seq === undefined) {
          if (r.snapshot !== 1 || typeof r.seq !== 'number')
            throw new CorruptRecord(file, offset, 'not a snapshot header');
          seq = r.seq;
          // Newer snapshots say how many entities each collection holds, so tables are sized once.
          if (r.sizes !== null && typeof r.sizes === 'object')
            for (const [c, n] of Object.entries(r.sizes as Record<string, unknown>))
              if (typeof n === 'number') store.reserve(c as CollectionName, n);
        } else if (ended) throw new CorruptRecord(file, offset, 'a record after the end of the snapshot');
        else if (typeof r.end === 'number') {
          if (r.end !== count)
            throw new CorruptRecord(file, offset, `the snapshot says ${r.end} entities but holds ${count}`);
          ended = true;
        } else if (typeof r.c === 'string' && Array.isArray(r.e)) {
          if (typeof r.n === 'number' && r.n !== r.e.length)
            throw new CorruptRecord(file, offset, `the record says ${r.n} entities but holds ${r.e.length}`);
          store.load(r.c, r.e);
          count += r.e.length;
        } else throw new CorruptRecord(file, offset, 'not a snapshot record');
      },
      false,
      onBytes,
    );
    if (seq === undefined || !ended) throw new StartError(`the snapshot ${file} is incomplete (it has no end record)`);
    store.seq = seq;
    this.bytesGoal = Math.max(this.compactBytes, end);
  }

  private replay(store: Store, name: string, newest: boolean): boolean {
    const file = this.file(name);
    let any = false;
    const { end, torn } = scanRecords(
      this.fsx,
      file,
      (v, offset) => {
        const r = v as JournalRecord;
        if (typeof r.s !== 'number' || !Array.isArray(r.m))
          throw new CorruptRecord(file, offset, 'not a journal record');
        if (r.s <= store.seq) return;
        if (r.s !== store.seq + 1)
          throw new CorruptRecord(file, offset, `records ${store.seq + 1} to ${r.s - 1} are missing before this one`);
        store.apply(r.m);
        store.seq = r.s;
        this.recordsSince++;
        any = true;
      },
      newest,
    );
    this.bytesSince += end;
    if (torn > 0) {
      this.log(
        `dropping a torn record of ${torn} bytes at the end of ${file} (offset ${end}); it was never acknowledged`,
      );
      const fd = this.fsx.openSync(file, 'r+');
      try {
        this.fsx.ftruncateSync(fd, end);
        this.fsx.fsyncSync(fd);
      } finally {
        this.fsx.closeSync(fd);
      }
    }
    return any;
  }

  private openSegment(name: string, create: boolean): void {
    if (this.fd !== undefined) this.fsx.closeSync(this.fd);
    this.fd = undefined;
    const fd = this.fsx.openSync(this.file(name), 'a', 0o600);
    this.fd = fd;
    this.segment = name;
    this.size = this.fsx.fstatSize(fd);
    // A new file's directory entry must be durable before the first acknowledged append.
    if (create) fsyncDir(this.fsx, this.opts.dir);
  }

  append(mutations: Mutation[], seq: number): void {
    if (this.broken) throw new GraphError(503, 'ServiceUnavailable', this.broken);
    if (this.closed || this.fd === undefined)
      throw new GraphError(503, 'ServiceUnavailable', 'The sandbox is shutting down; the change was not made.');
    if (this.size >= this.segmentBytes) this.rotate(seq);
    const rec = encodeRecord({ s: seq, m: mutations } satisfies JournalRecord);
    const fd = this.fd;
    const before = this.size;
    try {
      let done = 0;
      while (done < rec.length) {
        const n = this.fsx.writeSync(fd, rec, done, rec.length - done);
        if (n <= 0) throw Object.assign(new Error('the disk accepted no bytes'), { code: 'EIO' });
        done += n;
      }
    } catch (e) {
      this.cutBack(fd, before, e, false);
    }
    try {
      this.fsx.fsyncSync(fd);
    } catch (e) {
      this.cutBack(fd, before, e, true);
    }
    this.size += rec.length;
    this.recordsSince++;
    this.bytesSince += rec.length;
    if (this.recordsSince >= this.recordsGoal || this.bytesSince >= this.bytesGoal) void this.snapshot();
  }

  /** A write failed: the record is cut off again so the file ends with the last acknowledged one. */
  private cutBack(fd: number, before: number, e: unknown, fsyncFailed: boolean): never {
    const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
    try {
      this.fsx.ftruncateSync(fd, before);
      this.fsx.fsyncSync(fd);
      // After a failed fsync the kernel may have dropped dirty pages: never trust this file again.
      if (fsyncFailed) this.broken = `The sandbox's journal could not be flushed (${code}); restart the sandbox.`;
    } catch {
      this.broken = `The sandbox's journal is in an unknown state after a failed write (${code}); restart the sandbox.`;
    }
    this.log(
      `journal write failed (${code}); the change was not made${this.broken ? '; refusing writes until restart' : ''}`,
    );
    if (code === 'ENOSPC' || code === 'EDQUOT')
      throw new GraphError(
        507,
        'InsufficientStorage',
        `The sandbox's disk is full (${code}); the change was not made.`,
      );
    throw new GraphError(
      500,
      'InternalServerError',
      `The sandbox could not write its journal (${code}); the change was not made.`,
    );
  }

  private rotate(nextSeq: number): void {
    this.openSegment(segmentName(nextSeq), true);
  }

  /** Is a snapshot being written? */
  get snapshotting(): boolean {
    return this.running !== undefined;
  }

  /**
   * Writes a snapshot in the background, a chunk per event-loop turn; resolves when it is durable
   * (or has failed: failures are logged and leave the journal as it was).
   */
  snapshot(): Promise<void> {
    if (this.running) return this.running;
    if (!this.store || this.closed) return Promise.resolve();
    this.running = this.writeSnapshot().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The same, synchronously (after seeding, before the sandbox listens). */
  snapshotNow(): void {
    const it = this.snapshotSteps();
    let step = it.next();
    while (!step.done) {
      if (step.value.fd !== undefined) this.fsx.fsyncSync(step.value.fd);
      step = it.next();
    }
  }

  private async writeSnapshot(): Promise<void> {
    const it = this.snapshotSteps();
    try {
      let step = it.next();
      while (!step.done) {
        if (step.value.fd !== undefined) await this.fsx.fsync(step.value.fd);
        else await new Promise((r) => setImmediate(r));
        step = it.next();
      }
    } catch (e) {
      // Not again at once: after as much journal again as the snapshot was due after.
      this.recordsGoal = this.recordsSince + this.compactEvery;
      this.bytesGoal = this.bytesSince + this.compactBytes;
      this.log(
        `snapshot failed (${String((e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? e)}); the journal is kept and a snapshot will be tried again later`,
      );
      try {
        it.return(undefined);
      } catch {
        // cleanup is best effort
      }
    }
  }

  /**
   * The snapshot as steps: each yield is a point where the caller lets other work run
   * (`{}`) or flushes the file (`{fd}`). Throws on any failure, after removing the temporary file.
   */
  private *snapshotSteps(): Generator<{ fd?: number }, void, void> {
    const store = this.store!;
    const fsx = this.fsx;
    const seq = store.seq;
    // Records after seq go to a new segment, so the older ones can go once the snapshot is in.
    if (this.size > 0) this.rotate(seq + 1);
    const keepFrom = this.segment;
    const final = this.file(snapshotName(seq));
    const tmp = `${final}.tmp`;
    const fd = fsx.openSync(tmp, 'w', 0o600);
    let open = true;
    let done = false;
    try {
      let written = 0;
      let unflushed = 0;
      const put = (rec: Buffer): void => {
        let off = 0;
        while (off < rec.length) {
          const n = fsx.writeSync(fd, rec, off, rec.length - off);
          if (n <= 0) throw Object.assign(new Error('the disk accepted no bytes'), { code: 'EIO' });
          off += n;
        }
        written += rec.length;
        unflushed += rec.length;
      };
      const write = (value: unknown): void => put(encodeRecord(value));
      const sizes: Partial<Record<CollectionName, number>> = {};
      for (const coll of collectionNames) sizes[coll] = store.size(coll);
      write({ snapshot: 1, seq, sizes });
      let count = 0;
      for (const coll of collectionNames) {
        const entries = store.table(coll).entriesAfter(0);
        // A record holds up to about recordBytes of JSON: reading one back then makes a string
        // V8 allocates among the young objects, not a large object of its own. How many entities
        // fit is learnt from the record before (one JSON.stringify per record is about a third
        // cheaper than one per entity); a record that comes out too long is split in two.
        let per = 16;
        const record = (es: Entity[]): void => {
          const json = JSON.stringify({ c: coll, n: es.length, e: es });
          if (json.length > recordBytes && es.length > 1) {
            const half = es.length >> 1;
            record(es.slice(0, half));
            record(es.slice(half));
            return;
          }
          put(encodeJson(json));
          count += es.length;
          per = Math.max(1, Math.min(512, Math.floor((recordBytes * es.length * 0.9) / json.length)));
        };
        let chunk: Entity[] = [];
        for (;;) {
          if (this.closed) throw new Error('the sandbox closed during a snapshot');
          const started = performance.now();
          let finished = false;
          // About 8 ms of work per turn.
          while (performance.now() - started < 8) {
            const n = entries.next();
            if (n.done) {
              finished = true;
              break;
            }
            chunk.push(n.value[1]);
            if (chunk.length >= per) {
              record(chunk);
              chunk = [];
            }
          }
          if (chunk.length > 0) {
            record(chunk);
            chunk = [];
          }
          if (unflushed > 16 * 1024 * 1024) {
            unflushed = 0;
            yield { fd };
          } else yield {};
          if (finished) break;
        }
      }
      write({ end: count });
      yield { fd };
      fsx.closeSync(fd);
      open = false;
      fsx.renameSync(tmp, final);
      fsyncDir(fsx, this.opts.dir);
      done = true;
      this.recordsGoal = this.compactEvery;
      this.bytesGoal = Math.max(this.compactBytes, written);
      this.recordsSince = 0;
      this.bytesSince = 0;
      // Now the snapshot is durable: older snapshots and the segments it covers can go.
      for (const n of fsx.readdirSync(this.opts.dir)) {
        const s = snapshotRe.exec(n);
        if (s && Number(s[1]) < seq) this.unlink(n);
        const g = segmentRe.exec(n);
        if (g && n < keepFrom) this.unlink(n);
      }
    } finally {
      if (open) {
        try {
          fsx.closeSync(fd);
        } catch {
          // already closed
        }
      }
      if (!done) this.unlink(path.basename(tmp));
    }
  }

  private unlink(name: string): void {
    try {
      this.fsx.unlinkSync(this.file(name));
    } catch {
      // already gone
    }
  }

  close(): void {
    this.closed = true;
    if (this.fd !== undefined) this.fsx.closeSync(this.fd);
    this.fd = undefined;
    this.store?.close();
  }

  /** Data from before segmented journals (`snapshot.json` + `journal.log`), converted on first start. */
  private loadLegacy(store: Store, names: string[]): boolean {
    let any = false;
    if (names.includes('snapshot.json')) {
      const snap = JSON.parse(fs.readFileSync(this.file('snapshot.json'), 'utf8')) as {
        seq: number;
        collections: Record<string, Entity[]>;
      };
      for (const c of collectionNames) store.load(c, snap.collections[c] ?? []);
      store.seq = snap.seq;
      any = true;
    }
    if (names.includes('journal.log')) {
      for (const line of fs.readFileSync(this.file('journal.log'), 'utf8').split('\n')) {
        let r: JournalRecord | undefined;
        try {
          r = JSON.parse(line) as JournalRecord;
        } catch {
          break;
        }
        if (r.s > store.seq) {
          store.apply(r.m);
          store.seq = r.s;
          any = true;
        }
      }
    }
    return any;
  }
}
