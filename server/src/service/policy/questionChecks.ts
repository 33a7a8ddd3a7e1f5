/** Questions asked of requestors. */
import type { ASTNode } from 'vscode-json-languageservice';
import { PolicyCode as P } from './codes';
import type { CheckContext } from './context';
import { items, numberValue, odataType, property, stringValue, value } from './jsonNodes';

export function checkQuestions(questions: ASTNode | undefined, ctx: CheckContext): void {
  const seen = new Map<number, ASTNode>();
  for (const q of items(questions)) {
    const seqNode = value(q, 'sequence');
    const seq = numberValue(seqNode);
    if (seqNode && seq !== undefined) {
      if (seen.has(seq))
        ctx.report(
          seqNode,
          'error',
          P.duplicateSequence,
          `Another question already has sequence ${seq}; each question needs its own position.`,
        );
      else seen.set(seq, seqNode);
    }
    const type = odataType(q);
    if (type === 'accessPackageTextInputQuestion') checkRegex(value(q, 'regexPattern'), ctx);
    if (type === 'accessPackageMultipleChoiceQuestion') checkChoices(q, ctx);
  }
}

function checkRegex(node: ASTNode | undefined, ctx: CheckContext): void {
  const pattern = stringValue(node);
  if (!node || pattern === undefined || pattern === '') return;
  try {
    new RegExp(pattern);
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
    ctx.report(node, 'error', P.invalidQuestionRegex, `Invalid regular expression: ${reason}`);
  }
}

function checkChoices(q: ASTNode, ctx: CheckContext): void {
  const choices = items(value(q, 'choices'));
  if (choices.length === 0) {
    ctx.report(
      property(q, 'choices') ?? property(q, '@odata.type') ?? q,
      'error',
      P.choicesMissing,
      'A multiple-choice question needs at least one entry in "choices" (each with actualValue and text).',
    );
    return;
  }
  const values = new Set<string>();
  for (const c of choices) {
    const node = value(c, 'actualValue');
    const v = stringValue(node);
    if (!node || v === undefined) continue;
    if (values.has(v))
      ctx.report(
        node,
        'warning',
        P.duplicateChoiceValue,
        `Two choices have the actualValue "${v}"; answers could not tell them apart.`,
      );
    values.add(v);
  }
}
