/** Hover inside a rule: a property's type, operators and example; an operator's meaning. */
import { tokenize } from './lexer';
import { findOperator } from './model';
import { itemVariable, resolvePath } from './resolve';
import { propertyDoc, typeLabel } from './completion';
import { cStyleReplacements } from './lexer';
import type { PropertyPath } from './ast';
import type { ServiceHover } from '../completionTypes';

export function hoverRule(text: string, offset: number): ServiceHover | undefined {
  const token = tokenize(text).find((t) => t.kind !== 'eof' && t.start <= offset && offset < t.end);
  if (!token) return undefined;
  const range = { start: token.start, end: token.end };
  if (token.kind === 'operator') {
    const op = findOperator(token.text);
    if (!op) return { contents: `\`${token.text}\` is not an operator of the rule language.`, range };
    return { contents: `**-${op.name}** (${op.kind} operator)\n\n${op.description}`, range };
  }
  if (token.kind === 'cop') {
    return {
      contents: `\`${token.text}\` is not a rule operator; write \`${cStyleReplacements[token.text] ?? '-eq'}\`.`,
      range,
    };
  }
  if (token.kind !== 'word') return undefined;
  const lower = token.text.toLowerCase();
  if (lower === 'system.now')
    return {
      contents:
        '**system.now**: the current date and time, for employeeHireDate comparisons; add or subtract a duration with `-plus`/`-minus` (e.g. `p30d`).',
      range,
    };
  if (lower === 'direct' || lower === 'reports')
    return {
      contents:
        '**Direct Reports for "<manager id>"**: every user whose manager is the given user. It must be the whole rule.',
      range,
    };
  return pathHover(token.text, token.start, range);
}

function pathHover(word: string, start: number, range: { start: number; end: number }): ServiceHover | undefined {
  const dot = word.indexOf('.');
  const path: PropertyPath = {
    kind: 'path',
    start,
    end: start + word.length,
    object: dot < 0 ? word : word.slice(0, dot),
    objectRange: { start, end: start + (dot < 0 ? word.length : dot) },
  };
  if (dot >= 0) path.property = word.slice(dot + 1);
  const r = resolvePath(path);
  if (r.kind === 'property') {
    return {
      contents: `**${r.object}.${r.info.name}**: ${typeLabel(r.info)}\n\n${propertyDoc(r.info, r.object)}`,
      range,
    };
  }
  if (r.kind === 'item') {
    const name = r.info.name === '_' ? '_' : `${itemVariable[r.item]}.${r.info.name}`;
    return { contents: `**${name}**: ${typeLabel(r.info)}, item of a collection\n\n${propertyDoc(r.info, '')}`, range };
  }
  return undefined;
}
