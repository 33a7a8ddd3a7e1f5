/**
 * Where a payload names a tenant object, and which kind of object that place wants. The kind comes
 * from the property (`userId`, `groupId`, `accessPackage.id`, ...) and, where the object says what
 * it is, from the sibling `@odata.type` (a `singleUser` wants a user, a `groupMembers` a group).
 * Pure: a jsonc-parser tree over the text, offsets in the text.
 */
import { findNodeAtOffset, parseTree, type Node } from 'jsonc-parser';
import type { DirectoryKind } from './protocol';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A string value at an id place: its decoded value and the offsets of the literal (quotes included). */
export interface IdPosition {
  id: string;
  offset: number;
  length: number;
  kind: DirectoryKind;
  /** The property that holds it, for messages (`userId`, `accessPackage.id`). */
  property: string;
}

/** Properties whose string value is an id of one kind. */
const idKeys: Record<string, DirectoryKind> = {
  userId: 'user',
  groupId: 'group',
  connectedOrganizationId: 'connectedOrganization',
  accessPackageId: 'accessPackage',
  catalogId: 'catalog',
  assignmentPolicyId: 'policy',
  targetId: 'user',
};

/** Properties whose object value names one object by its `id`. */
const refKeys: Record<string, DirectoryKind> = {
  accessPackage: 'accessPackage',
  catalog: 'catalog',
  assignmentPolicy: 'policy',
};

/** What a subject set of this `@odata.type` names. */
const subjectTypes: Record<string, DirectoryKind> = {
  singleuser: 'user',
  groupmembers: 'group',
  connectedorganizationmembers: 'connectedOrganization',
};

function odataKind(obj: Node | undefined): DirectoryKind | undefined {
  if (obj?.type !== 'object') return undefined;
  for (const p of obj.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k?.value === '@odata.type' && v?.type === 'string') {
      const name = String(v.value)
        .replace(/^#?microsoft\.graph\./i, '')
        .toLowerCase();
      return subjectTypes[name];
    }
  }
  return undefined;
}

/** The id place of a string value node, if it is one. */
function placeOf(value: Node): { kind: DirectoryKind; property: string } | undefined {
  const prop = value.parent;
  if (prop?.type !== 'property' || prop.children?.[1] !== value) return undefined;
  const key = String(prop.children[0]?.value ?? '');
  const obj = prop.parent;
  const keyed = idKeys[key];
  if (keyed) return { kind: odataKind(obj) ?? keyed, property: key };
  if (key === 'id') {
    const holder = obj?.parent;
    if (holder?.type === 'property') {
      const ref = refKeys[String(holder.children?.[0]?.value ?? '')];
      if (ref) return { kind: ref, property: `${String(holder.children?.[0]?.value)}.id` };
    }
  }
  return undefined;
}

/** Every GUID-shaped id the document names, in document order. */
export function idPositions(text: string): IdPosition[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const out: IdPosition[] = [];
  const walk = (n: Node): void => {
    if (n.type === 'string') {
      const place = placeOf(n);
      if (place && GUID.test(String(n.value)))
        out.push({ id: String(n.value).toLowerCase(), offset: n.offset, length: n.length, ...place });
      return;
    }
    for (const c of n.children ?? []) walk(c);
  };
  if (root) walk(root);
  return out;
}

/** The id under `offset`, if any. */
export function idAt(text: string, offset: number): IdPosition | undefined {
  return idPositions(text).find((p) => offset >= p.offset && offset <= p.offset + p.length);
}

/** The place being typed at `offset` when it is an id place: the kind, and the text typed so far. */
export interface IdCompletionContext {
  kind: DirectoryKind;
  /** Offsets of the string's contents (between the quotes; up to the end of the text if unclosed). */
  start: number;
  end: number;
  typed: string;
}

export function idCompletionContext(text: string, offset: number): IdCompletionContext | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset, true);
  if (node?.type !== 'string' || offset <= node.offset) return undefined;
  const place = placeOf(node);
  if (!place) return undefined;
  const start = node.offset + 1;
  const closed = node.length >= 2 && text[node.offset + node.length - 1] === '"';
  const end = closed ? node.offset + node.length - 1 : node.offset + node.length;
  if (offset > end) return undefined;
  return { kind: place.kind, start, end, typed: text.slice(start, offset) };
}
