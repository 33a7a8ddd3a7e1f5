/**
 * Integrity of the sandbox's storage: a full disk, a short write, a failed fsync and a failed
 * snapshot end with exactly the acknowledged writes after a restart; damaged records stop the
 * start with the file and the offset, a torn tail is cut off; the data directory is private.
 * Failures are injected through the journal's file-system seam, and (as root, where tmpfs can be
 * mounted) with a real full disk.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type Client } from './helpers';
import { startSandbox } from '../../sandbox/src/http/server';
import { nodeFileSystem, type FileSystem } from '../../sandbox/src/store/fileSystem';

const root = join(__dirname, '..', '..');
const dirs: string[] = [];
const newDir = (): string => {
  const d = fs.mkdtempSync(join(tmpdir(), 'sandbox-integrity-'));
  dirs.push(d);
  return join(d, 'data');
};
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A file system that fails on command: journal writes past a byte budget, fsyncs, snapshot writes. */
function faulty() {
  const paths = new Map<number, string>();
  const ctl = { budget: Infinity, fsyncFails: false, snapshotFails: false };
  const errno = (code: string): Error => Object.assign(new Error(`${code}: injected`), { code });
  const fsx: FileSystem = {
    ...nodeFileSystem,
    openSync: (p, flags, mode) => {
      const fd = nodeFileSystem.openSync(p, flags, mode);
      paths.set(fd, p);
      return fd;
    },
    writeSync: (fd, buf, off, len) => {
      const p = paths.get(fd) ?? '';
      if (ctl.snapshotFails && p.endsWith('.tmp')) throw errno('ENOSPC');
      if (p.endsWith('.log')) {
        if (ctl.budget <= 0) throw errno('ENOSPC');
        if (len > ctl.budget) {
          // A short write: part of the record reaches the file, then the disk is full.
          const n = nodeFileSystem.writeSync(fd, buf, off, ctl.budget);
          ctl.budget = 0;
          return n;
        }
        ctl.budget -= len;
      }
      return nodeFileSystem.writeSync(fd, buf, off, len);
    },
    fsyncSync: (fd) => {
      if (ctl.fsyncFails && (paths.get(fd) ?? '').endsWith('.log')) throw errno('EIO');
      nodeFileSystem.fsyncSync(fd);
    },
  };
  return { fsx, ctl };
}

const user = (nick: string) => ({
  displayName: nick,
  userPrincipalName: `${nick}@contoso.test`,
  mailNickname: nick,
  accountEnabled: true,
});

async function upns(c: Client): Promise<string[]> {
  const r = await c.ok('GET', '/users?$top=999&$select=userPrincipalName');
  return (r.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName.split('@')[0]!).sort();
}

async function restart(dir: string): Promise<Client> {
  return client({ seed: 'empty', dataDir: dir });
}

function segments(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort()
    .map((n) => join(dir, n));
}

/** Byte offsets of the records (lines) of a file. */
function lineOffsets(file: string): number[] {
  const buf = fs.readFileSync(file);
  const out: number[] = [];
  for (let pos = 0; pos < buf.length;) {
    out.push(pos);
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    pos = nl + 1;
  }
  return out;
}

