/**
 * Where a document holds a membership rule, for the "matches N of M users" CodeLens: the whole of a
 * `.rule` file, or each `membershipRule` string of a policy payload (decoded). Pure.
 */
import { parseTree, type Node } from 'jsonc-parser';

export interface RuleSite {
  /** Offset of the rule (a `.rule` file) or of its JSON string literal. */
  offset: number;
  rule: string;
}

export function ruleSites(languageId: string, text: string): RuleSite[] {
  if (languageId === 'entra-rule') {
    const rule = text.trim();
    return rule === '' ? [] : [{ offset: text.length - text.trimStart().length, rule }];
  }
  if (languageId !== 'entra-policy') return [];
  const root = parseTree(text, [], { allowTrailingComma: true });
  const out: RuleSite[] = [];
  const walk = (n: Node): void => {
    if (n.type === 'property' && n.children?.[0]?.value === 'membershipRule') {
      const v = n.children[1];
      if (v?.type === 'string' && String(v.value).trim() !== '') out.push({ offset: v.offset, rule: String(v.value) });
      return;
    }
    for (const c of n.children ?? []) walk(c);
  };
  if (root) walk(root);
  return out;
}
