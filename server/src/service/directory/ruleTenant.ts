/**
 * Rules that know the tenant: completion of the custom extension properties it has registered
 * (`user.extension_<appId>_<name>`), completion of the values it uses for common attributes, and a
 * warning for an extension property it has not registered. Works on a rule's text and offsets
 * (a `.rule` file, or a `membershipRule` string decoded with its offset map). Pure.
 */
import { parseTree, type Node } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CompletionItem, type Diagnostic } from 'vscode-languageserver-types';
import { tokenize, type Token } from '../rules/lexer';
import { customExtensionPattern } from '../rules/model';
import type { OffsetRange } from '../rules/ast';
import type { ServiceCompletion } from '../completionTypes';
import { identityMap, SOURCE, toCompletionItem, toRange, type OffsetMap } from '../convert';
import { decodeJsonString, decodedOffset, stringOffsetMap } from '../json/stringMap';
import { TenantCode } from './codes';
import { sampledAttributes, type RuleVocabulary } from './protocol';

/** One rule in a document: its decoded text and how its offsets map back to the document. */
export interface RuleInDocument {
  rule: string;
  map: OffsetMap;
  /** Document offsets of the rule (the literal's contents for a JSON string). */
  start: number;
  end: number;
  /** The rule offset of a document offset inside it. */
  at(documentOffset: number): number;
}

/** The rules of a document: the whole `.rule` file, or each `membershipRule` string of a policy. */
export function rulesInDocument(languageId: string, text: string): RuleInDocument[] {
  if (languageId === 'entra-rule') return [{ rule: text, map: identityMap, start: 0, end: text.length, at: (o) => o }];
  if (languageId !== 'entra-policy' || !text.includes('membershipRule')) return [];
  const out: RuleInDocument[] = [];
  const walk = (n: Node): void => {
    if (n.type === 'property' && n.children?.[0]?.value === 'membershipRule') {
      const v = n.children[1];
      if (v?.type === 'string') {
        const decoded = decodeJsonString(text, v.offset);
        out.push({
          rule: decoded.value,
          map: stringOffsetMap(decoded),
          start: v.offset + 1,
          end: v.offset + v.length - 1,
          at: (o) => decodedOffset(decoded, o),
        });
      }
      return;
    }
    for (const c of n.children ?? []) walk(c);
  };
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (root) walk(root);
  return out;
}

const PROPERTY_PREFIX = /^(user|device)\.([A-Za-z0-9_]*)$/i;

function targetOf(object: string): string {
  return object.toLowerCase() === 'device' ? 'Device' : 'User';
}

/** The tenant's items at `offset` of a rule (added to the language's own completion). */
export function tenantRuleCompletions(rule: string, offset: number, vocab: RuleVocabulary): ServiceCompletion[] {
  if (vocab.tenant === undefined || vocab.unreadable !== undefined) return [];
  const tokens = tokenize(rule.slice(0, offset)).filter((t) => t.kind !== 'eof');
  const last = tokens[tokens.length - 1];
  if (!last) return [];
  // user.ext|  → registered extension properties of users (device. → of devices)
  if (last.kind === 'word' && last.end === offset) {
    const m = PROPERTY_PREFIX.exec(last.text);
    if (!m) return [];
    let end = offset;
    while (end < rule.length && /[A-Za-z0-9_]/.test(rule[end]!)) end++;
    const object = m[1]!;
    // Like the language's own property items: the name after the dot.
    const range = { start: last.start + object.length + 1, end };
    return vocab.extensions
      .filter((e) => e.targetObjects.includes(targetOf(object)))
      .map((e) => ({
        label: e.name,
        kind: 'property' as const,
        insertText: e.name,
        range,
        detail: `${e.dataType} · custom extension${e.appDisplayName ? ` of ${e.appDisplayName}` : ''} in ${vocab.tenant}`,
        sortText: `~${e.name}`,
      }));
  }
  // user.department -eq "Sa|   or   user.department -eq |
  let valueRange: OffsetRange;
  let opIndex: number;
  if (last.kind === 'string' && last.end === offset && last.closed === false) {
    valueRange = { start: last.start, end: rule[offset] === '"' ? offset + 1 : offset };
    opIndex = tokens.length - 2;
  } else if (last.kind === 'operator' && last.end < offset) {
    valueRange = { start: offset, end: offset };
    opIndex = tokens.length - 1;
  } else return [];
  const op = tokens[opIndex];
  const operand = tokens[opIndex - 1];
  if (op?.kind !== 'operator' || operand?.kind !== 'word') return [];
  if (!['eq', 'ne', 'startswith', 'notstartswith', 'contains', 'notcontains'].includes(op.text.toLowerCase()))
    return [];
  const attr = sampledAttribute(operand);
  if (!attr) return [];
  return (vocab.values[attr] ?? []).map((v, i) => ({
    label: `"${v}"`,
    kind: 'value' as const,
    insertText: `"${v.replace(/"/g, '\\"')}"`,
    range: valueRange,
    detail: `used in ${vocab.tenant}`,
    sortText: `!${String(i).padStart(4, '0')}`,
  }));
}

