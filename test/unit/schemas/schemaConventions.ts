/** House rules every schema file follows; each check returns the list of violations. */
import { SCHEMA_FILES } from './schemaHarness';
import { isUnionDef, loadSchemaFile, resolveRef, walkSchemas, type Definition, type SchemaNode } from './schemaModel';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

function checkNode(where: string, node: SchemaNode, unionRoot: boolean): string[] {
  // Conditions (`if`) only select a branch; they are neither shown nor closed objects.
  if (where.includes('/if/') || where.endsWith('/if')) return [];
  const problems: string[] = [];
  const isObject = [node.type].flat().includes('object');
  if (isObject && node.properties && !unionRoot) {
    if (node.additionalProperties !== false) problems.push(`${where}: object without additionalProperties: false`);
    if (!node.properties['@odata.type']) problems.push(`${where}: object does not accept @odata.type`);
  }
  if (node.properties && node.additionalProperties === false) {
    for (const r of node.required ?? []) if (!(r in node.properties)) problems.push(`${where}: requires unknown ${r}`);
  }
  if (Array.isArray(node.enum) && node.enumDescriptions?.length !== node.enum.length) {
    problems.push(`${where}: enum without one enumDescription per member`);
  }
  if (node.pattern !== undefined) {
    try {
      new RegExp(node.pattern, 'u');
    } catch {
      problems.push(`${where}: pattern does not compile`);
    }
  }
  return problems;
}

export function checkConventions(defs: Map<string, Definition>): string[] {
  const problems: string[] = [];
  for (const file of SCHEMA_FILES) {
    const root = loadSchemaFile(file);
    if (root.$schema !== DRAFT_07) problems.push(`${file}: $schema is not draft-07`);
    if (!root.title || !root.description) problems.push(`${file}: no title/description`);
    for (const [name, def] of Object.entries(root.definitions ?? {})) {
      const helper = !def.properties && !def.enum;
      if (!helper && (!def.title || !def.description)) problems.push(`${file}#${name}: no title/description`);
    }
    for (const [path, node] of walkSchemas(root)) {
      const unionRoot = /^#\/definitions\/[^/]+$/.test(path) && isUnionDef(path.split('/')[2] ?? '');
      problems.push(...checkNode(`${file}${path}`, node, unionRoot));
      if (node.$ref) {
        try {
          resolveRef(defs, node.$ref, file);
        } catch (e) {
          problems.push(`${file}${path}: ${(e as Error).message}`);
        }
      }
    }
  }
  return problems;
}