describe('storage failures end with exactly the acknowledged writes', () => {
  it('a full disk (short write, then ENOSPC) answers 507, is rolled back, and is absent after restart', async () => {
    const dir = newDir();
    const { fsx, ctl } = faulty();
    const c = await client({ seed: 'empty', dataDir: dir, fileSystem: fsx });
    const acked: string[] = [];
    for (const n of ['a1', 'a2', 'a3']) {
      assert.equal((await c.call('POST', '/users', user(n))).status, 201);
      acked.push(n);
    }
    ctl.budget = 40;
    const short = await c.call('POST', '/users', user('lost1'));
    assert.equal(short.status, 507, short.text);
    assert.equal(short.json.error.code, 'InsufficientStorage');
    const none = await c.call('POST', '/users', user('lost2'));
    assert.equal(none.status, 507);
    assert.deepEqual(await upns(c), acked, 'a refused write is not visible');
    ctl.budget = Infinity;
    assert.equal((await c.call('POST', '/users', user('a4'))).status, 201, 'space is back: writes resume');
    acked.push('a4');
    await c.close();
    const again = await restart(dir);
    try {
      assert.deepEqual(await upns(again), acked);
    } finally {
      await again.close();
    }
  });

  it('a failed fsync answers an error, refuses later writes, and the restart has exactly the acknowledged ones', async () => {
    const dir = newDir();
    const { fsx, ctl } = faulty();
    const c = await client({ seed: 'empty', dataDir: dir, fileSystem: fsx });
    assert.equal((await c.call('POST', '/users', user('b1'))).status, 201);
    ctl.fsyncFails = true;
    const failed = await c.call('POST', '/users', user('lost'));
    assert.equal(failed.status, 500, failed.text);
    ctl.fsyncFails = false;
    const refused = await c.call('POST', '/users', user('lost2'));
    assert.equal(refused.status, 503, 'after a failed fsync the journal is not trusted again');
    assert.equal((await c.get('/users?$top=5')).status, 200, 'reads still work');
    await c.close();
    const again = await restart(dir);
    try {
      assert.deepEqual(await upns(again), ['b1']);
    } finally {
      await again.close();
    }
  });

  it('a failed snapshot keeps the journal: every acknowledged write survives, no temporary file is left', async () => {
    const dir = newDir();
    const { fsx, ctl } = faulty();
    const c = await client({ seed: 'empty', dataDir: dir, fileSystem: fsx, compactEvery: 3 });
    ctl.snapshotFails = true;
    const acked: string[] = [];
    for (let i = 0; i < 10; i++) {
      assert.equal((await c.call('POST', '/users', user(`c${i}`))).status, 201);
      acked.push(`c${i}`);
      await c.sandbox.journal!.snapshot();
    }
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.endsWith('.snap') || n.endsWith('.tmp')),
      [],
      'no snapshot was completed and none is left half-written',
    );
    ctl.snapshotFails = false;
    await c.sandbox.journal!.snapshot();
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.snap')).length, 1);
    assert.equal((await c.call('POST', '/users', user('c10'))).status, 201);
    acked.push('c10');
    await c.close();
    const again = await restart(dir);
    try {
      assert.deepEqual(await upns(again), acked.sort());
    } finally {
      await again.close();
    }
  });

  it('a real full disk (tmpfs): 507 answers, and exactly the acknowledged users after a restart', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a small tmpfs');
    const mnt = fs.mkdtempSync(join(tmpdir(), 'sandbox-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=192k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      fs.rmdirSync(mnt);
      return t.skip('tmpfs cannot be mounted here');
    }
    try {
      const dir = join(mnt, 'data');
      const c = await client({ seed: 'empty', dataDir: dir });
      const acked: string[] = [];
      let full = 0;
      const pad = 'x'.repeat(6000);
      for (let i = 0; i < 80 && full < 3; i++) {
        const r = await c.call('POST', '/users', { ...user(`d${i}`), streetAddress: pad });
        if (r.status === 201) acked.push(`d${i}`);
        else {
          assert.equal(r.status, 507, r.text);
          full++;
        }
      }
      assert.ok(full > 0, 'the disk filled up');
      assert.ok(acked.length > 0);
      await c.close();
      const again = await restart(dir);
      try {
        assert.deepEqual(await upns(again), acked.sort());
      } finally {
        await again.close();
      }
    } finally {
      execFileSync('umount', [mnt]);
      fs.rmdirSync(mnt);
    }
  });
});

describe('damaged data', () => {
  let dir: string;
  let segment: string;
  let offsets: number[];
  before(async () => {
    dir = newDir();
    const c = await client({ seed: 'empty', dataDir: dir });
    for (const n of ['e1', 'e2', 'e3', 'e4']) await c.ok('POST', '/users', user(n));
    await c.close();
    segment = segments(dir).pop()!;
    offsets = lineOffsets(segment);
  });

  function copy(): { dir: string; segment: string } {
    const d = newDir();
    fs.cpSync(dir, d, { recursive: true });
    return { dir: d, segment: join(d, segment.slice(dir.length + 1)) };
  }

  it('a corrupted record in the middle stops the start with the file and the offset', async () => {
    const x = copy();
    const buf = fs.readFileSync(x.segment);
    const at = offsets[1]! + 30;
    buf[at] = buf[at] === 0x41 ? 0x42 : 0x41;
    fs.writeFileSync(x.segment, buf);
    await assert.rejects(
      startSandbox({ seed: 'empty', dataDir: x.dir }),
      (e: Error) => e.message.includes(x.segment) && e.message.includes(`byte offset ${offsets[1]}`),
    );
  });

  it('a bad checksum on the last whole record is corruption too, not a torn tail', async () => {
    const x = copy();
    const buf = fs.readFileSync(x.segment);
    const last = offsets[offsets.length - 1]!;
    buf[last] = buf[last] === 0x30 ? 0x31 : 0x30;
    fs.writeFileSync(x.segment, buf);
    await assert.rejects(startSandbox({ seed: 'empty', dataDir: x.dir }), (e: Error) =>
      e.message.includes(`byte offset ${last} (checksum mismatch)`),
    );
  });

  it('the process exits with the message (file and offset) on stderr', () => {
    const x = copy();
    const buf = fs.readFileSync(x.segment);
    buf[offsets[2]! + 20] = buf[offsets[2]! + 20]! ^ 0x01;
    fs.writeFileSync(x.segment, buf);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'sandbox/src/main.ts', '--seed', 'empty', '--data', x.dir],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      new RegExp(`corrupted record in .*${segment.split('/').pop()} at byte offset ${offsets[2]}`),
    );
  });

  it('a torn tail is cut off and the start goes on with every whole record', async () => {
    const x = copy();
    const size = fs.statSync(x.segment).size;
    fs.appendFileSync(x.segment, '0badc0de {"s":99,"m":[["users","zz",{"id":"zz","displayN');
    const c = await restart(x.dir);
    try {
      assert.deepEqual(await upns(c), ['e1', 'e2', 'e3', 'e4']);
      assert.equal(fs.statSync(x.segment).size, size, 'the fragment is gone from the file');
      await c.ok('POST', '/users', user('e5'));
    } finally {
      await c.close();
    }
    const again = await restart(x.dir);
    try {
      assert.deepEqual(await upns(again), ['e1', 'e2', 'e3', 'e4', 'e5']);
    } finally {
      await again.close();
    }
  });

  it('a damaged snapshot stops the start naming the snapshot file', async () => {
    const x = copy();
    const c = await restart(x.dir);
    await c.sandbox.journal!.snapshot();
    await c.close();
    const snap = join(
      x.dir,
      fs.readdirSync(x.dir).find((n) => n.endsWith('.snap'))!,
    );
    const offs = lineOffsets(snap);
    const buf = fs.readFileSync(snap);
    buf[offs[1]! + 40] = buf[offs[1]! + 40]! ^ 0x02;
    fs.writeFileSync(snap, buf);
    await assert.rejects(
      startSandbox({ seed: 'empty', dataDir: x.dir }),
      (e: Error) => e.message.includes(snap) && e.message.includes(`byte offset ${offs[1]}`),
    );
  });
});

