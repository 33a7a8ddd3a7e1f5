/**
 * A static view of the schema files for structural tests: their definitions, $ref resolution
 * across files, and a summary of what JSON a property schema accepts.
 */
import { readSchemaText, SCHEMA_FILES } from './schemaHarness';

export interface Snippet {
  label?: string;
  description?: string;
  body?: unknown;
}

/** The JSON Schema keywords these schemas use. */
export interface SchemaNode {
  $schema?: string;
  $ref?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  type?: string | string[];
  enum?: unknown[];
  enumDescriptions?: string[];
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  if?: SchemaNode;
  then?: SchemaNode;
  not?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
  defaultSnippets?: Snippet[];
}

export interface Definition {
  file: string;
  name: string;
  schema: SchemaNode;
}

export function loadSchemaFile(file: string): SchemaNode {
  return JSON.parse(readSchemaText(file)) as SchemaNode;
}

/** All definitions of all schema files, by name (names are unique across the files). */
export function loadDefinitions(): Map<string, Definition> {
  const result = new Map<string, Definition>();
  for (const file of SCHEMA_FILES) {
    for (const [name, schema] of Object.entries(loadSchemaFile(file).definitions ?? {})) {
      if (result.has(name)) throw new Error(`definition ${name} is declared twice`);
      result.set(name, { file, name, schema });
    }
  }
  return result;
}

/** Resolves a `$ref` written in `fromFile` (only `<file>#/definitions/<name>` forms are used). */
export function resolveRef(defs: Map<string, Definition>, ref: string, fromFile: string): Definition {
  const match = /^([^#]*)#\/definitions\/([^/]+)$/.exec(ref);
  if (!match) throw new Error(`unsupported $ref ${ref} in ${fromFile}`);
  const file = match[1] || fromFile;
  const def = defs.get(match[2] ?? '');
  if (!def || def.file !== file) throw new Error(`$ref ${ref} in ${fromFile} does not resolve`);
  return def;
}

/** What a schema accepts, in the terms the Graph typings use. */
export type Kind =
  | { kind: 'string' | 'integer' | 'number' | 'boolean' | 'object' }
  | { kind: 'array'; items: Shape }
  | { kind: 'enum' | 'type' | 'union'; def: string };

export interface Shape {
  nullable: boolean;
  kinds: Kind[];
}

export const isEnumDef = (s: SchemaNode): boolean => Array.isArray(s.enum) && s.type === 'string';
export const isUnionDef = (name: string): boolean => /^any[A-Z]/.test(name);

function refShape(defs: Map<string, Definition>, ref: string, file: string): Shape {
  const def = resolveRef(defs, ref, file);
  const nullable = [def.schema.type].flat().includes('null');
  if (isEnumDef(def.schema)) return { nullable, kinds: [{ kind: 'enum', def: def.name }] };
  if (isUnionDef(def.name)) return { nullable, kinds: [{ kind: 'union', def: def.name }] };
  if (def.schema.properties) return { nullable, kinds: [{ kind: 'type', def: def.name }] };
  return describe(defs, def.schema, def.file);
}

function merge(shapes: Shape[]): Shape {
  return { nullable: shapes.some((s) => s.nullable), kinds: shapes.flatMap((s) => s.kinds) };
}

/** Summarises a property schema: nullability and the kinds of value it accepts. */
export function describe(defs: Map<string, Definition>, s: SchemaNode, file: string): Shape {
  const parts: Shape[] = [];
  if (s.$ref) parts.push(refShape(defs, s.$ref, file));
  if (s.anyOf) parts.push(...s.anyOf.map((a) => describe(defs, a, file)));
  // allOf is used as "this definition, plus a required key": the $ref part says what it is.
  if (s.allOf) parts.push(...s.allOf.filter((a) => a.$ref).map((a) => describe(defs, a, file)));
  for (const t of [s.type ?? []].flat()) {
    if (t === 'null') parts.push({ nullable: true, kinds: [] });
    else if (t === 'array' && s.items)
      parts.push({ nullable: false, kinds: [{ kind: 'array', items: describe(defs, s.items, file) }] });
    else if (t === 'string' || t === 'integer' || t === 'number' || t === 'boolean' || t === 'object') {
      parts.push({ nullable: false, kinds: [{ kind: t }] });
    }
  }
  return merge(parts);
}

/** Every schema object nested in `node` (properties, items, combinators, conditions, definitions). */
export function* walkSchemas(node: SchemaNode, path = '#'): Generator<[string, SchemaNode]> {
  yield [path, node];
  for (const key of ['properties', 'patternProperties', 'definitions'] as const) {
    for (const [k, v] of Object.entries(node[key] ?? {})) yield* walkSchemas(v, `${path}/${key}/${k}`);
  }
  for (const key of ['items', 'if', 'then', 'not'] as const) {
    const child = node[key];
    if (child) yield* walkSchemas(child, `${path}/${key}`);
  }
  for (const key of ['anyOf', 'allOf'] as const) {
    for (const [i, v] of (node[key] ?? []).entries()) yield* walkSchemas(v, `${path}/${key}/${i}`);
  }
}

/** The branches of a union definition: @odata.type values of each `if`, and the `then` target. */
export function unionBranches(union: SchemaNode): { values: string[]; ref: string }[] {
  return (union.allOf ?? []).map((entry) => {
    const values = entry.if?.properties?.['@odata.type']?.enum;
    const ref = entry.then?.$ref;
    if (!Array.isArray(values) || !ref) throw new Error('a union branch must be if(@odata.type enum) then($ref)');
    return { values: values.map(String), ref };
  });
}

/** Replaces snippet placeholders by their default text, giving plain JSON. */
export function expandSnippet(body: unknown): unknown {
  const fill = (s: string): string => s.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
  if (typeof body === 'string') return body.startsWith('^') ? (JSON.parse(fill(body.slice(1))) as unknown) : fill(body);
  if (Array.isArray(body)) return body.map(expandSnippet);
  if (body && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, expandSnippet(v)]));
  }
  return body;
}
