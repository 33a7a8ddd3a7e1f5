/**
 * Durability under `--data DIR`: every committed transaction is one JSON line appended to
 * `journal.log` and fsync'ed before the HTTP response leaves; the state is periodically compacted
 * into `snapshot.json`, written atomically (temp file, fsync, rename, fsync of the directory).
 * On start the snapshot is loaded and the journal replayed; a torn last line (a kill during the
 * append) was never acknowledged, so it is dropped and the file cut back to the last whole line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectionNames, type Entity, type Mutation, type Sink, type Store } from './store';

interface JournalLine {
  s: number;
  m: Mutation[];
}

interface SnapshotFile {
  seq: number;
  collections: Record<string, Entity[]>;
}

export interface JournalOptions {
  dir: string;
  /** Compact after this many journal lines (default 20,000). */
  compactEvery?: number;
}

export class Journal implements Sink {
  private fd: number;
  private lines = 0;
  private readonly journalPath: string;
  private readonly snapshotPath: string;
  private readonly compactEvery: number;
  private store: Store | undefined;

  constructor(private readonly opts: JournalOptions) {
    fs.mkdirSync(opts.dir, { recursive: true });
    this.journalPath = path.join(opts.dir, 'journal.log');
    this.snapshotPath = path.join(opts.dir, 'snapshot.json');
    this.compactEvery = opts.compactEvery ?? 20_000;
    const fresh = !fs.existsSync(this.journalPath);
    this.fd = fs.openSync(this.journalPath, 'a+');
    // A new file's directory entry must be durable before the first acknowledged append.
    if (fresh) fsyncDir(opts.dir);
  }

  /** Loads snapshot + journal into the store and attaches itself as the store's sink. Returns true if anything was loaded. */
  load(store: Store): boolean {
    this.store = store;
    let loaded = false;
    if (fs.existsSync(this.snapshotPath)) {
      const snap = JSON.parse(fs.readFileSync(this.snapshotPath, 'utf8')) as SnapshotFile;
      for (const c of collectionNames) store.apply((snap.collections[c] ?? []).map((e) => [c, e.id, e] as Mutation));
      store.seq = snap.seq;
      loaded = true;
    }
    loaded = this.replay(store) || loaded;
    store.sink = this;
    return loaded;
  }

  append(mutations: Mutation[]): void {
    const line = JSON.stringify({ s: this.store?.seq ?? 0, m: mutations } satisfies JournalLine) + '\n';
    fs.writeSync(this.fd, line);
    fs.fsyncSync(this.fd);
    this.lines++;
    if (this.lines >= this.compactEvery) this.compact();
  }

  /** Writes the whole state as the new snapshot, then empties the journal. */
  compact(): void {
    if (!this.store) return;
    const tmp = this.snapshotPath + '.tmp';
    const body: SnapshotFile = { seq: this.store.seq, collections: this.store.snapshot() };
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(body));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.snapshotPath);
    fsyncDir(this.opts.dir);
    // Lines already in the snapshot are skipped on replay by their sequence number, so a crash
    // between the rename and this truncation loses nothing.
    fs.ftruncateSync(this.fd, 0);
    fs.fsyncSync(this.fd);
    this.lines = 0;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private replay(store: Store): boolean {
    const buf = fs.readFileSync(this.journalPath);
    let pos = 0;
    let good = 0;
    let any = false;
    while (pos < buf.length) {
      const nl = buf.indexOf(0x0a, pos);
      if (nl < 0) break;
      const entry = parseLine(buf.subarray(pos, nl).toString('utf8'));
      if (!entry) break;
      if (entry.s > store.seq) {
        store.apply(entry.m);
        store.seq = entry.s;
        any = true;
      }
      this.lines++;
      pos = nl + 1;
      good = pos;
    }
    if (good < buf.length) {
      process.stderr.write(`sandbox: dropping ${buf.length - good} bytes of an incomplete journal line\n`);
      fs.ftruncateSync(this.fd, good);
      fs.fsyncSync(this.fd);
    }
    return any;
  }
}

function parseLine(text: string): JournalLine | undefined {
  try {
    const v = JSON.parse(text) as JournalLine;
    return typeof v.s === 'number' && Array.isArray(v.m) ? v : undefined;
  } catch {
    return undefined;
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms cannot open directories for fsync; the rename is still atomic there.
  }
}
