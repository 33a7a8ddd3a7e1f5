/**
 * vscode-json-languageservice 5.7.2 collects schema problems with
 * `this.problems = this.problems.concat(other.problems)` each time it merges the result of an
 * array item (or a property, or an alternative of anyOf/oneOf) into its parent: every merge copies
 * every problem found so far, so N items with a problem each cost O(N²) (40k wrong items: 3.9 s;
 * 300k: minutes). The two merge methods are replaced by versions that append in place, with the
 * same order and the same counters; nothing else holds a result's problem list, so appending
 * cannot change what any caller sees. Both builds of the package are adjusted: esbuild bundles
 * its ES module build, Node (the tests, through tsx) loads its CommonJS build. A release that no
 * longer concatenates is left alone.
 */
import { createRequire } from 'node:module';
import { ValidationResult as EsmValidationResult } from 'vscode-json-languageservice/lib/esm/parser/jsonParser.js';

type Result = JsonServiceValidationResult;

function appendAll(into: unknown[], from: unknown[]): void {
  for (const p of from) into.push(p);
}

function linearize(proto: Result): void {
  const original: unknown = Reflect.get(proto, 'mergePropertyMatch');
  if (typeof original !== 'function' || !Function.prototype.toString.call(original).includes('concat')) return;
  proto.merge = function (this: Result, other: Result) {
    appendAll(this.problems, other.problems);
    this.propertiesMatches += other.propertiesMatches;
    this.propertiesValueMatches += other.propertiesValueMatches;
    this.mergeProcessedProperties(other);
  };
  proto.mergePropertyMatch = function (this: Result, other: Result) {
    appendAll(this.problems, other.problems);
    this.propertiesMatches++;
    if (other.enumValueMatch || (!other.hasProblems() && other.propertiesMatches)) this.propertiesValueMatches++;
    if (other.enumValueMatch && other.enumValues && other.enumValues.length === 1) this.primaryValueMatches++;
  };
}

// The bundles (esbuild) use the ES module build: this import is the very module they run.
linearize(EsmValidationResult.prototype);

// Node without a bundler (the tests, through tsx) runs the CommonJS build instead. It is loaded
// by name at run time (a UMD module cannot be bundled); where it is absent (a packaged extension)
// there is nothing to adjust.
try {
  const umd = createRequire(__filename)('vscode-json-languageservice/lib/umd/parser/jsonParser') as {
    ValidationResult: { prototype: Result };
  };
  linearize(umd.ValidationResult.prototype);
} catch {
  // not installed beside this bundle
}
