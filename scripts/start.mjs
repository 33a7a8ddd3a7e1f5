// `npm start` (after `npm run build`): starts the sandbox tenant with the demo seed, checks the
// sample workspace with the command-line checker, and opens the extension in a desktop VS Code
// when one is installed. Stops the sandbox on Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = fileURLToPath(new URL('..', import.meta.url));
const samples = join(root, 'samples');
const dataDir = join(root, '.cache', 'sandbox-demo');

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
  console.log('\n== Checking the sample workspace (samples/) with dist/cli.js ==');
  spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', ...sampleFiles()], { stdio: 'inherit' });
}

function startSandbox() {
  const bundle = join(root, 'dist', 'sandbox.js');
  if (!existsSync(bundle)) return Promise.resolve(undefined);
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, [bundle, '--seed', 'demo', '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sandbox exited with code ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

function openEditor() {
  const which = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  if (which.status === 0) {
    console.log('\n== Opening VS Code with the extension under development ==');
    spawn('code', ['--extensionDevelopmentPath', root, samples], { stdio: 'ignore', detached: true }).unref();
  } else {
    console.log(`\nNo desktop VS Code on this machine. To try the extension in an editor, run:\n  code --extensionDevelopmentPath ${root} ${samples}`);
  }
}

const sandbox = await startSandbox();
checkSamples();
openEditor();
if (sandbox) {
  console.log(`\n== Sandbox tenant (demo seed) ==\nurl:   ${sandbox.url}\ntoken: ${sandbox.token}\ndata:  ${dataDir}`);
  console.log(`try:   curl -s -H "Authorization: Bearer ${sandbox.token}" ${sandbox.url}/identityGovernance/entitlementManagement/accessPackages`);
  console.log('\nPress Ctrl+C to stop the sandbox.');
  const stop = () => {
    sandbox.child.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  console.log('\n(The sandbox tenant is not built yet: dist/sandbox.js is missing.)');
}
