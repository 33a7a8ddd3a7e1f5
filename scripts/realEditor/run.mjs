// `npm run test:e2e`: the real-editor tests.
//   1. the suites (test/e2e/suite) inside code-server's extension host, the extension loaded as a
//      development extension from this folder;
//   2. UI checks through Chromium (squiggle, Problems panel, the sidebar tree) with screenshots
//      in test-artifacts/;
//   3. the packaged extension: `vsce ls` shows only the allow-list, `vsce package` makes a .vsix that
//      code-server installs, and the suites run against the installed copy;
//   4. with VSCODE_EXECUTABLE_PATH set, the same suites under @vscode/test-electron (never a download).
// Exits non-zero on any failure, including a missing code-server that cannot be installed.
// `--only=suites,ui,restricted,package,electron` runs a subset (`restricted`: Restricted Mode).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTests, outDir, root } from './buildTests.mjs';
import { launchBrowser, runInPage } from './browser.mjs';
import { dirsFor, installExtension, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { LIMITS } from './config.mjs';
import { checkPackageListing, packageVsix } from './package.mjs';
import { uiChecks } from './ui.mjs';
import { restrictedSettings, restrictedUi } from './consoleUi.mjs';
import { awareUi } from './uiAware.mjs';
import { ensureTools } from './tools.mjs';

const only = (process.argv.find((a) => a.startsWith('--only=')) ?? '')
  .slice('--only='.length)
  .split(',')
  .filter(Boolean);
const wants = (step) => only.length === 0 || only.includes(step);
const artifacts = join(root, 'test-artifacts');
const results = [];
const servers = [];
// Ctrl+C or a CI timeout: code-server runs in its own process group, so stop it explicitly.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    console.error(`\n${sig}: stopping code-server`);
    for (const s of servers) await s.stop().catch(() => {});
    process.exit(130);
  });
}
const started = Date.now();
const seconds = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

