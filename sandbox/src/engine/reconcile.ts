/**
 * Automatic assignment at tenant scale: bringing a policy's assignments in line with its rule is
 * a job over every user, run in bounded batches.
 *
 * - The first `inlineUsers` users are settled inside the write that created or changed the
 *   policy, so a small tenant sees the whole effect on its next read (as before).
 * - The rest runs between requests: each batch stops after `budgetMs` of work or `maxChanges`
 *   changed entities, and is its own transaction (one journal record, fsync'ed before the next
 *   request is served); the job's cursor (the last user settled) is written in the same record,
 *   so a restart resumes where the last durable batch ended. Re-settling a user is idempotent.
 * - The policy's assignments are visible as they are made; `jobStates()` reports the progress.
 * - The rule is compiled once per job (the tenant's rule cache), and users are read straight from
 *   the table; a user's own change re-evaluates only that user (autoAssign.reconcileUser).
 *
 * A job scans the users in table order: in-scope users without an active assignment of the
 * package get one, in-scope users in their grace period are back. Whoever held one of the
 * policy's assignments and was not met in scope during the scan is checked again at the end (the
 * "leavers": users who left scope, or a resumed job's earlier users) and leaves scope if the rule
 * no longer selects them. Out-of-scope users thus cost the predicate and nothing else.
 */
import { deliverAssignment, endAssignment, endGrace, activeAssignment, fileSystemRequest } from './assignments';
import { autoRule, compiled, groupsOf, leave } from './autoAssign';
import type { Engine } from './engine';
import { userView, type CompiledRule } from './rules';
import type { Entity, Store } from '../store/store';

export type JobKind = 'reconcile' | 'release';

/** What is kept in the `meta` collection while a job runs (id `job:<policyId>`). */
interface JobRecord extends Entity {
  policyId: string;
  kind: JobKind;
  phase: 'scan' | 'leavers';
  /** The last user settled by a durable batch (the scan resumes after it). */
  afterUser: string | null;
}

interface Job {
  policyId: string;
  kind: JobKind;
  phase: 'scan' | 'leavers';
  /** Ordinal of the last user scanned in this process's users table. */
  after: number;
  lastUser: string | null;
  /**
   * Holders of the policy's assignments met in scope so far, and the holders' version that count
   * belongs to (NaN once the count cannot be trusted: a resumed job, or others changed the holders).
   */
  met?: number;
  version?: number;
  leavers?: string[];
  leaverAt: number;
  scanned: number;
  done: boolean;
}

export interface JobState {
  policyId: string;
  kind: JobKind;
  phase: 'scan' | 'leavers';
  usersScanned: number;
  usersTotal: number;
}

export interface Limits {
  /** Stop after this many users (the inline part). */
  users?: number;
  /** Stop at this `performance.now()`. */
  deadline?: number;
  /** Stop once the transaction holds this many changed entities. */
  changes?: number;
}

const jobKey = (policyId: string): string => `job:${policyId}`;
const chunk = 512;

export interface SchedulerOptions {
  /** Users settled inside the policy's own write (default 1,024). */
  inlineUsers?: number;
  /** Work per background batch in ms (default 10). */
  budgetMs?: number;
  /** Changed entities per background batch (default 1,500). */
  maxChanges?: number;
  log?: (message: string) => void;
}

