/**
 * Policy as code: `pull` of a tenant with 200 access packages and 600 policies into a fresh
 * folder, and `plan` of that folder (check every file with the language service, read the tenant,
 * compare), each against raw Graph GETs measured in the same run (`fetch` + `JSON.parse`):
 * - the GETs a plain export script makes to read the same objects: the catalogs, each catalog's
 *   packages, each package's policies (211 GETs here) — the yardstick;
 * - the very GETs the command made (3 here: it expands policies into the package list), which
 *   shows what normalising, checking and writing files cost on top of the reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './types';
import { interleave, result } from './measure';
import { GraphClient } from '../client/src/graph/graphClient';
import { checkLayout } from '../client/src/pac/check';
import { readLayout } from '../client/src/pac/layout';
import { makePlan } from '../client/src/pac/plan';
import { pullInto } from '../client/src/pac/pull';
import { readState, tenantState } from '../client/src/pac/state';
import { fetchSnapshot } from '../client/src/pac/tenantSnapshot';
import { createCatalog, createPackage } from '../sandbox/src/engine/directory';
import { createPolicy } from '../sandbox/src/engine/policies';
import { startSandbox } from '../sandbox/src/http/server';

const PACKAGES = 200;
const POLICIES_PER_PACKAGE = 3;

export async function benchPac(): Promise<BenchResult[]> {
  const sandbox = await startSandbox({ seed: 'empty' });
  const root = mkdtempSync(join(tmpdir(), 'entitlements-bench-pac-'));
  try {
    const eng = sandbox.engine;
    eng.store.transact(() => {
      const catalogs = Array.from({ length: 10 }, (_, i) =>
        createCatalog(eng, { displayName: `Catalog ${i + 1}`, description: `Bench catalog ${i + 1}` }),
      );
      for (let p = 0; p < PACKAGES; p++) {
        const pkg = createPackage(eng, {
          displayName: `Package ${p + 1}`,
          description: `Bench package ${p + 1}`,
          catalog: { id: catalogs[p % catalogs.length]!.id },
        });
        for (let k = 0; k < POLICIES_PER_PACKAGE; k++)
          createPolicy(eng, {
            displayName: `Policy ${k + 1}`,
            description: `Direct assignment ${k + 1} of package ${p + 1}`,
            allowedTargetScope: 'notSpecified',
            specificAllowedTargets: [],
            expiration: { type: 'afterDuration', duration: `P${30 + k}D` },
            requestApprovalSettings: {
              isApprovalRequiredForAdd: false,
              isApprovalRequiredForUpdate: false,
              stages: [],
            },
            accessPackage: { id: pkg.id },
          });
      }
    });
    const urls: string[] = [];
    const graph = new GraphClient({
      baseUrl: sandbox.url,
      getToken: () => Promise.resolve(sandbox.token),
      log: (line) => {
        const m = /^GET (\S+) → 200/.exec(line);
        if (m) urls.push(m[1]!);
      },
    });
    const key = sandbox.url;
    let n = 0;
    const pull = async (): Promise<void> => {
      const dir = join(root, `pull-${n++}`);
      const snapshot = await fetchSnapshot(graph);
      pullInto(dir, snapshot, readState(dir), key);
    };
    const planned = join(root, 'planned');
    pullInto(planned, await fetchSnapshot(graph), readState(planned), key);
    const plan = async (): Promise<void> => {
      const layout = readLayout(planned);
      if ((await checkLayout(layout)).length > 0) throw new Error('bench files have errors');
      const p = makePlan(layout, await fetchSnapshot(graph), tenantState(readState(planned), key));
      if (p.changes.some((c) => c.action !== 'noop')) throw new Error('bench plan is not clean');
    };
    const headers = { authorization: `Bearer ${sandbox.token}` };
    const rawGets = (list: string[]) => async (): Promise<void> => {
      for (const u of list) JSON.parse(await (await fetch(u, { headers })).text());
    };
    urls.length = 0;
    await pull();
    const pullUrls = [...urls];
    urls.length = 0;
    await plan();
    const planUrls = [...urls];
    // The per-object reads of a plain export script.
    const EMU = `${sandbox.url}/identityGovernance/entitlementManagement`;
    const catalogIds = [...eng.store.values('catalogs')].map((c) => c.id);
    const packageIds = [...eng.store.values('accessPackages')].map((p) => p.id);
    const perObject = [
      `${EMU}/catalogs`,
      ...catalogIds.map((id) => `${EMU}/catalogs/${id}/accessPackages`),
      ...packageIds.map((id) => `${EMU}/accessPackages/${id}/assignmentPolicies`),
    ];
    const pulled = await interleave(pull, rawGets(perObject), 7, 1);
    const plannedTimes = await interleave(plan, rawGets(perObject), 7, 1);
    const own = await interleave(pull, rawGets(pullUrls), 7, 1);
    return [
      result(
        `pac: pull of ${PACKAGES} packages and ${PACKAGES * POLICIES_PER_PACKAGE} policies`,
        pulled.subject,
        pulled.reference,
        1e6,
        'ms',
        'ratio ≤ 1.5×',
        `reference: ${perObject.length} raw GETs, one per catalog list, catalog and package (a plain export script)`,
      ),
      result(
        `pac: plan of ${PACKAGES} packages and ${PACKAGES * POLICIES_PER_PACKAGE} policies (files checked)`,
        plannedTimes.subject,
        plannedTimes.reference,
        1e6,
        'ms',
        'ratio ≤ 1.5×',
        `reference: the same ${perObject.length} per-object raw GETs; plan itself makes ${planUrls.length}`,
      ),
      result(
        `pac: pull of ${PACKAGES} packages against its own GETs`,
        own.subject,
        own.reference,
        1e6,
        'ms',
        'informational',
        `reference: the ${pullUrls.length} GETs pull made, raw; the rest is normalising and writing ${PACKAGES * (POLICIES_PER_PACKAGE + 1) + 10} files`,
      ),
    ];
  } finally {
    await sandbox.close();
    rmSync(root, { recursive: true, force: true });
  }
}
