/**
 * Test-only endpoints under `/_sandbox/` (enabled with `--test-hooks`): move the clock (and run
 * what became due), create a package with N assignments, and list running automatic-assignment jobs.
 */
import { GraphError, badRequest } from '../errors';
import { route, type Ctx, type Route } from '../router';
import { addDuration } from '../../engine/clock';
import { isObj } from '../../engine/engine';
import { tick } from '../../engine/expiry';
import { seedAssignments } from '../../seed/bulk';

function clock(ctx: Ctx) {
  const b = isObj(ctx.body) ? ctx.body : {};
  const c = ctx.eng.clock;
  if (typeof b.advance === 'string') {
    const to = addDuration(c.now(), b.advance);
    if (to === undefined) throw badRequest(`advance '${b.advance}' is not an ISO 8601 duration.`);
    c.advance(to - c.now());
  } else if (typeof b.now === 'string' && !Number.isNaN(Date.parse(b.now))) c.setNow(Date.parse(b.now));
  else throw badRequest('Send {"advance": "P30D"} or {"now": "2030-01-01T00:00:00Z"}.');
  // The offset is state too: a restarted sandbox keeps the time the tests moved it to.
  ctx.eng.store.put('meta', { id: 'clock', offsetMs: c.offsetMs });
  const changed = tick(ctx.eng);
  return { status: 200, body: { now: c.iso(), processed: changed } };
}

function bulk(ctx: Ctx) {
  const n = isObj(ctx.body) ? ctx.body.count : undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 200_000)
    throw new GraphError(400, 'BadRequest', 'Send {"count": N} with 1 ≤ N ≤ 200000.');
  return { status: 201, body: seedAssignments(ctx.eng, n) };
}

/** Automatic-assignment jobs still running, with their progress. */
function jobs(ctx: Ctx) {
  return { status: 200, body: { value: ctx.eng.jobs?.states() ?? [] } };
}

export const hookRoutes: Route[] = [
  route('POST', 'clock', clock),
  route('POST', 'seed-assignments', bulk),
  route('GET', 'jobs', jobs),
];
