/**
 * `pull`, `plan` and `apply`: policy as code from the command line (the contract pipelines run).
 *   pull  --tenant T [--token X] [--catalog NAME] DIR
 *   plan  --tenant T [--token X] DIR [--format text|json] [--prune]
 *   apply --tenant T [--token X] DIR [--yes] [--prune]
 * Exit codes: plan 0 the tenant matches the files, 3 changes to apply, 1 the files have errors,
 * 2 usage, I/O or tenant errors; apply 0 all applied, 1 any failed (or the files have errors),
 * 2 usage, I/O or tenant errors; pull 0 or 2.
 */
import { createInterface } from 'node:readline/promises';
import { statSync } from 'node:fs';
import { GraphRequestError } from '../../../client/src/graph/graphClient';
import { applyPlan, type Outcome } from '../../../client/src/pac/apply';
import { checkLayout, type FileError } from '../../../client/src/pac/check';
import { readLayout } from '../../../client/src/pac/layout';
import { describeChange, hasChanges, makePlan, publicChange } from '../../../client/src/pac/plan';
import { pullInto } from '../../../client/src/pac/pull';
import { readState, StateError, tenantState } from '../../../client/src/pac/state';
import { fetchSnapshot } from '../../../client/src/pac/tenantSnapshot';
import { connectTenant, graphClientFor, tenantOptionNames, tenantOptionsFrom, UsageError } from '../tenant';

export const pacCommands = ['pull', 'plan', 'apply'] as const;
export type PacCommand = (typeof pacCommands)[number];

export const pacUsage = `  entitlements pull --tenant URL|TENANT [--token T] [--catalog NAME] DIR
  entitlements plan --tenant URL|TENANT [--token T] DIR [--format text|json] [--prune]
  entitlements apply --tenant URL|TENANT [--token T] DIR [--yes] [--prune]
`;

interface PacOptions {
  values: Map<string, string>;
  flags: Set<string>;
  dir: string;
}

const valued = new Set<string>([...tenantOptionNames, '--catalog', '--format']);
const flagsOf: Record<PacCommand, string[]> = { pull: [], plan: ['--prune'], apply: ['--yes', '--prune'] };

function parse(command: PacCommand, args: string[]): PacOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (valued.has(a)) {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      values.set(a, v);
    } else if (flagsOf[command].includes(a)) flags.add(a);
    else if (a.startsWith('--')) throw new UsageError(`${command}: unknown option ${a}`);
    else dirs.push(a);
  }
  if (dirs.length !== 1) throw new UsageError(`${command} needs one folder (got ${dirs.length})`);
  if (values.has('--catalog') && command !== 'pull') throw new UsageError('--catalog is an option of pull');
  const format = values.get('--format');
  if (format !== undefined && (command !== 'plan' || (format !== 'text' && format !== 'json')))
    throw new UsageError(
      command === 'plan' ? `unknown format '${format}' (text or json)` : '--format is an option of plan',
    );
  return { values, flags, dir: dirs[0]! };
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Asks a yes/no question on a terminal; undefined when there is none. */
  confirm?: (question: string) => Promise<boolean>;
}

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  confirm: process.stdin.isTTY
    ? async (q) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return /^y(es)?$/i.test((await rl.question(`${q} [y/N] `)).trim());
        } finally {
          rl.close();
        }
      }
    : undefined,
};

function printErrors(io: Io, errors: FileError[]): void {
  for (const e of errors) io.err(`${e.file}:${e.line}:${e.character}: error ${e.code}: ${e.message}\n`);
  io.err(`${errors.length} error(s) in the files; nothing was sent to the tenant.\n`);
}

