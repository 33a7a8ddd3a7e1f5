// Scope tests for the TextMate grammars of the membership-rule language:
//   syntaxes/entra-rule.tmLanguage.json            (source.entra-rule, .rule files)
//   syntaxes/entra-rule-injection.tmLanguage.json  (source.entra-rule.injection-json, injected into source.json)
// and a few checks of language-configuration/entra-rule.json.
//
// Run: node --import tsx --test test/grammar/grammar.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import {
  INJECTION_SCOPE,
  JSON_SCOPE,
  RULE_SCOPE,
  allScopes,
  dump,
  grammarFiles,
  loadGrammar,
  repoRoot,
  scopesPerCharacter,
  tokenize,
  tokensCovering,
  type Tokenized,
} from './textmate';

const corpusFile = join(repoRoot, 'test', 'fixtures', 'corpus', 'rules.jsonl');
const policiesDir = join(repoRoot, 'test', 'fixtures', 'corpus', 'policies');

let ruleGrammar: Promise<IGrammar> | undefined;
let jsonGrammar: Promise<IGrammar> | undefined;
let plainJsonGrammar: Promise<IGrammar> | undefined;
const rules = (): Promise<IGrammar> => (ruleGrammar ??= loadGrammar(RULE_SCOPE));
const json = (): Promise<IGrammar> => (jsonGrammar ??= loadGrammar(JSON_SCOPE));
const plainJson = (): Promise<IGrammar> => (plainJsonGrammar ??= loadGrammar(JSON_SCOPE, false));

// ---------------------------------------------------------------------------------------------
// Assertion helpers

interface ScopeCase {
  /** The text to tokenize (a rule, or a JSON document for the injection cases). */
  source: string;
  /** The substring whose tokens are checked. */
  text: string;
  /** Which occurrence of `text` (0-based; negative counts from the end). */
  occurrence?: number;
  /** Every token covering `text` carries this exact scope. */
  has?: string;
  /** No token covering `text` carries a scope starting with this prefix. */
  lacks?: string;
  /** `text` is exactly one token (operators, keywords, punctuation). */
  oneToken?: boolean;
}

function checkCase(tokenized: Tokenized, c: ScopeCase): void {
  const covering = tokensCovering(tokenized, c.text, c.occurrence ?? 0);
  const where = () => `${JSON.stringify(c.text)} in ${JSON.stringify(c.source)}\n${dump(tokenized)}`;
  if (c.oneToken === true) {
    assert.equal(covering.length, 1, `expected one token for ${where()}`);
    assert.equal(covering[0]?.text, c.text, `token boundaries differ for ${where()}`);
  }
  for (const token of covering) {
    if (c.has !== undefined) {
      assert.ok(token.scopes.includes(c.has), `token ${JSON.stringify(token.text)} lacks ${c.has}: ${where()}`);
    }
    if (c.lacks !== undefined) {
      const bad = token.scopes.find((s) => s.startsWith(c.lacks as string));
      assert.equal(bad, undefined, `token ${JSON.stringify(token.text)} has ${bad}: ${where()}`);
    }
  }
}

function caseName(c: ScopeCase): string {
  const what = [c.has !== undefined ? `has ${c.has}` : '', c.lacks !== undefined ? `lacks ${c.lacks}*` : '']
    .filter((s) => s !== '')
    .join(', ');
  const nth = c.occurrence !== undefined && c.occurrence !== 0 ? ` #${c.occurrence}` : '';
  return `${JSON.stringify(c.source)}: ${JSON.stringify(c.text)}${nth} ${what}`;
}

