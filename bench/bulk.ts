/**
 * Bulk assignment: assigning users through `$batch` (20 per batch, 4 batches in flight, throttled
 * inner requests retried after their Retry-After) against the same work sent one request at a
 * time through the same Graph layer (the SDK's retry handler waiting out each 429). Two figures:
 * with 10% of requests throttled (Retry-After 1 s, real waits) and without throttling. Each
 * sample assigns fresh users to a fresh package, so every sample does the same work.
 */
import type { BenchResult } from './types';
import { result } from './measure';
import { startSandbox } from '../sandbox/src/http/server';
import { runBatched, type BatchCall } from '../client/src/graph/batch';
import { adminAddMany } from '../client/src/graph/bulkAssignments';
import { EM, adminAddBody, type AdminAddInput } from '../client/src/graph/entitlements';
import { GraphClient } from '../client/src/graph/graphClient';
import { directPolicy } from '../test/sandbox/helpers';

async function scenario(
  users: number,
  samples: number,
  faultRate: number,
): Promise<{ subject: number[]; reference: number[] }> {
  const sandbox = await startSandbox({ seed: 'empty', faultRate, fault: '429' });
  try {
    // Outer 429s (setup, and every request of the one-at-a-time reference) are waited out by the SDK.
    const graph = new GraphClient({
      baseUrl: sandbox.url,
      getToken: () => Promise.resolve(sandbox.token),
      maxRetries: 10,
    });
    const calls: BatchCall[] = Array.from({ length: users }, (_, i) => ({
      key: String(i),
      method: 'POST',
      url: '/users',
      body: {
        displayName: `Bench ${i}`,
        userPrincipalName: `bench${i}@contoso.test`,
        mailNickname: `bench${i}`,
        accountEnabled: true,
      },
    }));
    const created = await runBatched<{ id: string }>(graph, calls);
    const userIds = created.map((c) => {
      if (!c.ok) throw new Error(`setup: ${c.code}: ${c.message}`);
      return c.body.id;
    });
    let n = 0;
    const freshPackage = async (): Promise<AdminAddInput[]> => {
      const cat = await graph.post<{ id: string }>(`${EM}/catalogs`, { displayName: `Bench catalog ${++n}` });
      const pkg = await graph.post<{ id: string }>(`${EM}/accessPackages`, {
        displayName: `Bench ${n}`,
        catalog: { id: cat.id },
      });
      const policy = await graph.post<{ id: string }>(`${EM}/assignmentPolicies`, directPolicy(pkg.id));
      return userIds.map((userId) => ({ accessPackageId: pkg.id, policyId: policy.id, userId }));
    };
    const check = (ok: number): void => {
      if (ok !== users) throw new Error(`${ok} of ${users} assignments accepted`);
    };
    const batched = async (inputs: AdminAddInput[]): Promise<void> => {
      check((await adminAddMany(graph, inputs)).filter((x) => x.ok).length);
    };
    const oneByOne = async (inputs: AdminAddInput[]): Promise<void> => {
      let ok = 0;
      for (const input of inputs) {
        await graph.post(`${EM}/assignmentRequests`, adminAddBody(input));
        ok++;
      }
      check(ok);
    };
    // Only the assignments are timed: each sample's package is made before its clock starts.
    // Subject and reference alternate which goes first, so drift affects both alike.
    const out = { subject: [] as number[], reference: [] as number[] };
    for (let i = 0; i < samples; i++) {
      const order = i % 2 === 0 ? (['subject', 'reference'] as const) : (['reference', 'subject'] as const);
      for (const which of order) {
        const inputs = await freshPackage();
        const t0 = process.hrtime.bigint();
        await (which === 'subject' ? batched(inputs) : oneByOne(inputs));
        out[which].push(Number(process.hrtime.bigint() - t0));
      }
    }
    return out;
  } finally {
    await sandbox.close();
  }
}

export async function benchBulk(): Promise<BenchResult[]> {
  const throttled = await scenario(200, 3, 0.1);
  const plain = await scenario(1000, 5, 0);
  return [
    result(
      'bulk: assign 200 users, 10% throttled (Retry-After 1 s), $batch',
      throttled.subject,
      throttled.reference,
      1e6,
      'ms',
      'ratio ≤ 0.25×',
      'reference: the same adminAdd requests one at a time, the SDK waiting out each 429',
    ),
    result(
      'bulk: assign 1,000 users, no throttling, $batch',
      plain.subject,
      plain.reference,
      1e6,
      'ms',
      'ratio ≤ 0.25× (goal)',
      'reference: the same adminAdd requests one at a time',
    ),
  ];
}
