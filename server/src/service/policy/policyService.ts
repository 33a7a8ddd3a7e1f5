/**
 * Policy payloads (`entra-policy`): structure from vscode-json-languageservice over our schemas
 * (validation, completion, hover, formatting, folding, outline, selection ranges), domain checks
 * from `checks.ts`, and the whole rule language inside `membershipRule` strings, with offsets
 * mapped exactly through JSON escapes.
 */
import {
  getLanguageService as getJsonLanguageService,
  type ASTNode,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type FormattingOptions,
  type Hover,
  type JSONDocument,
  type LanguageService as JsonLanguageService,
  type SelectionRange,
  type StringASTNode,
  type TextEdit,
} from 'vscode-json-languageservice';
import type { Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkRule } from '../rules/checker';
import { completeRule } from '../rules/completion';
import { hoverRule } from '../rules/hover';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { SOURCE, toCompletionItem, toDiagnostic, toHover } from '../convert';
import { formatJsonDocument } from '../json/format';
import '../json/linearProblems';
import { decodeJsonString, decodedOffset, stringOffsetMap } from '../json/stringMap';
import { betaNames } from './betaNames';
import { checkPolicy, checkRequest, membershipRules, policiesOf } from './checks';
import { PolicyCode } from './codes';
import { createContext, type CollectedDiagnostic } from './context';
import { payloadKindOf, resolveRelativePath, rootSchemaOf, schemaRequestService, type PayloadKind } from './schemas';

/** Outline entries and folding ranges per document, as VS Code's own JSON support limits them. */
export const MAX_OUTLINE_ENTRIES = 5000;

/** Positions per selection-range request (one per cursor in an editor). */
export const MAX_SELECTION_POSITIONS = 1000;

/** What an empty document is missing, by payload kind. */
const emptyMessages: Record<PayloadKind, string> = {
  policy:
    'This document is empty; an assignment policy payload is a JSON object such as {"displayName": "…", "accessPackage": {"id": "…"}}.',
  accessPackage:
    'This document is empty; an access package payload is a JSON object such as {"displayName": "…", "catalog": {"id": "…"}}.',
  catalog:
    'This document is empty; a catalog payload is a JSON object such as {"displayName": "…", "description": "…", "isExternallyVisible": false}.',
  request:
    'This document is empty; an assignment request payload is a JSON object such as {"requestType": "adminAdd", "assignment": {…}}.',
};

/** An empty (or whitespace-only) document passes the JSON service silently; Graph refuses it. */
function emptyDocument(doc: TextDocument): Diagnostic | undefined {
  if (doc.getText().trim() !== '') return undefined;
  return {
    range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) },
    severity: DiagnosticSeverity.Error,
    code: PolicyCode.emptyDocument,
    source: SOURCE,
    message: emptyMessages[payloadKindOf(doc.uri)],
  };
}

/** Every string node (keys and values) by its offset, walking the tree without recursion. */
function stringNodesByOffset(root: ASTNode | undefined): Map<number, StringASTNode> {
  const out = new Map<number, StringASTNode>();
  const stack: ASTNode[] = root ? [root] : [];
  for (let node = stack.pop(); node; node = stack.pop()) {
    // One push per child: spreading 100k children as arguments overflows the stack.
    if (node.type === 'string') out.set(node.offset, node);
    else if (node.type === 'object') for (const p of node.properties) stack.push(p);
    else if (node.type === 'property') {
      stack.push(node.keyNode);
      if (node.valueNode) stack.push(node.valueNode);
    } else if (node.type === 'array') for (const item of node.items) stack.push(item);
  }
  return out;
}

/**
 * The JSON service's completion and hover collect the schemas matching the cursor with
 * `Array.prototype.push.apply`, which overflows the stack beyond ~100k siblings (an array of 300k
 * items): such a document gets no completion or hover rather than an exception.
 */
async function withinLimits<T, F>(f: () => Thenable<T> | T, fallback: F): Promise<T | F> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof RangeError) return fallback;
    throw err;
  }
}

export interface PolicySettings {
  casingHints: boolean;
  /** The access package comes from the file's folder (policy as code): no P702 for a missing one. */
  accessPackageFromFolder?: boolean;
}

/** The document as the JSON service sees it: the same text under a URI that selects its schema. */
function asKind(doc: TextDocument, kind: PayloadKind): TextDocument {
  // Inherits everything from the real document (no copy of the text); only the URI differs.
  return Object.create(doc, {
    uri: { value: `entitlements://document/${kind}` },
    languageId: { value: 'json' },
  }) as TextDocument;
}

