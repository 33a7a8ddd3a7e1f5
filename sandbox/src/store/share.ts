/**
 * Reading entities back from disk gives every entity its own copy of each value: the department
 * of every user, the package and policy ids on every assignment, the schedule an assignment shares
 * with its request, the empty lists. While the sandbox runs those are one shared string or frozen
 * object (entities are immutable values, built from shared constants and references), so a
 * restarted tenant used two thirds more heap than the same tenant before the restart (1.79 GB →
 * 2.98 GB at 1M users and 841k assignments, measured) and its collector had that much more to
 * walk. Loading shares them again: the named fields' strings through one table, empty lists as
 * one frozen list, and a schedule's expiration by its value. Shared objects are frozen; nothing
 * changes an entity in place.
 */
import type { CollectionName, Entity } from './store';

/** Fields whose strings repeat across entities (few distinct values, or ids of a few parents). */
const strings: Partial<Record<CollectionName, readonly string[]>> = {
  users: [
    'department',
    'jobTitle',
    'companyName',
    'country',
    'city',
    'usageLocation',
    'preferredLanguage',
    'employeeType',
    'userType',
  ],
  assignments: ['state', 'status', '_pkg', '_catalog', '_policy'],
  assignmentRequests: ['requestType', 'state', 'status', '_pkg', '_policy'],
  subjects: ['subjectType'],
};

/**
 * Fields that usually hold the same value as another field of the same entity: a user's mail is
 * their user principal name in most tenants. Read back, each is its own copy of the same text.
 */
const sameAs: Partial<Record<CollectionName, readonly (readonly [string, string])[]>> = {
  users: [['mail', 'userPrincipalName']],
};

/** Fields holding a schedule (its expiration repeats) or a list (usually empty). */
const nested: Partial<Record<CollectionName, readonly string[]>> = {
  users: ['businessPhones'],
  assignments: ['schedule', 'customExtensionCalloutInstances'],
  assignmentRequests: ['schedule', 'answers', 'customExtensionCalloutInstances'],
};

/** Past this many distinct values the tables stop growing (values stay as read, still correct). */
const limit = 200_000;

/** The longest string value V8's JSON.parse internalizes (JsonParser's kMaxInternalizedStringValueLength). */
const internalizedUpTo = 10;

const emptyList: readonly never[] = Object.freeze([]);

/** The expiration of nearly every automatic assignment, shared without building a key. */
const noExpiration = Object.freeze({ type: 'noExpiration', duration: null, endDateTime: null });

export class ValueSharing {
  private readonly texts = new Map<string, string>();
  private readonly expirations = new Map<string, unknown>();

  /** Replaces the entity's repeated values by shared ones (the entity is fresh from JSON.parse). */
  share(coll: CollectionName, e: Entity): void {
    for (const k of strings[coll] ?? []) {
      const v = e[k];
      // V8's JSON.parse already gives values of up to 10 characters as one internalized string
      // ("Sales", "FR", "delivered"), so only the longer ones need the table.
      if (typeof v === 'string' && v.length > internalizedUpTo) e[k] = this.text(v);
    }
    for (const [k, other] of sameAs[coll] ?? []) {
      const v = e[other];
      if (typeof v === 'string' && e[k] === v) e[k] = v;
    }
    for (const k of nested[coll] ?? []) {
      const v = e[k];
      if (Array.isArray(v)) {
        if (v.length === 0) e[k] = emptyList;
      } else if (v !== null && typeof v === 'object') this.schedule(v as Record<string, unknown>);
    }
  }

  private text(v: string): string {
    const s = this.texts.get(v);
    if (s !== undefined) return s;
    if (this.texts.size < limit) this.texts.set(v, v);
    return v;
  }

  /** A schedule's own object stays (its start differs); its expiration is shared by value. */
  private schedule(s: Record<string, unknown>): void {
    const x = s.expiration as Record<string, unknown> | null | undefined;
    if (x === null || typeof x !== 'object' || Object.keys(x).length !== 3) return;
    const { type, duration, endDateTime } = x;
    if (type === 'noExpiration' && duration === null && endDateTime === null) {
      s.expiration = noExpiration;
      return;
    }
    const key = `${String(type)}|${String(duration)}|${String(endDateTime)}`;
    const shared = this.expirations.get(key);
    if (shared !== undefined) s.expiration = shared;
    else if (this.expirations.size < limit) this.expirations.set(key, Object.freeze(x));
  }
}
