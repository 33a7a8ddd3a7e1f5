/**
 * The tenant-aware features as LSP values: id diagnostics, hover on an id, inlay hints with the
 * display name, and completion of ids by name. Pure: the directory comes in as data or as a
 * `DirectoryLookup` function (the server's bridge to the client, or the CLI's Graph look-up).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ASTNode } from 'vscode-json-languageservice';
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InlayHintKind,
  MarkupKind,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type InlayHint,
} from 'vscode-languageserver-types';
import { SOURCE } from '../convert';
import { checkIds } from './checks';
import { idAt, idCompletionContext, idPositions, type IdCompletionContext } from './idPositions';
import {
  kindNames,
  type DirectoryKind,
  type DirectoryLookup,
  type DirectoryObject,
  type LookupAnswer,
} from './protocol';

/** The command a hover links to: reveals the object in the tenant tree (client side). */
export const REVEAL_COMMAND = 'entitlements.revealDirectoryObject';

/** The id findings of a document; `root` is validation's parse tree of it, when at hand (no second parse). */
export async function idDiagnostics(doc: TextDocument, lookup: DirectoryLookup, root?: ASTNode): Promise<Diagnostic[]> {
  const findings = await checkIds(doc.getText(), lookup, root);
  return findings.map((f) => ({
    range: { start: doc.positionAt(f.offset), end: doc.positionAt(f.offset + f.length) },
    severity: f.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: f.code,
    source: SOURCE,
    message: f.message,
  }));
}

function describe(o: DirectoryObject, expected: DirectoryKind, tenant: string): string {
  const lines = [`**${o.displayName || '(no name)'}** — ${kindNames[o.kind]} in ${tenant}`];
  if (o.kind !== expected) lines.push(`⚠ a ${kindNames[expected]} is expected here`);
  if (o.userPrincipalName) lines.push(`UPN: \`${o.userPrincipalName}\``);
  if (o.mail && o.mail !== o.userPrincipalName) lines.push(`Mail: \`${o.mail}\``);
  if (o.catalog) lines.push(`Catalog: ${o.catalog.displayName}`);
  const arg = encodeURIComponent(JSON.stringify([{ id: o.id, kind: o.kind }]));
  lines.push(`[Reveal in Entitlements explorer](command:${REVEAL_COMMAND}?${arg})`);
  return lines.join('\n\n');
}

/** Hover on an id: what it names in the tenant, or that it names nothing there. */
export async function idHover(doc: TextDocument, offset: number, lookup: DirectoryLookup): Promise<Hover | null> {
  const at = idAt(doc.getText(), offset);
  if (!at) return null;
  const answer = await lookup([{ id: at.id, kinds: [at.kind] }]);
  if (answer.tenant === undefined) return null;
  const range = { start: doc.positionAt(at.offset), end: doc.positionAt(at.offset + at.length) };
  const o = answer.objects.find((x) => x.id.toLowerCase() === at.id);
  const value =
    answer.unreadable !== undefined
      ? `The directory of ${answer.tenant} could not be read (${answer.unreadable}).`
      : o
        ? describe(o, at.kind, answer.tenant)
        : `No ${kindNames[at.kind]} with this id in ${answer.tenant}.`;
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

/** One hint after each id the answer knows: its display name. */
export function idInlayHints(doc: TextDocument, answer: LookupAnswer, from = 0, to = Infinity): InlayHint[] {
  if (answer.tenant === undefined || answer.unreadable !== undefined) return [];
  const byId = new Map(answer.objects.map((o) => [o.id.toLowerCase(), o]));
  const hints: InlayHint[] = [];
  for (const p of idPositions(doc.getText())) {
    if (p.offset + p.length < from || p.offset > to) continue;
    const o = byId.get(p.id);
    if (!o) continue;
    hints.push({
      position: doc.positionAt(p.offset + p.length),
      label: o.displayName || kindNames[o.kind],
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `${kindNames[o.kind]}${o.userPrincipalName ? ` · ${o.userPrincipalName}` : ''}`,
    });
  }
  return hints;
}

/** Ids of the tenant named by lookups on the document: for inlay hints. */
export function documentIdQueries(doc: TextDocument) {
  const seen = new Map<string, DirectoryKind>();
  for (const p of idPositions(doc.getText())) if (!seen.has(p.id)) seen.set(p.id, p.kind);
  return [...seen].map(([id, kind]) => ({ id, kinds: [kind] }));
}

export function idCompletionAt(doc: TextDocument, offset: number): IdCompletionContext | undefined {
  return idCompletionContext(doc.getText(), offset);
}

/** Completion items for an id place: the label is the name, the inserted text the GUID. */
export function idCompletionItems(
  doc: TextDocument,
  ctx: IdCompletionContext,
  objects: readonly DirectoryObject[],
): CompletionItem[] {
  const range = { start: doc.positionAt(ctx.start), end: doc.positionAt(ctx.end) };
  return objects.map((o, i) => {
    const detail = [kindNames[o.kind], o.userPrincipalName ?? o.mail, o.catalog?.displayName]
      .filter(Boolean)
      .join(' · ');
    return {
      label: o.displayName || o.id,
      labelDetails: { description: o.id },
      kind: o.kind === 'user' || o.kind === 'group' ? CompletionItemKind.Reference : CompletionItemKind.Value,
      detail,
      // The client filters on this text: what was typed (part of a name, UPN or mail) matches it.
      filterText: `${ctx.typed} ${o.displayName} ${o.userPrincipalName ?? ''} ${o.mail ?? ''}`,
      sortText: String(i).padStart(4, '0'),
      textEdit: { range, newText: o.id },
    };
  });
}