async function step(name, fn) {
  const t = Date.now();
  console.log(`\n== e2e: ${name} ==`);
  try {
    await fn();
    results.push({ name, ok: true, time: seconds(t) });
  } catch (err) {
    console.error(`FAILED: ${name}: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
    results.push({ name, ok: false, time: seconds(t), error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * A workspace of our own: the samples as committed (not the working copy, which a user trying the
 * demo may have edited), plus room for the suites' scratch files. Outside a git checkout (an
 * unpacked source archive) the working copy is the only copy there is.
 */
function makeWorkspace(runDir) {
  const ws = join(runDir, 'workspace');
  mkdirSync(ws, { recursive: true });
  const committed = spawnSync(
    'sh',
    ['-c', 'git archive --format=tar HEAD samples | tar -x --strip-components=1 -C "$1"', 'sh', ws],
    { cwd: root },
  );
  if (committed.status !== 0 || !existsSync(join(ws, 'rules'))) {
    console.log('e2e: samples/ taken from the working copy (no git history here)');
    cpSync(join(root, 'samples'), ws, { recursive: true });
  }
  mkdirSync(join(ws, 'e2e'), { recursive: true });
  return ws;
}

/**
 * The workbench runs extension tests only with a development extension; to test the installed
 * package, a placeholder one (another id, no code) carries the tests instead of this folder.
 */
function placeholderExtension(runDir) {
  const dir = join(runDir, 'placeholder-extension');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'e2e-placeholder',
        publisher: 'entra-entitlements-tests',
        version: '0.0.0',
        engines: { vscode: '^1.91.0' },
      },
      null,
      2,
    ),
  );
  return dir;
}

/** Runs named suites in a fresh workbench window; throws unless Mocha reports success. */
async function runSuites(context, server, workspace, { suites, developmentPath, environment = {}, label }) {
  const url = workbenchUrl(server, {
    folder: workspace,
    developmentPath,
    testsPath: join(outDir, 'index.js'),
    environment: { ENTITLEMENTS_E2E_SUITES: suites.join(','), ...environment },
  });
  const { page, code } = await runInPage(context, url, {
    limitMs: LIMITS.extensionTestsMs,
    prefix: `  [${label}] `,
    logFile: join(artifacts, `e2e-${label}.log`),
  });
  if (code !== 0) await page.screenshot({ path: join(artifacts, `failure-${label}.png`) }).catch(() => {});
  await page.close();
  if (code !== 0) throw new Error(`the ${label} suites failed (exit ${code})`);
}

async function main() {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const built = await buildTests();
  // Every built suite runs against the development extension, except `installed` (the .vsix run).
  // The tree suite must be among them: its absence would hide the explorer's tests.
  // `consoleRestricted` runs in its own code-server with workspace trust on (Restricted Mode).
  const devSuites = built.filter((s) => s !== 'installed' && s !== 'consoleRestricted');
  for (const s of ['extension', 'rules', 'policy', 'tree', 'pac', 'aware', 'console', 'consoleRestricted', 'installed'])
    if (!built.includes(s)) throw new Error(`suite ${s} was not built`);

  const tools = await ensureTools();
  const runDir = mkdtempSync(join(tmpdir(), 'entra-e2e-'));
  const workspace = makeWorkspace(runDir);
  const context = await launchBrowser(runDir);
  try {
    if (wants('suites') || wants('ui')) {
      const t = Date.now();
      const dev = await startCodeServer({ tools, runDir, name: 'dev', workspace, dirs: dirsFor(runDir, 'dev') });
      servers.push(dev);
      console.log(`code-server ${dev.url} (pid ${dev.pid}) up in ${seconds(t)}`);
      if (wants('suites'))
        await step(`suites in code-server: ${devSuites.join(', ')}`, () =>
          runSuites(context, dev, workspace, { suites: devSuites, developmentPath: root, label: 'dev' }),
        );
      if (wants('ui')) await step('UI through Chromium', () => uiChecks(context, dev, workspace, { artifacts }));
      if (wants('ui'))
        await step('tenant-aware authoring UI through Chromium', () => awareUi(context, dev, workspace, { artifacts }));
    }
    if (wants('restricted')) {
      const dirs = dirsFor(runDir, 'restricted');
      restrictedSettings(dirs.userDataDir);
      const srv = await startCodeServer({ tools, runDir, name: 'restricted', workspace, dirs, workspaceTrust: true });
      servers.push(srv);
      await step('Restricted Mode: suite and UI', async () => {
        await runSuites(context, srv, workspace, {
          suites: ['consoleRestricted'],
          developmentPath: root,
          label: 'restricted',
        });
        await restrictedUi(context, srv, workspace, { artifacts });
      });
    }
    if (wants('package')) {
      await step('vsce ls shows only the allow-list', () => checkPackageListing());
      await step('the .vsix installs into code-server and activates from the package', async () => {
        const vsix = packageVsix(join(runDir, 'entra-entitlements.vsix'));
        const dirs = dirsFor(runDir, 'installed');
        console.log(installExtension(tools, runDir, dirs, vsix));
        const srv = await startCodeServer({ tools, runDir, name: 'installed', workspace, dirs });
        servers.push(srv);
        await runSuites(context, srv, workspace, {
          suites: ['installed', 'extension', 'rules'],
          developmentPath: placeholderExtension(runDir),
          environment: { ENTITLEMENTS_E2E_EXTENSIONS_DIR: dirs.extensionsDir, ENTITLEMENTS_E2E_SOURCE_DIR: root },
          label: 'vsix',
        });
      });
    }
    if (wants('electron') && process.env.VSCODE_EXECUTABLE_PATH) {
      await step('suites under @vscode/test-electron', async () => {
        const { runTests } = await import('@vscode/test-electron');
        const userDataDir = join(runDir, 'electron-user-data');
        await runTests({
          vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
          extensionDevelopmentPath: root,
          extensionTestsPath: join(outDir, 'index.js'),
          extensionTestsEnv: { ENTITLEMENTS_E2E_SUITES: devSuites.join(',') },
          launchArgs: [
            workspace,
            '--user-data-dir',
            userDataDir,
            '--extensions-dir',
            join(runDir, 'electron-extensions'),
            '--disable-workspace-trust',
            '--skip-welcome',
            '--skip-release-notes',
          ],
        });
      });
    } else if (wants('electron')) {
      console.log('\n(@vscode/test-electron: not run, VSCODE_EXECUTABLE_PATH is not set; CI here uses code-server.)');
    }
  } finally {
    await context.close().catch(() => {});
    for (const s of servers) await s.stop();
    if (!process.env.E2E_KEEP) rmSync(runDir, { recursive: true, force: true });
    else console.log(`kept ${runDir}`);
  }
}

let fatal;
try {
  await main();
} catch (err) {
  fatal = err;
  console.error(
    `\nFAILED: the real-editor run could not proceed: ${err instanceof Error ? (err.stack ?? err.message) : err}`,
  );
}
console.log(`\n== real-editor results (${seconds(started)}) ==`);
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.time})${r.ok ? '' : `: ${r.error}`}`);
writeFileSync(
  join(artifacts, 'results.json'),
  JSON.stringify({ results, fatal: fatal ? String(fatal) : null }, null, 2),
);
const failed = fatal !== undefined || results.some((r) => !r.ok) || results.length === 0;
process.exit(failed ? 1 : 0);
