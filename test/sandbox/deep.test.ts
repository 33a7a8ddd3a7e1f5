/**
 * Deep and wide inputs: `$filter` nesting and length, nested `$expand`, deeply nested JSON bodies,
 * deep and long rules in a POSTed policy, and a policy with 64k unknown keys. Each is a 400 with
 * Graph's error shape (never a 500), within a generous hang bound, while the health probe answers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { autoPolicy, EM, type Res } from './helpers';
import { spawnSandbox, type Spawned } from './spawned';
import { maxFilterNodes, parseFilter } from '../../sandbox/src/http/filter';
import { GraphError } from '../../sandbox/src/http/errors';
import { checkBodyShape } from '../../sandbox/src/http/bodyLimits';

// In its own process: a sandbox that blocks cannot stop this file's hang bound and health probes.
let c: Spawned & { get(path: string): Promise<Res> };
let packageId: string;
before(async () => {
  const s = await spawnSandbox(['--seed', 'demo']);
  c = Object.assign(s, { get: (path: string) => s.call('GET', path) });
  const cat = await c.ok('POST', `${EM}/catalogs`, { displayName: 'Deep catalog' });
  packageId = (await c.ok('POST', `${EM}/accessPackages`, { displayName: 'Deep', catalog: { id: cat.id } })).id;
});
after(() => {
  assert.equal(c.child.exitCode, null, 'the sandbox process is still running');
  assert.doesNotMatch(c.stderr(), /internal error/);
  c.close();
});

const badRequest = (r: Res): void => {
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.equal(typeof r.json?.error?.code, 'string');
  assert.equal(typeof r.json.error.message, 'string');
};

/**
 * Runs `request` while probing health every 50 ms. Fails when the request takes longer than the
 * hang bound or a probe goes unanswered for 15 s (generous bounds: they detect a frozen sandbox,
 * they do not measure speed).
 */