describe('the data directory', () => {
  it('data from before segmented journals (snapshot.json + journal.log) is converted on the first start', async () => {
    const dir = newDir();
    fs.mkdirSync(dir, { recursive: true });
    const u = (id: string) => ({ id, displayName: id, userPrincipalName: `${id}@contoso.test` });
    fs.writeFileSync(
      join(dir, 'snapshot.json'),
      JSON.stringify({ seq: 2, collections: { users: [u('g1'), u('g2')] } }),
    );
    fs.writeFileSync(
      join(dir, 'journal.log'),
      [
        { s: 2, m: [['users', 'old', u('old')]] },
        { s: 3, m: [['users', 'g3', u('g3')]] },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n{"s":4,"m":[["us',
    );
    const c = await restart(dir);
    try {
      assert.deepEqual(
        await upns(c),
        ['g1', 'g2', 'g3'],
        'the snapshot, then the journal lines after it; a torn line dropped',
      );
      assert.ok(!fs.existsSync(join(dir, 'snapshot.json')) && !fs.existsSync(join(dir, 'journal.log')));
      await c.ok('POST', '/users', user('g4'));
    } finally {
      await c.close();
    }
    const again = await restart(dir);
    try {
      assert.deepEqual(await upns(again), ['g1', 'g2', 'g3', 'g4']);
    } finally {
      await again.close();
    }
  });

  it('a snapshot is written in records of at most 48 KiB of JSON, says its sizes, and restarts to the same state', async () => {
    const dir = newDir();
    const sb = await startSandbox({ seed: 'empty', seedUsers: 2000, dataDir: dir });
    const store = sb.engine.store;
    // One entity larger than a record goes alone; the ones around it still fit the bound.
    store.transact(() =>
      store.put('users', {
        id: 'big',
        displayName: 'Zoë '.repeat(30_000),
        userPrincipalName: 'big@contoso.test',
      }),
    );
    await sb.journal!.snapshot();
    const before = [...store.values('users')].map((u) => JSON.stringify(u));
    await sb.close();
    const snap = fs.readdirSync(dir).find((f) => f.endsWith('.snap'))!;
    const lines = fs.readFileSync(join(dir, snap), 'utf8').split('\n').slice(0, -1);
    const header = JSON.parse(lines[0]!.slice(9)) as { sizes: Record<string, number> };
    assert.equal(header.sizes.users, 2001);
    let alone = 0;
    for (const line of lines.slice(1, -1)) {
      const r = JSON.parse(line.slice(9)) as { e: unknown[] };
      if (line.length - 9 > 48 * 1024) {
        assert.equal(r.e.length, 1, 'only a single entity may make a longer record');
        alone++;
      }
    }
    assert.equal(alone, 1);
    assert.ok(lines.length > 2001 / 100, `${lines.length} records for 2001 users`);
    const again = await startSandbox({ seed: 'empty', dataDir: dir });
    try {
      assert.deepEqual(
        [...again.engine.store.values('users')].map((u) => JSON.stringify(u)),
        before,
        'every user back, in order, value for value',
      );
    } finally {
      await again.close();
    }
  });

  it('is created 0700 with files 0600', async (t) => {
    if (process.platform === 'win32') return t.skip('POSIX modes');
    const dir = newDir();
    const c = await client({ seed: 'empty', dataDir: dir });
    await c.ok('POST', '/users', user('f1'));
    await c.sandbox.journal!.snapshot();
    await c.close();
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const files = fs.readdirSync(dir);
    assert.ok(files.some((f) => f.endsWith('.log')) && files.some((f) => f.endsWith('.snap')));
    for (const f of files) assert.equal(fs.statSync(join(dir, f)).mode & 0o777, 0o600, f);
  });

  it("--data '' is an error, not an in-memory tenant", async () => {
    await assert.rejects(startSandbox({ seed: 'empty', dataDir: '' }), /data directory is empty/);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'sandbox/src/main.ts', '--data', ''], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--data needs a directory/);
  });
});
