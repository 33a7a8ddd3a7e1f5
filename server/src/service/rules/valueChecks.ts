/** Checks of the value side of a comparison against the property's type and the operator. */
import type { Comparison, Value } from './ast';
import { RuleCode } from './codes';
import type { OperatorInfo, PropertyInfo } from './model';
import type { Fix, Severity } from '../diagnostics';
import { suggest } from '../util/suggest';

type Add = (start: number, end: number, severity: Severity, code: string, message: string, fixes?: Fix[]) => void;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const DURATION = /^p(?!$)(\d+y)?(\d+m)?(\d+w)?(\d+d)?(t(?=\d)(\d+h)?(\d+m)?(\d+(\.\d+)?s)?)?$/i;

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

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
): void {
  const value = node.value;
  if (!value) return;
  if (value.kind === 'null') {
    if (op.name !== 'eq' && op.name !== 'ne' && node.operator) {
      add(
        node.operator.start,
        node.operator.end,
        'error',
        RuleCode.nullOperator,
        `null can only be compared with -eq or -ne, not -${op.name}.`,
      );
    }
    return;
  }
  if (op.takesArray) {
    checkList(value, op, inGroupScope, add);
    return;
  }
  if (value.kind === 'array') {
    add(
      value.start,
      value.end,
      'error',
      RuleCode.arrayNotAllowed,
      `-${op.name} compares with one value; a list is only accepted by -in and -notIn.`,
    );
    return;
  }
  checkQuotes(value, inGroupScope, add);
  switch (info.type) {
    case 'boolean':
      checkBoolean(value, info, add);
      return;
    case 'dateTime':
      checkDate(value, add);
      return;
    default:
      checkString(value, info, op, add);
  }
}

function checkList(value: Value, op: OperatorInfo, inGroupScope: boolean, add: Add): void {
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
    return;
  }
  for (const item of value.items) {
    if (item.kind === 'array') add(item.start, item.end, 'error', RuleCode.arrayNotAllowed, 'Lists cannot be nested.');
    else checkQuotes(item, inGroupScope, add);
  }
}

function checkQuotes(value: Value, inGroupScope: boolean, add: Add): void {
  if (value.kind !== 'string' || value.quote !== 'single' || inGroupScope || !value.closed) return;
  add(
    value.start,
    value.end,
    'warning',
    RuleCode.singleQuotedString,
    'Strings in rules are written in double quotes; single quotes are documented only for memberOf group ids.',
    [
      {
        title: 'Use double quotes',
        edits: [{ range: { start: value.start, end: value.end }, newText: quote(value.value) }],
        preferred: true,
      },
    ],
  );
}

function checkBoolean(value: Value, info: PropertyInfo, add: Add): void {
  if (value.kind === 'boolean') return;
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
    return;
  }
  add(value.start, value.end, 'error', RuleCode.valueType, `${info.name} is a boolean; compare it with true or false.`);
}

function checkDate(value: Value, add: Add): void {
  if (value.kind === 'now') {
    const d = value.offset?.duration;
    const text = d ? (d.kind === 'bare' ? d.text : d.value) : undefined;
    if (d && text !== undefined && !isDuration(text)) {
      add(
        d.start,
        d.end,
        'error',
        RuleCode.invalidDate,
        `'${text}' is not an ISO 8601 duration such as p30d or pt12h.`,
      );
    }
    return;
  }
  const text = value.kind === 'string' ? value.value.trim() : value.kind === 'bare' ? value.text : undefined;
  if (text === undefined || !DATE_TIME.test(text) || Number.isNaN(Date.parse(text))) {
    add(
      value.start,
      value.end,
      'error',
      RuleCode.invalidDate,
      'Expected a date-time such as 2020-06-10T18:13:20Z, or system.now -minus p30d.',
    );
  }
}

function checkString(value: Value, info: PropertyInfo, op: OperatorInfo, add: Add): void {
  if (value.kind === 'boolean' || value.kind === 'bare' || value.kind === 'now') {
    const raw = value.kind === 'boolean' ? String(value.value) : value.kind === 'bare' ? value.text : 'system.now';
    add(
      value.start,
      value.end,
      'warning',
      RuleCode.unquotedString,
      `${info.name} holds text; write the value in double quotes.`,
      [
        {
          title: `Write ${quote(raw)}`,
          edits: [{ range: { start: value.start, end: value.end }, newText: quote(raw) }],
          preferred: true,
        },
      ],
    );
    return;
  }
  if (value.kind !== 'string') return;
  if (value.value === 'null' && (op.name === 'eq' || op.name === 'ne')) {
    return add(
      value.start,
      value.end,
      'hint',
      RuleCode.nullAsString,
      '"null" in quotes is the text null; to test for a missing value write null without quotes.',
      [{ title: 'Write null', edits: [{ range: { start: value.start, end: value.end }, newText: 'null' }] }],
    );
  }
  if (op.takesRegex) checkRegex(value.value, value.start, value.end, add);
  else if (info.values && (op.name === 'eq' || op.name === 'ne'))
    checkEnum(value.value, value.start, value.end, info, add);
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

/** Constructs .NET accepts and JavaScript does not; a pattern using them is not called invalid. */
const DOTNET_ONLY = /\(\?[imnsx-]+\)|\(\?>|\(\?#|\\[AZzG]|\(\?[imnsx-]+:/;

function checkRegex(pattern: string, start: number, end: number, add: Add): void {
  try {
    new RegExp(pattern, 'i');
  } catch (e) {
    if (DOTNET_ONLY.test(pattern)) return;
    const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
    add(start, end, 'error', RuleCode.invalidRegex, `Invalid regular expression: ${reason}`);
  }
}