function runCases(title: string, grammar: () => Promise<IGrammar>, cases: ScopeCase[]): void {
  for (const c of cases) {
    test(`${title}: ${caseName(c)}`, async () => {
      const tokenized = tokenize(await grammar(), c.source);
      assert.equal(tokenized.stoppedEarly, false);
      checkCase(tokenized, c);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// source.entra-rule

const S = (scope: string): string => `${scope}.entra-rule`;
const COMPARISON = S('keyword.operator.comparison');
const LOGICAL = S('keyword.operator.logical');
const QUANTIFIER = S('keyword.operator.quantifier');
const ARITHMETIC = S('keyword.operator.arithmetic');
const INVALID_OPERATOR = S('invalid.illegal.operator');
const OBJECT = S('variable.language.object');
const PROPERTY = S('variable.other.property');
const ACCESSOR = S('punctuation.accessor');
const ITEM = S('variable.parameter.item');
const SYSTEM = S('variable.language.system');
const DQ_STRING = S('string.quoted.double');
const SQ_STRING = S('string.quoted.single');
const STRING_BEGIN = S('punctuation.definition.string.begin');
const STRING_END = S('punctuation.definition.string.end');
const ESCAPE = S('constant.character.escape');
const BOOLEAN = S('constant.language.boolean');
const NULL = S('constant.language.null');
const NUMBER = S('constant.numeric');
const DATETIME = S('constant.other.datetime');
const DURATION = S('constant.other.duration');
const INVALID_QUOTE = S('invalid.illegal.quote');
const DIRECT_REPORTS = S('keyword.other.direct-reports');

const comparisonOperators = [
  '-eq',
  '-ne',
  '-startsWith',
  '-notStartsWith',
  '-endsWith',
  '-notEndsWith',
  '-contains',
  '-notContains',
  '-match',
  '-notMatch',
  '-in',
  '-notIn',
  '-le',
  '-ge',
  '-lt',
  '-gt',
];
const casings = (op: string): string[] => [op, op.toUpperCase(), op.toLowerCase()];

const operatorCases: ScopeCase[] = [
  ...comparisonOperators.flatMap((op) =>
    casings(op).map((written) => ({
      source: `user.department ${written} "Sales"`,
      text: written,
      has: COMPARISON,
      oneToken: true,
    })),
  ),
  // -not is a prefix of several comparison operators: they must not split.
  {
    source: 'user.jobTitle -notStartsWith "Intern"',
    text: '-notStartsWith',
    lacks: 'keyword.operator.logical',
    oneToken: true,
  },
  ...['-and', '-or', '-not', '-AND', '-Or', '-NOT'].map((op) => ({
    source: `-not (user.city -eq "A") ${op} (user.city -eq "B")`,
    text: op,
    occurrence: op === '-not' ? 1 : 0,
    has: LOGICAL,
    oneToken: true,
  })),
  { source: '-not (user.userType -eq "Guest")', text: '-not', has: LOGICAL, oneToken: true },
  { source: 'user.proxyAddresses -any (_ -startsWith "smtp:")', text: '-any', has: QUANTIFIER, oneToken: true },
  { source: 'user.otherMails -ALL (_ -contains "@contoso.com")', text: '-ALL', has: QUANTIFIER, oneToken: true },
  { source: 'user.employeeHireDate -ge system.now -minus p90d', text: '-minus', has: ARITHMETIC, oneToken: true },
  { source: 'user.employeeHireDate -le system.now -Plus p1d', text: '-Plus', has: ARITHMETIC, oneToken: true },
  // Documented as optional: the hyphen-less operator right after a property or item.
  { source: 'user.department eq "Sales"', text: 'eq', has: COMPARISON },
  { source: 'user.department notIn ["Sales"]', text: 'notIn', has: COMPARISON },
  { source: 'user.proxyAddresses any (_ startsWith "smtp:")', text: 'any', has: QUANTIFIER },
  { source: 'user.proxyAddresses any (_ startsWith "smtp:")', text: 'startsWith', has: COMPARISON },
  // Unknown -words and C-style operators.
  { source: 'user.department -equals "Sales"', text: '-equals', has: INVALID_OPERATOR, oneToken: true },
  { source: 'user.department -eqq "Sales"', text: '-eqq', has: INVALID_OPERATOR, oneToken: true },
  { source: 'user.department -notstarts "Sales"', text: '-notstarts', has: INVALID_OPERATOR, oneToken: true },
  { source: 'user.department -equals "Sales"', text: '-equals', lacks: 'keyword.operator' },
  ...['==', '!=', '&&', '||'].map((op) => ({
    source: `user.department ${op} "Sales"`,
    text: op,
    has: INVALID_OPERATOR,
    oneToken: true,
  })),
  { source: 'user.department = "Sales"', text: '=', has: INVALID_OPERATOR, oneToken: true },
  { source: '!(user.department -eq "Sales")', text: '!', has: INVALID_OPERATOR, oneToken: true },
  { source: 'user.jobTitle -eq "Engineer" !', text: '!', has: INVALID_OPERATOR, oneToken: true },
  // A hyphen inside an unquoted word is not an operator.
  { source: 'user.preferredLanguage -eq en-US', text: 'en-US', lacks: 'invalid' },
];

const operandCases: ScopeCase[] = [
  { source: 'user.department -eq "Sales"', text: 'user', has: OBJECT, oneToken: true },
  { source: 'user.department -eq "Sales"', text: '.', has: ACCESSOR, oneToken: true },
  { source: 'user.department -eq "Sales"', text: 'department', has: PROPERTY, oneToken: true },
  { source: 'device.deviceOSType -eq "Android"', text: 'device', has: OBJECT, oneToken: true },
  { source: 'device.deviceOSType -eq "Android"', text: 'deviceOSType', has: PROPERTY, oneToken: true },
  { source: 'User.Department -eq "Sales"', text: 'User', has: OBJECT, oneToken: true },
  {
    source: 'user.extension_9d98ed114c4840d298fad781915f27e4_employeeType -eq "Contractor"',
    text: 'extension_9d98ed114c4840d298fad781915f27e4_employeeType',
    has: PROPERTY,
    oneToken: true,
  },
  {
    source: 'user.extensionAttribute3 -eq "FTE"',
    text: 'extensionAttribute3',
    has: PROPERTY,
    lacks: 'constant',
    oneToken: true,
  },
  // Item variables inside -any / -all.
  { source: 'user.proxyAddresses -any (_ -startsWith "contoso")', text: '_', has: ITEM, oneToken: true },
  { source: 'device.devicePhysicalIds -any _ -startsWith "[ZTDId]"', text: '_', has: ITEM, oneToken: true },
  {
    source: 'device.devicePhysicalIds -any _ -startsWith "[ZTDId]"',
    text: '[ZTDId]',
    has: DQ_STRING,
    lacks: 'punctuation.definition.array',
  },
  {
    source:
      'user.assignedPlans -any (assignedPlan.servicePlanId -eq "x" -and assignedPlan.capabilityStatus -eq "Enabled")',
    text: 'assignedPlan',
    occurrence: 1,
    has: ITEM,
    oneToken: true,
  },
  {
    source:
      'user.assignedPlans -any (assignedPlan.servicePlanId -eq "x" -and assignedPlan.capabilityStatus -eq "Enabled")',
    text: 'assignedPlan',
    occurrence: 2,
    has: ITEM,
    oneToken: true,
  },
  {
    source: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "x")',
    text: 'servicePlanId',
    has: PROPERTY,
    oneToken: true,
  },
  {
    source: 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "x")',
    text: 'assignedPlans',
    has: PROPERTY,
    lacks: S('variable.parameter'),
    oneToken: true,
  },
  { source: "user.memberOf -any (group.objectId -in ['a1b2'])", text: 'group', has: ITEM, oneToken: true },
  { source: "user.memberOf -any (group.objectId -in ['a1b2'])", text: 'objectId', has: PROPERTY, oneToken: true },
  // system.now
  { source: 'user.employeeHireDate -ge system.now -minus p90d', text: 'system.now', has: SYSTEM },
  { source: 'user.employeeHireDate -ge system.now -minus p90d', text: '.', occurrence: 1, has: ACCESSOR },
  { source: 'user.employeeHireDate -ge system.now -minus p90d', text: 'now', lacks: 'variable.other.property' },
];

const valueCases: ScopeCase[] = [
  // Double-quoted strings.
  { source: 'user.department -eq "Sales"', text: '"', has: STRING_BEGIN, oneToken: true },
  { source: 'user.department -eq "Sales"', text: 'Sales', has: DQ_STRING, oneToken: true },
  { source: 'user.department -eq "Sales"', text: '"', occurrence: 1, has: STRING_END, oneToken: true },
  { source: 'user.department -eq "Sales"', text: '"Sales"', has: DQ_STRING },
  { source: 'user.companyName -eq "Fabrikam `"West`""', text: '`"', has: ESCAPE, oneToken: true },
  { source: 'user.companyName -eq "Fabrikam `"West`""', text: '`"', occurrence: 1, has: ESCAPE, oneToken: true },
  { source: 'user.companyName -eq "Fabrikam `"West`""', text: 'West', has: DQ_STRING, lacks: 'punctuation' },
  { source: 'user.companyName -eq "Fabrikam `"West`""', text: '"', occurrence: 3, has: STRING_END, oneToken: true },
  { source: 'user.companyName -eq "a``b"', text: '``', has: ESCAPE, oneToken: true },
  { source: 'user.companyName -eq "a``" -and user.city -eq "b"', text: '-and', has: LOGICAL },
  {
    source: 'user.department -eq "user.department -eq true"',
    text: 'user.department -eq true',
    has: DQ_STRING,
    lacks: 'keyword',
  },
  { source: 'user.department -eq "user.department -eq true"', text: 'true', lacks: 'constant' },
  { source: 'user.displayName -eq "O\u2019Brien"', text: 'O\u2019Brien', has: DQ_STRING, lacks: 'invalid' },
  // Single-quoted strings (the memberOf example), with the doubled quote as escape.
  { source: "user.memberOf -any (group.objectId -in ['a1b2'])", text: "'a1b2'", has: SQ_STRING },
  { source: "user.memberOf -any (group.objectId -in ['a1b2'])", text: "'", has: STRING_BEGIN, oneToken: true },
  { source: "user.surname -eq 'O''Brien'", text: "''", has: ESCAPE, oneToken: true },
  { source: "user.surname -eq 'O''Brien'", text: "Brien'", has: SQ_STRING },
  { source: "user.surname -eq 'O''Brien' -and user.city -eq 'x'", text: '-and', has: LOGICAL },
  // Typographic quotes.
  ...['\u2018', '\u2019', '\u201C', '\u201D'].map((q) => ({
    source: `user.department -eq \u2018Sales\u2019 -or user.department -eq \u201CSales\u201D`,
    text: q,
    has: INVALID_QUOTE,
    oneToken: true,
  })),
  // Constants.
  { source: 'user.accountEnabled -eq true', text: 'true', has: BOOLEAN, oneToken: true },
  { source: 'user.dirSyncEnabled -eq false', text: 'false', has: BOOLEAN, oneToken: true },
  { source: 'user.accountEnabled -eq True', text: 'True', has: BOOLEAN, oneToken: true },
  { source: 'user.accountEnabled -eq "true"', text: 'true', has: DQ_STRING, lacks: 'constant' },
  { source: 'user.objectId -ne null', text: 'null', has: NULL, oneToken: true },
  { source: 'user.userType -eq "null"', text: 'null', has: DQ_STRING, lacks: 'constant' },
  { source: 'user.employeeId -eq 42', text: '42', has: NUMBER, oneToken: true },
  { source: 'user.employeeId -in [1, 2.5, -3]', text: '2.5', has: NUMBER, oneToken: true },
  { source: 'user.employeeId -in [1, 2.5, -3]', text: '-3', has: NUMBER, lacks: 'invalid', oneToken: true },
  {
    source: 'user.employeeHireDate -le 2020-06-10T18:13:20Z',
    text: '2020-06-10T18:13:20Z',
    has: DATETIME,
    oneToken: true,
  },
  { source: 'user.employeeHireDate -ge 2020-06-10', text: '2020-06-10', has: DATETIME, oneToken: true },
  {
    source: 'user.employeeHireDate -ge 2020-06-10T18:13:20.5+02:00',
    text: '2020-06-10T18:13:20.5+02:00',
    has: DATETIME,
    oneToken: true,
  },
  { source: 'user.employeeHireDate -ge system.now -minus p1d', text: 'p1d', has: DURATION, oneToken: true },
  { source: 'user.employeeHireDate -ge system.now -minus P30D', text: 'P30D', has: DURATION, oneToken: true },
  { source: 'user.employeeHireDate -ge system.now -minus PT12H', text: 'PT12H', has: DURATION, oneToken: true },
  { source: 'user.employeeHireDate -ge system.now -minus P1DT2H30M', text: 'P1DT2H30M', has: DURATION, oneToken: true },
  {
    source: 'user.employeeHireDate -ge "2020-06-10T18:13:20Z"',
    text: '2020-06-10T18:13:20Z',
    has: DQ_STRING,
    lacks: 'constant.other',
  },
  // Arrays, parentheses.
  {
    source: 'user.country -in ["Kenya","Guyana"]',
    text: '[',
    has: S('punctuation.definition.array.begin'),
    oneToken: true,
  },
  {
    source: 'user.country -in ["Kenya","Guyana"]',
    text: ']',
    has: S('punctuation.definition.array.end'),
    oneToken: true,
  },
  { source: 'user.country -in ["Kenya","Guyana"]', text: ',', has: S('punctuation.separator.comma'), oneToken: true },
  { source: 'user.country -in ["Kenya","Guyana"]', text: 'Guyana', has: DQ_STRING },
  { source: '(user.department -eq "Sales")', text: '(', has: S('punctuation.section.parens.begin'), oneToken: true },
  { source: '(user.department -eq "Sales")', text: ')', has: S('punctuation.section.parens.end'), oneToken: true },
  { source: 'user.mail -match "^(a|b)\\[x\\]$"', text: '(a|b)', has: DQ_STRING, lacks: 'punctuation.section' },
  // Direct reports.
  {
    source: 'Direct Reports for "0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22"',
    text: 'Direct Reports for',
    has: DIRECT_REPORTS,
  },
  ...['Direct', 'Reports', 'for'].map((word) => ({
    source: 'Direct Reports for "0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22"',
    text: word,
    has: DIRECT_REPORTS,
  })),
  {
    source: 'Direct Reports for "0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22"',
    text: '0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22',
    has: DQ_STRING,
    lacks: 'constant',
  },
  {
    source: 'direct reports FOR "0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22"',
    text: 'direct reports FOR',
    has: DIRECT_REPORTS,
  },
  { source: 'Direct Reports for "0b1c9a0e"', text: '"', has: STRING_BEGIN, oneToken: true },
];

// A rule may span lines: the state carries over.
const multiLine =
  '(user.department -eq "Sales")\n  -and\n  (\n    user.country -in [\n      "US",\n      "CA"\n    ]\n  )';
const multiLineCases: ScopeCase[] = [
  { source: multiLine, text: '-and', has: LOGICAL, oneToken: true },
  { source: multiLine, text: 'country', has: PROPERTY, oneToken: true },
  { source: multiLine, text: 'CA', has: DQ_STRING },
  { source: multiLine, text: ']', has: S('punctuation.definition.array.end') },
  { source: multiLine, text: ')', occurrence: 1, has: S('punctuation.section.parens.end') },
];

runCases('operators', rules, operatorCases);
runCases('operands', rules, operandCases);
runCases('values', rules, valueCases);
runCases('multi-line', rules, multiLineCases);

interface CorpusRule {
  rule: string;
  valid: boolean;
  note: string;
}

function readCorpus(): CorpusRule[] {
  return readFileSync(corpusFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusRule);
}

test('corpus: every rule tokenizes, and no valid rule gets an invalid.* scope', async () => {
  const grammar = await rules();
  const corpus = readCorpus();
  assert.ok(corpus.length > 0, 'corpus is empty');
  for (const entry of corpus) {
    const tokenized = tokenize(grammar, entry.rule);
    assert.equal(tokenized.stoppedEarly, false, entry.note);
    // Tokens cover the rule exactly, in order.
    assert.equal(tokenized.tokens.map((t) => t.text).join(''), entry.rule, entry.note);
    for (const t of tokenized.tokens) assert.equal(t.scopes[0], RULE_SCOPE, entry.note);
    if (entry.valid) {
      const invalid = allScopes(tokenized).filter((s) => s.startsWith('invalid.'));
      assert.deepEqual(invalid, [], `${entry.note}: ${entry.rule}\n${dump(tokenized)}`);
    }
  }
});

test('corpus: the lexically invalid rules get an invalid.* scope', async () => {
  const grammar = await rules();
  // The other invalid rules are wrong in ways a grammar cannot see (types, properties, balance).
  const lexical = new Map([
    ['single equals sign', INVALID_OPERATOR],
    ['unknown operator', INVALID_OPERATOR],
    ['typographic single quotes', INVALID_QUOTE],
    ['trailing garbage', INVALID_OPERATOR],
  ]);
  const corpus = readCorpus();
  for (const [note, scope] of lexical) {
    const entry = corpus.find((e) => e.note === note);
    assert.ok(entry !== undefined, `corpus has no rule noted ${JSON.stringify(note)}`);
    assert.equal(entry.valid, false);
    const tokenized = tokenize(grammar, entry.rule);
    assert.ok(allScopes(tokenized).includes(scope), `${note}: ${entry.rule}\n${dump(tokenized)}`);
  }
});

test('grammar files: names and scope suffixes', () => {
  const rule = JSON.parse(readFileSync(grammarFiles[RULE_SCOPE] as string, 'utf8')) as Record<string, unknown>;
  const injection = JSON.parse(readFileSync(grammarFiles[INJECTION_SCOPE] as string, 'utf8')) as Record<
    string,
    unknown
  >;
  assert.equal(rule['scopeName'], RULE_SCOPE);
  assert.equal(injection['scopeName'], INJECTION_SCOPE);
  assert.equal(typeof injection['injectionSelector'], 'string');
  // Every scope our rule grammar assigns ends in .entra-rule; the injection grammar uses
  // .entra-rule for rule tokens and .json only for the JSON structure it takes over.
  const names = (node: unknown, out: string[]): string[] => {
    if (Array.isArray(node)) node.forEach((n) => names(n, out));
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'name' || key === 'contentName') && typeof value === 'string') out.push(...value.split(' '));
        else names(value, out);
      }
    }
    return out;
  };
  const ruleNames = names(rule['repository'], []);
  assert.ok(ruleNames.length > 20);
  for (const n of ruleNames) assert.match(n, /\.entra-rule$/);
  for (const n of names(injection['repository'], [])) assert.match(n, /\.(entra-rule|json)$/);
});

