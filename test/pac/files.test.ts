/** The language service on layout files: catalogs get their schema, policies their package from the folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings, getLanguageService, POLICY_LANGUAGE_ID } from '../../server/src/service/languageService';
import { accessPackageFromFolder } from '../../server/src/packageFolder';

const service = getLanguageService();
const codes = async (uri: string, text: string, fromFolder = false) =>
  (
    await service.validate(TextDocument.create(uri, POLICY_LANGUAGE_ID, 1, text), {
      ...defaultSettings,
      accessPackageFromFolder: fromFolder,
    })
  )
    .filter((d) => d.severity === 1)
    .map((d) => String(d.code));

const policy = '{"displayName": "P", "allowedTargetScope": "notSpecified", "expiration": {"type": "noExpiration"}}';

test('a policy without accessPackage: P702 on its own, none when the folder supplies the package', async () => {
  assert.deepEqual(await codes('file:///x/p.policy.json', policy), ['P702']);
  assert.deepEqual(await codes('file:///x/p.policy.json', policy, true), []);
});

test('*.catalog.json files are checked against the catalog schema', async () => {
  assert.deepEqual(
    await codes('file:///x/c.catalog.json', '{"displayName": "C", "state": "published", "isExternallyVisible": false}'),
    [],
  );
  assert.ok((await codes('file:///x/c.catalog.json', '{"displayName": "C", "state": "open"}')).length > 0);
  assert.ok((await codes('file:///x/c.catalog.json', '{"displayName": "C", "owner": "me"}')).length > 0);
});

test('the server sees the package folder: a sibling *.accessPackage.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entitlements-folder-'));
  try {
    const uri = pathToFileURL(join(dir, 'p.policy.json')).toString();
    writeFileSync(join(dir, 'p.policy.json'), policy);
    assert.equal(accessPackageFromFolder(uri), false);
    writeFileSync(join(dir, 'pkg.accessPackage.json'), '{"displayName": "Pkg"}');
    assert.equal(accessPackageFromFolder(uri), true);
    assert.equal(accessPackageFromFolder('untitled:p.policy.json'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