interface Parsed {
  version: number;
  view: TextDocument;
  tree: JSONDocument;
  kind: PayloadKind;
}

export class PolicyService {
  private readonly json: JsonLanguageService;

  constructor() {
    this.json = getJsonLanguageService({ schemaRequestService, workspaceContext: { resolveRelativePath } });
    this.json.configure({
      validate: true,
      allowComments: false,
      schemas: (Object.keys(rootSchemaOf) as PayloadKind[]).map((kind) => ({
        uri: rootSchemaOf[kind],
        fileMatch: [`entitlements://document/${kind}`],
      })),
    });
  }

  /**
   * The parsed document, kept per document object and version: validation and the completion,
   * hover and outline requests that follow an edit share one parse. Keyed by the object (the
   * server updates it in place), so two documents under one URI never share a tree.
   */
  private readonly parsed = new WeakMap<TextDocument, Parsed>();

  private parse(doc: TextDocument): Parsed {
    const cached = this.parsed.get(doc);
    if (cached?.version === doc.version) return cached;
    const kind = payloadKindOf(doc.uri);
    const view = asKind(doc, kind);
    const fresh: Parsed = { version: doc.version, view, tree: this.json.parseJSONDocument(view), kind };
    this.parsed.set(doc, fresh);
    return fresh;
  }

  /** The root of the document's parse tree (shared with validation: no second parse). */
  root(doc: TextDocument): ASTNode | undefined {
    return this.parse(doc).tree.root;
  }

  async validate(doc: TextDocument, settings: PolicySettings): Promise<Diagnostic[]> {
    const empty = emptyDocument(doc);
    if (empty) return [empty];
    const { view, tree, kind } = this.parse(doc);
    const schemaFindings = await this.json.doValidation(view, tree, {
      schemaValidation: 'error',
      comments: 'error',
      trailingCommas: 'error',
    });
    const text = doc.getText();
    const ours: CollectedDiagnostic[] = [];
    const ctx = createContext(text, ours);
    const policies = kind === 'policy' ? policiesOf(tree.root) : [];
    for (const policy of policies) checkPolicy(policy, ctx, settings.accessPackageFromFolder === true);
    if (kind === 'request' && tree.root) checkRequest(tree.root, ctx);
    const ruleDiagnostics = policies
      .flatMap((p) => membershipRules(p))
      .flatMap((rule) => this.ruleDiagnostics(doc, rule, settings));
    const all = [
      ...this.mergeSchema(doc, tree, schemaFindings, ours),
      ...ours.map((d) => toDiagnostic(doc, d)),
      ...ruleDiagnostics,
    ];
    return all.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
  }

  private ruleDiagnostics(doc: TextDocument, node: StringASTNode, settings: PolicySettings): Diagnostic[] {
    const decoded = decodeJsonString(doc.getText(), node.offset);
    const map = stringOffsetMap(decoded);
    return checkRule(decoded.value, { objectKind: 'user', casingHints: settings.casingHints }).diagnostics.map((d) =>
      toDiagnostic(doc, d, map),
    );
  }

  /**
   * The schema's findings, with ours taking over where they say the same thing better: quoted
   * booleans and numbers (a warning with a fix, as some documented examples quote them), beta
   * property names (naming the v1.0 equivalent), and ranges a semantic check already reports.
   */
  private mergeSchema(
    doc: TextDocument,
    tree: JSONDocument,
    findings: Diagnostic[],
    ours: CollectedDiagnostic[],
  ): Diagnostic[] {
    const replaced = new Set(ours.filter((d) => d.replacesSchema).map((d) => `${d.range.start}:${d.range.end}`));
    // The string node at each offset, indexed once: asking the tree for the node at each
    // finding's offset scans siblings from the root, quadratic with thousands of findings.
    let strings: Map<number, StringASTNode> | undefined;
    const stringAt = (offset: number) => (strings ??= stringNodesByOffset(tree.root)).get(offset);
    const out: Diagnostic[] = [];
    for (const f of findings) {
      const start = doc.offsetAt(f.range.start);
      const end = doc.offsetAt(f.range.end);
      if (replaced.has(`${start}:${end}`)) continue;
      const better = this.betterFinding(f, stringAt, start, end);
      if (better) ours.push(better);
      else
        out.push({
          ...f,
          source: 'entitlements',
          code: f.code === undefined ? PolicyCode.schema : `${PolicyCode.schema}/${f.code}`,
        });
    }
    return out;
  }