// ---------------------------------------------------------------------------------------------
// source.entra-rule.injection-json (via source.json)

const RULE_META = 'meta.membership-rule.entra-rule';
const simplePolicy = '{"membershipRule": "(user.department -eq \\"Sales\\")"}';
const twoKeys =
  '{"displayName": "-eq", "membershipRule": "user.city -eq \\"x\\"", "description": "user.city -eq true"}';

const jsonMultiLine =
  '{"membershipRule": "(user.a -eq \\"x\\")\\n-and\\nuser.b -ne null\\r\\n-or\\tdevice.isRooted -eq true"}';

const injectionCases: ScopeCase[] = [
  { source: simplePolicy, text: '-eq', has: COMPARISON, oneToken: true },
  { source: simplePolicy, text: 'user', has: OBJECT, oneToken: true },
  { source: simplePolicy, text: 'department', has: PROPERTY, oneToken: true },
  { source: simplePolicy, text: '(', has: S('punctuation.section.parens.begin'), oneToken: true },
  { source: simplePolicy, text: '-eq', has: 'string.quoted.double.json' },
  { source: simplePolicy, text: '-eq', has: 'meta.structure.dictionary.value.json' },
  { source: simplePolicy, text: '\\"', has: STRING_BEGIN, oneToken: true },
  { source: simplePolicy, text: '\\"', occurrence: 1, has: STRING_END, oneToken: true },
  { source: simplePolicy, text: 'Sales', has: DQ_STRING, oneToken: true },
  { source: simplePolicy, text: ')', has: S('punctuation.section.parens.end'), lacks: S('string'), oneToken: true },
  { source: simplePolicy, text: '"', occurrence: 2, has: 'punctuation.definition.string.begin.json', oneToken: true },
  { source: simplePolicy, text: '"', occurrence: -1, has: 'punctuation.definition.string.end.json', oneToken: true },
  {
    source: simplePolicy,
    text: 'membershipRule',
    has: 'support.type.property-name.json',
    lacks: 'meta.membership-rule',
  },
  { source: simplePolicy, text: ':', has: 'punctuation.separator.dictionary.key-value.json', oneToken: true },
  { source: simplePolicy, text: '}', has: 'punctuation.definition.dictionary.end.json', oneToken: true },
  // Only the membershipRule value is a rule.
  { source: twoKeys, text: '-eq', has: 'string.quoted.double.json', lacks: 'keyword' },
  { source: twoKeys, text: '-eq', occurrence: 1, has: COMPARISON },
  { source: twoKeys, text: '-eq', occurrence: 2, lacks: 'keyword' },
  { source: twoKeys, text: 'true', lacks: 'constant' },
  { source: twoKeys, text: ',', occurrence: 1, has: 'punctuation.separator.dictionary.pair.json', oneToken: true },
  { source: twoKeys, text: 'description', has: 'support.type.property-name.json' },
  {
    source: '{"displayName": "membershipRule", "x": "user.a -eq 1"}',
    text: 'membershipRule',
    has: 'string.quoted.double.json',
    lacks: 'support.type',
  },
  { source: '{"displayName": "membershipRule", "x": "user.a -eq 1"}', text: '-eq', lacks: 'keyword' },
  { source: '{"description": "see \\"membershipRule\\": \\"user.a -eq 1\\""}', text: '-eq', lacks: 'keyword' },
  // JSON escapes inside the rule.
  {
    source: '{"membershipRule": "user.companyName -eq \\"Fabrikam `\\"West`\\"\\""}',
    text: '`\\"',
    has: ESCAPE,
    oneToken: true,
  },
  { source: '{"membershipRule": "user.companyName -eq \\"Fabrikam `\\"West`\\"\\""}', text: 'West', has: DQ_STRING },
  {
    source: '{"membershipRule": "user.companyName -eq \\"Fabrikam `\\"West`\\"\\""}',
    text: '\\"',
    occurrence: 3,
    has: STRING_END,
    oneToken: true,
  },
  {
    source: '{"membershipRule": "user.companyName -eq \\"Fabrikam `\\"West`\\"\\""}',
    text: '"',
    occurrence: -1,
    has: 'punctuation.definition.string.end.json',
    oneToken: true,
  },
  {
    source: '{"membershipRule": "user.mail -match \\".*@contoso\\\\.com$\\" -and user.city -eq \\"x\\""}',
    text: '\\\\',
    has: 'constant.character.escape.json',
    oneToken: true,
  },
  {
    source: '{"membershipRule": "user.mail -match \\".*@contoso\\\\.com$\\" -and user.city -eq \\"x\\""}',
    text: '\\\\',
    has: DQ_STRING,
  },
  {
    source: '{"membershipRule": "user.mail -match \\".*@contoso\\\\.com$\\" -and user.city -eq \\"x\\""}',
    text: '-and',
    has: LOGICAL,
  },
  { source: '{"membershipRule": "user.mail -eq \\"a\\\\\\" -and user.city -eq \\"x\\""}', text: '-and', has: LOGICAL },
  {
    source: '{"membershipRule": "user.department -eq \\u2018Sales\\u2019"}',
    text: '\\u2018',
    has: 'constant.character.escape.json',
    oneToken: true,
  },
  {
    source: '{"membershipRule": "user.department -eq \u2018Sales\u2019"}',
    text: '\u2018',
    has: INVALID_QUOTE,
    oneToken: true,
  },
  { source: '{"membershipRule": "user.department == \\"Sales\\""}', text: '==', has: INVALID_OPERATOR, oneToken: true },
  {
    source: '{"membershipRule": "user.department -equals \\"Sales\\""}',
    text: '-equals',
    has: INVALID_OPERATOR,
    oneToken: true,
  },
  {
    source: `{"membershipRule": "user.memberOf -any (group.objectId -in ['a''b'])"}`,
    text: "''",
    has: ESCAPE,
    oneToken: true,
  },
  {
    source: `{"membershipRule": "user.memberOf -any (group.objectId -in ['a''b'])"}`,
    text: 'group',
    has: ITEM,
    oneToken: true,
  },
  {
    source: '{"membershipRule": "Direct Reports for \\"0b1c9a0e\\""}',
    text: 'Direct Reports for',
    has: DIRECT_REPORTS,
  },
  { source: '{"membershipRule": "Direct Reports for \\"0b1c9a0e\\""}', text: '0b1c9a0e', has: DQ_STRING },
  { source: '{"membershipRule": "user.accountEnabled -eq true", "x": true}', text: 'true', has: BOOLEAN },
  {
    source: '{"membershipRule": "user.accountEnabled -eq true", "x": true}',
    text: 'true',
    occurrence: 1,
    has: 'constant.language.json',
    lacks: 'constant.language.boolean',
  },
  // A rule written across lines inside the JSON string (\n, \r\n, \t escapes).
  { source: jsonMultiLine, text: '-and', has: LOGICAL, oneToken: true },
  { source: jsonMultiLine, text: 'user', occurrence: 1, has: OBJECT, oneToken: true },
  { source: jsonMultiLine, text: '-or', has: LOGICAL, oneToken: true },
  { source: jsonMultiLine, text: 'device', has: OBJECT, oneToken: true },
  { source: jsonMultiLine, text: 'true', has: BOOLEAN, oneToken: true },
  { source: jsonMultiLine, text: '\\r\\n', has: 'constant.character.escape.json' },
  // An unterminated rule string stops at the end of the JSON string.
  {
    source: '{"membershipRule": "user.city -eq \\"Nai", "displayName": "x"}',
    text: 'displayName',
    has: 'support.type.property-name.json',
    lacks: S('string'),
  },
  {
    source: '{"membershipRule": "user.city -eq \\"Nai", "displayName": "x"}',
    text: ',',
    has: 'punctuation.separator.dictionary.pair.json',
    oneToken: true,
  },
  // Not a string value: plain JSON.
  { source: '{"membershipRule": null, "x": 1}', text: 'null', has: 'constant.language.json', lacks: S('constant') },
  { source: '{"membershipRule": null, "x": 1}', text: 'x', has: 'support.type.property-name.json' },
  // Nested, multi-line, colon on the same line as the key, value on the next.
  {
    source:
      '{\n  "targets": [\n    {\n      "membershipRule":\n        "user.city -eq \\"Nairobi\\""\n    }\n  ],\n  "next": 1\n}',
    text: '-eq',
    has: COMPARISON,
  },
  {
    source:
      '{\n  "targets": [\n    {\n      "membershipRule":\n        "user.city -eq \\"Nairobi\\""\n    }\n  ],\n  "next": 1\n}',
    text: 'next',
    has: 'support.type.property-name.json',
  },
];

