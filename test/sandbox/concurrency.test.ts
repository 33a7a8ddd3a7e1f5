/**
 * Hundreds of concurrent writers keep the tenant's invariants: no two active assignments for the
 * same target and package, every request ends in exactly one final state, and the sandbox listens
 * on loopback only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { client, directPolicy, EM, makePackage, makeUser, type Client } from './helpers';

let c: Client;
before(async () => {
  c = await client();
});
after(() => c.close());

describe('concurrent writers', () => {
  it('300 parallel adminAdd requests (3 per user) give exactly one assignment per user', async () => {
    const { packageId } = await makePackage(c, 'race');
    const policy = await c.ok('POST', `${EM}/assignmentPolicies`, directPolicy(packageId));
    const users = await Promise.all(Array.from({ length: 100 }, (_, i) => makeUser(c, `racer${i}`)));
    const body = (targetId: string) => ({
      requestType: 'adminAdd',
      assignment: { targetId, assignmentPolicyId: policy.id, accessPackageId: packageId },
    });
    const replies = await Promise.all(
      users.flatMap((u) => [u, u, u]).map((u) => c.call('POST', `${EM}/assignmentRequests`, body(u))),
    );
    const accepted = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 400);
    assert.equal(
      accepted.length + refused.length,
      300,
      `unexpected statuses: ${[...new Set(replies.map((r) => r.status))].join(',')}`,
    );
    assert.equal(accepted.length, 100, 'one accepted request per user');
    for (const r of refused) assert.match(r.json.error.code, /ActiveAssignmentExists|ExistingOpenRequest/);
    const assignments: { target: { objectId: string }; state: string }[] = [];
    let next: string | undefined =
      `${EM}/assignments?$filter=accessPackage/id eq '${packageId}'&$expand=target&$top=999`;
    while (next) {
      const page = await c.ok('GET', next);
      assignments.push(...page.value);
      next = page['@odata.nextLink'];
    }
    const active = assignments.filter((a) => a.state !== 'expired');
    assert.equal(active.length, 100);
    assert.equal(new Set(active.map((a) => a.target.objectId)).size, 100, 'no duplicate assignment for a target');
    const requests = await Promise.all(accepted.map((r) => c.ok('GET', `${EM}/assignmentRequests/${r.json.id}`)));
    assert.ok(
      requests.every((r) => r.state === 'delivered'),
      `final states: ${[...new Set(requests.map((r) => r.state))].join(',')}`,
    );
  });

  it('parallel adminRemove of the same assignment removes it once', async () => {
    const { packageId } = await makePackage(c, 'remove-race');
    const policy = await c.ok('POST', `${EM}/assignmentPolicies`, directPolicy(packageId));
    const user = await makeUser(c, 'remover');
    await c.ok('POST', `${EM}/assignmentRequests`, {
      requestType: 'adminAdd',
      assignment: { targetId: user, assignmentPolicyId: policy.id, accessPackageId: packageId },
    });
    const [assignment] = (await c.ok('GET', `${EM}/assignments?$filter=accessPackage/id eq '${packageId}'`)).value;
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        c.call('POST', `${EM}/assignmentRequests`, { requestType: 'adminRemove', assignment: { id: assignment.id } }),
      ),
    );
    assert.equal(
      replies.filter((r) => r.status === 201).length,
      1,
      JSON.stringify([...new Set(replies.map((r) => `${r.status} ${r.json?.error?.code ?? ''}`))]),
    );
    assert.equal((await c.ok('GET', `${EM}/assignments/${assignment.id}`)).state, 'expired');
  });
});

describe('network exposure', () => {
  it('listens on 127.0.0.1 only: other addresses of this machine refuse the connection', async () => {
    const url = new URL(c.sandbox.url);
    assert.equal(url.hostname, '127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: Number(url.port) });
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      assert.ok(refused, `reachable on ${address}:${url.port}`);
    }
  });

  it('refuses every request without its token, and with a wrong one', async () => {
    const noToken = await fetch(`${c.sandbox.url}/users`);
    assert.equal(noToken.status, 401);
    const wrong = await fetch(`${c.sandbox.url}/users`, {
      headers: { authorization: `Bearer ${'0'.repeat(c.sandbox.token.length)}` },
    });
    assert.equal(wrong.status, 401);
    const body = (await wrong.json()) as { error: { code: string; message: string } };
    assert.ok(!JSON.stringify(body).includes(c.sandbox.token), 'the error does not echo the token');
  });
});
