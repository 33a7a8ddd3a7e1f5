/**
 * Checks of the value side of a comparison against the property's type and the operator, and
 * the value's one resolved form (`ResolvedValue`). Whenever a check gives no resolved value it
 * has reported an error: that is how "no error" and "every consumer can read it" stay one thing.
 */
import type { Comparison, OffsetRange, Value } from './ast';
import { RuleCode } from './codes';
import type { OperatorInfo, PropertyInfo } from './model';
import { catastrophicReason, compilePattern } from './regex';
import type { ResolvedValue } from './resolved';
import { scalarText } from './values';
import type { Fix, Severity } from '../diagnostics';
import { isDuration, parseDateTime, parseDuration } from '../util/iso8601';
import { suggest } from '../util/suggest';

type Add = (start: number, end: number, severity: Severity, code: string, message: string, fixes?: Fix[]) => void;

export { isDuration };

/** Quotes a text as a rule string, escaping with backticks. */
export function quote(text: string): string {
  return `"${text.replace(/[`"]/g, '`$&')}"`;
}

export function checkValue(
  node: Comparison,
  info: PropertyInfo,
  op: OperatorInfo,
  inGroupScope: boolean,
  add: Add,
): ResolvedValue | undefined {
  const value = node.value;
  if (!value) return undefined;
  if (value.kind === 'null') {
    if (op.name !== 'eq' && op.name !== 'ne' && node.operator) {
      add(
        node.operator.start,
        node.operator.end,
        'error',
        RuleCode.nullOperator,
        `null can only be compared with -eq or -ne, not -${op.name}.`,
      );
      return undefined;
    }
    return { v: 'null' };
  }
  if (op.takesArray) return checkList(value, op, inGroupScope, add);
  if (value.kind === 'array') {
    add(
      value.start,
      value.end,
      'error',
      RuleCode.arrayNotAllowed,
      `-${op.name} compares with one value; a list is only accepted by -in and -notIn.`,
    );
    return undefined;
  }
  checkQuotes(value, inGroupScope, add);
  switch (info.type) {
    case 'boolean':
      return checkBoolean(value, info, add);
    case 'dateTime':
      return checkDate(value, add);
    default:
      return checkString(value, info, op, add);
  }
}

function checkList(value: Value, op: OperatorInfo, inGroupScope: boolean, add: Add): ResolvedValue | undefined {
  if (value.kind !== 'array') {
    add(
      value.start,
      value.end,
      'error',
      RuleCode.inNeedsArray,
      `-${op.name} takes a list in brackets, such as ["a", "b"].`,
      [
        {
          title: 'Put the value in brackets',
          edits: [
            { range: { start: value.start, end: value.start }, newText: '[' },
            { range: { start: value.end, end: value.end }, newText: ']' },
          ],
          preferred: true,
        },
      ],
    );
    return undefined;
  }
  const items: string[] = [];
  let ok = true;
  for (const item of value.items) {
    if (item.kind === 'array') {
      add(item.start, item.end, 'error', RuleCode.arrayNotAllowed, 'Lists cannot be nested.');
      ok = false;
      continue;
    }
    if (item.kind === 'bare') {
      unquoted(item.text, item, `The items of -${op.name} are text`, add);
      ok = false;
      continue;
    }
    const text = scalarText(item);
    if (text === undefined) {
      add(
        item.start,
        item.end,
        'error',
        RuleCode.invalidListItem,
        `The items of -${op.name} are strings such as "a"; ${item.kind === 'null' ? 'null' : 'this'} cannot be one.`,
      );
      ok = false;
      continue;
    }
    checkQuotes(item, inGroupScope, add);
    items.push(text);
  }
  return ok ? { v: 'list', items, lower: items.map((t) => t.toLowerCase()) } : undefined;
}

function checkQuotes(value: Value, inGroupScope: boolean, add: Add): void {
  if (value.kind !== 'string' || value.quote !== 'single' || inGroupScope || !value.closed) return;
  add(
    value.start,
    value.end,
    'hint',
    RuleCode.singleQuotedString,
    "Strings in rules are usually written in double quotes (single quotes appear in some of Microsoft's examples, and are accepted).",
    [
      {
        title: 'Use double quotes',
        edits: [{ range: { start: value.start, end: value.end }, newText: quote(value.value) }],
        preferred: true,
      },
    ],
  );
}

function checkBoolean(value: Value, info: PropertyInfo, add: Add): ResolvedValue | undefined {
  if (value.kind === 'boolean') return { v: 'bool', b: value.value };
  const text =
    value.kind === 'string' ? value.value.trim().toLowerCase() : value.kind === 'bare' ? value.text.toLowerCase() : '';
  if (value.kind === 'string' && (text === 'true' || text === 'false')) {
    add(
      value.start,
      value.end,
      'warning',
      RuleCode.valueType,
      `${info.name} is a boolean; write ${text} without quotes.`,
      [
        {
          title: `Write ${text}`,
          edits: [{ range: { start: value.start, end: value.end }, newText: text }],
          preferred: true,
        },
      ],
    );
    return { v: 'bool', b: text === 'true' };
  }
  const keyword = value.kind === 'bare' ? nearKeyword(value.text) : undefined;
  add(
    value.start,
    value.end,
    'error',
    RuleCode.valueType,
    keyword
      ? `${info.name} is a boolean; did you mean ${keyword}?`
      : `${info.name} is a boolean; compare it with true or false.`,
    keyword
      ? [
          {
            title: `Write ${keyword}`,
            edits: [{ range: { start: value.start, end: value.end }, newText: keyword }],
            preferred: true,
          },
        ]
      : undefined,
  );
  return undefined;
}

function checkDate(value: Value, add: Add): ResolvedValue | undefined {
  if (value.kind === 'now') {
    if (!value.offset) return { v: 'now', sign: 1, duration: { months: 0, ms: 0 } };
    const d = value.offset.duration;
    if (!d) {
      add(
        value.start,
        value.end,
        'error',
        RuleCode.invalidDate,
        'Expected a duration such as p30d after -plus/-minus.',
      );
      return undefined;
    }
    const text = d.kind === 'bare' ? d.text : d.value;
    const duration = parseDuration(text);
    if (!duration) {
      add(
        d.start,
        d.end,
        'error',
        RuleCode.invalidDate,
        `'${text}' is not an ISO 8601 duration such as p30d or pt12h.`,
      );
      return undefined;
    }
    return { v: 'now', sign: value.offset.sign, duration };
  }
  const text = value.kind === 'string' ? value.value : value.kind === 'bare' ? value.text : undefined;
  const ms = text === undefined ? undefined : parseDateTime(text);
  if (ms === undefined) {
    add(
      value.start,
      value.end,
      'error',
      RuleCode.invalidDate,
      text === undefined
        ? 'Expected a date-time such as 2020-06-10T18:13:20Z, or system.now -minus p30d.'
        : `'${text}' is not a date-time; write one such as 2020-06-10T18:13:20Z, or system.now -minus p30d.`,
    );
    return undefined;
  }
  return { v: 'date', ms };
}

function checkString(value: Value, info: PropertyInfo, op: OperatorInfo, add: Add): ResolvedValue | undefined {
  if (value.kind === 'now') {
    add(
      value.start,
      value.end,
      'error',
      RuleCode.valueType,
      `system.now is a date-time; ${info.name} holds text, so write the value in double quotes.`,
    );
    return undefined;
  }
  if (value.kind === 'boolean') {
    const raw = String(value.value);
    add(
      value.start,
      value.end,
      'warning',
      RuleCode.unquotedString,
      `${info.name} holds text; write "${raw}" in quotes.`,
      [
        {
          title: `Write ${quote(raw)}`,
          edits: [{ range: { start: value.start, end: value.end }, newText: quote(raw) }],
          preferred: true,
        },
      ],
    );
  }
  if (value.kind === 'bare') {
    unquoted(value.text, value, `${info.name} holds text`, add);
    return undefined;
  }
  const text = scalarText(value);
  if (text === undefined) {
    add(value.start, value.end, 'error', RuleCode.valueType, `${info.name} holds text; compare it with a string.`);
    return undefined;
  }
  if (value.kind === 'string' && value.value === 'null' && (op.name === 'eq' || op.name === 'ne')) {
    add(
      value.start,
      value.end,
      'hint',
      RuleCode.nullAsString,
      '"null" in quotes is the text null; to test for a missing value write null without quotes.',
      [{ title: 'Write null', edits: [{ range: { start: value.start, end: value.end }, newText: 'null' }] }],
    );
    return { v: 'text', text, lower: text.toLowerCase() };
  }
  if (op.takesRegex) return checkRegex(text, value.start, value.end, add);
  if (value.kind === 'string' && info.values && (op.name === 'eq' || op.name === 'ne'))
    checkEnum(value.value, value.start, value.end, info, add);
  return { v: 'text', text, lower: text.toLowerCase() };
}

/**
 * A bare word where a string is expected: "Double quotes are optional unless the value is a
 * string" (Microsoft's rule reference), so Entra rejects it. A misspelt keyword (`nul`, `ture`)
 * gets the keyword as its preferred fix, otherwise the quotes.
 */
function unquoted(text: string, at: OffsetRange, subject: string, add: Add): void {
  const keyword = nearKeyword(text);
  const quoted: Fix = {
    title: `Write ${quote(text)}`,
    edits: [{ range: { start: at.start, end: at.end }, newText: quote(text) }],
    preferred: keyword === undefined,
  };
  const fixes: Fix[] = keyword
    ? [
        {
          title: `Write ${keyword}`,
          edits: [{ range: { start: at.start, end: at.end }, newText: keyword }],
          preferred: true,
        },
        quoted,
      ]
    : [quoted];
  add(
    at.start,
    at.end,
    'error',
    RuleCode.unquotedString,
    keyword
      ? `'${text}' is not a value: did you mean ${keyword}? Text must be in double quotes.`
      : `${subject}; write the value in double quotes: ${quote(text)}.`,
    fixes,
  );
}

/** `null`, `true` or `false` when the word is one edit (or one swap of neighbours) away from it. */
export function nearKeyword(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  for (const k of ['null', 'true', 'false']) if (oneEditAway(w, k)) return k;
  return undefined;
}

function oneEditAway(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
    if (diff.length === 1) return true;
    const [i, j] = diff;
    return diff.length === 2 && j === (i as number) + 1 && a[i as number] === b[j] && a[j] === b[i as number];
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  for (let i = 0; i <= s.length; i++) if (l.slice(0, i) + l.slice(i + 1) === s) return true;
  return false;
}

function checkEnum(text: string, start: number, end: number, info: PropertyInfo, add: Add): void {
  const values = info.values ?? [];
  if (values.some((v) => v.toLowerCase() === text.toLowerCase())) return;
  const guess = suggest(text, values);
  const fixes: Fix[] = guess
    ? [{ title: `Change to "${guess}"`, edits: [{ range: { start, end }, newText: quote(guess) }], preferred: true }]
    : [];
  add(
    start,
    end,
    'warning',
    RuleCode.unknownEnumValue,
    `'${text}' is not a known value of ${info.name} (${values.join(', ')}${info.nullable ? ', or null' : ''}).`,
    fixes,
  );
}

function checkRegex(pattern: string, start: number, end: number, add: Add): ResolvedValue | undefined {
  const verdict = compilePattern(pattern);
  if (verdict.kind === 'invalid') {
    add(start, end, 'error', RuleCode.invalidRegex, verdict.reason);
    return undefined;
  }
  if (verdict.kind === 'notLinear') add(start, end, 'warning', RuleCode.regexNotEvaluated, verdict.reason);
  const risk = catastrophicReason(pattern);
  if (risk)
    add(
      start,
      end,
      'warning',
      RuleCode.catastrophicRegex,
      `This pattern can make a backtracking engine (Entra's) take exponential time: ${risk}. Rewrite it without the nested repetition, e.g. (a+)+ as a+.`,
    );
  return { v: 'regex', source: pattern, verdict };
}
