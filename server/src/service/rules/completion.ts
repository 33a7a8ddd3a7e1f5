/**
 * Completion inside a rule, computed from the tokens before the cursor: objects and snippets
 * where a condition starts, properties after `user.`/`device.` (and item properties inside
 * -any/-all), operators valid for the property's type, values, and connectives.
 */
import { operatorsFor } from './checker';
import { tokenize, type Token } from './lexer';
import {
  assignedPlanProperties,
  comparisonOperators,
  findOperator,
  groupItemProperties,
  logicalOperators,
  propertiesOf,
  quantifiers,
  type ObjectKind,
  type PropertyInfo,
} from './model';
import { itemKindFor, itemVariable, resolvePath, type ItemKind } from './resolve';
import type { OffsetRange, PropertyPath } from './ast';
import type { ServiceCompletion } from '../completionTypes';
import type { RuleCheckOptions } from './checker';

interface Context {
  tokens: Token[];
  /** The word or operator being typed at the cursor, if any. */
  partial?: Token;
  range: OffsetRange;
  /** Item kind of the innermost -any/-all body around the cursor. */
  item?: ItemKind;
}

export function completeRule(text: string, offset: number, options: RuleCheckOptions = {}): ServiceCompletion[] {
  const ctx = context(text, offset);
  const partial = ctx.partial;
  if (partial?.kind === 'word' && partial.text.includes('.'))
    return propertyCompletions(text, partial, offset, options);
  const before = ctx.tokens[ctx.tokens.length - 1];
  if (partial?.kind === 'operator') {
    const path = before && isOperand(ctx.tokens, ctx.tokens.length - 1) ? pathOf(before) : undefined;
    return path ? operatorCompletions(path, ctx.range) : connectiveCompletions(ctx.range, true);
  }
  if (!before || before.kind === 'lparen' || isLogical(before)) {
    if (before?.kind === 'lparen' && isQuantifier(ctx.tokens[ctx.tokens.length - 2])) return itemStarts(ctx);
    return conditionStarts(ctx, options, !before);
  }
  if (before.kind === 'operator' && isQuantifier(before)) return quantifierBody(ctx);
  if (before.kind === 'word' && isOperand(ctx.tokens, ctx.tokens.length - 1)) {
    const path = pathOf(before);
    return path ? operatorCompletions(path, ctx.range) : [];
  }
  if (before.kind === 'operator' && findOperator(before.text)?.kind === 'comparison') {
    return valueCompletions(ctx, before);
  }
  if (before.kind === 'cop') return [];
  return connectiveCompletions(ctx.range, false);
}

function context(text: string, offset: number): Context {
  const tokens = tokenize(text.slice(0, offset)).filter((t) => t.kind !== 'eof');
  let partial: Token | undefined;
  const last = tokens[tokens.length - 1];
  let range: OffsetRange = { start: offset, end: offset };
  if (last && last.end === offset && (last.kind === 'word' || last.kind === 'operator')) {
    partial = tokens.pop();
    let end = offset;
    while (end < text.length && /[A-Za-z0-9_.$]/.test(text[end] as string)) end++;
    range = { start: last.start, end };
  }
  return { tokens, partial, range, item: enclosingItem(tokens) };
}

function enclosingItem(tokens: Token[]): ItemKind | undefined {
  const stack: (ItemKind | undefined)[] = [];
  tokens.forEach((t, i) => {
    if (t.kind === 'lparen') {
      const q = tokens[i - 1];
      const p = tokens[i - 2];
      stack.push(q && p && isQuantifier(q) ? itemFromPath(p) : undefined);
    } else if (t.kind === 'rparen') stack.pop();
  });
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]) return stack[i];
  const q = tokens[tokens.length - 1];
  const p = tokens[tokens.length - 2];
  return q && p && isQuantifier(q) ? itemFromPath(p) : undefined;
}

function itemFromPath(t: Token): ItemKind | undefined {
  const path = pathOf(t);
  const r = path ? resolvePath(path) : undefined;
  return r?.kind === 'property' ? itemKindFor(r.info) : undefined;
}

function pathOf(t: Token): PropertyPath | undefined {
  if (t.kind !== 'word') return undefined;
  const dot = t.text.indexOf('.');
  const path: PropertyPath = {
    kind: 'path',
    start: t.start,
    end: t.end,
    object: dot < 0 ? t.text : t.text.slice(0, dot),
    objectRange: { start: t.start, end: t.start + Math.max(dot, 0) },
  };
  if (dot >= 0) path.property = t.text.slice(dot + 1);
  return path;
}