async function withProbe(request: () => Promise<Res>, boundMs = 60_000): Promise<{ r: Res; probes: number }> {
  let probes = 0;
  let running = true;
  let stuck: unknown;
  const probe = (async () => {
    while (running) {
      try {
        const h = await fetch(`${c.origin}/_sandbox/health`, { signal: AbortSignal.timeout(15_000) });
        assert.equal(h.status, 200);
        probes++;
      } catch (e) {
        stuck = e;
        return;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${boundMs} ms`)), boundMs);
  });
  try {
    const r = await Promise.race([request(), hang]);
    running = false;
    await probe;
    assert.equal(stuck, undefined, `the health probe was not answered: ${String(stuck)}`);
    return { r, probes };
  } finally {
    clearTimeout(timer);
    running = false;
  }
}

const users = { typeName: 'microsoft.graph.user', allowed: new Map([['displayname', 'displayName']]) };

describe('deep and long $filter', () => {
  const cases: [string, string][] = [
    ['5,000 nested parentheses', `${'('.repeat(5000)}displayName eq 'a'${')'.repeat(5000)}`],
    ['1,500 nested not', `${'not '.repeat(1500)}displayName eq 'a'`],
    ['300 or', Array.from({ length: 300 }, (_, i) => `displayName eq '${i % 10}'`).join(' or ')],
    ['1,000 values in one in()', `displayName in (${Array.from({ length: 1000 }, (_, i) => `'${i % 10}'`).join(',')})`],
    // Within the 16 KB request head: the URL itself cannot carry 100k clauses (that is a 431).
    ['nested tolower', `startswith(${'tolower('.repeat(1500)}displayName${')'.repeat(1500)}, 'a')`],
  ];
  for (const [name, filter] of cases) {
    it(`${name} → 400 over HTTP`, async () => {
      badRequest(await c.get(`/users?$filter=${encodeURIComponent(filter)}`));
    });
  }
  it('100,000 or and 100,000 parentheses are refused by the parser itself, without a stack overflow', () => {
    for (const text of [
      Array.from({ length: 100_000 }, () => `displayName eq 'a'`).join(' or '),
      `${'('.repeat(100_000)}displayName eq 'a'${')'.repeat(100_000)}`,
      `${'not '.repeat(100_000)}displayName eq 'a'`,
    ]) {
      assert.throws(
        () => parseFilter(text, users.allowed, users.typeName),
        (e: unknown) => e instanceof GraphError && e.status === 400,
      );
    }
  });
  it(`accepts ${maxFilterNodes / 2 - 1} or-ed comparisons (the limit is not in the way of real queries)`, async () => {
    const filter = Array.from({ length: maxFilterNodes / 2 - 1 }, (_, i) => `displayName eq '${i}'`).join(' or ');
    const r = await c.get(`/users?$filter=${encodeURIComponent(filter)}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
  });
});

describe('deep $expand', () => {
  it('an unknown nested navigation property → 400', async () => {
    badRequest(await c.get(`${EM}/assignments?$expand=target($expand=bogus)`));
  });
  it('a property of Object.prototype is no navigation property → 400', async () => {
    badRequest(await c.get(`${EM}/assignments?$expand=constructor`));
    badRequest(await c.get(`${EM}/assignments?$expand=accessPackage($expand=toString)`));
  });
  it('$expand nested 500 levels → 400', async () => {
    const deep = `${'accessPackage($expand='.repeat(500)}catalog${')'.repeat(500)}`;
    badRequest(await c.get(`${EM}/assignments?$expand=${encodeURIComponent(deep)}`));
  });
});

describe('deep and wide JSON bodies', () => {
  const cases: [string, string][] = [
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['100,000 nested objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ['a member holding 60,000 nested arrays', `{"displayName":"x","x":${'['.repeat(60_000)}${']'.repeat(60_000)}}`],
    ['64k members', `{${Array.from({ length: 64_000 }, (_, i) => `"k${i}":1`).join(',')}}`],
    ['an array of 200k numbers', `{"displayName":"x","x":[${Array.from({ length: 200_000 }, () => '1').join(',')}]}`],
  ];
  for (const [name, body] of cases) {
    it(`POST /users with ${name} → 400`, async () => {
      assert.ok(body.length < 1024 * 1024);
      const { r } = await withProbe(() => c.call('POST', '/users', body));
      badRequest(r);
    });
  }
  it('counts members and elements, not characters inside strings', () => {
    assert.doesNotThrow(() => checkBodyShape(JSON.stringify({ displayName: '[[[[{{{{,,,,::::'.repeat(10_000) })));
    assert.doesNotThrow(() => checkBodyShape(JSON.stringify({ a: 'x\\"[[[[' })));
  });
});

describe('policies that used to freeze or crash the sandbox', () => {
  it('64k unknown keys (under 1 MB): 400 within the hang bound, health answering meanwhile', async () => {
    const policy: Record<string, unknown> = autoPolicy(packageId, 'user.department -eq "Sales"');
    for (let i = 0; i < 64_000; i++) policy[`k${i}`] = 1;
    const text = JSON.stringify(policy);
    assert.ok(text.length < 1024 * 1024, `${text.length} bytes`);
    const { r } = await withProbe(() => c.call('POST', `${EM}/assignmentPolicies`, text));
    badRequest(r);
  });
  it('a body 100,000 levels deep → 400', async () => {
    const text = JSON.stringify(autoPolicy(packageId, 'user.department -eq "Sales"')).replace(
      /}$/,
      `,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
    const { r } = await withProbe(() => c.call('POST', `${EM}/assignmentPolicies`, text));
    badRequest(r);
  });
  const rules: [string, string][] = [
    ['5,000 nested parentheses', `${'('.repeat(5000)}user.department -eq "Sales"${')'.repeat(5000)}`],
    ['5,000 -not', `${'-not '.repeat(5000)}(user.department -eq "Sales")`],
    ['20,000 -or clauses', Array.from({ length: 20_000 }, (_, i) => `(user.city -eq "c${i}")`).join(' -or ')],
  ];
  for (const [name, rule] of rules) {
    it(`a rule with ${name} → 400 (never a 500), health answering`, async () => {
      const { r } = await withProbe(() => c.call('POST', `${EM}/assignmentPolicies`, autoPolicy(packageId, rule)));
      badRequest(r);
      assert.equal((await c.get('/users?$top=1')).status, 200);
    });
  }
});
