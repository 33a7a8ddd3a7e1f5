/**
 * Re-evaluating several automatic policies at once: their jobs scan the users together (each user
 * read once for all of them), and a job that met every holder of its policy in scope skips the
 * second pass over its assignments. Both shortcuts must leave exactly what a policy-by-policy
 * evaluation leaves: every selected user holds one active assignment of the package, nobody else
 * holds one, also when users change behind the engine's back, when a holder is removed between
 * two batches, and when the holders index is the only thing that knows who holds what.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/src/http/server';
import { reconcileAll } from '../../sandbox/src/engine/autoAssign';
import { endAssignment } from '../../sandbox/src/engine/assignments';
import { createCatalog, createPackage } from '../../sandbox/src/engine/directory';
import { createPolicy } from '../../sandbox/src/engine/policies';
import { Store, type Entity } from '../../sandbox/src/store/store';

const rules = [
  '(user.department -eq "Sales")',
  '(user.department -eq "Engineering") and (user.accountEnabled -eq true)',
  '(user.userType -eq "Member")',
];

function policies(sb: Sandbox): { policyId: string; packageId: string; rule: string }[] {
  const eng = sb.engine;
  return eng.store.transact(() => {
    const cat = createCatalog(eng, { displayName: 'Together' });
    return rules.map((rule, i) => {
      const pkg = createPackage(eng, { displayName: `Package ${i}`, catalog: { id: cat.id } });
      const p = createPolicy(eng, {
        displayName: `Auto ${i}`,
        allowedTargetScope: 'specificDirectoryUsers',
        specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.attributeRuleMembers', membershipRule: rule }],
        automaticRequestSettings: { requestAccessForAllowedTargets: true },
        accessPackage: { id: pkg.id },
      });
      return { policyId: p.id, packageId: pkg.id, rule };
    });
  });
}

/** Every selected user holds exactly one active assignment of the package; nobody else holds one. */
function assertExact(sb: Sandbox, p: { packageId: string; rule: string }): void {
  const store = sb.engine.store;
  const c = sb.engine.rules.compile(p.rule);
  if (typeof c === 'string') throw new Error(c);
  const held = new Map<string, number>();
  for (const id of store.lookup('asgByPackage', p.packageId)) {
    const a = store.get('assignments', id)!;
    if (a.state !== 'expired') held.set(a._user as string, (held.get(a._user as string) ?? 0) + 1);
  }
  let selected = 0;
  for (const u of store.values('users')) {
    const n = held.get(u.id) ?? 0;
    if (c.test(u)) {
      selected++;
      assert.equal(n, 1, `${u.displayName as string} is selected by ${p.rule} and holds ${n}`);
    } else assert.equal(n, 0, `${u.displayName as string} is not selected by ${p.rule} and holds ${n}`);
  }
  assert.ok(selected > 100, `${p.rule} selects ${selected} users`);
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('re-evaluating policies together', () => {
  it('one scan settles every policy exactly, finds who left scope, and survives changes between batches', async () => {
    const sb = await startSandbox({ seed: 'empty', seedUsers: 6000 });
    try {
      const eng = sb.engine;
      const ps = policies(sb);
      await eng.jobs!.idle();
      for (const p of ps) assertExact(sb, p);

      // Users change behind the engine's back (no per-user re-evaluation): a re-evaluation of all
      // policies, scanning together, must find both who joined and who left each scope.
      let moved = 0;
      eng.store.transact(() => {
        for (const u of eng.store.values('users')) {
          if (moved >= 600) break;
          if (u.department !== 'Sales' && u.department !== 'Engineering') continue;
          eng.store.put('users', { ...u, department: u.department === 'Sales' ? 'Engineering' : 'Sales' });
          moved++;
        }
      });
      eng.store.transact(() => reconcileAll(eng));
      assert.equal(eng.jobs!.pending, 3, 'the users past the inline part are settled in the background');
      const scanned = eng.jobs!.states().map((s) => s.usersScanned);
      assert.ok(
        scanned.every((n) => n === scanned[0]),
        `the jobs start at the same user: ${scanned.join(', ')}`,
      );
      await turn();
      const after = eng.jobs!.states().map((s) => s.usersScanned);
      assert.ok(
        after.every((n) => n === after[0] && n > scanned[0]!),
        `one batch moved all three together: ${after.join(', ')}`,
      );
      await eng.jobs!.idle();
      for (const p of ps) assertExact(sb, p);

      // A holder's assignment ends between two batches (an administrator removes it), and a user
      // leaves scope behind the engine's back: the count of holders met no longer proves that
      // nobody left, so the jobs check every assignment again.
      const sales = ps[0]!;
      const leaving = [...eng.store.values('users')].filter((u) => u.department === 'Sales').slice(-3);
      eng.store.transact(() => {
        for (const u of leaving) eng.store.put('users', { ...u, department: 'Research' });
      });
      eng.store.transact(() => reconcileAll(eng));
      await turn();
      const victim = [...eng.store.lookup('asgByPackage', sales.packageId)]
        .map((id) => eng.store.get('assignments', id)!)
        .find((a) => a.state !== 'expired' && !leaving.some((u) => u.id === a._user))!;
      eng.store.transact(() => endAssignment(eng, victim));
      await eng.jobs!.idle();
      for (const u of leaving) {
        const active = [...eng.store.lookup('asgByUser', u.id)]
          .map((id) => eng.store.get('assignments', id)!)
          .filter((a) => a._pkg === sales.packageId && a.state !== 'expired');
        assert.deepEqual(active, [], `${u.displayName as string} left Sales and holds nothing`);
      }
      for (const p of ps.slice(1)) assertExact(sb, p);
    } finally {
      await sb.close();
    }
  });
});

describe('batches of jobs scanning together', () => {
  it('stay within the changed-entity limit when every job adds assignments for every user', async () => {
    const sb = await startSandbox({ seed: 'empty', seedUsers: 6000 });
    try {
      const eng = sb.engine;
      const sizes: number[] = [];
      eng.store.sink = { append: (muts) => void sizes.push(muts.length) };
      eng.store.transact(() => {
        const cat = createCatalog(eng, { displayName: 'Wide' });
        for (let i = 0; i < 4; i++) {
          const pkg = createPackage(eng, { displayName: `Wide ${i}`, catalog: { id: cat.id } });
          createPolicy(eng, {
            displayName: `Everyone ${i}`,
            allowedTargetScope: 'specificDirectoryUsers',
            specificAllowedTargets: [
              {
                '@odata.type': '#microsoft.graph.attributeRuleMembers',
                membershipRule: '(user.userType -eq "Member")',
              },
            ],
            automaticRequestSettings: { requestAccessForAllowedTargets: true },
            accessPackage: { id: pkg.id },
          });
        }
      });
      assert.equal(eng.jobs!.pending, 4);
      await eng.jobs!.idle();
      const background = sizes.slice(1);
      assert.ok(background.length > 3, `${background.length} background batches`);
      // The limit (1,500) plus what one user can add for four jobs (assignment, subject, request
      // each) and the four jobs' cursors.
      const most = Math.max(...background);
      assert.ok(most <= 1500 + 4 * 3 + 4, `a batch changed ${most} entities`);
      const members = [...eng.store.values('users')].filter((u) => u.userType === 'Member').length;
      assert.equal(eng.store.size('assignments'), 4 * members);
    } finally {
      await sb.close();
    }
  });
});

describe('jobs scanning together across a restart', () => {
  it('resume from their last durable batch and end exact, the holders count not trusted after the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-together-'));
    const open: Sandbox[] = [];
    try {
      const first = await startSandbox({ seed: 'empty', seedUsers: 8000, dataDir: dir });
      open.push(first);
      const ps = policies(first);
      assert.equal(first.engine.jobs!.pending, 3);
      // A few background batches become durable, then the process stops in the middle of the scan.
      for (let i = 0; i < 3; i++) await turn();
      const scanned = first.engine.jobs!.states().map((s) => s.usersScanned);
      assert.ok(
        scanned.every((n) => n > 0 && n < 8000),
        `stopped in the middle: ${scanned.join(', ')}`,
      );
      await first.close();

      const second = await startSandbox({ seed: 'empty', dataDir: dir });
      open.push(second);
      assert.equal(second.engine.jobs!.pending, 3, 'the jobs resume after the restart');
      await second.engine.jobs!.idle();
      for (const p of ps) assertExact(second, p);
      // And the next re-evaluation, after users changed behind the engine's back, is exact too.
      const eng = second.engine;
      eng.store.transact(() => {
        let n = 0;
        for (const u of eng.store.values('users')) {
          if (u.department !== 'Sales' || n++ >= 50) continue;
          eng.store.put('users', { ...u, department: 'Finance' });
        }
      });
      eng.store.transact(() => reconcileAll(eng));
      await eng.jobs!.idle();
      for (const p of ps) assertExact(second, p);
    } finally {
      for (const s of open) await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('values shared again after a restart', () => {
  it('leaves every entity equal to what was written, with repeated nested values one frozen object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-shared-'));
    const open: Sandbox[] = [];
    try {
      const first = await startSandbox({ seed: 'empty', seedUsers: 4000, dataDir: dir });
      open.push(first);
      policies(first);
      await first.engine.jobs!.idle();
      const dump = (sb: Sandbox): string[] =>
        (['users', 'assignments', 'assignmentRequests', 'subjects'] as const).map((c) =>
          JSON.stringify([...sb.engine.store.values(c)]),
        );
      const before = dump(first);
      await first.close();
      const second = await startSandbox({ seed: 'empty', dataDir: dir });
      open.push(second);
      assert.deepEqual(dump(second), before, 'sharing changes no value');
      const [a, b] = [...second.engine.store.values('assignments')];
      const expA = (a!.schedule as { expiration: object }).expiration;
      assert.equal(expA, (b!.schedule as { expiration: object }).expiration, 'one expiration object');
      assert.ok(Object.isFrozen(expA));
      assert.equal(a!.customExtensionCalloutInstances, b!.customExtensionCalloutInstances, 'one empty list');
      assert.ok(Object.isFrozen(a!.customExtensionCalloutInstances));
      const phoneless = [...second.engine.store.values('users')].filter(
        (u) => Array.isArray(u.businessPhones) && u.businessPhones.length === 0,
      );
      assert.ok(phoneless.length >= 2, `${phoneless.length} seeded users without a phone`);
      assert.equal(phoneless[0]!.businessPhones, phoneless[1]!.businessPhones, 'one empty list of phones');
    } finally {
      for (const s of open) await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('holders index', () => {
  it('follows delivery, grace, expiry, deletion and a rolled-back write', () => {
    const s = new Store();
    const a = (id: string, user: string, extra: Partial<Entity> = {}): Entity => ({
      id,
      state: 'delivered',
      status: 'Delivered',
      _policy: 'p',
      _user: user,
      ...extra,
    });
    s.transact(() => {
      s.put('assignments', a('a1', 'u1'));
      s.put('assignments', a('a2', 'u2'));
    });
    const h = s.holders('p');
    const held = () => [...h.users.entries()].sort((x, y) => x[0].localeCompare(y[0]));
    assert.deepEqual(held(), [
      ['u1', 'a1'],
      ['u2', 'a2'],
    ]);
    const v = h.version;
    s.transact(() => s.put('assignments', a('a1', 'u1', { status: 'AutoAssignmentInGracePeriod' })));
    assert.deepEqual(held(), [['u2', 'a2']], 'a grace period is not holding');
    assert.ok(h.version > v);
    s.transact(() => s.put('assignments', a('a1', 'u1')));
    s.transact(() => s.put('assignments', a('a2', 'u2', { state: 'expired', status: 'Expired' })));
    assert.deepEqual(held(), [['u1', 'a1']]);
    assert.throws(() =>
      s.transact(() => {
        s.delete('assignments', 'a1');
        s.put('assignments', a('a3', 'u3'));
        throw new Error('the write fails');
      }),
    );
    assert.deepEqual(held(), [['u1', 'a1']], 'a rolled-back write leaves the holders as they were');
    s.transact(() => s.delete('assignments', 'a1'));
    assert.equal(h.users.size, 0);
    assert.equal(s.holders('other').users.size, 0);
  });
});

describe('indexes completed after a restart', () => {
  it('answer exactly at once, before and while they are built, and follow the writes made meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-deferred-'));
    const open: Sandbox[] = [];
    const start = async (): Promise<Sandbox> => {
      const s = await startSandbox({ seed: 'empty', dataDir: dir });
      open.push(s);
      return s;
    };
    try {
      const first = await startSandbox({ seed: 'empty', seedUsers: 3000, dataDir: dir });
      const [a, b, c] = [...first.engine.store.values('users')].filter((_, i) => i % 900 === 11);
      await first.close();

      // A deleted user in the same turn as the restart, before any background step, must not come
      // back once the loaded users are added; a mail changed after the build passed that user must
      // be found under its new value only.
      let sb = await start();
      let store = sb.engine.store;
      assert.ok(store.indexesPending, 'the user-property indexes are built after the sandbox listens');
      store.transact(() => store.delete('users', b!.id));
      assert.equal(store.buildIndexes(0), false, 'one step covers the first users only');
      store.transact(() => store.put('users', { ...a!, mail: 'moved.mailbox@contoso.com' }));
      while (store.indexesPending) await turn();
      const filter = async (q: string): Promise<string[]> => {
        const r = await fetch(`${sb.url}/users?$filter=${encodeURIComponent(q)}&$select=id`, {
          headers: { authorization: `Bearer ${sb.token}` },
        });
        assert.equal(r.status, 200);
        return ((await r.json()) as { value: { id: string }[] }).value.map((u) => u.id);
      };
      assert.deepEqual(await filter(`mail eq 'MOVED.mailbox@contoso.com'`), [a!.id]);
      assert.deepEqual(await filter(`mail eq '${String(a!.mail)}'`), []);
      assert.deepEqual(await filter(`userPrincipalName eq '${String(b!.userPrincipalName)}'`), []);
      assert.deepEqual(await filter(`employeeId eq '${String(c!.employeeId)}'`), [c!.id]);
      let indexed = 0;
      for (const u of store.values('users')) {
        assert.ok(store.lookup('userByUpn', String(u.userPrincipalName).toLowerCase()).has(u.id));
        indexed++;
      }
      assert.equal(indexed, 2999);
      await sb.close();

      // UPN uniqueness right after a restart: the index is completed by the first question.
      sb = await start();
      store = sb.engine.store;
      assert.ok(store.indexesPending);
      assert.deepEqual(
        [...store.lookup('userByUpn', String(c!.userPrincipalName).toLowerCase())],
        [c!.id],
        'asked in the same turn as the restart',
      );
      assert.equal(store.indexesPending, false);
      await sb.close();
      sb = await start();
      store = sb.engine.store;
      const dup = await fetch(`${sb.url}/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sb.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          displayName: 'Twin',
          userPrincipalName: String(c!.userPrincipalName).toUpperCase(),
          mailNickname: 'twin',
          accountEnabled: true,
        }),
      });
      assert.equal(dup.status, 400, 'a duplicate UPN is refused right after a restart');
      assert.equal(store.indexesPending, false);
      await sb.close();
    } finally {
      for (const s of open) await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
