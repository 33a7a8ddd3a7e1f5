/**
 * The largest hostile inputs tried against the language service, the language server (over LSP)
 * and the command line, with the wall time and peak memory (max RSS) each took. Every case runs
 * in a fresh process so its peak memory is its own. Not part of `npm run bench` (the 1M-user
 * export alone is ~250 MB on disk); run it by hand after `npm run build`:
 *
 *   node --import tsx bench/hostile.ts            # every case, one table (RELIABILITY.md)
 *   node --import tsx bench/hostile.ts CASE        # one case, as JSON
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../server/src/service/languageService';
import { startServer } from '../test/protocol/lspClient';
import { bigPage } from './policy';

const root = resolve(__dirname, '..');
const cliJs = join(root, 'dist', 'cli.js');

interface Figure {
  ms: number;
  maxRssMB: number;
  result: string;
}

const unknownKeys = (n: number) =>
  `{"displayName": "x", ${Array.from({ length: n }, (_, i) => `"k${i}": ${i}`).join(', ')}}`;
const deepArrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObjects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
/** A minified Graph page of policies of about `bytes`. */
const minifiedPage = (bytes: number) => JSON.stringify(JSON.parse(bigPage(Math.round(bytes / 3500), bytes)));
const mb = (text: string) => `${(text.length / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Peak resident memory of this process. From /proc (VmHWM) on Linux: getrusage's maxRSS also
 * counts the parent's memory copied at fork, before the exec.
 */
const rssMB = () => {
  const hwm = peakOf(process.pid);
  return Number.isNaN(hwm) ? process.resourceUsage().maxRSS / 1024 : hwm;
};

/** In-process cases on the service, as the server and the CLI call it. */
async function serviceCase(name: string): Promise<Figure> {
  const service = getLanguageService();
  const doc = (text: string) => TextDocument.create('file:///bench.policy.json', 'entra-policy', 1, text);
  const run = async (text: string, what: (d: TextDocument) => Promise<string> | string): Promise<Figure> => {
    const d = doc(text);
    const t0 = performance.now();
    const result = await what(d);
    return { ms: performance.now() - t0, maxRssMB: rssMB(), result: `${mb(text)}; ${result}` };
  };
  const every = async (d: TextDocument) => {
    const diagnostics = await service.validate(d);
    const middle = d.positionAt(d.getText().length >> 1);
    const answers = [
      service.format(d).length,
      service.symbols(d).length,
      service.foldingRanges(d).length,
      service.selectionRanges(d, [middle]).length,
      (await service.complete(d, middle)) ? 1 : 0,
    ];
    return `${diagnostics.map((x) => x.code).join(',')}; format/outline/folding/selection: ${answers.slice(0, 4).join('/')}`;
  };
  switch (name) {
    case 'service-unknown-128k':
      return run(unknownKeys(128_000), async (d) => `${(await service.validate(d)).length} findings`);
    case 'service-unknown-1mb':
      return run(unknownKeys(62_000), async (d) => `${(await service.validate(d)).length} findings`);
    case 'service-wrong-items-300k':
      return run(`[${'1,'.repeat(299_999)}1]`, async (d) => `${(await service.validate(d)).length} findings`);
    case 'service-deep-100k-arrays':
      return run(deepArrays(100_000), every);
    case 'service-deep-100k-objects':
      return run(deepObjects(100_000), every);
    case 'service-10mb':
      return run(`{"displayName": "${'x'.repeat(10 * 1024 * 1024)}"}`, every);
    case 'service-validate-4mb-page':
      return run(minifiedPage(3.9 * 1024 * 1024), async (d) => `${(await service.validate(d)).length} findings`);
    case 'service-format-4mb-minified':
      return run(minifiedPage(3.9 * 1024 * 1024), (d) => {
        const edits = service.format(d);
        return `${edits.length} edit(s), ${edits.reduce((n, e) => n + e.newText.length, 0)} characters`;
      });
    case 'service-outline-4mb':
      return run(minifiedPage(3.9 * 1024 * 1024), (d) => `${service.symbols(d).length} top-level symbols`);
    default:
      throw new Error(`unknown case ${name}`);
  }
}

/** Peak resident memory of a live process, from /proc (Linux); NaN elsewhere. */
function peakOf(pid: number | undefined): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The real server over stdio: time from the request to its answer, and the server's peak memory. */
async function lspCase(name: string): Promise<Figure> {
  const server = await startServer();
  try {
    const open = async (uri: string, text: string) => {
      const published = server.diagnostics(uri);
      await server.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'entra-policy', version: 1, text },
      });
      return (await published).diagnostics;
    };
    const t0 = performance.now();
    let result: string;
    const uri = `file:///${name}.policy.json`;
    const options = { tabSize: 2, insertSpaces: true };
    if (name === 'lsp-unknown-128k') {
      const text = unknownKeys(128_000);
      result = `${mb(text)}; ${(await open(uri, text)).length} diagnostics published`;
    } else if (name === 'lsp-deep-12k') {
      const text = deepArrays(12_000);
      const diagnostics = await open(uri, text);
      const edits = await server.connection.sendRequest<unknown[]>('textDocument/formatting', {
        textDocument: { uri },
        options,
      });
      const symbols = await server.connection.sendRequest<unknown[]>('textDocument/documentSymbol', {
        textDocument: { uri },
      });
      result = `${diagnostics.map((d) => d.code).join(',')}; formatting ${edits.length} edits, outline ${symbols.length}`;
    } else if (name === 'lsp-format-outline-4mb') {
      const text = minifiedPage(3.9 * 1024 * 1024);
      const diagnostics = await open(uri, text);
      const edits = await server.connection.sendRequest<unknown[]>('textDocument/formatting', {
        textDocument: { uri },
        options,
      });
      const symbols = await server.connection.sendRequest<unknown[]>('textDocument/documentSymbol', {
        textDocument: { uri },
      });
      result = `${mb(text)}; ${diagnostics.length} diagnostics, formatting ${edits.length} edit(s), outline ${symbols.length}`;
    } else throw new Error(`unknown case ${name}`);
    return { ms: performance.now() - t0, maxRssMB: peakOf(server.process.pid), result };
  } finally {
    await server.close();
  }
}

