/**
 * Syntax tree of a dynamic membership rule. Every node carries the offsets of the text it covers
 * (`start` inclusive, `end` exclusive) in the rule string it was parsed from. The parser builds a
 * tree for any input; where text could not be understood it leaves an `ErrorNode`.
 */

export interface OffsetRange {
  start: number;
  end: number;
}

export type Expression =
  BinaryExpression | NotExpression | ParenExpression | Comparison | QuantifiedExpression | ErrorNode;

export interface BinaryExpression extends OffsetRange {
  kind: 'binary';
  /** `and` or `or`, whatever the case it was written in. */
  op: 'and' | 'or';
  opRange: OffsetRange;
  left: Expression;
  right: Expression;
}

export interface NotExpression extends OffsetRange {
  kind: 'not';
  opRange: OffsetRange;
  operand: Expression;
}

export interface ParenExpression extends OffsetRange {
  kind: 'paren';
  inner: Expression;
  /** False when the closing parenthesis is missing. */
  closed: boolean;
}

/** `object.property` as written: `user.department`, `_`, `assignedPlan.servicePlanId`. */
export interface PropertyPath extends OffsetRange {
  kind: 'path';
  /** The text before the first dot (`user`, `device`, `assignedPlan`, `group`, `system`, `_`). */
  object: string;
  objectRange: OffsetRange;
  /** The text after the dot; undefined for `_` and for a path written without a dot. */
  property?: string;
  propertyRange?: OffsetRange;
}

export interface OperatorToken extends OffsetRange {
  /** The operator's name without hyphen, as written (`eq`, `startsWith`, `EQ`). */
  name: string;
  /** True when it was written with the leading hyphen. */
  hyphen: boolean;
}

export interface Comparison extends OffsetRange {
  kind: 'comparison';
  left: PropertyPath;
  /** Missing when the text stops after the left side. */
  operator?: OperatorToken;
  /** Missing when the text stops after the operator. */
  value?: Value;
}

export interface QuantifiedExpression extends OffsetRange {
  kind: 'quantified';
  left: PropertyPath;
  quantifier: OperatorToken;
  /** The condition on each item; missing when the text stops after `-any`/`-all`. */
  body?: Expression;
}

export interface ErrorNode extends OffsetRange {
  kind: 'error';
}

export type Value =
  StringValue | BooleanValue | NullValue | NumberValue | ArrayValue | BareValue | SystemNowValue | ErrorValue;

export interface StringValue extends OffsetRange {
  kind: 'string';
  /** The decoded text (escapes resolved). */
  value: string;
  quote: 'double' | 'single' | 'typographic';
  /** False when the closing quote is missing. */
  closed: boolean;
}

export interface BooleanValue extends OffsetRange {
  kind: 'boolean';
  value: boolean;
}

export interface NullValue extends OffsetRange {
  kind: 'null';
}

export interface NumberValue extends OffsetRange {
  kind: 'number';
  value: number;
  raw: string;
}

export interface ArrayValue extends OffsetRange {
  kind: 'array';
  items: Value[];
  closed: boolean;
}

/** An unquoted word or date such as `Sales` or `2020-06-10T18:13:20Z` or `p1d`. */
export interface BareValue extends OffsetRange {
  kind: 'bare';
  text: string;
}

/** `system.now`, optionally with `-plus`/`-minus` and a duration. */
export interface SystemNowValue extends OffsetRange {
  kind: 'now';
  offset?: { sign: 1 | -1; duration?: BareValue | StringValue };
}

export interface ErrorValue extends OffsetRange {
  kind: 'errorValue';
}

/** `Direct Reports for "<manager id>"`: a rule of its own that cannot be combined. */
export interface DirectReportsRule extends OffsetRange {
  kind: 'directReports';
  managerId?: StringValue;
}

export interface RuleAst {
  text: string;
  /** The rule, or undefined for an empty (or blank) rule. */
  root?: Expression | DirectReportsRule;
}
