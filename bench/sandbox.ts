/**
 * Sandbox figures: (1) re-evaluating 100 automatic policies over 100k users, against evaluating
 * the same compiled predicates in a plain loop; (2) latency of one 100-item assignments page in a
 * package with 50k assignments, against a trivial Node HTTP server answering the same bytes.
 */
import type { BenchResult } from './types';
import { againstTrivialServer } from './httpPage';
import { median, result } from './measure';
import { reconcileAll } from '../sandbox/src/engine/autoAssign';
import { Clock } from '../sandbox/src/engine/clock';
import { randomId, type Engine } from '../sandbox/src/engine/engine';
import { RuleCache } from '../sandbox/src/engine/rules';
import { createCatalog, createPackage } from '../sandbox/src/engine/directory';
import { createPolicy } from '../sandbox/src/engine/policies';
import { startSandbox } from '../sandbox/src/http/server';
import { Store } from '../sandbox/src/store/store';
import { Prng } from '../sandbox/src/seed/prng';

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const depts = [
  'Sales',
  'Marketing',
  'Engineering',
  'Finance',
  'Legal',
  'Support',
  'IT',
  'Operations',
  'Research',
  'HR',
];
const countries = ['US', 'GB', 'DE', 'FR', 'IN', 'JP', 'BR', 'CA', 'KE', 'NL'];

function bigTenant(users: number, policies: number): Engine {
  const clock = new Clock();
  const eng: Engine = { store: new Store(), clock, rules: new RuleCache(() => clock.now()), newId: randomId };
  const prng = new Prng(7);
  eng.store.transact(() => {
    for (let i = 0; i < users; i++) {
      eng.store.put('users', {
        id: eng.newId(),
        displayName: `User ${i}`,
        userPrincipalName: `u${i}@bench.test`,
        department: prng.pick(depts),
        usageLocation: prng.pick(countries),
        jobTitle: prng.next() < 0.2 ? 'Manager' : 'Engineer',
        accountEnabled: prng.next() > 0.05,
        userType: prng.next() < 0.1 ? 'Guest' : 'Member',
      });
    }
    const cat = createCatalog(eng, { displayName: 'Bench' });
    for (let p = 0; p < policies; p++) {
      const pkg = createPackage(eng, { displayName: `Package ${p}`, catalog: { id: cat.id } });
      const rule = `(user.department -eq "${depts[p % depts.length]}") and (user.usageLocation -eq "${countries[Math.floor(p / depts.length) % countries.length]}") and (user.accountEnabled -eq true)`;
      createPolicy(eng, {
        displayName: `Auto ${p}`,
        allowedTargetScope: 'specificDirectoryUsers',
        specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.attributeRuleMembers', membershipRule: rule }],
        automaticRequestSettings: { requestAccessForAllowedTargets: true },
        accessPackage: { id: pkg.id },
      });
    }
  });
  return eng;
}

function benchReevaluation(samples: number): BenchResult {
  const eng = bigTenant(100_000, 100);
  const predicates = [...eng.store.values('assignmentPolicies')].map((p) => {
    const rule = (p.specificAllowedTargets as Record<string, unknown>[])[0]!.membershipRule as string;
    const c = eng.rules.compile(rule);
    if (typeof c === 'string') throw new Error(c);
    return c.test;
  });
  const users = [...eng.store.values('users')];
  let sink = 0;
  const subject: number[] = [];
  const reference: number[] = [];
  for (let i = 0; i < samples; i++) {
    subject.push(time(() => eng.store.transact(() => reconcileAll(eng))));
    reference.push(
      time(() => {
        for (const test of predicates) for (const u of users) if (test(u)) sink++;
      }),
    );
  }
  if (sink < 0) throw new Error('unreachable');
  const m = median(subject);
  const r = median(reference);
  return {
    name: 'sandbox: re-evaluate 100 auto policies × 100k users',
    median: m,
    reference: r,
    ratio: m / r,
    unit: 'ms',
    target: '≤ 1000 ms',
    note: 'reference: the same compiled predicates in a plain loop',
  };
}

async function benchListPage(samples: number): Promise<BenchResult> {
  const sb = await startSandbox({ seed: 'empty', seedAssignments: 50_000 });
  const pkg = [...sb.engine.store.values('accessPackages')][0]!.id;
  const url =
    `${sb.url}/identityGovernance/entitlementManagement/assignments?$filter=accessPackage/id eq '${pkg}'&$expand=target`.replace(
      / /g,
      '%20',
    );
  try {
    const { body, subject, reference } = await againstTrivialServer(
      url,
      { authorization: `Bearer ${sb.token}` },
      samples,
    );
    return result(
      'sandbox: 100-item assignments page (package with 50k)',
      subject,
      reference,
      1e6,
      'ms',
      '',
      `reference: trivial Node server sending the same ${body.length} bytes`,
    );
  } finally {
    await sb.close();
  }
}

export async function benchSandbox(): Promise<BenchResult[]> {
  return [benchReevaluation(15), await benchListPage(60)];
}

if (require.main === module) {
  void benchSandbox().then((r) => console.log(JSON.stringify(r, null, 2)));
}