/** A word is an operand (left side) when it does not follow a comparison operator. */
function isOperand(tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  if (!prev) return true;
  if (prev.kind === 'lparen') return true;
  if (prev.kind === 'operator') return isLogical(prev);
  return false;
}

function isLogical(t: Token): boolean {
  return t.kind === 'operator' && findOperator(t.text)?.kind === 'logical';
}

function isQuantifier(t: Token | undefined): boolean {
  return t?.kind === 'operator' && findOperator(t.text)?.kind === 'quantifier';
}

function propertyCompletions(
  text: string,
  partial: Token,
  offset: number,
  options: RuleCheckOptions,
): ServiceCompletion[] {
  const dot = partial.text.indexOf('.');
  const object = partial.text.slice(0, dot).toLowerCase();
  let end = offset;
  while (end < text.length && /[A-Za-z0-9_$]/.test(text[end] as string)) end++;
  const range = { start: partial.start + dot + 1, end };
  let table: readonly PropertyInfo[] = [];
  if (object === 'user' || object === 'device') {
    if (options.objectKind && options.objectKind !== object) return [];
    table = propertiesOf(object);
  } else if (object === 'assignedplan') table = assignedPlanProperties;
  else if (object === 'group') table = groupItemProperties;
  else if (object === 'system')
    return [{ label: 'now', kind: 'keyword', insertText: 'now', range, detail: 'the current date and time' }];
  return table.map((info) => ({
    label: info.name,
    kind: 'property',
    detail: typeLabel(info),
    documentation: propertyDoc(info, object),
    insertText: info.name,
    range,
    sortText: info.name.startsWith('extensionAttribute') ? `z${info.name.padStart(20, '0')}` : info.name,
  }));
}

export function typeLabel(info: PropertyInfo): string {
  const names: Record<PropertyInfo['type'], string> = {
    string: 'string',
    boolean: 'boolean',
    dateTime: 'date-time',
    stringCollection: 'string collection',
    planCollection: 'assignedPlan collection',
    memberOf: 'group collection',
  };
  return `${names[info.type]}${info.preview ? ' (preview)' : ''}`;
}

export function propertyDoc(info: PropertyInfo, object: string): string {
  const operators = operatorsFor(info).join(' ');
  const example = /^(user|device)$/.test(object) ? `${object}.${info.example}` : info.example;
  const values = info.values
    ? `\n\nValues: ${info.values.map((v) => `\`${v}\``).join(', ')}${info.nullable ? ', `null`' : ''}`
    : '';
  return `${info.description}${values}\n\nOperators: ${operators}\n\n\`\`\`entra-rule\n${example}\n\`\`\``;
}

function conditionStarts(ctx: Context, options: RuleCheckOptions, atStart: boolean): ServiceCompletion[] {
  if (ctx.item) return itemStarts(ctx);
  const objects: ObjectKind[] = options.objectKind ? [options.objectKind] : ['user', 'device'];
  const out: ServiceCompletion[] = objects.map((o) => ({
    label: `${o}.`,
    kind: 'variable',
    detail: `${o} property`,
    insertText: `${o}.`,
    range: ctx.range,
    retrigger: true,
    sortText: `0${o}`,
  }));
  out.push({
    label: '-not',
    kind: 'keyword',
    insertText: '-not (${1})',
    snippet: true,
    range: ctx.range,
    detail: 'negate a condition',
    documentation: logicalOperators[2]?.description ?? '',
    sortText: '1not',
  });
  if (!options.objectKind || options.objectKind === 'user') {
    out.push({
      label: 'user.proxyAddresses -any (_ ...)',
      kind: 'snippet',
      snippet: true,
      insertText: 'user.proxyAddresses -any (_ -startsWith "${1:smtp:}")',
      range: ctx.range,
      detail: 'test items of a string collection',
      sortText: '2any',
    });
    out.push({
      label: 'user.assignedPlans -any (assignedPlan ...)',
      kind: 'snippet',
      snippet: true,
      insertText:
        'user.assignedPlans -any (assignedPlan.servicePlanId -eq "${1:service plan id}" -and assignedPlan.capabilityStatus -eq "Enabled")',
      range: ctx.range,
      detail: 'users with an enabled service plan',
      sortText: '2plans',
    });
    out.push({
      label: 'all users',
      kind: 'snippet',
      insertText: 'user.objectId -ne null',
      range: ctx.range,
      detail: 'user.objectId -ne null',
      sortText: '3all',
    });
    if (atStart) {
      out.push({
        label: 'Direct Reports for "<manager id>"',
        kind: 'snippet',
        snippet: true,
        insertText: 'Direct Reports for "${1:manager object id}"',
        range: ctx.range,
        detail: 'the direct reports of a manager (a whole rule)',
        sortText: '3direct',
      });
    }
  }
  return out;
}

