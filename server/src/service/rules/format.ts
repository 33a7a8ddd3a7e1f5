/**
 * The canonical printer: one space between tokens, none inside parentheses and brackets, a space
 * after commas, operators with their hyphen in the documented casing, `user`/`device` lower-case
 * and properties in their documented casing. Strings keep their exact source text, so the result
 * means the same as the input. A rule with syntax errors is left alone.
 */
import { tokenize, type Token } from './lexer';
import { findOperator } from './model';
import { parseRule } from './parser';
import { resolvePath } from './resolve';
import { RuleCode } from './codes';
import type { PropertyPath } from './ast';

/** The formatted rule, or undefined when the rule has a syntax error (nothing to do safely). */
export function formatRule(text: string): string | undefined {
  const { diagnostics } = parseRule(text);
  if (diagnostics.some((d) => d.severity === 'error')) return undefined;
  const hyphenless = new Set(
    diagnostics.filter((d) => d.code === RuleCode.operatorWithoutHyphen).map((d) => d.range.start),
  );
  const tokens = tokenize(text).filter((t) => t.kind !== 'eof');
  let out = '';
  let prev: Token | undefined;
  for (const t of tokens) {
    if (prev && needsSpace(prev, t)) out += ' ';
    out += print(text, t, hyphenless.has(t.start));
    prev = t;
  }
  return out;
}

function needsSpace(prev: Token, t: Token): boolean {
  if (prev.kind === 'lparen' || prev.kind === 'lbracket') return false;
  if (t.kind === 'rparen' || t.kind === 'rbracket' || t.kind === 'comma') return false;
  return true;
}

function print(text: string, t: Token, operatorWord: boolean): string {
  const raw = text.slice(t.start, t.end);
  if (t.kind === 'operator') {
    const op = findOperator(t.text);
    return op ? `-${op.name}` : raw;
  }
  if (t.kind === 'word') {
    const op = operatorWord ? findOperator(t.text) : undefined;
    return op ? `-${op.name}` : printPath(t);
  }
  return raw;
}

function printPath(t: Token): string {
  const lower = t.text.toLowerCase();
  if (lower === 'true' || lower === 'false' || lower === 'null') return lower;
  if (lower === 'direct' || lower === 'reports' || lower === 'for')
    return lower === 'for' ? 'for' : lower === 'direct' ? 'Direct' : 'Reports';
  if (lower === 'system.now') return 'system.now';
  const dot = t.text.indexOf('.');
  if (dot < 0) return t.text;
  const path: PropertyPath = {
    kind: 'path',
    start: t.start,
    end: t.end,
    object: t.text.slice(0, dot),
    objectRange: { start: t.start, end: t.start + dot },
    property: t.text.slice(dot + 1),
  };
  const r = resolvePath(path);
  if (r.kind === 'property') return `${r.object}.${r.info.name}`;
  if (r.kind === 'item' && r.info.name !== '_') return `${path.object}.${r.info.name}`;
  return t.text;
}
