/**
 * The entry point the editor loads as `extensionTestsPath`: runs the real-editor suites with Mocha
 * (tdd UI) inside the extension host. `ENTITLEMENTS_E2E_SUITES` (comma-separated names, e.g.
 * `extension,rules`) picks suites; a named suite that does not exist is an error, never a skip.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: 60_000,
    slow: 5_000,
    forbidOnly: true,
  });
  const dir = __dirname;
  const available = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.e2e.js'))
    .map((f) => f.slice(0, -'.e2e.js'.length))
    .sort();
  const wanted = (process.env.ENTITLEMENTS_E2E_SUITES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const missing = wanted.filter((w) => !available.includes(w));
  if (missing.length > 0)
    return Promise.reject(new Error(`unknown e2e suite(s) ${missing.join(', ')}; built: ${available.join(', ')}`));
  const chosen = wanted.length > 0 ? wanted : available;
  console.log(`[e2e] suites: ${chosen.join(', ')} (vscode ${vscode.version}, node ${process.version})`);
  for (const name of chosen) mocha.addFile(path.join(dir, `${name}.e2e.js`));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} real-editor test(s) failed`)) : resolve()));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
