/**
 * The one resolved representation of a rule. The checker produces it while it checks (only for a
 * rule without errors), and every consumer reads it instead of walking the syntax tree again:
 * the evaluator (both back ends), the `$filter` translation and the preview's field selection.
 * Properties are resolved against the model, operators reduced to a positive kind plus a
 * negation, and values parsed once (lower-cased texts, date-times as instants, durations,
 * compiled linear-time patterns). A rule the checker accepts is therefore a rule every consumer
 * can read; whatever a consumer still refuses (the `$filter` translation has no `-match`) is a
 * limit of that consumer, given as a reason, never a second opinion on the rule.
 *
 * Chains of `-and`/`-or` are n-ary lists, so a rule of 100,000 clauses is a flat list rather
 * than a tree 100,000 levels deep; parentheses and `-not` nest at most as deep as the parser
 * allows (`R502`).
 */
import type { OffsetRange } from './ast';
import type { ObjectKind, PropertyInfo, PropertyType } from './model';
import type { PatternVerdict } from './regex';
import type { ItemKind } from './resolve';
import type { Duration } from '../util/iso8601';

/** What a test reads: a property of the object, the current item of `-any`/`-all`, or the manager. */
export type ResolvedProperty =
  | { of: 'object'; object: ObjectKind; info: PropertyInfo; range: OffsetRange }
  | { of: 'item'; item: ItemKind; info: PropertyInfo; range: OffsetRange };

/** The positive form of a comparison operator (`-ne` is `eq` negated, `-notIn` is `in` negated...). */
export type TestKind = 'eq' | 'startsWith' | 'endsWith' | 'contains' | 'match' | 'in' | 'le' | 'ge';

export type ResolvedValue =
  | { v: 'null' }
  /** A text compared with a string property; `lower` is lower-cased once. */
  | { v: 'text'; text: string; lower: string }
  | { v: 'list'; items: string[]; lower: string[] }
  | { v: 'bool'; b: boolean }
  | { v: 'date'; ms: number }
  /** `system.now`, shifted by a duration (`sign` -1 for `-minus`). */
  | { v: 'now'; sign: 1 | -1; duration: Duration }
  | { v: 'regex'; source: string; verdict: Extract<PatternVerdict, { kind: 'ok' | 'notLinear' }> };

export interface ResolvedTest extends OffsetRange {
  k: 'test';
  prop: ResolvedProperty;
  /** The property's type (for an item, the item property's type). */
  type: PropertyType;
  op: TestKind;
  /** `-ne`, `-notStartsWith`, ...: the negation of `op`. */
  neg: boolean;
  /** The operator as written in documented form (`-notIn`), for messages. */
  written: string;
  value: ResolvedValue;
  valueRange: OffsetRange;
}

export interface ResolvedQuantifier extends OffsetRange {
  k: 'quant';
  prop: Extract<ResolvedProperty, { of: 'object' }>;
  all: boolean;
  item: ItemKind;
  body: ResolvedNode;
  quantifierRange: OffsetRange;
}

export type ResolvedNode =
  | ({ k: 'and' | 'or'; items: ResolvedNode[] } & OffsetRange)
  | ({ k: 'not'; a: ResolvedNode } & OffsetRange)
  | ResolvedTest
  | ResolvedQuantifier
  /** `Direct Reports for "<id>"`: `managerId` lower-cased. */
  | ({ k: 'directReports'; managerId: string } & OffsetRange);

export interface ResolvedRule {
  text: string;
  object: ObjectKind;
  root: ResolvedNode;
}

/** Calls `f` on every node, parents first, without recursion. */
export function forEachNode(root: ResolvedNode, f: (n: ResolvedNode) => void): void {
  const stack: ResolvedNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as ResolvedNode;
    f(n);
    switch (n.k) {
      case 'and':
      case 'or':
        for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i] as ResolvedNode);
        break;
      case 'not':
        stack.push(n.a);
        break;
      case 'quant':
        stack.push(n.body);
        break;
      default:
        break;
    }
  }
}