  private betterFinding(
    f: Diagnostic,
    stringAt: (offset: number) => StringASTNode | undefined,
    start: number,
    end: number,
  ): CollectedDiagnostic | undefined {
    const range = { start, end };
    const message = typeof f.message === 'string' ? f.message : (f.message as { value: string }).value;
    const expected = /^Incorrect type\. Expected (?:one of )?(.*)\.$/.exec(message)?.[1] ?? '';
    const node = expected ? stringAt(start) : undefined;
    if (node && /boolean/.test(expected) && /^(true|false)$/.test(node.value)) {
      return {
        range,
        severity: 'warning',
        code: PolicyCode.quotedBoolean,
        message: `"${node.value}" is a string; Graph expects the boolean ${node.value} without quotes.`,
        fixes: [{ title: `Write ${node.value}`, edits: [{ range, newText: node.value }], preferred: true }],
      };
    }
    if (node && /integer|number/.test(expected) && /^-?\d+$/.test(node.value)) {
      return {
        range,
        severity: 'warning',
        code: PolicyCode.quotedNumber,
        message: `"${node.value}" is a string; Graph expects the number ${node.value} without quotes.`,
        fixes: [{ title: `Write ${node.value}`, edits: [{ range, newText: node.value }], preferred: true }],
      };
    }
    const notAllowed = /^Property (.+) is not allowed\.$/.exec(message)?.[1];
    const v1 = notAllowed ? betaNames[notAllowed] : undefined;
    if (notAllowed && v1) {
      return {
        range,
        severity: 'error',
        code: PolicyCode.betaProperty,
        message: `"${notAllowed}" belongs to the beta (or older) API shape and is not part of Graph v1.0; in v1.0 use ${v1}.`,
        tags: ['deprecated'],
      };
    }
    return undefined;
  }

  /** The membershipRule string under the offset, decoded, if the offset is inside one. */
  private ruleAt(doc: TextDocument, tree: JSONDocument, offset: number) {
    const node = tree.getNodeFromOffset(offset);
    if (node?.type !== 'string' || offset <= node.offset || offset >= node.offset + node.length) return undefined;
    const prop = node.parent;
    if (prop?.type !== 'property' || prop.keyNode.value !== 'membershipRule' || prop.valueNode !== node)
      return undefined;
    const decoded = decodeJsonString(doc.getText(), node.offset);
    return { decoded, map: stringOffsetMap(decoded), at: decodedOffset(decoded, offset) };
  }

  async complete(doc: TextDocument, position: Position): Promise<CompletionList> {
    const { view, tree } = this.parse(doc);
    const rule = this.ruleAt(doc, tree, doc.offsetAt(position));
    if (rule) {
      const items = completeRule(rule.decoded.value, rule.at, { objectKind: 'user' }).map((c) =>
        toCompletionItem(doc, c, rule.map),
      );
      return { isIncomplete: false, items };
    }
    const none: CompletionList = { isIncomplete: false, items: [] };
    return (await withinLimits(() => this.json.doComplete(view, position, tree), null)) ?? none;
  }

  async hover(doc: TextDocument, position: Position): Promise<Hover | null> {
    const { view, tree } = this.parse(doc);
    const rule = this.ruleAt(doc, tree, doc.offsetAt(position));
    if (rule) {
      const h = hoverRule(rule.decoded.value, rule.at);
      return h ? toHover(doc, h, rule.map) : null;
    }
    return withinLimits(() => this.json.doHover(view, position, tree), null);
  }

  /** Few, bounded edits (see `json/format.ts`); none when the result would exceed `maxLength`. */
  format(doc: TextDocument, options: FormattingOptions, maxLength: number): TextEdit[] {
    const result = formatJsonDocument(doc, options, maxLength);
    return result.ok ? result.edits : [];
  }

  foldingRanges(doc: TextDocument): FoldingRange[] {
    return this.json.getFoldingRanges(doc, { rangeLimit: MAX_OUTLINE_ENTRIES });
  }

  symbols(doc: TextDocument): DocumentSymbol[] {
    const { view, tree } = this.parse(doc);
    return this.json.findDocumentSymbols2(view, tree, { resultLimit: MAX_OUTLINE_ENTRIES });
  }

  selectionRanges(doc: TextDocument, positions: Position[]): SelectionRange[] {
    // Each position walks from the root; an editor asks for a handful (one per cursor).
    if (positions.length > MAX_SELECTION_POSITIONS) return [];
    const { view, tree } = this.parse(doc);
    return this.json.getSelectionRanges(view, positions, tree);
  }
}
