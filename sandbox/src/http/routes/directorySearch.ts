/**
 * `$search` on users and groups as Graph v1.0 answers it: clauses `"property:term"` joined by
 * `OR`/`AND`, each term matching the start of a word of the property (words split on spaces,
 * punctuation and case changes, as Graph tokenises names), case-insensitive. Graph refuses
 * `$search` on directory objects without the header `ConsistencyLevel: eventual`; so does the sandbox.
 */
import { GraphError } from '../errors';
import type { Entity } from '../../store/store';

export interface SearchClause {
  property: string;
  term: string;
}

export type SearchExpr = { or: SearchClause[][] };

const bad = (message: string): GraphError => new GraphError(400, 'Request_UnsupportedQuery', message);

/** Parses `"a:b" OR "c:d" AND "e:f"` (AND binds tighter); properties must be in `allowed`. */
export function parseSearch(text: string, allowed: readonly string[]): SearchExpr {
  const re = /\s*(?:"([^"]*)"|(OR|AND)\b)\s*/giy;
  const or: SearchClause[][] = [[]];
  let expectClause = true;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (m = re.exec(text))) {
    at = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectClause) throw bad(`Syntax error in $search: join clauses with OR or AND (at '${m[0].trim()}').`);
      const colon = m[1].indexOf(':');
      if (colon <= 0) throw bad(`Invalid $search clause "${m[1]}": write "property:term".`);
      const property = m[1].slice(0, colon).trim();
      const name = allowed.find((p) => p.toLowerCase() === property.toLowerCase());
      if (!name) throw bad(`$search is not supported on the property '${property}'; use ${allowed.join(', ')}.`);
      or[or.length - 1]!.push({ property: name, term: m[1].slice(colon + 1).trim() });
      expectClause = false;
    } else {
      if (expectClause) throw bad(`Syntax error in $search: '${m[2]}' needs a clause on each side.`);
      if (m[2]!.toUpperCase() === 'OR') or.push([]);
      expectClause = true;
    }
  }
  if (at < text.length || expectClause) throw bad(`Syntax error in $search '${text}': write "property:term" clauses.`);
  return { or };
}

/** The words of a value: split on non-alphanumerics and lower-to-upper case changes. */
function words(value: string): string[] {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function clauseMatches(c: SearchClause, e: Entity): boolean {
  const v = e[c.property];
  if (typeof v !== 'string' || v === '') return false;
  const whole = v.toLowerCase();
  const term = c.term.toLowerCase();
  if (term === '' || whole.startsWith(term)) return true;
  const ws = words(v);
  return words(c.term).every((t) => ws.some((w) => w.startsWith(t)));
}

export function searchMatches(expr: SearchExpr, e: Entity): boolean {
  return expr.or.some((all) => all.every((c) => clauseMatches(c, e)));
}

/** Checks the header and narrows `items` to the matches; `items` unchanged when there is no `$search`. */
export function applySearch(
  search: string | undefined,
  headers: Record<string, string | string[] | undefined> | undefined,
  allowed: readonly string[],
  items: Iterable<Entity>,
): Iterable<Entity> {
  if (search === undefined) return items;
  const level = headers?.consistencylevel;
  if (String(level ?? '').toLowerCase() !== 'eventual')
    throw bad(
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  const expr = parseSearch(search, allowed);
  return (function* () {
    for (const e of items) if (searchMatches(expr, e)) yield e;
  })();
}
