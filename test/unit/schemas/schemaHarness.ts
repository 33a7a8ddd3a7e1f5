/**
 * Runs the JSON Schemas under schemas/ through vscode-json-languageservice the way the server
 * does: schemas registered under entitlements://schemas/<file>, the files they reference loaded
 * by a schemaRequestService, relative $refs resolved by workspaceContext.resolveRelativePath.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNodeAtOffset, getNodePath, parseTree } from 'jsonc-parser';
import {
  getLanguageService,
  TextDocument,
  type CompletionItem,
  type Diagnostic,
  type LanguageService,
  type LanguageServiceParams,
} from 'vscode-json-languageservice';
import { cursor, repoRoot } from '../../helpers';

export const schemaDir = join(repoRoot, 'schemas');
export const SCHEMA_SCHEME = 'entitlements://schemas/';

/** The payload kinds with a schema of their own, and the file suffix used for them in tests. */
export const PAYLOADS = {
  policy: { file: 'accessPackageAssignmentPolicy.schema.json', suffix: '.policy.json' },
  accessPackage: { file: 'accessPackage.schema.json', suffix: '.accessPackage.json' },
  request: { file: 'accessPackageAssignmentRequest.schema.json', suffix: '.assignmentRequest.json' },
} as const;
export type PayloadKind = keyof typeof PAYLOADS;

/** Every schema file, including the shared definitions only reached through $ref. */
export const SCHEMA_FILES = [...Object.values(PAYLOADS).map((p) => p.file), 'common.schema.json'];

export function readSchemaText(file: string): string {
  return readFileSync(join(schemaDir, file), 'utf8');
}

/** Serves entitlements://schemas/<file> from the schemas folder; anything else is an error. */
export async function schemaRequestService(uri: string): Promise<string> {
  if (!uri.startsWith(SCHEMA_SCHEME)) throw new Error(`not an entitlements schema: ${uri}`);
  return readSchemaText(uri.slice(SCHEMA_SCHEME.length));
}

export const workspaceContext = {
  resolveRelativePath: (relativePath: string, resource: string): string => new URL(relativePath, resource).toString(),
};

/**
 * A fresh language service. Fresh schema objects each time: the service resolves $refs by
 * rewriting the schema objects it is given, so they must not be shared between services.
 */
export function createService(
  params: Partial<LanguageServiceParams> = { schemaRequestService, workspaceContext },
  extraSchemas: { uri: string; fileMatch: string[]; schema: object }[] = [],
): LanguageService {
  const service = getLanguageService(params);
  service.configure({
    validate: true,
    schemas: [
      ...Object.values(PAYLOADS).map((p) => ({
        uri: SCHEMA_SCHEME + p.file,
        fileMatch: [`*${p.suffix}`],
        schema: JSON.parse(readSchemaText(p.file)) as object,
      })),
      ...extraSchemas,
    ],
  });
  return service;
}

export interface Finding {
  /** JSON path of the node the finding is on, joined with '.' ('' for the root). */
  path: string;
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** Source text under the finding's range. */
  text: string;
}

const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;

function toFinding(doc: TextDocument, text: string, d: Diagnostic): Finding {
  const start = doc.offsetAt(d.range.start);
  const root = parseTree(text);
  const node = root ? findNodeAtOffset(root, start) : undefined;
  return {
    path: node ? getNodePath(node).join('.') : '',
    message: typeof d.message === 'string' ? d.message : d.message.value,
    severity: SEVERITIES[(d.severity ?? 1) - 1] ?? 'error',
    text: text.slice(start, doc.offsetAt(d.range.end)),
  };
}

export function documentFor(text: string, kind: PayloadKind, name = 'test'): TextDocument {
  return TextDocument.create(`file:///work/${name}${PAYLOADS[kind].suffix}`, 'json', 1, text);
}

/** Schema findings for `text` validated as a payload of `kind`, errors reported as errors. */
export async function validate(text: string, kind: PayloadKind, service = createService()): Promise<Finding[]> {
  return validateDocument(documentFor(text, kind), service);
}

/** Schema findings for a document, with whatever schema the service associates with its uri. */
export async function validateDocument(doc: TextDocument, service: LanguageService): Promise<Finding[]> {
  const text = doc.getText();
  const diagnostics = await service.doValidation(doc, service.parseJSONDocument(doc), {
    schemaValidation: 'error',
    schemaRequest: 'error',
  });
  return diagnostics.map((d) => toFinding(doc, text, d));
}

/** Completion items at the `|` marker of `marked`. */
export async function completeAt(marked: string, kind: PayloadKind): Promise<CompletionItem[]> {
  const { text, offset } = cursor(marked);
  const service = createService();
  const doc = documentFor(text, kind);
  const list = await service.doComplete(doc, doc.positionAt(offset), service.parseJSONDocument(doc));
  return list?.items ?? [];
}

/** Hover text (markdown) at the `|` marker of `marked`, or undefined. */
export async function hoverAt(marked: string, kind: PayloadKind): Promise<string | undefined> {
  const { text, offset } = cursor(marked);
  const service = createService();
  const doc = documentFor(text, kind);
  const hover = await service.doHover(doc, doc.positionAt(offset), service.parseJSONDocument(doc));
  if (!hover) return undefined;
  const contents = Array.isArray(hover.contents) ? hover.contents : [hover.contents];
  return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}
