/** What every engine operation works on: the store, the clock and the compiled rules of one tenant. */
import { randomUUID } from 'node:crypto';
import { GraphError } from '../http/errors';
import type { Clock } from './clock';
import type { Scheduler } from './reconcile';
import type { RuleCache } from './rules';
import type { CollectionName, Entity, Store } from '../store/store';

export interface Engine {
  store: Store;
  clock: Clock;
  rules: RuleCache;
  /** Id source: random in service, seeded for the deterministic demo tenant. */
  newId(): string;
  /** Background jobs (automatic assignment over many users); without it jobs run within the write. */
  jobs?: Scheduler;
}

/**
 * A random GUID as one flat string. `randomUUID()` returns a string concatenated from pieces
 * (a rope of ~20 nodes, ~480 bytes on V8); copying it through a buffer keeps 56 bytes per id,
 * which is most of an assignment's memory at a million of them.
 */
export const randomId = (): string => Buffer.from(randomUUID(), 'latin1').toString('latin1');

/** The entity, or a Graph 404 naming the type. */
export function mustGet(eng: Engine, coll: CollectionName, id: string, what: string): Entity {
  const e = eng.store.get(coll, id);
  if (!e) {
    if (coll === 'users' || coll === 'groups')
      throw new GraphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    throw new GraphError(404, 'ResourceNotFound', `No ${what} with id '${id}' was found.`);
  }
  return e;
}

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `e` with the given fields changed and `undefined` ones removed (entities are immutable). */
export function update(e: Entity, changes: Record<string, unknown>): Entity {
  const out: Entity = { ...e, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete out[k];
  return out;
}

/** The earliest of the given times, or undefined: the entity's next time-driven event. */
export function earliest(...times: (number | undefined)[]): number | undefined {
  const t = times.filter((x): x is number => typeof x === 'number');
  return t.length > 0 ? Math.min(...t) : undefined;
}
