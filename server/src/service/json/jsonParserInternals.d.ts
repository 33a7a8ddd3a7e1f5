/**
 * The one internal class of vscode-json-languageservice that `linearProblems.ts` adjusts; its
 * package ships no typings for its parser module. Only the members used there are declared.
 */
interface JsonServiceValidationResult {
  problems: unknown[];
  propertiesMatches: number;
  propertiesValueMatches: number;
  primaryValueMatches: number;
  enumValueMatch: boolean;
  enumValues?: unknown[];
  hasProblems(): boolean;
  merge(other: JsonServiceValidationResult): void;
  mergePropertyMatch(other: JsonServiceValidationResult): void;
  mergeProcessedProperties(other: JsonServiceValidationResult): void;
}

declare module 'vscode-json-languageservice/lib/esm/parser/jsonParser.js' {
  export const ValidationResult: { prototype: JsonServiceValidationResult };
}
