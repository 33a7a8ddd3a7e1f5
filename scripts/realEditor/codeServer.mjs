// Starts code-server for one run: its own port on 127.0.0.1, its own config/data/cache/temp
// folders, user data and extensions folders, in its own process group (killed as a group on stop).
// The smoke-test-driver option lets the web workbench honour the `payload` URL parameter (dev
// extension + tests), which is how extension tests run inside the real extension host.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LIMITS } from './config.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Folders and environment code-server (and what it installs) uses instead of the home folder. */
export function isolatedEnv(tools, runDir) {
  const env = { ...process.env };
  for (const [k, sub] of [
    ['XDG_CONFIG_HOME', 'xdg-config'],
    ['XDG_DATA_HOME', 'xdg-data'],
    ['XDG_CACHE_HOME', 'xdg-cache'],
    ['TMPDIR', 'tmp'],
  ]) {
    env[k] = join(runDir, sub);
    mkdirSync(env[k], { recursive: true });
  }
  env.PATH = `${join(tools.nodeHome, 'bin')}:${process.env.PATH}`;
  // npm's variables from `npm run` would confuse the extension host's child processes.
  for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
  delete env.NODE_OPTIONS;
  return env;
}

export function dirsFor(runDir, name) {
  const userDataDir = join(runDir, `${name}-user-data`);
  const extensionsDir = join(runDir, `${name}-extensions`);
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  return { userDataDir, extensionsDir };
}

/** `code-server --install-extension FILE` into the given folders (no server started). */
export function installExtension(tools, runDir, dirs, vsix) {
  const r = spawnSync(
    tools.node,
    [
      tools.codeServer,
      '--user-data-dir',
      dirs.userDataDir,
      '--extensions-dir',
      dirs.extensionsDir,
      '--install-extension',
      vsix,
    ],
    {
      env: isolatedEnv(tools, runDir),
      encoding: 'utf8',
    },
  );
  if (r.status !== 0)
    throw new Error(`code-server --install-extension ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Starts code-server on `workspace`; resolves when it reports that it listens.
 * Returns { url, port, authority, stop(), logFile }.
 */
export async function startCodeServer({
  tools,
  runDir,
  name,
  workspace,
  dirs,
  host = '127.0.0.1',
  port,
  smokeTestDriver = true,
  quiet = true,
  workspaceTrust = false,
}) {
  port = port ?? (await freePort());
  const logFile = join(runDir, `${name}-code-server.log`);
  const args = [
    tools.codeServer,
    '--bind-addr',
    `${host}:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--reconnection-grace-time',
    '5',
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(workspace);
  const child = spawn(tools.node, args, {
    env: isolatedEnv(tools, runDir),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stderr.pipe(log);
  let exited = false;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve(code ?? signal);
    }),
  );
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`code-server did not report listening within ${LIMITS.codeServerStartMs} ms; see ${logFile}`)),
      LIMITS.codeServerStartMs,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(`${line}\n`);
      if (!quiet) console.log(`[code-server] ${line}`);
      if (/HTTP server listening on/i.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening; see ${logFile}`));
    });
  });
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await exit;
    clearTimeout(killer);
    // The group may hold extension hosts that outlive the server for a moment.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  try {
    await listening;
  } catch (err) {
    await stop();
    throw err;
  }
  const authority = `${host}:${port}`;
  return { url: `http://${authority}/`, port, authority, stop, logFile, pid: child.pid };
}

/** The workbench URL for a folder, optionally with the test payload (see workbench `payload`). */
export function workbenchUrl(server, { folder, developmentPath, testsPath, environment }) {
  const remote = (p) => `vscode-remote://${server.authority}${p}`;
  const payload = [['skipWelcome', 'true']];
  if (developmentPath) payload.push(['extensionDevelopmentPath', remote(developmentPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (environment) payload.push(['extensionEnvironment', JSON.stringify(environment)]);
  return `${server.url}?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
