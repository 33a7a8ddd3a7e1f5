// Loads the extension's TextMate grammars with vscode-textmate + vscode-oniguruma (the engine
// VS Code itself uses) and tokenizes text into tokens that carry their full scope lists.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

export const repoRoot = resolve(__dirname, '..', '..');

export const RULE_SCOPE = 'source.entra-rule';
export const INJECTION_SCOPE = 'source.entra-rule.injection-json';
export const JSON_SCOPE = 'source.json';

export const grammarFiles: Readonly<Record<string, string>> = {
  [RULE_SCOPE]: join(repoRoot, 'syntaxes', 'entra-rule.tmLanguage.json'),
  [INJECTION_SCOPE]: join(repoRoot, 'syntaxes', 'entra-rule-injection.tmLanguage.json'),
  // VS Code's own JSON grammar is not installed here; this fixture uses the same scope names.
  [JSON_SCOPE]: join(repoRoot, 'test', 'grammar', 'fixtures', 'json.tmLanguage.json'),
};

export interface ScopedToken {
  /** Offset in the whole text (lines joined with '\n'). */
  start: number;
  end: number;
  line: number;
  text: string;
  scopes: string[];
}

export interface Tokenized {
  text: string;
  tokens: ScopedToken[];
  /** True if vscode-textmate gave up on some line (time limit). */
  stoppedEarly: boolean;
}

const registries = new Map<boolean, vsctm.Registry>();

function createRegistry(withInjections: boolean): vsctm.Registry {
  const wasm = readFileSync(join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  const wasmBytes = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
  const onigLib: Promise<vsctm.IOnigLib> = oniguruma.loadWASM(wasmBytes).then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
  return new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      const file = grammarFiles[scopeName];
      if (file === undefined) return null;
      return vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    // What `"injectTo": ["source.json"]` does in package.json.
    getInjections: (scopeName) => (withInjections && scopeName === JSON_SCOPE ? [INJECTION_SCOPE] : undefined),
  });
}

/** Loads a grammar; `withInjections: false` gives the JSON grammar as it is without our injection. */
export async function loadGrammar(scopeName: string, withInjections = true): Promise<vsctm.IGrammar> {
  let registry = registries.get(withInjections);
  if (registry === undefined) {
    registry = createRegistry(withInjections);
    registries.set(withInjections, registry);
  }
  const grammar = await registry.loadGrammar(scopeName);
  if (grammar === null) throw new Error(`grammar ${scopeName} not found`);
  return grammar;
}

export function tokenize(grammar: vsctm.IGrammar, text: string): Tokenized {
  const tokens: ScopedToken[] = [];
  let stoppedEarly = false;
  let stack: vsctm.StateStack = vsctm.INITIAL;
  let offset = 0;
  text.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, stack);
    if (result.stoppedEarly) stoppedEarly = true;
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end <= t.startIndex) continue; // the empty end-of-line token
      tokens.push({
        start: offset + t.startIndex,
        end: offset + end,
        line,
        text: lineText.slice(t.startIndex, end),
        scopes: [...t.scopes],
      });
    }
    stack = result.ruleStack;
    offset += lineText.length + 1;
  });
  return { text, tokens, stoppedEarly };
}

/** Start offset of the `occurrence`-th occurrence of `needle` in `text` (0-based; -1 is the last). */
export function indexOfOccurrence(text: string, needle: string, occurrence = 0): number {
  const starts: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) starts.push(i);
  const index = starts.at(occurrence);
  if (index === undefined) {
    throw new Error(
      `${JSON.stringify(needle)} occurs ${starts.length} times in ${JSON.stringify(text)}; asked for #${occurrence}`,
    );
  }
  return index;
}

/** The tokens that overlap the given occurrence of `needle`. */
export function tokensCovering(tokenized: Tokenized, needle: string, occurrence = 0): ScopedToken[] {
  const start = indexOfOccurrence(tokenized.text, needle, occurrence);
  const end = start + needle.length;
  const covering = tokenized.tokens.filter((t) => t.start < end && t.end > start);
  if (covering.length === 0) throw new Error(`no token covers ${JSON.stringify(needle)}`);
  return covering;
}

/** Every scope of every token, for "no `invalid.` anywhere" checks. */
export function allScopes(tokenized: Tokenized): string[] {
  return [...new Set(tokenized.tokens.flatMap((t) => t.scopes))];
}

/** The scope list at every character offset of the text (newlines get an empty list). */
export function scopesPerCharacter(tokenized: Tokenized): string[][] {
  const out: string[][] = Array.from({ length: tokenized.text.length }, () => []);
  for (const t of tokenized.tokens) {
    for (let i = t.start; i < t.end; i++) out[i] = t.scopes;
  }
  return out;
}

/** A readable dump for assertion messages. */
export function dump(tokenized: Tokenized): string {
  return tokenized.tokens.map((t) => `  ${JSON.stringify(t.text).padEnd(24)} ${t.scopes.join(' ')}`).join('\n');
}