/** Runs jobs in the background, one batch per event-loop turn. */
export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  /**
   * Jobs that ended in a batch that changed nothing: their records are deleted together later
   * (with the next batch that writes, or when the queue empties), not with an fsync each. Running
   * such a job again after a crash changes nothing, so the delay is safe.
   */
  private readonly finished = new Set<string>();
  private timer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private closed = false;
  readonly inlineUsers: number;
  private readonly budgetMs: number;
  private readonly maxChanges: number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly eng: Engine,
    o: SchedulerOptions = {},
  ) {
    this.inlineUsers = o.inlineUsers ?? 1024;
    this.budgetMs = o.budgetMs ?? 10;
    this.maxChanges = o.maxChanges ?? 1500;
    this.log = o.log ?? ((m) => process.stderr.write(`sandbox: ${m}\n`));
  }

  /** Jobs left from before a restart (their records are in `meta`). */
  resume(): void {
    for (const m of this.eng.store.values('meta')) {
      if (!m.id.startsWith('job:')) continue;
      const r = m as JobRecord;
      const after = r.afterUser === null ? 0 : (this.eng.store.table('users').ordOf(r.afterUser) ?? 0);
      this.jobs.set(r.policyId, newJob(r.policyId, r.kind, r.phase, after, r.afterUser));
    }
    this.kick();
  }

  /** Forgets the policy's job (a newer one finished within its write). */
  cancel(policyId: string): void {
    this.jobs.delete(policyId);
    this.finished.delete(policyId);
  }

  add(job: Job): void {
    this.jobs.delete(job.policyId);
    this.finished.delete(job.policyId);
    this.jobs.set(job.policyId, job);
    this.kick();
  }

  /** Progress of the jobs still running. */
  states(): JobState[] {
    const total = this.eng.store.size('users');
    return [...this.jobs.values()].map((j) => ({
      policyId: j.policyId,
      kind: j.kind,
      phase: j.phase,
      usersScanned: j.scanned,
      usersTotal: total,
    }));
  }

  get pending(): number {
    return this.jobs.size;
  }

  /** Runs every job to its end now (seeding, before the sandbox listens). */
  drain(): void {
    while (this.jobs.size > 0) if (this.batch()) throw new Error('automatic assignment failed while seeding');
  }

  /** Resolves when no job is left. */
  idle(): Promise<void> {
    if (this.jobs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
    for (const w of this.waiters.splice(0)) w();
  }

  private kick(delayMs = 0): void {
    if (this.timer || this.closed) return;
    if (this.jobs.size === 0) {
      if (this.finished.size > 0) {
        try {
          this.eng.store.transact(() => this.forgetFinished());
        } catch (e) {
          this.log(`could not remove finished job records: ${String((e as Error)?.message ?? e)}`);
        }
      }
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    const run = (): void => {
      this.timer = undefined;
      let retry = true;
      try {
        retry = this.batch();
      } catch (e) {
        // A bug must not end the process: the job waits and is tried again.
        this.log(`automatic assignment failed: ${String((e as Error)?.stack ?? e)}`);
      }
      this.kick(retry ? 1000 : 0);
    };
    this.timer = delayMs > 0 ? setTimeout(run, delayMs) : setImmediate(run);
  }

  private forgetFinished(): void {
    for (const id of this.finished) if (!this.jobs.has(id)) this.eng.store.delete('meta', jobKey(id));
    this.finished.clear();
  }

  /**
   * One batch of the oldest job, together with every other reconcile job scanning from the same
   * user (see scanTogether); returns true when it failed (retried later).
   */
  private batch(): boolean {
    const first = this.jobs.values().next();
    if (first.done) return false;
    const lead = first.value;
    const together = (j: Job): boolean => j.kind === 'reconcile' && j.phase === 'scan' && !j.done;
    const group = together(lead)
      ? [...this.jobs.values()].filter((j) => together(j) && j.after === lead.after)
      : [lead];
    const store = this.eng.store;
    const limits: Limits = { deadline: performance.now() + this.budgetMs, changes: this.maxChanges };
    try {
      store.transact(() => {
        if (group.length > 1) scanTogether(this.eng, group, limits);
        else step(this.eng, lead, limits);
        for (const job of group) {
          if (job.done && store.pendingChanges === 0) this.finished.add(job.policyId);
          else {
            saveJob(this.eng, job);
            this.forgetFinished();
          }
        }
      });
    } catch (e) {
      // The batch rolled back (a full disk, say); its users are settled again on the next try.
      const ids = group.map((j) => j.policyId).join(', ');
      this.log(
        `automatic assignment for ${group.length > 1 ? 'policies' : 'policy'} ${ids} paused: ${String((e as Error)?.message ?? e)}`,
      );
      for (const job of group) rewind(this.eng, job);
      return true;
    }
    for (const job of group) if (job.done && this.jobs.get(job.policyId) === job) this.jobs.delete(job.policyId);
    return false;
  }
}

function newJob(
  policyId: string,
  kind: JobKind,
  phase: 'scan' | 'leavers',
  after: number,
  lastUser: string | null,
): Job {
  return { policyId, kind, phase, after, lastUser, leaverAt: 0, scanned: 0, done: false };
}

/** After a rolled-back batch the in-memory cursor goes back to the last durable one. */
function rewind(eng: Engine, job: Job): void {
  const r = eng.store.get('meta', jobKey(job.policyId)) as JobRecord | undefined;
  job.phase = r?.phase ?? 'scan';
  job.lastUser = r?.afterUser ?? null;
  job.after = job.lastUser === null ? 0 : (eng.store.table('users').ordOf(job.lastUser) ?? 0);
  job.met = undefined;
  job.version = undefined;
  job.leavers = undefined;
  job.leaverAt = 0;
  job.done = false;
}

/** The job's durable state goes into the batch's own transaction (only when the batch changed something). */
function saveJob(eng: Engine, job: Job): void {
  const key = jobKey(job.policyId);
  if (job.done) {
    if (eng.store.get('meta', key)) eng.store.delete('meta', key);
    return;
  }
  if (!eng.store.get('meta', key) || eng.store.pendingChanges > 0) {
    const r: JobRecord = { id: key, policyId: job.policyId, kind: job.kind, phase: job.phase, afterUser: job.lastUser };
    eng.store.put('meta', r);
  }
}

/**
 * Starts (or restarts) the policy's job inside the current write: the first users are settled
 * now; without a scheduler (an engine used directly, as the bench's reference does) the whole job
 * runs now.
 */
export function startJob(eng: Engine, policyId: string, kind: JobKind): void {
  const job = newJob(policyId, kind, kind === 'release' ? 'leavers' : 'scan', 0, null);
  const jobs = eng.jobs;
  step(eng, job, jobs ? { users: jobs.inlineUsers } : {});
  saveJob(eng, job);
  if (jobs && !job.done) jobs.add(job);
  else jobs?.cancel(policyId);
}

/**
 * What a scan does with a user its policy's rule selects. A holder of one of the policy's active
 * assignments is only counted (no assignment is read); anyone else gets one, or leaves the grace
 * period, and is counted as a holder met.
 */
function scanner(eng: Engine, job: Job, policy: Entity): { inScope(user: Entity): void } {
  const holders = eng.store.holders(policy.id);
  if (job.met === undefined) {
    job.met = 0;
    // Only a scan that starts at the first user can account for every holder.
    job.version = job.after === 0 ? holders.version : NaN;
  }
  const pkg = policy._pkg as string;
  return {
    inScope(user: Entity): void {
      if (holders.users.has(user.id)) {
        job.met!++;
        return;
      }
      const a = activeAssignment(eng, user.id, pkg);
      if (!a) fileSystemRequest(eng, 'systemAdd', deliverAssignment(eng, policy, user), policy.id);
      else if (a._policy === policy.id && a.status === 'AutoAssignmentInGracePeriod') endGrace(eng, a);
      else return;
      // This scan's own change: the user is now a holder met in scope.
      if (holders.users.has(user.id) && job.version === holders.version - 1) {
        job.met!++;
        job.version = holders.version;
      } else job.version = NaN;
    },
  };
}

/** Moves a scanning job's cursor past slot `i - 1`; true when the scan reached the end of the users. */
function advance(
  store: Store,
  job: Job,
  i: number,
  from: number,
  ords: readonly number[],
  last: Entity | undefined,
  end: number,
): boolean {
  job.scanned += i - from;
  if (i > from) job.after = ords[i - 1]!;
  if (last) job.lastUser = last.id;
  if (i < end) return false;
  job.phase = 'leavers';
  // Nobody can have left scope when every holder was met and no one else changed the holders.
  const holders = store.holders(job.policyId);
  if (job.version === holders.version && job.met === holders.users.size) job.leavers = [];
  job.met = undefined;
  job.version = undefined;
  return true;
}

/**
 * Scans the users for several reconcile jobs at the same cursor at once (every automatic policy
 * after a change that concerns them all, as `reconcileAll` starts): each user is read once and
 * every job's rule tested on it while it is in the processor's cache, where one pass per policy
 * would read every user once per policy. The jobs' cursors move together; each then finishes its
 * leavers on its own (`step`). Within a transaction, like `step`.
 */
export function scanTogether(eng: Engine, jobs: readonly Job[], limits: Limits): void {
  const store = eng.store;
  const groups = groupsOf(eng);
  const live: Job[] = [];
  const tests: ((user: Entity) => boolean)[] = [];
  const scans: { inScope(user: Entity): void }[] = [];
  for (const job of jobs) {
    const policy = store.get('assignmentPolicies', job.policyId);
    const rule = policy && autoRule(policy) !== undefined ? compiled(eng, policy) : undefined;
    if (!policy || !rule) {
      job.done = true;
      continue;
    }
    live.push(job);
    tests.push(rule.needsRelations ? (u) => rule.test(userView(u, rule, groups)) : rule.test);
    scans.push(scanner(eng, job, policy));
  }
  if (live.length === 0) return;
  const after = live[0]!.after;
  const { slots, ords, start } = store.table('users').view(after);
  const n = tests.length;
  // About as many rule tests between limit checks as a single job makes.
  const users = Math.max(16, Math.floor((chunk * 8) / n));
  const cap = limits.changes ?? Infinity;
  let i = start;
  for (;;) {
    const stop = Math.min(slots.length, i + users);
    const from = i;
    let last: Entity | undefined;
    while (i < stop) {
      const user = slots[i++];
      if (user === undefined) continue;
      last = user;
      for (let k = 0; k < n; k++) if (tests[k]!(user)) scans[k]!.inScope(user);
      // Many jobs can change many entities per user: the batch stays bounded user by user.
      if (store.pendingChanges >= cap) break;
    }
    let ended = false;
    for (const job of live) ended = advance(store, job, i, from, ords, last, slots.length);
    if (ended || outOfTime(limits, eng, 0)) return;
  }
}

function outOfTime(limits: Limits, eng: Engine, users: number): boolean {
  if (limits.users !== undefined && users >= limits.users) return true;
  if (limits.changes !== undefined && eng.store.pendingChanges >= limits.changes) return true;
  return limits.deadline !== undefined && performance.now() >= limits.deadline;
}

/** Advances a job within the limits (inside a transaction). */
export function step(eng: Engine, job: Job, limits: Limits): void {
  if (job.done) return;
  const store = eng.store;
  const policy = store.get('assignmentPolicies', job.policyId);
  let rule: CompiledRule | undefined;
  if (job.kind === 'reconcile') {
    rule = policy && autoRule(policy) !== undefined ? compiled(eng, policy) : undefined;
    if (!policy || !rule) {
      job.done = true;
      return;
    }
  }
  const groups = groupsOf(eng);
  const inScope = (u: Entity): boolean => rule!.test(rule!.needsRelations ? userView(u, rule!, groups) : u);
  let users = 0;
  if (job.phase === 'scan') {
    const scan = scanner(eng, job, policy!);
    const table = store.table('users');
    // The users are read in place (this loop writes no user), a chunk between limit checks.
    const direct = rule!.needsRelations ? undefined : rule!.test;
    const { slots, ords, start } = table.view(job.after);
    let i = start;
    for (;;) {
      const from = i;
      const stop = Math.min(slots.length, i + chunk);
      let last: Entity | undefined;
      for (; i < stop; i++) {
        const user = slots[i];
        if (user === undefined) continue;
        last = user;
        // Out-of-scope users cost no lookup: whoever holds one of the policy's assignments and is
        // not met in scope is checked at the end (the leavers).
        if (direct ? direct(user) : inScope(user)) scan.inScope(user);
      }
      users += chunk;
      if (advance(store, job, i, from, ords, last, slots.length)) break;
      if (outOfTime(limits, eng, users)) return;
    }
  }
  if (!job.leavers) {
    // A resumed or a release job: every active assignment of the policy is looked at.
    job.leavers = [...store.lookup('asgByPolicy', job.policyId)];
    job.leaverAt = 0;
  }
  const list = job.leavers;
  while (job.leaverAt < list.length) {
    const a = store.get('assignments', list[job.leaverAt++]!);
    users++;
    if (!a || a.state === 'expired' || a._policy !== job.policyId) continue;
    const user = store.get('users', a._user as string);
    if (job.kind === 'release' || !user) {
      fileSystemRequest(eng, 'systemRemove', endAssignment(eng, a), job.policyId);
    } else if (!inScope(user) && a.status !== 'AutoAssignmentInGracePeriod') leave(eng, policy!, a);
    if ((users & 63) === 0 && outOfTime(limits, eng, users)) return;
  }
  job.done = true;
}
