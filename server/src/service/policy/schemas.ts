/**
 * The JSON Schemas of the payloads, bundled into the service (no file system access): served to
 * vscode-json-languageservice under `entitlements://schemas/<file>`, each request answered with
 * fresh text because the library rewrites the schema objects it resolves.
 */
import accessPackage from '../../../../schemas/accessPackage.schema.json';
import catalog from '../../../../schemas/accessPackageCatalog.schema.json';
import request from '../../../../schemas/accessPackageAssignmentRequest.schema.json';
import policy from '../../../../schemas/accessPackageAssignmentPolicy.schema.json';
import common from '../../../../schemas/common.schema.json';
import policyDocument from '../../../../schemas/policyDocument.schema.json';

export const SCHEMA_PREFIX = 'entitlements://schemas/';

const files: Readonly<Record<string, unknown>> = {
  'accessPackage.schema.json': accessPackage,
  'accessPackageCatalog.schema.json': catalog,
  'accessPackageAssignmentRequest.schema.json': request,
  'accessPackageAssignmentPolicy.schema.json': policy,
  'common.schema.json': common,
  'policyDocument.schema.json': policyDocument,
};

export type PayloadKind = 'policy' | 'accessPackage' | 'catalog' | 'request';

/** The schema a document of each payload kind is validated against. */
export const rootSchemaOf: Readonly<Record<PayloadKind, string>> = {
  policy: `${SCHEMA_PREFIX}policyDocument.schema.json`,
  accessPackage: `${SCHEMA_PREFIX}accessPackage.schema.json`,
  catalog: `${SCHEMA_PREFIX}accessPackageCatalog.schema.json`,
  request: `${SCHEMA_PREFIX}accessPackageAssignmentRequest.schema.json`,
};

export function schemaRequestService(uri: string): Promise<string> {
  const file = uri.startsWith(SCHEMA_PREFIX) ? files[uri.slice(SCHEMA_PREFIX.length)] : undefined;
  return file ? Promise.resolve(JSON.stringify(file)) : Promise.reject(new Error(`unknown schema ${uri}`));
}

export function resolveRelativePath(relativePath: string, resource: string): string {
  return new URL(relativePath, resource).toString();
}

/** The payload kind of a document, from its file name (`x.policy.json`, `x.accessPackage.json`, `x.catalog.json`, `x.assignmentRequest.json`). */
export function payloadKindOf(uri: string): PayloadKind {
  const name = uri.toLowerCase();
  if (name.endsWith('.accesspackage.json')) return 'accessPackage';
  if (name.endsWith('.catalog.json')) return 'catalog';
  if (name.endsWith('.assignmentrequest.json') || name.endsWith('.request.json')) return 'request';
  return 'policy';
}
