/** Applications, extension properties registered on them, and getAvailableExtensionProperties. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type Client } from './helpers';
import { startSandbox } from '../../sandbox/src/http/server';

let c: Client;
const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-apps-'));
before(async () => {
  c = await client({ seed: 'empty', dataDir });
});
after(() => c.close());

test('an extension property registered on an application is listed as extension_<appId>_<name>', async () => {
  const app = await c.ok('POST', '/applications', { displayName: 'HR attributes' });
  assert.match(app.appId, /^[0-9a-f-]{36}$/);
  const prop = await c.ok('POST', `/applications/${app.id}/extensionProperties`, {
    name: 'costCenter',
    dataType: 'String',
    targetObjects: ['User'],
  });
  const expected = `extension_${app.appId.replace(/-/g, '')}_costCenter`;
  assert.equal(prop.name, expected);
  assert.equal(prop.appDisplayName, 'HR attributes');
  const all = await c.ok('POST', '/directoryObjects/getAvailableExtensionProperties', {});
  assert.deepEqual(
    all.value.map((p: { name: string }) => p.name),
    [expected],
  );
  const onPrem = await c.ok('POST', '/directoryObjects/getAvailableExtensionProperties', {
    isSyncedFromOnPremises: true,
  });
  assert.deepEqual(onPrem.value, []);
  const listed = await c.ok('GET', `/applications/${app.id}/extensionProperties`);
  assert.equal(listed.value.length, 1);
});

test('bad registrations are 400s; unknown applications 404', async () => {
  const app = await c.ok('POST', '/applications', { displayName: 'Other' });
  const reg = (body: unknown) => c.call('POST', `/applications/${app.id}/extensionProperties`, body);
  assert.equal((await reg({ name: '1bad' })).status, 400);
  assert.equal((await reg({ name: 'ok', dataType: 'Float' })).status, 400);
  assert.equal((await reg({ name: 'ok', targetObjects: [] })).status, 400);
  assert.equal((await reg({ name: 'ok' })).status, 201);
  assert.equal((await reg({ name: 'ok' })).status, 400, 'the same name twice');
  assert.equal((await c.call('POST', '/applications', {})).status, 400);
  const missing = await c.call('POST', '/applications/nope/extensionProperties', { name: 'x' });
  assert.equal(missing.status, 404);
  assert.equal(
    (await c.call('POST', '/directoryObjects/getAvailableExtensionProperties', { isSyncedFromOnPremises: 'yes' }))
      .status,
    400,
  );
});

test('registrations survive a restart (journal)', async () => {
  const before = (await c.ok('POST', '/directoryObjects/getAvailableExtensionProperties', {})).value.length;
  // One sandbox per data directory: the first one stops before the restart.
  await c.close();
  const again = await startSandbox({ dataDir });
  try {
    const r = await fetch(`${again.url}/directoryObjects/getAvailableExtensionProperties`, {
      method: 'POST',
      headers: { authorization: `Bearer ${again.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(((await r.json()) as { value: unknown[] }).value.length, before);
  } finally {
    await again.close();
  }
});
