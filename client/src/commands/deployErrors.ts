/**
 * Where Graph's refusal of a deployed policy belongs in the document. Graph (and the sandbox)
 * name the property in an error detail's `target`, or at the start of its message
 * (`requestApprovalSettings.stages[0].durationBeforeAutomaticDenial: …`); the finding is placed
 * on that JSON node (the deepest one that exists), else on the first line. A finding the local
 * language service already reports at the same place (same code, or the same message) is not
 * repeated. Pure: offsets in, offsets out, so it is tested in plain Node.
 */
import { findNodeAtLocation, parseTree, type JSONPath, type Node } from 'jsonc-parser';

export interface GraphErrorLike {
  code: string;
  message: string;
  status: number;
  details: { code?: string; message?: string; target?: string }[];
}

export interface LocalFinding {
  start: number;
  end: number;
  code?: string | number;
  message: string;
}

export interface PlacedError {
  start: number;
  end: number;
  /** The JSON path the finding names, as written (`stages[0].x`), when there is one. */
  path?: string;
  code: string;
  message: string;
}

/** A leading `a.b[0].c: ` in a message (letters, digits, `@`, `.`, `[n]`). */
const leadingPath = /^((?:[A-Za-z_@][\w@.-]*)(?:\[\d+\])*(?:\.[A-Za-z_@][\w@.-]*(?:\[\d+\])*)*):\s+/;

/** `a.b[0].c` (or `a/b/0/c`) as a jsonc-parser path. */
export function parsePath(text: string): JSONPath {
  const out: JSONPath = [];
  for (const part of text.split(/[./]/)) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return out;
    if (m[1]) out.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The node at `path`, or at its longest prefix that exists; for a property, its key and value. */
function nodeFor(root: Node | undefined, path: JSONPath): Node | undefined {
  if (!root) return undefined;
  for (let n = path.length; n > 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) return node.parent?.type === 'property' ? node.parent : node;
  }
  return undefined;
}

function firstLine(text: string): { start: number; end: number } {
  const nl = text.search(/\r?\n/);
  return { start: 0, end: nl < 0 ? text.length : nl };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start <= b.end && b.start <= a.end;

export function placeGraphErrors(text: string, error: GraphErrorLike, local: readonly LocalFinding[]): PlacedError[] {
  const root = parseTree(text);
  const items = error.details.length > 0 ? error.details : [{ code: error.code, message: error.message }];
  const out: PlacedError[] = [];
  for (const d of items) {
    let message = d.message ?? error.message;
    let path = d.target;
    const m = leadingPath.exec(message);
    if (m && (!path || path === m[1])) {
      path = m[1];
      message = message.slice(m[0].length);
    }
    const node = path ? nodeFor(root, parsePath(path)) : undefined;
    const range = node ? { start: node.offset, end: node.offset + node.length } : firstLine(text);
    const code = d.code ?? error.code;
    const same = local.some(
      (l) =>
        overlaps(l, range) &&
        ((l.code !== undefined && String(l.code) === code) || l.message.trim() === message.trim()),
    );
    if (same) continue;
    out.push({ ...range, path, code, message: `${message} (Graph: ${code}, HTTP ${error.status})` });
  }
  return out;
}