function sampledAttribute(t: Token): string | undefined {
  const m = /^user\.([A-Za-z]+)$/i.exec(t.text);
  return m ? sampledAttributes.find((a) => a.toLowerCase() === m[1]!.toLowerCase()) : undefined;
}

export interface RuleFinding {
  range: OffsetRange;
  code: string;
  message: string;
}

/** Custom extension properties the rule names that the tenant has not registered. */
export function unregisteredExtensions(rule: string, vocab: RuleVocabulary): RuleFinding[] {
  if (vocab.tenant === undefined || vocab.unreadable !== undefined) return [];
  const known = new Set(vocab.extensions.map((e) => e.name.toLowerCase()));
  const out: RuleFinding[] = [];
  for (const t of tokenize(rule)) {
    if (t.kind !== 'word') continue;
    const m = /^(user|device)\.(extension_[A-Za-z0-9_]+)/i.exec(t.text);
    if (!m || !customExtensionPattern.test(m[2]!) || known.has(m[2]!.toLowerCase())) continue;
    const start = t.start + m[1]!.length + 1;
    out.push({
      range: { start, end: start + m[2]!.length },
      code: TenantCode.unregisteredExtension,
      message: `${m[2]} is not a custom extension property registered in ${vocab.tenant} (directoryObjects/getAvailableExtensionProperties); check the application id and the name.`,
    });
  }
  return out;
}

/** The T110 findings of every rule of a document, as LSP diagnostics. */
export function ruleTenantDiagnostics(doc: TextDocument, vocab: RuleVocabulary): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of rulesInDocument(doc.languageId, doc.getText()))
    for (const f of unregisteredExtensions(r.rule, vocab))
      out.push({
        range: toRange(doc, r.map.range(f.range)),
        severity: DiagnosticSeverity.Warning,
        code: f.code,
        source: SOURCE,
        message: f.message,
      });
  return out;
}

/** The tenant's completion items at a document offset, if it is inside a rule. */
export function ruleTenantCompletionItems(doc: TextDocument, offset: number, vocab: RuleVocabulary): CompletionItem[] {
  const r = rulesInDocument(doc.languageId, doc.getText()).find((x) => offset >= x.start && offset <= x.end);
  if (!r) return [];
  return tenantRuleCompletions(r.rule, r.at(offset), vocab).map((c) => toCompletionItem(doc, c, r.map));
}

/** Whether a document has a rule at all (so the vocabulary is worth asking for). */
export function hasRules(languageId: string, text: string): boolean {
  return languageId === 'entra-rule'
    ? text.trim() !== ''
    : languageId === 'entra-policy' && text.includes('membershipRule');
}