runCases('injection', json, injectionCases);

test('injection: outside the rule text, JSON tokenizes exactly as without the injection', async () => {
  const sources = [
    simplePolicy,
    twoKeys,
    '{"a": {"membershipRule": "user.a -eq 1", "b": [1, {"membershipRule": "(user.b -eq \\"x\\")"}]}, "c": "-eq"}',
    '{"membershipRule": "user.city -eq \\"Nai", "displayName": "x"}',
    '{"membershipRule": null, "membershipRule": ["a", 1], "x": {"membershipRule": {"y": "z"}}}',
    ...readdirSync(policiesDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => readFileSync(join(policiesDir, f), 'utf8')),
  ];
  const injected = await json();
  const plain = await plainJson();
  for (const source of sources) {
    const withRule = tokenize(injected, source);
    const without = tokenize(plain, source);
    assert.equal(withRule.stoppedEarly, false);
    const a = scopesPerCharacter(withRule);
    const b = scopesPerCharacter(without);
    let ruleCharacters = 0;
    for (let i = 0; i < source.length; i++) {
      const scopes = a[i] ?? [];
      const inRule = scopes.includes(RULE_META);
      if (inRule) {
        ruleCharacters++;
        // Inside the rule, the JSON context (up to the string) is still there.
        const context = (b[i] ?? []).filter(
          (s) => !/^(constant\.character\.escape|invalid\.illegal\.unrecognized)/.test(s),
        );
        assert.deepEqual(scopes.slice(0, context.length), context, `at ${i} in ${source}`);
      } else {
        assert.deepEqual(scopes, b[i], `at ${i} (${JSON.stringify(source[i])}) in ${source}\n${dump(withRule)}`);
      }
    }
    assert.equal(ruleCharacters > 0, source.includes('"membershipRule": "'), source);
  }
});

