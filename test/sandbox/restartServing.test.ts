/**
 * A restarted sandbox answers while it still applies its users and history (store.ts `lazy`,
 * http/loading.ts): the configuration at once, a request that needs the users once they are
 * applied and indexed (held, not answered from half a directory, and without blocking the
 * others), a health probe throughout; a users record that checks but does not parse ends the
 * held requests with the file and the offset instead of leaving them waiting.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox/src/http/server';
import { needsOf } from '../../sandbox/src/http/loading';
import { encodeJson } from '../../sandbox/src/store/records';
import { client, EM } from './helpers';

const USERS = 30_000;

describe('a restart answers while its users load', () => {
  let dir: string;
  let data: string;
  let sample: { id: string; userPrincipalName: string; displayName: string };
  let catalogId: string;

  before(async () => {
    dir = fs.mkdtempSync(join(tmpdir(), 'sandbox-restart-serving-'));
    data = join(dir, 'data');
    const c = await client({ seed: 'empty', seedUsers: USERS, dataDir: data, testHooks: true });
    try {
      // A user from late in the snapshot, so the first records applied do not already hold it.
      const id = [...c.sandbox.engine.store.values('users')][USERS - 1_000]!.id;
      sample = await c.ok('GET', `/users/${id}`);
      catalogId = (await c.ok('POST', `${EM}/catalogs`, { displayName: 'Kept' })).id;
    } finally {
      await c.close();
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers the configuration and the probe at once, and holds directory requests until the users are complete', async () => {
    const c = await client({ seed: 'empty', dataDir: data, testHooks: true });
    const store = c.sandbox.engine.store;
    try {
      // The premise: the users are still being applied when the sandbox starts answering.
      assert.equal(store.applied(['users']), false, 'users complete before the first request: nothing to test');
      const events: string[] = [];
      const probeGaps: number[] = [];
      let probing = true;
      const origin = new URL(c.sandbox.url).origin;
      const probe = (async () => {
        let last = performance.now();
        while (probing) {
          const r = await fetch(`${origin}/_sandbox/health`);
          assert.equal(r.status, 200);
          await r.text();
          const now = performance.now();
          probeGaps.push(now - last);
          last = now;
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const user = c.get(`/users/${sample.id}`).then((r) => {
        events.push(`user ready=${store.applied(['users'])}`);
        return r;
      });
      const duplicate = c
        .call('POST', '/users', {
          accountEnabled: true,
          displayName: 'Second',
          mailNickname: 'second',
          userPrincipalName: sample.userPrincipalName,
          passwordProfile: { password: 'xWwvJ]6NMw+bWH-d' },
        })
        .then((r) => {
          events.push('duplicate');
          return r;
        });
      const catalog = c.get(`${EM}/catalogs/${catalogId}`).then((r) => {
        events.push(`catalog ready=${store.applied(['users'])}`);
        return r;
      });
      const batch = c.call('POST', '/$batch', {
        requests: [
          { id: '1', method: 'GET', url: `/users/${sample.id}` },
          { id: '2', method: 'GET', url: `${EM}/catalogs` },
        ],
      });
      const [u, d, k, b] = await Promise.all([user, duplicate, catalog, batch]);
      probing = false;
      await probe;

      assert.equal(k.status, 200);
      assert.equal(k.json.displayName, 'Kept');
      assert.equal(u.status, 200);
      assert.equal(u.json.displayName, sample.displayName);
      assert.equal(u.json.userPrincipalName, sample.userPrincipalName);
      // A write held with the reads sees the complete UPN index: the duplicate is refused.
      assert.equal(d.status, 400, d.text);
      assert.match(d.text, /userPrincipalName/);
      assert.equal(b.status, 200);
      const inner = new Map(b.json.responses.map((r: any) => [r.id, r]));
      assert.equal((inner.get('1') as any).status, 200);
      assert.equal((inner.get('1') as any).body.id, sample.id);
      assert.equal((inner.get('2') as any).status, 200);
      // The catalog was answered while users were still loading; the user only once they were all in.
      assert.ok(events.includes('catalog ready=false'), events.join(', '));
      assert.ok(events.includes('user ready=true'), events.join(', '));
      assert.ok(events.indexOf('catalog ready=false') < events.indexOf('user ready=true'), events.join(', '));
      assert.ok(probeGaps.length >= 3, `only ${probeGaps.length} probes`);
      assert.ok(Math.max(...probeGaps) < 250, `a probe waited ${Math.max(...probeGaps).toFixed(0)} ms`);
      assert.equal(store.size('users'), USERS);
    } finally {
      await c.close();
    }
  });

  it('a users record that checks but does not parse ends a held request with the file and the offset', async () => {
    const copy = join(dir, 'broken');
    fs.cpSync(data, copy, { recursive: true });
    const snap = fs.readdirSync(copy).find((f) => f.endsWith('.snap'))!;
    const file = join(copy, snap);
    const bytes = fs.readFileSync(file);
    const isUsers = (line: Buffer): boolean => line.toString('latin1', 9, 30).startsWith('{"c":"users","n":');
    const lines: Buffer[] = [];
    for (let from = 0; from < bytes.length;) {
      const to = bytes.indexOf(0x0a, from);
      lines.push(bytes.subarray(from, to + 1));
      from = to + 1;
    }
    // A users record late in the file loses a quote under a right checksum: its head and count
    // still read right, so the start accepts it and a held request is there when it fails.
    const users = lines.flatMap((l, i) => (isUsers(l) ? [i] : []));
    const bad = users[Math.floor(users.length * 0.9)]!;
    const offset = lines.slice(0, bad).reduce((s, l) => s + l.length, 0);
    const json = lines[bad]!.toString('utf8', 9, lines[bad]!.length - 1);
    lines[bad] = encodeJson(json.replace('"displayName":"', '"displayName":'));
    fs.writeFileSync(file, Buffer.concat(lines), { mode: 0o600 });
    const sb = await startSandbox({ seed: 'empty', dataDir: copy });
    try {
      const headers = { authorization: `Bearer ${sb.token}` };
      assert.equal(
        sb.engine.store.applied(['users']),
        false,
        'users complete before the first request: nothing to test',
      );
      const user = fetch(`${sb.url}/users/${sample.id}`, { headers });
      const catalogs = await fetch(`${sb.url}${EM}/catalogs`, { headers });
      assert.equal(catalogs.status, 200, 'the configuration is still answered');
      const r = await user;
      const text = await r.text();
      assert.equal(r.status, 500, text);
      assert.ok(text.includes(snap) && text.includes(`offset ${offset}`), text);
    } finally {
      await sb.close();
    }
  });

  it('classifies what a request waits for', () => {
    assert.deepEqual(needsOf('GET', `/v1.0${EM}/catalogs`), []);
    assert.deepEqual(needsOf('GET', `/v1.0${EM}/accessPackages/x/assignmentPolicies`), []);
    assert.deepEqual(needsOf('GET', '/v1.0/users/x'), ['users']);
    assert.deepEqual(needsOf('GET', '/v1.0/groups'), ['users']);
    assert.ok(needsOf('GET', `/v1.0${EM}/assignments`).includes('assignments'));
    assert.ok(needsOf('POST', `/v1.0${EM}/catalogs`).includes('users'));
    assert.ok(needsOf('PATCH', '/v1.0/users/x').includes('assignments'));
    assert.ok(needsOf('GET', '/v1.0/usersx').includes('assignments'));
  });
});
