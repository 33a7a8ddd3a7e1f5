// `npm start` (after `npm run build`): starts the sandbox tenant with the demo seed, checks the
// sample workspace with the command-line checker, and opens the extension in a real VS Code on
// samples/: a desktop `code` with --extensionDevelopmentPath when one is installed, otherwise
// code-server on 127.0.0.1 (installed on first run into ~/.cache/entra-entitlements/, see
// scripts/realEditor/tools.mjs) with the current build installed as a .vsix; it prints the URL.
// `--no-editor` skips the editor; `ENTITLEMENTS_PORT` picks code-server's port (default 8080, or a
// free one). Stops everything on Ctrl+C.
// The editor learns the sandbox's URL and token from a private file (scripts/sandboxHandoff.mjs):
// the token is never put in an environment the editor's terminals would inherit.
// `ENTITLEMENTS_RUN_DIR` moves the run state (sandbox data, hand-over file; default .cache/).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { HANDOFF_VARIABLE, removeHandoff, writeHandoff } from './sandboxHandoff.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runDir = process.env.ENTITLEMENTS_RUN_DIR || join(root, '.cache');
const dataDir = join(runDir, 'sandbox-demo');
// The editor opens a scratch copy of samples/, made afresh on each start: trying the demo (quick
// fixes, deploys, edits) never changes the repository or the files the tests read.
const samples = join(runDir, 'demo-workspace');
const setupLog = join(runDir, 'start.log');

function copySamples() {
  rmSync(samples, { recursive: true, force: true });
  cpSync(join(root, 'samples'), samples, { recursive: true });
}

/** Runs `fn` with console.log sent to the setup log (tool downloads, vsce and install chatter). */
async function quietly(fn) {
  const log = console.log;
  console.log = (...args) => appendFileSync(setupLog, `${args.join(' ')}\n`);
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

function sampleFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, name.name);
      if (name.isDirectory()) walk(full);
      else if (name.name.endsWith('.rule') || name.name.endsWith('.policy.json')) out.push(full);
    }
  };
  walk(samples);
  return out.sort();
}

function checkSamples() {
  console.log('\n== Checking the sample workspace (a scratch copy of samples/) with dist/cli.js ==');
  console.log('The samples contain deliberate mistakes, so the errors below are expected: fix them in the editor.');
  spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', ...sampleFiles()], { stdio: 'inherit' });
}

function startSandbox() {
  const bundle = join(root, 'dist', 'sandbox.js');
  if (!existsSync(bundle)) return Promise.resolve(undefined);
  // The tenant's data is private to the user (an earlier run may have left the folder 0755).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const child = spawn(process.execPath, [bundle, '--seed', 'demo', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sandbox exited with code ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

/** Desktop VS Code when there is one; otherwise code-server with the current build installed. */
async function openEditor() {
  if (process.argv.includes('--no-editor')) return undefined;
  const which = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  if (which.status === 0) {
    console.log('\n== Opening VS Code with the extension under development ==');
    spawn('code', ['--extensionDevelopmentPath', root, samples], { stdio: 'ignore', detached: true }).unref();
    return undefined;
  }
  console.log('\n== No desktop VS Code here: starting code-server (VS Code in the browser) ==');
  const { ensureTools, cacheRoot } = await import('./realEditor/tools.mjs');
  const { dirsFor, freePort, installExtension, startCodeServer } = await import('./realEditor/codeServer.mjs');
  const { packageVsix } = await import('./realEditor/package.mjs');
  mkdirSync(join(root, '.cache'), { recursive: true });
  console.log(`(setup details go to ${setupLog})`);
  const tools = await quietly(() => ensureTools());
  // A profile that persists between runs (settings, open editors), beside the tool cache.
  const runDir = join(cacheRoot(), 'start');
  mkdirSync(runDir, { recursive: true });
  const dirs = dirsFor(runDir, 'editor');
  const vsix = join(runDir, 'entra-entitlements-dev.vsix');
  rmSync(vsix, { force: true });
  await quietly(() => {
    packageVsix(vsix);
    console.log(installExtension(tools, runDir, dirs, vsix));
  });
  const wanted = Number(process.env.ENTITLEMENTS_PORT ?? 8080);
  const port = (await portFree(wanted)) ? wanted : await freePort();
  // Without the smoke-test driver: an ordinary editor (notifications shown), the extension installed.
  const server = await startCodeServer({
    tools,
    runDir,
    name: 'editor',
    workspace: samples,
    dirs,
    port,
    smokeTestDriver: false,
  });
  console.log(
    `\nOpen ${server.url}?folder=${encodeURIComponent(samples)}\n(code-server log: ${server.logFile}; after a rebuild, run npm start again to reinstall the extension)`,
  );
  return server;
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

copySamples();
const sandbox = await startSandbox();
let handoff;
if (sandbox) {
  // The editor's explorer uses this sandbox (loopback only) instead of starting its own. Only the
  // path of the private hand-over file goes into the environment the editor (and so its
  // terminals) inherits; the token stays in the file.
  handoff = writeHandoff(runDir, sandbox);
  process.env[HANDOFF_VARIABLE] = handoff;
  process.on('exit', () => removeHandoff(handoff));
}
checkSamples();
let editor;
try {
  editor = await openEditor();
} catch (err) {
  console.error(`\nThe editor could not start: ${err instanceof Error ? err.message : err}`);
  sandbox?.child.kill('SIGTERM');
  removeHandoff(handoff);
  process.exit(1);
}
const stopAll = async () => {
  sandbox?.child.kill('SIGTERM');
  removeHandoff(handoff);
  await editor?.stop();
  process.exit(0);
};
if (sandbox) {
  console.log(`\n== Sandbox tenant (demo seed) ==\nurl:   ${sandbox.url}\ntoken: ${sandbox.token}\ndata:  ${dataDir}`);
  console.log(
    `try:   curl -s -H "Authorization: Bearer ${sandbox.token}" ${sandbox.url}/identityGovernance/entitlementManagement/accessPackages`,
  );
} else {
  console.log('\n(The sandbox tenant is not built yet: dist/sandbox.js is missing.)');
}
console.log(
  '\nIn the editor: the Entitlements view (the shield in the activity bar) shows the sandbox tenant —\n' +
    'catalogs, packages, requests waiting for approval, what each package grants. "Get Started with Entra\n' +
    `Entitlements" in the Command Palette walks through it. The workspace is a scratch copy: ${samples}`,
);
if (sandbox || editor) {
  console.log(
    `\nPress Ctrl+C to stop ${[sandbox && 'the sandbox', editor && 'code-server'].filter(Boolean).join(' and ')}.`,
  );
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
}
