/**
 * Time-driven work: assignments reaching their end date expire, grace periods of automatic
 * policies run out, undecided approvals time out. Found through the store's `_due` index, so a
 * tick costs nothing when nothing is due.
 */
import { endAssignment, fileSystemRequest } from './assignments';
import { timeOut } from './approvals';
import type { Engine } from './engine';

/** Processes everything due at the clock's current time; returns how many entities changed. */
export function tick(eng: Engine): number {
  const now = eng.clock.now();
  const due = eng.store.dueBefore(now);
  if (due.length === 0) return 0;
  eng.store.transact(() => {
    for (const [coll, id] of due) {
      const e = eng.store.get(coll, id);
      if (!e) continue;
      if (coll === 'assignmentRequests') timeOut(eng, e);
      else if (coll === 'assignments' && e.state !== 'expired') {
        const graceOver = typeof e._graceEnds === 'number' && e._graceEnds <= now;
        const ended = endAssignment(eng, e);
        if (graceOver) fileSystemRequest(eng, 'systemRemove', ended, e._policy as string);
      }
    }
  });
  return due.length;
}
