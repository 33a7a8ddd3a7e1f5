/**
 * Recursive-descent parser for membership rules with error recovery: it always returns a tree,
 * reports each syntax problem once as a diagnostic, and resynchronises so that one mistake does
 * not hide the next. Precedence, loosest first: `-or`, `-and`, `-not`, comparisons.
 */
import type {
  ArrayValue,
  Comparison,
  DirectReportsRule,
  ErrorNode,
  Expression,
  OperatorToken,
  PropertyPath,
  RuleAst,
  StringValue,
  Value,
} from './ast';
import { RuleCode } from './codes';
import { cStyleReplacements, tokenize, type Token } from './lexer';
import { findOperator } from './model';
import type { ServiceDiagnostic } from '../diagnostics';

export interface ParseResult {
  ast: RuleAst;
  diagnostics: ServiceDiagnostic[];
}

/** Nesting deeper than this is reported rather than followed, so no input can exhaust the stack. */
const MAX_DEPTH = 200;

export function parseRule(text: string): ParseResult {
  return new Parser(text).parse();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;
  /** The nesting limit was hit: the rest of the text is skipped, and reported once (R502). */
  private tooDeep = false;
  readonly diagnostics: ServiceDiagnostic[] = [];

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): ParseResult {
    const ast: RuleAst = { text: this.text };
    if (this.peek().kind === 'eof') {
      return { ast, diagnostics: this.diagnostics };
    }
    ast.root = this.tryDirectReports() ?? this.parseTop();
    return { ast, diagnostics: this.diagnostics };
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private report(start: number, end: number, code: string, message: string, fixes?: ServiceDiagnostic['fixes']): void {
    const d: ServiceDiagnostic = { range: { start, end }, severity: 'error', code, message };
    if (fixes) d.fixes = fixes;
    this.diagnostics.push(d);
  }

  private tryDirectReports(): DirectReportsRule | undefined {
    const [a, b, c] = [this.peek(), this.peek(1), this.peek(2)];
    if (!isWord(a, 'direct') || !isWord(b, 'reports')) return undefined;
    this.pos += 2;
    const node: DirectReportsRule = { kind: 'directReports', start: a.start, end: b.end };
    if (!isWord(c, 'for')) {
      this.report(
        b.end,
        b.end,
        RuleCode.unexpectedToken,
        'Expected `for` and the manager\'s object id: Direct Reports for "<id>".',
      );
      return this.finishDirectReports(node);
    }
    this.next();
    node.end = c.end;
    const id = this.peek();
    if (id.kind === 'string') {
      node.managerId = this.stringValue(this.next());
      node.end = id.end;
    } else {
      this.report(c.end, c.end, RuleCode.missingValue, "Expected the manager's object id in double quotes.");
    }
    return this.finishDirectReports(node);
  }

  private finishDirectReports(node: DirectReportsRule): DirectReportsRule {
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      this.report(
        rest.start,
        this.text.length,
        RuleCode.directReportsCombined,
        'A Direct Reports rule cannot be combined with other conditions; it must be the whole rule.',
      );
    }
    return node;
  }

  /** The whole rule: an expression, then anything left over reported and still parsed. */
  private parseTop(): Expression {
    let root = this.parseOr();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return root;
      if (t.kind === 'rparen') {
        this.next();
        this.report(t.start, t.end, RuleCode.unmatchedCloseParen, 'This closing parenthesis has no opening one.', [
          {
            title: 'Remove the unmatched parenthesis',
            edits: [{ range: { start: t.start, end: t.end }, newText: '' }],
            preferred: true,
          },
        ]);
        continue;
      }
      if (this.startsExpression(t)) {
        this.report(
          t.start,
          t.end,
          RuleCode.trailingText,
          'Unexpected text after a complete condition; join conditions with -and or -or.',
          [
            { title: 'Insert -and', edits: [{ range: { start: t.start, end: t.start }, newText: '-and ' }] },
            { title: 'Insert -or', edits: [{ range: { start: t.start, end: t.start }, newText: '-or ' }] },
          ],
        );
        const extra = this.parseOr();
        root = {
          kind: 'binary',
          op: 'and',
          opRange: { start: t.start, end: t.start },
          left: root,
          right: extra,
          start: root.start,
          end: extra.end,
        };
        continue;
      }
      this.next();
      this.reportStray(t, 'Unexpected text after the end of the rule.');
    }
  }

  private startsExpression(t: Token): boolean {
    return t.kind === 'word' || t.kind === 'lparen' || (t.kind === 'operator' && t.text.toLowerCase() === 'not');
  }

  /** Reports a token that cannot stand where it is (with a C-style or smart-quote hint when it is one). */
  private reportStray(t: Token, message: string): void {
    if (t.kind === 'invalid') {
      this.report(t.start, t.end, RuleCode.invalidCharacter, `Unexpected character '${t.text}'.`);
    } else if (t.kind === 'cop') {
      this.reportCStyle(t);
    } else {
      this.report(t.start, t.end, RuleCode.trailingText, message);
    }
  }

  private reportCStyle(t: Token): void {
    const replacement = cStyleReplacements[t.text] ?? '-eq';
    this.report(
      t.start,
      t.end,
      RuleCode.cStyleOperator,
      `'${t.text}' is not an operator of the rule language; use ${replacement}.`,
      [
        {
          title: `Replace '${t.text}' with ${replacement}`,
          edits: [{ range: { start: t.start, end: t.end }, newText: replacement }],
          preferred: true,
        },
      ],
    );
  }

  /** Accepts `-or`, and the mistaken `||` and `or` (with a diagnostic), as the given connective. */
  private acceptConnective(name: 'and' | 'or'): Token | undefined {
    const t = this.peek();
    const c = name === 'and' ? ['&&', '&'] : ['||', '|'];
    if (t.kind === 'operator' && t.text.toLowerCase() === name) return this.next();
    if (t.kind === 'cop' && c.includes(t.text)) {
      this.reportCStyle(t);
      return this.next();
    }
    if (t.kind === 'word' && t.text.toLowerCase() === name) {
      this.reportNoHyphen(t);
      return this.next();
    }
    return undefined;
  }

  private reportNoHyphen(t: Token): void {
    this.diagnostics.push({
      range: { start: t.start, end: t.end },
      severity: 'information',
      code: RuleCode.operatorWithoutHyphen,
      message: `Operator '${t.text}' written without its hyphen; the documented form is -${t.text}.`,
      fixes: [
        {
          title: `Write -${t.text}`,
          edits: [{ range: { start: t.start, end: t.start }, newText: '-' }],
          preferred: true,
        },
      ],
    });
  }

  private parseOr(): Expression {
    return this.parseBinary('or', () => this.parseAnd());
  }

  private parseAnd(): Expression {
    return this.parseBinary('and', () => this.parseNot());
  }

  private parseBinary(op: 'and' | 'or', operand: () => Expression): Expression {
    let left = operand();
    for (;;) {
      const t = this.acceptConnective(op);
      if (!t) return left;
      const right = operand();
      left = {
        kind: 'binary',
        op,
        opRange: { start: t.start, end: t.end },
        left,
        right,
        start: left.start,
        end: Math.max(right.end, t.end),
      };
    }
  }

  private parseNot(): Expression {
    const t = this.peek();
    const isNot =
      (t.kind === 'operator' && t.text.toLowerCase() === 'not') ||
      (t.kind === 'cop' && t.text === '!') ||
      (t.kind === 'word' && t.text.toLowerCase() === 'not' && this.peek(1).kind === 'lparen');
    if (!isNot) return this.parsePrimary();
    this.next();
    if (t.kind === 'cop') this.reportCStyle(t);
    if (t.kind === 'word') this.reportNoHyphen(t);
    const operand = this.nested(() => this.parseNot());
    return {
      kind: 'not',
      opRange: { start: t.start, end: t.end },
      operand,
      start: t.start,
      end: Math.max(operand.end, t.end),
    };
  }

  private nested(f: () => Expression): Expression {
    if (this.depth >= MAX_DEPTH) {
      const t = this.peek();
      this.report(
        t.start,
        this.text.length,
        RuleCode.nestingTooDeep,
        `The rule nests parentheses, -not or -any/-all more than ${MAX_DEPTH} levels deep; flatten it (a chain of -or or -and needs no parentheses).`,
      );
      this.pos = this.tokens.length - 1;
      this.tooDeep = true;
      return { kind: 'error', start: t.start, end: this.text.length };
    }
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private parsePrimary(): Expression {
    const t = this.peek();
    switch (t.kind) {
      case 'lparen':
        return this.parseParen();
      case 'word':
        return this.parseComparison();
      case 'eof':
      case 'rparen':
        return this.missingOperand(t);
      case 'operator': {
        const lower = t.text.toLowerCase();
        if (lower === 'and' || lower === 'or') return this.missingOperand(t);
        this.next();
        this.report(
          t.start,
          t.end,
          RuleCode.missingProperty,
          `Expected a property such as user.department before -${t.text}.`,
        );
        return this.skipValueAfterStray(t);
      }
      default:
        this.next();
        if (t.kind === 'string' || t.kind === 'number') {
          this.report(
            t.start,
            t.end,
            RuleCode.unexpectedToken,
            'Expected a condition such as user.department -eq "Sales", not a value.',
          );
        } else {
          this.reportStray(t, 'Expected a condition such as user.department -eq "Sales".');
        }
        return { kind: 'error', start: t.start, end: t.end };
    }
  }

  /** After a stray comparison operator, swallow its value so it is not reported twice. */
  private skipValueAfterStray(op: Token): ErrorNode {
    const v = this.parseValueIfAny();
    return { kind: 'error', start: op.start, end: v?.end ?? op.end };
  }

  private missingOperand(t: Token): ErrorNode {
    const prev = this.pos > 0 ? (this.tokens[this.pos - 1] as Token) : undefined;
    const at = prev ? prev.end : t.start;
    const message =
      prev?.kind === 'operator'
        ? `Expected a condition after -${prev.text}.`
        : 'Expected a condition such as user.department -eq "Sales".';
    this.report(prev ? prev.start : at, prev ? prev.end : Math.max(at, t.end), RuleCode.missingOperand, message);
    return { kind: 'error', start: at, end: at };
  }

  private parseParen(): Expression {
    const open = this.next();
    const inner = this.nested(() => this.parseOr());
    const close = this.peek();
    if (close.kind === 'rparen') {
      this.next();
      return { kind: 'paren', inner, closed: true, start: open.start, end: close.end };
    }
    const at = Math.max(inner.end, open.end);
    if (this.tooDeep) return { kind: 'paren', inner, closed: false, start: open.start, end: at };
    this.report(open.start, open.end, RuleCode.missingCloseParen, 'This parenthesis is never closed.', [
      {
        title: 'Add the missing closing parenthesis',
        edits: [{ range: { start: at, end: at }, newText: ')' }],
        preferred: true,
      },
    ]);
    return { kind: 'paren', inner, closed: false, start: open.start, end: at };
  }

  private parsePath(t: Token): PropertyPath {
    const dot = t.text.indexOf('.');
    const path: PropertyPath = {
      kind: 'path',
      start: t.start,
      end: t.end,
      object: dot < 0 ? t.text : t.text.slice(0, dot),
      objectRange: { start: t.start, end: dot < 0 ? t.end : t.start + dot },
    };
    if (dot >= 0) {
      path.property = t.text.slice(dot + 1);
      path.propertyRange = { start: t.start + dot + 1, end: t.end };
    }
    return path;
  }

  private parseComparison(): Expression {
    const left = this.parsePath(this.next());
    const operator = this.parseOperator(left);
    if (!operator) {
      return { kind: 'comparison', left, start: left.start, end: left.end };
    }
    const lower = operator.name.toLowerCase();
    if (lower === 'any' || lower === 'all') {
      const body = this.parseItemCondition(operator);
      const node: Expression = {
        kind: 'quantified',
        left,
        quantifier: operator,
        start: left.start,
        end: body?.end ?? operator.end,
      };
      if (body) node.body = body;
      return node;
    }
    const node: Comparison = { kind: 'comparison', left, operator, start: left.start, end: operator.end };
    const value = this.parseValueIfAny();
    if (value) {
      node.value = value;
      node.end = value.end;
    } else {
      const after = this.peek();
      this.report(operator.start, operator.end, RuleCode.missingValue, `Expected a value after -${operator.name}.`);
      if (after.kind === 'cop' || after.kind === 'invalid') {
        this.next();
        this.reportStray(after, '');
      }
    }
    return node;
  }

  private parseOperator(left: PropertyPath): OperatorToken | undefined {
    const t = this.peek();
    if (t.kind === 'operator') {
      const lower = t.text.toLowerCase();
      if (lower === 'and' || lower === 'or') {
        this.report(
          left.start,
          left.end,
          RuleCode.missingOperator,
          `Expected an operator and a value after ${this.text.slice(left.start, left.end)}.`,
        );
        return undefined;
      }
      this.next();
      return { name: t.text, hyphen: true, start: t.start, end: t.end };
    }
    if (t.kind === 'cop') {
      this.next();
      this.reportCStyle(t);
      const name = (cStyleReplacements[t.text] ?? '-eq').slice(1);
      return { name, hyphen: true, start: t.start, end: t.end };
    }
    if (t.kind === 'word' && findOperator(t.text)?.kind !== undefined && findOperator(t.text)?.kind !== 'logical') {
      this.next();
      this.reportNoHyphen(t);
      return { name: t.text, hyphen: false, start: t.start, end: t.end };
    }
    this.report(
      left.start,
      left.end,
      RuleCode.missingOperator,
      `Expected an operator (such as -eq) after ${this.text.slice(left.start, left.end)}.`,
    );
    return undefined;
  }

  /** The condition after `-any`/`-all`: parenthesised, or a single comparison on the item. */
  private parseItemCondition(q: OperatorToken): Expression | undefined {
    const t = this.peek();
    if (t.kind === 'lparen' || t.kind === 'word' || (t.kind === 'operator' && t.text.toLowerCase() === 'not')) {
      return this.nested(() => this.parseNot());
    }
    this.report(
      q.start,
      q.end,
      RuleCode.missingItemCondition,
      `Expected a condition on each item after -${q.name}, such as (_ -startsWith "smtp:").`,
    );
    return undefined;
  }

  private parseValueIfAny(): Value | undefined {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        return this.stringValue(this.next());
      case 'number':
        this.next();
        return { kind: 'number', value: Number(t.text), raw: t.text, start: t.start, end: t.end };
      case 'lbracket':
        return this.parseArray();
      case 'word':
        return this.wordValue(this.next());
      default:
        return undefined;
    }
  }

  private wordValue(t: Token): Value {
    const lower = t.text.toLowerCase();
    if (lower === 'true' || lower === 'false')
      return { kind: 'boolean', value: lower === 'true', start: t.start, end: t.end };
    if (lower === 'null' || lower === '$null') return { kind: 'null', start: t.start, end: t.end };
    if (lower === 'system.now') {
      const op = this.peek();
      const sign =
        op.kind === 'operator'
          ? ({ plus: 1, minus: -1 } as const)[op.text.toLowerCase() as 'plus' | 'minus']
          : undefined;
      if (!sign) return { kind: 'now', start: t.start, end: t.end };
      this.next();
      const d = this.peek();
      if (d.kind === 'word' || d.kind === 'string') {
        this.next();
        const duration =
          d.kind === 'word'
            ? ({ kind: 'bare', text: d.text, start: d.start, end: d.end } as const)
            : this.stringValue(d);
        return { kind: 'now', offset: { sign, duration }, start: t.start, end: d.end };
      }
      this.report(op.start, op.end, RuleCode.missingValue, `Expected a duration such as p30d after -${op.text}.`);
      return { kind: 'now', offset: { sign }, start: t.start, end: op.end };
    }
    return { kind: 'bare', text: t.text, start: t.start, end: t.end };
  }

  private stringValue(t: Token): StringValue {
    if (!t.closed) {
      const close = t.quote === 'single' ? "'" : '"';
      this.report(t.start, t.end, RuleCode.unterminatedString, 'This string is never closed.', [
        {
          title: 'Add the missing closing quote',
          edits: [{ range: { start: t.end, end: t.end }, newText: close }],
          preferred: true,
        },
      ]);
    }
    if (t.quote === 'typographic') {
      const straight = `"${t.text.replace(/[`"]/g, '`$&')}"`;
      this.report(
        t.start,
        t.end,
        RuleCode.typographicQuote,
        'Typographic ("smart") quotes are not quotes in rules; use straight double quotes.',
        [
          {
            title: 'Use straight double quotes',
            edits: [{ range: { start: t.start, end: t.end }, newText: straight }],
            preferred: true,
          },
        ],
      );
    }
    return {
      kind: 'string',
      value: t.text,
      quote: t.quote ?? 'double',
      closed: t.closed ?? true,
      start: t.start,
      end: t.end,
    };
  }

  private listComma(t: Token, message: string): void {
    this.report(t.start, t.end, RuleCode.listSyntax, message, [
      { title: 'Remove the comma', edits: [{ range: { start: t.start, end: t.end }, newText: '' }], preferred: true },
    ]);
  }

  private parseArray(): ArrayValue {
    const open = this.next();
    const node: ArrayValue = { kind: 'array', items: [], closed: false, start: open.start, end: open.end };
    /** A comma was written since the last item (or the list has just opened: `[` counts as one). */
    let separated = true;
    let lastComma: Token | undefined;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'rbracket') {
        if (lastComma && separated && node.items.length > 0)
          this.listComma(lastComma, 'A list cannot end with a comma.');
        this.next();
        node.closed = true;
        node.end = t.end;
        return node;
      }
      if (t.kind === 'comma') {
        this.next();
        if (separated) this.listComma(t, 'An empty item in the list: two commas, or a comma before the first item.');
        separated = true;
        lastComma = t;
        node.end = t.end;
        continue;
      }
      const item = t.kind === 'lbracket' ? undefined : this.parseValueIfAny();
      if (!item) break;
      const previous = node.items[node.items.length - 1];
      if (!separated && previous) {
        this.report(previous.end, item.start, RuleCode.listSyntax, 'The items of a list are separated by commas.', [
          {
            title: 'Insert a comma',
            edits: [{ range: { start: previous.end, end: previous.end }, newText: ',' }],
            preferred: true,
          },
        ]);
      }
      separated = false;
      node.items.push(item);
      node.end = item.end;
    }
    this.report(open.start, open.end, RuleCode.unterminatedArray, 'This list is never closed with ].', [
      {
        title: 'Add the missing ]',
        edits: [{ range: { start: node.end, end: node.end }, newText: ']' }],
        preferred: true,
      },
    ]);
    return node;
  }
}

function isWord(t: Token, lower: string): boolean {
  return t.kind === 'word' && t.text.toLowerCase() === lower;
}
