/** Small readers over vscode-json-languageservice's syntax tree. */
import type { ASTNode, ObjectASTNode, PropertyASTNode } from 'vscode-json-languageservice';
import type { OffsetRange } from '../rules/ast';

export function isObject(node: ASTNode | undefined): node is ObjectASTNode {
  return node?.type === 'object';
}

export function property(node: ASTNode | undefined, name: string): PropertyASTNode | undefined {
  return isObject(node) ? node.properties.find((p) => p.keyNode.value === name) : undefined;
}

export function value(node: ASTNode | undefined, name: string): ASTNode | undefined {
  return property(node, name)?.valueNode;
}

export function items(node: ASTNode | undefined): ASTNode[] {
  return node?.type === 'array' ? node.items : [];
}

/** A JSON boolean, or a string "true"/"false" (the seed examples quote some booleans). */
export function truthy(node: ASTNode | undefined): boolean | undefined {
  if (node?.type === 'boolean') return node.value;
  if (node?.type === 'string' && /^(true|false)$/i.test(node.value)) return node.value.toLowerCase() === 'true';
  return undefined;
}

export function stringValue(node: ASTNode | undefined): string | undefined {
  return node?.type === 'string' ? node.value : undefined;
}

/** A number, or a string holding one. */
export function numberValue(node: ASTNode | undefined): number | undefined {
  if (node?.type === 'number') return node.value;
  if (node?.type === 'string' && /^-?\d+(\.\d+)?$/.test(node.value.trim())) return Number(node.value);
  return undefined;
}

export function rangeOf(node: ASTNode | PropertyASTNode): OffsetRange {
  return { start: node.offset, end: node.offset + node.length };
}

/** `@odata.type` without the leading `#` and namespace: `attributeRuleMembers`. */
export function odataType(node: ASTNode | undefined): string | undefined {
  const t = stringValue(value(node, '@odata.type'));
  return t?.replace(/^#?microsoft\.graph\./, '');
}
