/// <reference types="mocha" />
/**
 * Run only against the packaged extension (`code-server --install-extension x.vsix`): the editor
 * loaded it from its extensions folder, not from the source tree, and the package holds only the
 * allow-listed files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activate, extension } from './helpers';

suite('installed from the .vsix', () => {
  const extensionsDir = process.env.ENTITLEMENTS_E2E_EXTENSIONS_DIR;
  const sourceDir = process.env.ENTITLEMENTS_E2E_SOURCE_DIR;

  test('the extension runs from the extensions folder, not from the source folder', async () => {
    assert.ok(
      extensionsDir && sourceDir,
      'the runner sets ENTITLEMENTS_E2E_EXTENSIONS_DIR and ENTITLEMENTS_E2E_SOURCE_DIR',
    );
    await activate();
    const ext = extension();
    const where = fs.realpathSync(ext.extensionPath);
    assert.ok(where.startsWith(fs.realpathSync(extensionsDir) + path.sep), `${where} is not under ${extensionsDir}`);
    assert.ok(!where.startsWith(fs.realpathSync(sourceDir)), `${where} is the source folder`);
    assert.equal(ext.isActive, true);
  });

  test('the packaged extension carries bundles, not sources', () => {
    const root = extension().extensionPath;
    for (const f of ['dist/client.js', 'dist/server.js', 'package.json'])
      assert.ok(fs.existsSync(path.join(root, f)), `${f} missing from the package`);
    for (const f of ['client', 'server', 'node_modules', 'test', 'dist/client.js.map', 'tsconfig.json'])
      assert.ok(!fs.existsSync(path.join(root, f)), `${f} should not be in the package`);
  });
});
