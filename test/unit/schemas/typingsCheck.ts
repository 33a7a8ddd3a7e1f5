/**
 * Compares the schema definitions with the Graph typings. Each check returns a list of problems
 * (empty when the schemas agree), so that a failing test shows every disagreement at once.
 */
import { allProperties, subtypesOf, type GraphTypings, type TsProperty, type TsType } from './graphTypings';
import {
  describe,
  isEnumDef,
  isUnionDef,
  resolveRef,
  unionBranches,
  type Definition,
  type Kind,
  type Shape,
} from './schemaModel';
import {
  ENUMS_NOT_IN_TYPINGS,
  EXTRA_PROPERTIES,
  HELPER_DEFINITIONS,
  KIND_EXCEPTIONS,
  NEWER_ENUM_MEMBERS,
  NULLABILITY_EXCEPTIONS,
  OMITTED_PROPERTIES,
  TYPES_NOT_IN_TYPINGS,
  UNION_RULES,
} from './typingsRules';

type Defs = Map<string, Definition>;

export const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const camel = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

const sameSet = (a: string[], b: string[]): boolean =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Every definition is a Graph enum, a Graph type, a union of Graph types, or a listed helper. */
export function checkClassification(defs: Defs, typings: GraphTypings): string[] {
  const problems: string[] = [];
  for (const { name, schema } of defs.values()) {
    const graphName = pascal(name);
    const known = isEnumDef(schema)
      ? typings.enums.has(graphName) || name in ENUMS_NOT_IN_TYPINGS
      : isUnionDef(name)
        ? name in UNION_RULES && typings.interfaces.has(graphName.slice(3))
        : schema.properties
          ? typings.interfaces.has(graphName) || name in TYPES_NOT_IN_TYPINGS
          : name in HELPER_DEFINITIONS;
    if (!known) problems.push(`${name}: neither a Graph type of the typings nor a listed exception`);
  }
  return problems;
}

export function checkEnums(defs: Defs, typings: GraphTypings): string[] {
  const problems: string[] = [];
  for (const { name, schema } of defs.values()) {
    const members = typings.enums.get(pascal(name));
    if (!isEnumDef(schema) || !members) continue;
    const expected = [...members, ...(NEWER_ENUM_MEMBERS[name] ?? [])];
    const actual = (schema.enum ?? []).map(String);
    if (!sameSet(actual, expected))
      problems.push(`${name}: members ${actual.join(',')} but typings say ${expected.join(',')}`);
  }
  return problems;
}

/** The kind of value a typings type stands for, in the vocabulary of kindText. */
function expectedKind(t: TsType, typings: GraphTypings): string {
  switch (t.kind) {
    case 'string':
    case 'boolean':
      return t.kind;
    case 'number':
      return 'integer';
    case 'array':
      return `array<${expectedKind(t.item, typings)}>`;
    case 'ref':
      if (typings.enums.has(t.name)) return `enum:${camel(t.name)}`;
      return `type:${camel(t.name)}`;
    default:
      return 'unknown';
  }
}

function kindText(k: Kind): string {
  switch (k.kind) {
    case 'array':
      return `array<${k.items.nullable ? 'nullable ' : ''}${k.items.kinds.map(kindText).join('|')}>`;
    case 'enum':
      return `enum:${k.def}`;
    case 'type':
      return `type:${k.def}`;
    case 'union':
      // A union of the subtypes of X stands for X.
      return `type:${camel(k.def.slice(3))}`;
    case 'number':
      return 'integer';
    default:
      return k.kind;
  }
}

function checkProperty(owner: string, prop: TsProperty, shape: Shape, typings: GraphTypings): string[] {
  const problems: string[] = [];
  const where = `${owner}.${prop.name}`;
  const nullableOk = prop.nullable === shape.nullable || (prop.nullable && where in NULLABILITY_EXCEPTIONS);
  if (!nullableOk) problems.push(`${where}: nullable in typings ${prop.nullable}, in schema ${shape.nullable}`);
  const expected = expectedKind(prop.type, typings);
  const actual = [...new Set(shape.kinds.map(kindText))];
  const ok = where in KIND_EXCEPTIONS ? actual.includes(expected) : actual.length === 1 && actual[0] === expected;
  if (!ok) problems.push(`${where}: typings say ${expected}, schema accepts ${actual.join(' | ') || 'nothing'}`);
  return problems;
}

function compareObject(
  def: Definition,
  props: Map<string, TsProperty>,
  defs: Defs,
  typings: GraphTypings,
  extras: string[],
): string[] {
  const problems: string[] = [];
  const schemaProps = def.schema.properties ?? {};
  const omitted = OMITTED_PROPERTIES[def.name] ?? {};
  for (const [name, prop] of props) {
    const s = schemaProps[name];
    if (!s) {
      if (!(name in omitted)) problems.push(`${def.name}.${name}: in the typings, missing from the schema`);
      continue;
    }
    if (name in omitted) problems.push(`${def.name}.${name}: listed as omitted but present`);
    problems.push(...checkProperty(def.name, prop, describe(defs, s, def.file), typings));
  }
  for (const name of Object.keys(schemaProps)) {
    if (name !== '@odata.type' && !props.has(name) && !extras.includes(name)) {
      problems.push(`${def.name}.${name}: not in the typings (invented?)`);
    }
  }
  return problems;
}

/** Object definitions against the interface of the same name, inherited properties included. */
export function checkObjects(defs: Defs, typings: GraphTypings): string[] {
  const problems: string[] = [];
  for (const def of defs.values()) {
    if (!def.schema.properties || isEnumDef(def.schema) || isUnionDef(def.name)) continue;
    const extra = TYPES_NOT_IN_TYPINGS[def.name];
    if (extra) {
      problems.push(...compareObject(def, allProperties(typings, extra.base), defs, typings, extra.adds));
    } else if (typings.interfaces.has(pascal(def.name))) {
      const extras = Object.keys(EXTRA_PROPERTIES[def.name] ?? {});
      problems.push(...compareObject(def, allProperties(typings, pascal(def.name)), defs, typings, extras));
    }
  }
  return problems;
}

/** Unions offer exactly the subtypes of their base (with the listed exceptions), both spellings. */
export function checkUnions(defs: Defs, typings: GraphTypings): string[] {
  const problems: string[] = [];
  for (const def of defs.values()) {
    const rule = UNION_RULES[def.name];
    if (!isUnionDef(def.name) || !rule) continue;
    const base = pascal(def.name.slice(3));
    const expected = [
      ...subtypesOf(typings, base).filter((s) => !(s in (rule.omitted ?? {}))),
      ...(rule.acceptsBase ? [base] : []),
      ...Object.keys(rule.newer ?? {}),
    ].map(camel);
    const branches = unionBranches(def.schema);
    const targets = branches.map((b) => resolveRef(defs, b.ref, def.file).name);
    if (!sameSet(targets, expected))
      problems.push(`${def.name}: branches ${targets.join(',')}, expected ${expected.join(',')}`);
    for (const [i, b] of branches.entries()) {
      const spellings = [`#microsoft.graph.${targets[i]}`, `microsoft.graph.${targets[i]}`];
      if (!sameSet(b.values, spellings))
        problems.push(`${def.name}: branch ${targets[i]} is selected by ${b.values.join(',')}`);
    }
    const offered = (def.schema.properties?.['@odata.type']?.enum ?? []).map(String);
    if (
      !sameSet(
        offered,
        branches.flatMap((b) => b.values),
      )
    )
      problems.push(`${def.name}: @odata.type enum differs from its branches`);
  }
  return problems;
}
