/**
 * Requests that arrive while a restart is still applying the large collections (store.ts `lazy`:
 * the users and the assignment history) between requests. A request that needs one of them is
 * held, its body already read, until the background slices have applied it; every other request
 * is answered meanwhile. So a restarted sandbox answers its health probe, catalogs, packages and
 * policies at once, no request blocks the others for the seconds a million users take to apply,
 * and a held request is answered about when a start that applied everything first would have
 * begun listening. (Indexes still building then complete at the first question to them, as they
 * did after such a start.)
 *
 * Holding is only about waiting: a request the table below calls independent that does reach a
 * collection still loading applies that collection at once (Store.settled), so every answer
 * stays exact whatever the table says.
 */
import type { CollectionName, Store } from '../store/store';
import { lazyCollections } from '../store/store';

const EM = 'identityGovernance/entitlementManagement/';
/** Entitlement sets whose reads need neither users nor history. */
const configuration = new Set(['catalogs', 'accessPackages', 'assignmentPolicies', 'connectedOrganizations']);
/** Directory sets whose reads need the users but not the history. */
const directory = new Set(['users', 'groups', 'applications']);
const none: readonly CollectionName[] = [];
const usersOnly: readonly CollectionName[] = ['users'];

/**
 * The loading collections a request needs, from its method and its path under `/v1.0/`: reads of
 * the configuration need none, reads of the directory the users, anything else (history, writes,
 * test hooks, paths not listed) all of them.
 */
export function needsOf(method: string | undefined, path: string): readonly CollectionName[] {
  if (method !== 'GET' && method !== 'HEAD') return lazyCollections;
  const m = /^\/v1\.0\/([^/?]+)(?:\/|$)/.exec(path);
  if (!m) return lazyCollections;
  if (directory.has(m[1]!)) return usersOnly;
  if (path.startsWith(`/v1.0/${EM}`)) {
    const set = path.slice(`/v1.0/${EM}`.length).split('/', 1)[0]!;
    if (configuration.has(set)) return none;
  }
  return lazyCollections;
}

interface Held {
  needs: readonly CollectionName[];
  go: () => void;
}

export class Loading {
  private held: Held[] = [];
  /** Loading stopped on an error: nothing is held any more (each request meets the error itself). */
  private stopped = false;

  constructor(private readonly store: Store) {}

  /**
   * Runs `go` now when the store has what the request needs, or once it has. Once nothing is
   * queued (every request after the first seconds) the path is not even looked at.
   */
  hold(method: string | undefined, path: string, go: () => void): void {
    if (this.stopped || this.store.applied(lazyCollections)) return go();
    const needs = needsOf(method, path);
    if (this.store.applied(needs)) go();
    else this.held.push({ needs, go });
  }

  /** The same as a promise (an inner request of a batch). */
  wait(method: string | undefined, path: string): Promise<void> {
    return new Promise((resolve) => this.hold(method, path, resolve));
  }

  /**
   * After a background slice: runs, in arrival order, the held requests whose collections are
   * now complete; all of them, and every later one, when `stopped` (loading stopped on an error:
   * each then meets it itself). Held requests were in flight together, so none was promised an
   * order against another.
   */
  release(stopped = false): void {
    if (stopped) this.stopped = true;
    if (this.held.length === 0) return;
    const now = this.held;
    this.held = [];
    for (const h of now) {
      if (this.stopped || this.store.applied(h.needs)) h.go();
      else this.held.push(h);
    }
  }
}