function itemStarts(ctx: Context): ServiceCompletion[] {
  const item = ctx.item ?? 'string';
  const name = itemVariable[item];
  if (item === 'string')
    return [
      { label: '_', kind: 'variable', insertText: '_ ', range: ctx.range, detail: 'the current item', retrigger: true },
    ];
  return [
    {
      label: `${name}.`,
      kind: 'variable',
      insertText: `${name}.`,
      range: ctx.range,
      detail: 'the current item',
      retrigger: true,
    },
  ];
}

function quantifierBody(ctx: Context): ServiceCompletion[] {
  const item = ctx.item ?? 'string';
  const [label, body] =
    item === 'string'
      ? ['(_ -eq "…")', '(_ -${1|eq,startsWith,contains,endsWith|} "${2}")']
      : item === 'plan'
        ? [
            '(assignedPlan.servicePlanId -eq "…")',
            '(assignedPlan.${1|servicePlanId,capabilityStatus,service|} -eq "${2}")',
          ]
        : ['(group.objectId -in ["…"])', '(group.objectId -in ["${1:group id}"])'];
  return [
    { label, kind: 'snippet', snippet: true, insertText: body, range: ctx.range, detail: 'condition on each item' },
  ];
}

function operatorCompletions(path: PropertyPath, range: OffsetRange): ServiceCompletion[] {
  const r = resolvePath(path);
  if (r.kind !== 'property' && r.kind !== 'item') return [];
  if (itemKindFor(r.info)) {
    return quantifiers.map((q) => ({
      label: `-${q.name}`,
      kind: 'operator',
      insertText: `-${q.name} `,
      range,
      documentation: q.description,
      retrigger: true,
    }));
  }
  const allowed = new Set(operatorsFor(r.info));
  return comparisonOperators
    .filter((o) => allowed.has(`-${o.name}`))
    .map((o, i) => ({
      label: `-${o.name}`,
      kind: 'operator',
      insertText: `-${o.name} `,
      range,
      documentation: o.description,
      sortText: String(i).padStart(2, '0'),
      retrigger: true,
    }));
}

function valueCompletions(ctx: Context, op: Token): ServiceCompletion[] {
  const operandToken = ctx.tokens[ctx.tokens.length - 2];
  const path = operandToken ? pathOf(operandToken) : undefined;
  const r = path ? resolvePath(path) : undefined;
  const info = r && (r.kind === 'property' || r.kind === 'item') ? r.info : undefined;
  const name = findOperator(op.text)?.name ?? '';
  const range = ctx.range;
  const out: ServiceCompletion[] = [];
  if (name === 'in' || name === 'notIn') {
    out.push({
      label: '["…"]',
      kind: 'snippet',
      snippet: true,
      insertText: '["${1}"]',
      range,
      detail: 'list of values',
    });
    return out;
  }
  if (info?.type === 'boolean') {
    for (const b of ['true', 'false']) out.push({ label: b, kind: 'value', insertText: b, range });
  } else if (info?.type === 'dateTime') {
    out.push({
      label: 'system.now -minus p30d',
      kind: 'snippet',
      snippet: true,
      insertText: 'system.now -${1|minus,plus|} p${2:30}d',
      range,
      detail: 'relative to today',
    });
  } else {
    for (const v of info?.values ?? []) out.push({ label: `"${v}"`, kind: 'enumMember', insertText: `"${v}"`, range });
    out.push({
      label: '""',
      kind: 'snippet',
      snippet: true,
      insertText: '"${1}"',
      range,
      detail: 'text value',
      sortText: 'y',
    });
  }
  if (name === 'eq' || name === 'ne')
    out.push({ label: 'null', kind: 'value', insertText: 'null', range, detail: 'no value', sortText: 'z' });
  return out;
}

function connectiveCompletions(range: OffsetRange, typingOperator: boolean): ServiceCompletion[] {
  const ops = logicalOperators.filter((o) => o.name !== 'not');
  return ops.map((o) => ({
    label: `-${o.name}`,
    kind: 'keyword',
    insertText: typingOperator ? `-${o.name}` : `-${o.name} `,
    range,
    documentation: o.description,
    retrigger: true,
  }));
}
