import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { reconcileAll } from '../sandbox/src/engine/autoAssign';
import { createCatalog, createPackage } from '../sandbox/src/engine/directory';
import { createPolicy } from '../sandbox/src/engine/policies';
import { startSandbox } from '../sandbox/src/http/server';

const departments = ['Engineering','Sales','Operations','Support','Marketing','Finance','IT','Research','Human Resources','Manufacturing'];
const locations = ['US', 'IN', 'GB', 'DE', 'FR', 'JP', 'BR', 'CA', 'NL', 'AU'];
async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  const dir = mkdtempSync(join(tmpdir(), 'zzre-'));
  const sb = await startSandbox({ seed: 'empty', seedUsers: n, dataDir: join(dir, 'data') });
  const eng = sb.engine;
  const preds: ((u: unknown) => boolean)[] = [];
  eng.store.transact(() => {
    const cat = createCatalog(eng, { displayName: 'Scale bench' });
    for (let p = 0; p < 100; p++) {
      const pkg = createPackage(eng, { displayName: `Package ${p}`, catalog: { id: cat.id } });
      const rule = `(user.department -eq "${departments[p % 10]}") and (user.usageLocation -eq "${locations[Math.floor(p / 10)]}") and (user.accountEnabled -eq true)`;
      createPolicy(eng, { displayName: `Auto ${p}`, allowedTargetScope: 'specificDirectoryUsers', specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.attributeRuleMembers', membershipRule: rule }], automaticRequestSettings: { requestAccessForAllowedTargets: true }, accessPackage: { id: pkg.id } });
      const c = eng.rules.compile(rule); if (typeof c === 'string') throw new Error(c); preds.push(c.test as never);
    }
  });
  await eng.jobs!.idle();
  console.error('seeded');
  const s = new Session(); s.connect();
  await s.post('Profiler.enable'); await s.post('Profiler.start');
  for (let i = 0; i < 3; i++) {
    let t = process.hrtime.bigint();
    eng.store.transact(() => reconcileAll(eng)); await eng.jobs!.idle();
    const a = Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint();
    const users = [...eng.store.values('users')]; let m = 0;
    for (const u of users) for (let k = 0; k < preds.length; k++) if (preds[k]!(u)) m++;
    console.log('subject', a.toFixed(0), 'ref', (Number(process.hrtime.bigint() - t) / 1e6).toFixed(0), m);
  }
  const { profile } = await s.post('Profiler.stop');
  fs.writeFileSync('/tmp/reeval.cpuprofile', JSON.stringify(profile));
  await sb.close();
}
void main();
