/** What every policy check receives: the tree, the text, and a way to report. */
import type { ASTNode } from 'vscode-json-languageservice';
import type { Fix, ServiceDiagnostic, Severity } from '../diagnostics';
import { rangeOf } from './jsonNodes';

export interface CheckContext {
  text: string;
  report(node: ASTNode, severity: Severity, code: string, message: string, fixes?: Fix[]): void;
  /** Reports and marks the finding as replacing the schema's own message on the same range. */
  replaceSchema(node: ASTNode, severity: Severity, code: string, message: string, fixes?: Fix[]): void;
}

export interface CollectedDiagnostic extends ServiceDiagnostic {
  replacesSchema?: boolean;
}

export function createContext(text: string, out: CollectedDiagnostic[]): CheckContext {
  const push = (
    node: ASTNode,
    severity: Severity,
    code: string,
    message: string,
    fixes: Fix[] | undefined,
    replacesSchema: boolean,
  ) => {
    const d: CollectedDiagnostic = { range: rangeOf(node), severity, code, message };
    if (fixes && fixes.length > 0) d.fixes = fixes;
    if (replacesSchema) d.replacesSchema = true;
    out.push(d);
  };
  return {
    text,
    report: (node, severity, code, message, fixes) => push(node, severity, code, message, fixes, false),
    replaceSchema: (node, severity, code, message, fixes) => push(node, severity, code, message, fixes, true),
  };
}

/** A fix that replaces a node's text. */
export function replaceNode(node: ASTNode, title: string, newText: string, preferred = true): Fix {
  return { title, edits: [{ range: rangeOf(node), newText }], preferred };
}
