/**
 * Reads the Microsoft Graph v1.0 typings (@microsoft/microsoft-graph-types) with the TypeScript
 * compiler API: the top-level interfaces (with their `extends` and properties) and the
 * string-literal union types that stand for Graph enumerations.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../helpers';

export const typingsFile = join(
  repoRoot,
  'node_modules',
  '@microsoft',
  'microsoft-graph-types',
  'microsoft-graph.d.ts',
);

export type TsType =
  | { kind: 'string' | 'number' | 'boolean' | 'unknown' }
  | { kind: 'array'; item: TsType }
  | { kind: 'ref'; name: string };

export interface TsProperty {
  name: string;
  nullable: boolean;
  type: TsType;
}

export interface TsInterface {
  name: string;
  bases: string[];
  properties: Map<string, TsProperty>;
}

export interface GraphTypings {
  interfaces: Map<string, TsInterface>;
  /** Enumerations: type aliases that are unions of string literals. */
  enums: Map<string, string[]>;
}

/** `microsoftgraph.Entity` and `Entity` name the same interface at the top level. */
const bareName = (text: string): string => text.replace(/^microsoftgraph\./, '');

function toType(node: ts.TypeNode): TsType {
  if (ts.isArrayTypeNode(node)) return { kind: 'array', item: toType(node.elementType) };
  if (ts.isTypeReferenceNode(node)) return { kind: 'ref', name: bareName(node.typeName.getText()) };
  if (node.kind === ts.SyntaxKind.StringKeyword) return { kind: 'string' };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { kind: 'number' };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { kind: 'boolean' };
  return { kind: 'unknown' };
}

function toProperty(member: ts.PropertySignature): TsProperty | undefined {
  if (!member.type || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) return undefined;
  let typeNode = member.type;
  let nullable = false;
  // NullableOption<T> is declared as `T | null`.
  if (
    ts.isTypeReferenceNode(typeNode) &&
    typeNode.typeName.getText() === 'NullableOption' &&
    typeNode.typeArguments?.[0]
  ) {
    nullable = true;
    typeNode = typeNode.typeArguments[0];
  }
  return { name: member.name.text, nullable, type: toType(typeNode) };
}

function stringLiteralMembers(node: ts.TypeNode): string[] | undefined {
  const parts = ts.isUnionTypeNode(node) ? node.types : [node];
  const members: string[] = [];
  for (const part of parts) {
    if (!ts.isLiteralTypeNode(part) || !ts.isStringLiteral(part.literal)) return undefined;
    members.push(part.literal.text);
  }
  return members;
}

function addInterface(out: Map<string, TsInterface>, decl: ts.InterfaceDeclaration): void {
  const name = decl.name.text;
  // Declarations merge: the typings declare a few interfaces twice (e.g. TargetManager).
  const entry = out.get(name) ?? { name, bases: [], properties: new Map<string, TsProperty>() };
  for (const clause of decl.heritageClauses ?? []) {
    for (const t of clause.types) entry.bases.push(bareName(t.expression.getText()));
  }
  for (const member of decl.members) {
    const prop = ts.isPropertySignature(member) ? toProperty(member) : undefined;
    if (prop) entry.properties.set(prop.name, prop);
  }
  out.set(name, entry);
}

let cached: GraphTypings | undefined;

export function loadGraphTypings(): GraphTypings {
  if (cached) return cached;
  const source = ts.createSourceFile(typingsFile, readFileSync(typingsFile, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, TsInterface>();
  const enums = new Map<string, string[]>();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) addInterface(interfaces, statement);
    else if (ts.isTypeAliasDeclaration(statement)) {
      const members = stringLiteralMembers(statement.type);
      if (members) enums.set(statement.name.text, members);
    }
  }
  cached = { interfaces, enums };
  return cached;
}

/** Own and inherited properties of an interface. */
export function allProperties(typings: GraphTypings, name: string): Map<string, TsProperty> {
  const iface = typings.interfaces.get(name);
  if (!iface) throw new Error(`no interface ${name} in the Graph typings`);
  const result = new Map<string, TsProperty>();
  for (const base of iface.bases) for (const [k, v] of allProperties(typings, base)) result.set(k, v);
  for (const [k, v] of iface.properties) result.set(k, v);
  return result;
}

/** Interfaces deriving from `name`, directly or not. */
export function subtypesOf(typings: GraphTypings, name: string): string[] {
  const direct = [...typings.interfaces.values()].filter((i) => i.bases.includes(name)).map((i) => i.name);
  return [...direct, ...direct.flatMap((d) => subtypesOf(typings, d))];
}