/** Writes `n` Graph-shaped users as an array, a Graph page or JSON Lines. */
async function writeUsers(path: string, n: number, shape: 'array' | 'jsonl'): Promise<void> {
  const out = createWriteStream(path);
  const sep = shape === 'jsonl' ? '\n' : ',';
  if (shape === 'array') out.write('[');
  for (let i = 0; i < n; i++) {
    const user = {
      id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      displayName: `User ${i}`,
      department: ['Sales', 'Engineering', 'Finance', 'HR'][i % 4],
      jobTitle: 'Engineer',
      accountEnabled: i % 10 !== 0,
      userType: 'Member',
      country: 'Kenya',
      city: 'Nairobi',
      mail: `user${i}@contoso.example`,
      employeeId: String(i),
    };
    if (!out.write(`${i ? sep : ''}${JSON.stringify(user)}`)) await once(out, 'drain');
  }
  out.end(shape === 'array' ? ']\n' : '\n');
  await once(out, 'finish');
}

/** dist/cli.js in a child, its peak memory reported by the child itself at exit. */
async function cliCase(name: string): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'entitlements-hostile-bench-'));
  try {
    const preload = join(dir, 'rss.cjs');
    writeFileSync(
      preload,
      [
        "const fs = require('fs');",
        "process.on('exit', () => {",
        '  let kb = process.resourceUsage().maxRSS;',
        "  try { kb = Number(/VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}",
        '  fs.writeSync(2, `\\nmaxRSS ${kb}\\n`);',
        '});',
      ].join('\n'),
    );
    const run = async (args: string[], nodeOptions: string[] = []) => {
      const child = spawn(process.execPath, [...nodeOptions, '--require', preload, cliJs, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = 0;
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.length));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const t0 = performance.now();
      const [code] = (await once(child, 'exit')) as [number];
      const ms = performance.now() - t0;
      const kb = Number(/maxRSS (\d+)/.exec(err)?.[1] ?? NaN);
      return { ms, maxRssMB: kb / 1024, code, out };
    };
    if (name === 'cli-eval-1m-array' || name === 'cli-eval-1m-jsonl') {
      const shape = name.endsWith('jsonl') ? 'jsonl' : 'array';
      const path = join(dir, `users.${shape}`);
      await writeUsers(path, 1_000_000, shape);
      const size = (readFileSync(path).length / (1024 * 1024)).toFixed(0);
      // Under a 48 MB heap: streaming must not need more, whatever the file's size.
      const r = await run(
        ['eval', '--rule', 'user.department -eq "Sales"', '--users', path],
        ['--max-old-space-size=48'],
      );
      return {
        ms: r.ms,
        maxRssMB: r.maxRssMB,
        result: `${size} MB, 1M users, 48 MB heap limit; exit ${r.code}, ${r.out} bytes of ids`,
      };
    }
    if (name === 'cli-check-hostile-files') {
      const files = [
        ['deep-arrays.policy.json', deepArrays(100_000)],
        ['deep-objects.policy.json', deepObjects(100_000)],
        ['unknown.policy.json', unknownKeys(62_000)],
        ['or.rule', Array.from({ length: 20_000 }, (_, i) => `(user.department -eq "d${i}")`).join(' -or ')],
        ['empty.policy.json', ''],
        ['good.rule', 'user.department -eq "Sales"'],
      ].map(([file, text]) => {
        const path = join(dir, file as string);
        writeFileSync(path, text as string);
        return path;
      });
      const r = await run(['check', '--format', 'sarif', ...files]);
      return { ms: r.ms, maxRssMB: r.maxRssMB, result: `6 files; exit ${r.code}, ${r.out} bytes of SARIF` };
    }
    throw new Error(`unknown case ${name}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases = [
  'service-unknown-128k',
  'service-unknown-1mb',
  'service-wrong-items-300k',
  'service-deep-100k-arrays',
  'service-deep-100k-objects',
  'service-10mb',
  'service-validate-4mb-page',
  'service-format-4mb-minified',
  'service-outline-4mb',
  'lsp-unknown-128k',
  'lsp-deep-12k',
  'lsp-format-outline-4mb',
  'cli-check-hostile-files',
  'cli-eval-1m-array',
  'cli-eval-1m-jsonl',
];

async function one(name: string): Promise<Figure> {
  if (name.startsWith('service-')) return serviceCase(name);
  if (name.startsWith('lsp-')) return lspCase(name);
  return cliCase(name);
}

async function main(): Promise<void> {
  const [name] = process.argv.slice(2);
  if (name) {
    process.stdout.write(`${JSON.stringify(await one(name))}\n`);
    return;
  }
  const rows = [['case', 'input and answer', 'time', 'peak memory']];
  for (const c of cases) {
    process.stderr.write(`${c}…\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, c], { encoding: 'utf8', cwd: root });
    if (r.status !== 0) {
      rows.push([c, `failed: ${r.stderr.split('\n').slice(0, 3).join(' ')}`, '', '']);
      continue;
    }
    const f = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Figure;
    rows.push([c, f.result, `${(f.ms / 1000).toFixed(2)} s`, `${f.maxRssMB.toFixed(0)} MB`]);
  }
  process.stdout.write(`${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
