/**
 * Failures from the sandbox's fault injection: error rows carry Graph's code and message and
 * retry; 429 is retried after Retry-After and then succeeds; a persistent 503 ends in an error row.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GraphRequestError } from '../../client/src/graph/graphClient';
import { ErrorNode } from '../../client/src/tree/nodes/errorNode';
import { TenantNode } from '../../client/src/tree/nodes/tenantNode';
import { child, children, harness, labels, rawApi, type Harness } from './helpers';

describe('error rows', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ seed: 'demo' });
  });
  after(() => h.close());
  beforeEach(() => h.faults.clear());

  const cases: [fault: string, code: string, message: RegExp, status: number][] = [
    ['403', 'Authorization_RequestDenied', /Insufficient privileges/, 403],
    ['404', 'ResourceNotFound', /not found/, 404],
    ['500', 'InternalServerError', /internal server error/, 500],
    ['503', 'ServiceUnavailable', /temporarily unavailable/, 503],
    ['reset', 'NetworkError', /could not be completed/, 0],
    ['truncate', 'InvalidResponse', /ended before it was complete|not valid JSON/, 200],
  ];
  for (const [fault, code, message, status] of cases) {
    it(`${fault} → an error row with ${code}, and the retry recovers`, async () => {
      const root = new TenantNode(h.tenant);
      h.faults.always = fault;
      const rows = await children(root);
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      assert.ok(row instanceof ErrorNode);
      assert.equal(row.error.code, code);
      assert.equal(row.error.status, status);
      const item = row.getTreeItem();
      assert.ok(item.label.startsWith(`${code}: `));
      assert.match(item.label, message);
      assert.equal(item.iconId, 'error');
      assert.equal(item.command?.command, 'entitlements.retry');
      assert.equal(item.id, 'sandbox/error');
      h.faults.clear();
      await root.retry();
      assert.ok(labels(await children(root)).includes('General'));
    });
  }

  it('retries a 429 after Retry-After and then succeeds', async () => {
    const root = new TenantNode(h.tenant);
    h.faults.once = ['429'];
    const before = h.faults.attempts;
    const t0 = Date.now();
    const rows = await children(root);
    assert.ok(labels(rows).includes('General'));
    assert.equal(h.faults.attempts - before, 2, 'one throttled attempt, one that succeeded');
    assert.ok(Date.now() - t0 >= 900, 'waited for Retry-After: 1');
  });

  it('gives up on a persistent 503 after the retries, with the code and message', async () => {
    const root = new TenantNode(h.tenant);
    h.faults.always = '503';
    const before = h.faults.attempts;
    const [row] = await children(root);
    assert.ok(row instanceof ErrorNode);
    assert.equal(h.faults.attempts - before, 3, 'the first attempt and two retries');
    assert.equal(row.getTreeItem().label, 'ServiceUnavailable: The service is temporarily unavailable. Retry later.');
  });

  it('shows a failing branch deeper down as an error row without breaking its siblings', async () => {
    const root = new TenantNode(h.tenant);
    const cat = await child(root, 'Sales and Marketing');
    const pkg = await child(cat, 'CRM access');
    const [policies, assignments] = await children(pkg);
    h.faults.once = ['403'];
    const rows = await children(policies!);
    assert.ok(rows[0] instanceof ErrorNode);
    assert.equal(rows[0].id, `${policies!.id}/error`);
    assert.ok((await children(assignments!)).every((r) => !(r instanceof ErrorNode)));
  });

  it("a wrong token is a 401 with Graph's code, never a throw from the tree", async () => {
    const api = rawApi(h.sandbox, 'not-the-token');
    await assert.rejects(
      api.catalogs(),
      (e: unknown) => e instanceof GraphRequestError && e.status === 401 && e.code === 'InvalidAuthenticationToken',
    );
  });
});
