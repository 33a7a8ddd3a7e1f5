/** The per-file status the editor shows, and which folder a file's configuration is. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStatus, layoutRootOf } from '../../client/src/pac/status';

const entry = (description: string) => ({ kind: 'policy' as const, id: 'p', content: { description } });

test('status: in sync, changed locally, drifted, both, not deployed', () => {
  assert.equal(fileStatus({ description: 'a' }, entry('a'), { description: 'a' }), 'inSync');
  assert.equal(fileStatus({ description: 'b' }, entry('a'), { description: 'a' }), 'changedLocally');
  assert.equal(fileStatus({ description: 'a' }, entry('a'), { description: 'c' }), 'drifted');
  assert.equal(fileStatus({ description: 'b' }, entry('a'), { description: 'c' }), 'driftedAndChanged');
  assert.equal(fileStatus({ description: 'a' }, undefined, null), 'notDeployed');
  assert.equal(fileStatus({ description: 'a' }, entry('a'), null), 'notDeployed');
  // Without a fresh read of the tenant: the state alone.
  assert.equal(fileStatus({ description: 'a' }, entry('a')), 'inSync');
  assert.equal(fileStatus({ description: 'b' }, entry('a')), 'changedLocally');
  assert.equal(fileStatus({ description: 'b' }, undefined), 'notDeployed');
});

test('the configuration folder of a file: only where the layout puts files', () => {
  const root = mkdtempSync(join(tmpdir(), 'entitlements-root-'));
  try {
    const pkg = join(root, 'cat', 'pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(root, 'cat', 'cat.catalog.json'), '{}');
    writeFileSync(join(pkg, 'pkg.accessPackage.json'), '{}');
    writeFileSync(join(pkg, 'p.policy.json'), '{}');
    assert.equal(layoutRootOf(join(root, 'cat', 'cat.catalog.json')), root);
    assert.equal(layoutRootOf(join(pkg, 'pkg.accessPackage.json')), root);
    assert.equal(layoutRootOf(join(pkg, 'p.policy.json')), root);
    const loose = join(root, 'loose');
    mkdirSync(loose);
    writeFileSync(join(loose, 'p.policy.json'), '{}');
    assert.equal(layoutRootOf(join(loose, 'p.policy.json')), undefined, 'a policy on its own is not in a layout');
    assert.equal(layoutRootOf(join(root, 'x.rule')), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
