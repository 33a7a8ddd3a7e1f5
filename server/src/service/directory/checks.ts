/**
 * The id findings of a document against the tenant's answer: unknown ids and ids of the wrong
 * kind are warnings naming the tenant; an unreadable directory is one information for the whole
 * document. Never an error: the tenant the file lands in may differ from the one looked at.
 */
import type { ASTNode } from 'vscode-json-languageservice';
import { TenantCode } from './codes';
import { idPositions, type IdPosition } from './idPositions';
import { kindNames, type DirectoryLookup, type DirectoryObject, type IdQuery, type LookupAnswer } from './protocol';

export interface IdFinding {
  offset: number;
  length: number;
  severity: 'warning' | 'information';
  code: string;
  message: string;
}

/** The distinct ids of `positions` as look-up queries (the kinds each place accepts). */
export function queriesOf(positions: readonly IdPosition[]): IdQuery[] {
  const byId = new Map<string, IdQuery>();
  for (const p of positions) {
    const q = byId.get(p.id);
    if (!q) byId.set(p.id, { id: p.id, kinds: [p.kind] });
    else if (!q.kinds.includes(p.kind)) q.kinds.push(p.kind);
  }
  return [...byId.values()];
}

export function objectsById(answer: LookupAnswer): Map<string, DirectoryObject> {
  return new Map(answer.objects.map((o) => [o.id.toLowerCase(), o]));
}

export function checkIdPositions(positions: readonly IdPosition[], answer: LookupAnswer): IdFinding[] {
  if (answer.tenant === undefined || positions.length === 0) return [];
  const tenant = answer.tenant;
  if (answer.unreadable !== undefined) {
    const first = positions[0]!;
    return [
      {
        offset: first.offset,
        length: first.length,
        severity: 'information',
        code: TenantCode.unreadable,
        message: `The ids in this document were not checked: the directory of ${tenant} could not be read (${answer.unreadable}).`,
      },
    ];
  }
  const found = objectsById(answer);
  const unchecked = new Set((answer.unchecked ?? []).map((i) => i.toLowerCase()));
  const out: IdFinding[] = [];
  for (const p of positions) {
    if (unchecked.has(p.id)) continue;
    const o = found.get(p.id);
    const at = { offset: p.offset, length: p.length, severity: 'warning' as const };
    if (!o)
      out.push({
        ...at,
        code: TenantCode.unknownId,
        message: `${p.property}: no ${kindNames[p.kind]} with id ${p.id} in ${tenant}.`,
      });
    else if (o.kind !== p.kind)
      out.push({
        ...at,
        code: TenantCode.wrongKind,
        message: `${p.property}: ${p.id} is the ${kindNames[o.kind]} "${o.displayName}" in ${tenant}, but a ${kindNames[p.kind]} is expected here.`,
      });
  }
  return out;
}

/**
 * Looks the document's ids up and checks them; a lookup that throws counts as an unreadable
 * directory. `root`: validation's parse tree of `text`, when at hand.
 */
export async function checkIds(text: string, lookup: DirectoryLookup, root?: ASTNode): Promise<IdFinding[]> {
  const positions = idPositions(text, root);
  if (positions.length === 0) return [];
  let answer: LookupAnswer;
  try {
    answer = await lookup(queriesOf(positions));
  } catch (e) {
    return checkIdPositions(positions, {
      tenant: 'the tenant',
      objects: [],
      unreadable: e instanceof Error ? e.message : String(e),
    });
  }
  return checkIdPositions(positions, answer);
}