test('injection: policy corpus', async () => {
  const grammar = await json();
  const files = readdirSync(policiesDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  let rulesSeen = 0;
  for (const file of files) {
    const source = readFileSync(join(policiesDir, file), 'utf8');
    const tokenized = tokenize(grammar, source);
    assert.equal(tokenized.stoppedEarly, false, file);
    const ruleTokens = tokenized.tokens.filter((t) => t.scopes.includes(RULE_META));
    if (source.includes('"membershipRule"')) {
      rulesSeen++;
      assert.ok(
        ruleTokens.some((t) => t.scopes.includes(OBJECT)),
        `${file}: rule not highlighted\n${dump(tokenized)}`,
      );
    } else {
      assert.equal(ruleTokens.length, 0, file);
    }
    if (file.startsWith('valid-')) {
      const invalid = allScopes(tokenized).filter((s) => s.startsWith('invalid.'));
      assert.deepEqual(invalid, [], file);
    }
  }
  assert.ok(rulesSeen > 0, 'no policy in the corpus has a membershipRule');
  const bad = tokenize(grammar, readFileSync(join(policiesDir, 'invalid-rule-inside-payload.policy.json'), 'utf8'));
  checkCase(bad, {
    source: 'invalid-rule-inside-payload.policy.json',
    text: '==',
    has: INVALID_OPERATOR,
    oneToken: true,
  });
});

// ---------------------------------------------------------------------------------------------
// language-configuration/entra-rule.json

interface LanguageConfiguration {
  comments?: unknown;
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  wordPattern: string;
}

test('language configuration: brackets, pairs, no comments', () => {
  const config = JSON.parse(
    readFileSync(join(repoRoot, 'language-configuration', 'entra-rule.json'), 'utf8'),
  ) as LanguageConfiguration;
  assert.equal(config.comments, undefined);
  assert.deepEqual(config.brackets, [
    ['(', ')'],
    ['[', ']'],
  ]);
  assert.deepEqual(config.autoClosingPairs.map((p) => p.open + p.close).sort(), ['""', '()', '[]']);
  for (const pair of ['()', '[]', '""']) {
    assert.ok(
      config.surroundingPairs.some(([open, close]) => open + close === pair),
      pair,
    );
  }
});

test('language configuration: wordPattern', () => {
  const config = JSON.parse(
    readFileSync(join(repoRoot, 'language-configuration', 'entra-rule.json'), 'utf8'),
  ) as LanguageConfiguration;
  const words = (text: string): string[] => [...text.matchAll(new RegExp(config.wordPattern, 'g'))].map((m) => m[0]);
  assert.deepEqual(words('user.department -notStartsWith "en-US"'), [
    'user',
    'department',
    '-notStartsWith',
    'en',
    'US',
  ]);
  assert.deepEqual(words('-not(user.x -EQ 2020-06-10T18:13:20Z)'), [
    '-not',
    'user',
    'x',
    '-EQ',
    '2020-06-10T18:13:20Z',
  ]);
  assert.deepEqual(words('system.now -minus p1d'), ['system', 'now', '-minus', 'p1d']);
  assert.deepEqual(words('user.extension_9d98_type -eq 5'), ['user', 'extension_9d98_type', '-eq', '5']);
  assert.deepEqual(words('(_ -in ["a","b"])'), ['_', '-in', 'a', 'b']);
});