/** Runs one of the commands; the exit code. */
export async function runPac(command: PacCommand, args: string[], io: Io = processIo): Promise<number> {
  try {
    const opts = parse(command, args);
    const tenantOpts = tenantOptionsFrom(opts.values);
    if (!tenantOpts) throw new UsageError(`${command} needs --tenant`);
    if (command !== 'pull') {
      try {
        if (!statSync(opts.dir).isDirectory()) throw new UsageError(`${opts.dir} is not a folder`);
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`${opts.dir}: no such folder`);
      }
    }
    // Files with errors are refused before anything talks to the tenant (sign-in included).
    const layout = command === 'pull' ? undefined : readLayout(opts.dir);
    const errors = layout ? await checkLayout(layout) : [];
    if (errors.length > 0) {
      if (opts.values.get('--format') === 'json') io.out(`${JSON.stringify({ changes: [], errors })}\n`);
      printErrors(io, errors);
      return 1;
    }
    const connection = await connectTenant(tenantOpts, io.env);
    const graph = graphClientFor(connection);
    const state = readState(opts.dir);
    if (!layout) {
      const snapshot = await fetchSnapshot(graph, { catalog: opts.values.get('--catalog') });
      if (opts.values.has('--catalog') && snapshot.catalogs.length === 0)
        throw new UsageError(`no catalog named '${opts.values.get('--catalog')!}' in the tenant`);
      const r = pullInto(opts.dir, snapshot, state, connection.key);
      for (const f of r.written) io.out(`wrote ${f}\n`);
      for (const f of r.removed) io.out(`removed ${f}\n`);
      io.out(
        `pulled ${snapshot.catalogs.length} catalog(s), ${snapshot.packages.length} access package(s), ${snapshot.policies.length} policy(ies): ${r.written.length} file(s) written, ${r.unchanged.length} unchanged, ${r.removed.length} removed\n`,
      );
      return 0;
    }
    const snapshot = await fetchSnapshot(graph);
    const prune = opts.flags.has('--prune');
    const plan = makePlan(layout, snapshot, tenantState(state, connection.key), prune);
    if (command === 'plan') {
      if (opts.values.get('--format') === 'json')
        io.out(`${JSON.stringify({ changes: plan.changes.map(publicChange) }, null, 2)}\n`);
      else {
        for (const c of plan.changes) if (c.action !== 'noop') io.out(`${describeChange(c)}\n`);
        io.out(summary(plan.changes));
      }
      return hasChanges(plan) ? 3 : 0;
    }
    const pending = plan.changes.filter((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
    for (const c of pending) io.out(`${describeChange(c)}\n`);
    if (pending.length > 0 && !opts.flags.has('--yes')) {
      if (!io.confirm) throw new UsageError('apply changes the tenant: pass --yes when not on a terminal');
      if (!(await io.confirm(`Apply ${pending.length} change(s) to ${connection.key}?`))) {
        io.err('nothing applied\n');
        return 1;
      }
    }
    const outcomes = await applyPlan(graph, opts.dir, plan, state, connection.key, {
      onOutcome: (o) => io.out(`${outcomeLine(o)}\n`),
    });
    const failed = outcomes.filter((o) => !o.ok).length;
    io.out(`applied ${outcomes.length - failed} change(s), ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\nusage:\n${pacUsage}`);
      return 2;
    }
    if (e instanceof GraphRequestError) {
      io.err(`tenant error: ${e.code}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof StateError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    io.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

function summary(changes: { action: string }[]): string {
  const n = (a: string) => changes.filter((c) => c.action === a).length;
  const any = n('create') + n('update') + n('delete') > 0;
  return `${any ? 'changes to apply' : 'no changes'}: ${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete, ${n('noop')} unchanged, ${n('unmanaged')} unmanaged\n`;
}

function outcomeLine(o: Outcome): string {
  const c = o.change;
  const what = c.file ?? `"${c.displayName ?? ''}" (${c.id ?? ''})`;
  return o.ok
    ? `ok ${c.action} ${c.kind} ${what} → ${o.id ?? ''}`
    : `FAILED ${c.action} ${c.kind} ${what}: ${o.code ?? ''}: ${o.message ?? ''}`;
}
