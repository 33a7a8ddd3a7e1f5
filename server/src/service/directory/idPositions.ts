/**
 * Where a payload names a tenant object, and which kind of object that place wants. The kind comes
 * from the property (`userId`, `groupId`, `accessPackage.id`, ...) and, where the object says what
 * it is, from the sibling `@odata.type` (a `singleUser` wants a user, a `groupMembers` a group).
 * Pure. Walks the tree validation already built (vscode-json-languageservice's AST) when given
 * one, else parses the text with jsonc-parser; offsets are in the text either way.
 */
import type { ASTNode } from 'vscode-json-languageservice';
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

/** The one shape both trees are read through. */
interface Tree<N> {
  type(n: N): string;
  children(n: N): readonly N[];
  parent(n: N): N | undefined;
  value(n: N): unknown;
  offset(n: N): number;
  length(n: N): number;
}

const jsonc: Tree<Node> = {
  type: (n) => n.type,
  children: (n) => n.children ?? [],
  parent: (n) => n.parent,
  value: (n) => n.value as unknown,
  offset: (n) => n.offset,
  length: (n) => n.length,
};

const ast: Tree<ASTNode> = {
  type: (n) => n.type,
  children: (n) =>
    n.type === 'object'
      ? n.properties
      : n.type === 'array'
        ? n.items
        : n.type === 'property'
          ? n.valueNode
            ? [n.keyNode, n.valueNode]
            : [n.keyNode]
          : [],
  parent: (n) => n.parent,
  value: (n) => (n.type === 'string' || n.type === 'number' || n.type === 'boolean' ? n.value : undefined),
  offset: (n) => n.offset,
  length: (n) => n.length,
};

function keyOf<N>(t: Tree<N>, prop: N | undefined): string | undefined {
  if (!prop || t.type(prop) !== 'property') return undefined;
  const k = t.children(prop)[0];
  return k ? String(t.value(k)) : undefined;
}

function odataKind<N>(t: Tree<N>, obj: N | undefined): DirectoryKind | undefined {
  if (!obj || t.type(obj) !== 'object') return undefined;
  for (const p of t.children(obj)) {
    if (keyOf(t, p) !== '@odata.type') continue;
    const v = t.children(p)[1];
    if (!v || t.type(v) !== 'string') return undefined;
    const name = String(t.value(v))
      .replace(/^#?microsoft\.graph\./i, '')
      .toLowerCase();
    return subjectTypes[name];
  }
  return undefined;
}

/** The id place of a string value node, if it is one. */
function placeOf<N>(t: Tree<N>, value: N): { kind: DirectoryKind; property: string } | undefined {
  const prop = t.parent(value);
  if (!prop || t.type(prop) !== 'property' || t.children(prop)[1] !== value) return undefined;
  const key = keyOf(t, prop)!;
  const obj = t.parent(prop);
  const keyed = idKeys[key];
  if (keyed) return { kind: odataKind(t, obj) ?? keyed, property: key };
  if (key === 'id' && obj) {
    const holder = keyOf(t, t.parent(obj));
    const ref = holder !== undefined ? refKeys[holder] : undefined;
    if (ref) return { kind: ref, property: `${holder}.id` };
  }
  return undefined;
}

function collect<N>(t: Tree<N>, root: N | undefined): IdPosition[] {
  const out: IdPosition[] = [];
  const walk = (n: N): void => {
    if (t.type(n) === 'string') {
      const v = String(t.value(n));
      if (!GUID.test(v)) return;
      const place = placeOf(t, n);
      if (place) out.push({ id: v.toLowerCase(), offset: t.offset(n), length: t.length(n), ...place });
      return;
    }
    for (const c of t.children(n)) walk(c);
  };
  if (root) walk(root);
  return out;
}

/** Every GUID-shaped id the document names, in document order; `root` is validation's tree when at hand. */
export function idPositions(text: string, root?: ASTNode): IdPosition[] {
  if (root) return collect(ast, root);
  return collect(jsonc, parseTree(text, [], { allowTrailingComma: true, disallowComments: false }));
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
  const place = placeOf(jsonc, node);
  if (!place) return undefined;
  const start = node.offset + 1;
  const closed = node.length >= 2 && text[node.offset + node.length - 1] === '"';
  const end = closed ? node.offset + node.length - 1 : node.offset + node.length;
  if (offset > end) return undefined;
  return { kind: place.kind, start, end, typed: text.slice(start, offset) };
}
