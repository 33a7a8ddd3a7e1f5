/// <reference types="mocha" />
/** The extension activates in the real editor and registers every command its manifest contributes. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, extension, manifest } from './helpers';

suite('extension', () => {
  test('activates without an error', async () => {
    await activate();
    assert.equal(extension().isActive, true);
  });

  test('registers every command contributed in package.json', async () => {
    await activate();
    const contributed = (manifest().contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length >= 3, `package.json contributes only ${contributed.length} command(s)`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('contributes the two languages by file name', async () => {
    const languages = await vscode.languages.getLanguages();
    for (const id of ['entra-rule', 'entra-policy']) assert.ok(languages.includes(id), `language ${id} missing`);
  });
});
