/**
 * The service under documents built to freeze or crash it: deep nesting, thousands of unknown
 * keys, huge and empty documents. Every request answers, bounded, with one clear finding where
 * the document cannot be analysed. The time bounds are hang detectors far above a call's cost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import {
  getLanguageService,
  MAX_FINDINGS_PER_KIND,
  MORE_FINDINGS_CODE,
  TOO_DEEP_CODE,
  TOO_LARGE_CODE,
} from '../../../../server/src/service/languageService';
import { MAX_JSON_DEPTH } from '../../../../server/src/service/json/limits';
import { PolicyCode } from '../../../../server/src/service/policy/codes';

const service = getLanguageService();
const HANG_MS = 20_000;

const messageOf = (d: Diagnostic | undefined) =>
  typeof d?.message === 'string' ? d.message : (d?.message.value ?? '');

function policy(text: string, uri = 'file:///limits.policy.json'): TextDocument {
  return TextDocument.create(uri, 'entra-policy', 1, text);
}

async function bounded<T>(what: string, f: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  const ms = performance.now() - t0;
  assert.ok(ms < HANG_MS, `${what} took ${ms.toFixed(0)} ms`);
  return out;
}

function unknownKeys(n: number): string {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(`"unknownKey${i}": ${i}`);
  return `{"displayName": "x", "accessPackage": {"id": "8a36831e-1527-4b2b-aff2-81259a8d8e76"}, ${keys.join(', ')}}`;
}

test('128k unknown keys: the first 100 are listed, then one summary, in bounded time', async () => {
  const doc = policy(unknownKeys(128_000));
  const diagnostics = await bounded('validate', () => service.validate(doc));
  const unknown = diagnostics.filter((d) => / is not allowed\.$/.test(messageOf(d)));
  assert.equal(unknown.length, MAX_FINDINGS_PER_KIND);
  const summary = diagnostics.filter((d) => d.code === MORE_FINDINGS_CODE);
  assert.equal(summary.length, 1);
  assert.equal(
    summary[0]?.message,
    '… and 127,900 more unknown properties not shown (the first 100 of each kind are listed).',
  );
  assert.equal(summary[0]?.severity, DiagnosticSeverity.Error, 'the summary keeps the severity of what it hides');
  assert.equal(diagnostics.length, MAX_FINDINGS_PER_KIND + 1);
});

test('a 1 MB request body of unknown keys (as the sandbox validates a POST) is answered in bounded time', async () => {
  // Under the sandbox's 1 MB body limit: 62k keys.
  const text = unknownKeys(62_000).replace(/unknownKey/g, 'k');
  assert.ok(text.length > 900_000 && text.length < 1024 * 1024, `${text.length} characters`);
  const doc = policy(text, 'sandbox://request/body.policy.json');
  const errors = (await bounded('validate', () => service.validate(doc))).filter(
    (d) => d.severity === DiagnosticSeverity.Error,
  );
  assert.equal(errors.length, MAX_FINDINGS_PER_KIND + 1);
});

test('findings of different kinds are limited separately, and the summary sits at the first one hidden', async () => {
  const wrongTypes = Array.from({ length: 150 }, (_, i) => `{"displayName": ${i}}`).join(', ');
  const text = `{"value": [${wrongTypes}], ${Array.from({ length: 120 }, (_, i) => `"k${i}": 1`).join(', ')}}`;
  const doc = policy(text);
  const diagnostics = await service.validate(doc);
  const summaries = diagnostics.filter((d) => d.code === MORE_FINDINGS_CODE).map((d) => messageOf(d));
  assert.ok(
    summaries.some((m) => /and 20 more unknown properties/.test(m)),
    summaries.join('\n'),
  );
  assert.ok(
    summaries.some((m) => /and 50 more values of the wrong type/.test(m)),
    summaries.join('\n'),
  );
  // P702 (no access package) once per policy: 150 of them, limited on their own code.
  assert.ok(
    summaries.some((m) => /and 50 more findings P702/.test(m)),
    summaries.join('\n'),
  );
});

const deepArrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObjects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

for (const [name, make] of [
  ['arrays', deepArrays],
  ['objects', deepObjects],
] as const) {
  for (const levels of [MAX_JSON_DEPTH + 1, 4_006, 12_000, 100_000]) {
    test(`${levels} nested ${name}: one depth finding, every request answers empty`, async () => {
      const doc = policy(make(levels));
      const diagnostics = await bounded('validate', () => service.validate(doc));
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        [TOO_DEEP_CODE],
      );
      assert.equal(diagnostics[0]?.severity, DiagnosticSeverity.Error);
      assert.match(messageOf(diagnostics[0]), /more than 64 levels deep/);
      // The finding points at the bracket that went one level too deep.
      const at = doc.offsetAt(diagnostics[0]?.range.start ?? { line: 0, character: 0 });
      assert.equal(doc.getText()[at], name === 'arrays' ? '[' : '{');
      const middle = doc.positionAt(doc.getText().length >> 1);
      assert.deepEqual(await bounded('format', () => service.format(doc)), []);
      assert.deepEqual(await bounded('symbols', () => service.symbols(doc)), []);
      assert.deepEqual(await bounded('folding', () => service.foldingRanges(doc)), []);
      assert.deepEqual(await bounded('selection', () => service.selectionRanges(doc, [middle])), []);
      assert.deepEqual(await bounded('completion', () => service.complete(doc, middle)), []);
      assert.equal(await bounded('hover', () => service.hover(doc, middle)), null);
      assert.deepEqual(service.codeActions(doc, { start: middle, end: middle }, diagnostics), []);
    });
  }
}

test('64 levels are still analysed, outlined and formatted', async () => {
  const doc = policy(deepObjects(MAX_JSON_DEPTH));
  const codes = (await service.validate(doc)).map((d) => d.code);
  assert.ok(!codes.includes(TOO_DEEP_CODE), codes.join());
  assert.ok(service.symbols(doc).length > 0);
  assert.ok(service.format(doc).length > 0);
});

test('a 10 MB document: every request answers empty at once', async () => {
  const doc = policy(`{"displayName": "${'x'.repeat(10 * 1024 * 1024)}", "a": [[[1]]]}`);
  assert.deepEqual(
    (await service.validate(doc)).map((d) => d.code),
    [TOO_LARGE_CODE],
  );
  const end = doc.positionAt(doc.getText().length - 3);
  assert.deepEqual(await bounded('format', () => service.format(doc)), []);
  assert.deepEqual(await bounded('symbols', () => service.symbols(doc)), []);
  assert.deepEqual(await bounded('folding', () => service.foldingRanges(doc)), []);
  assert.deepEqual(await bounded('selection', () => service.selectionRanges(doc, [end])), []);
  assert.deepEqual(await bounded('completion', () => service.complete(doc, end)), []);
  assert.equal(await bounded('hover', () => service.hover(doc, end)), null);
});

function applied(doc: TextDocument, edits: TextEdit[]): string {
  for (const e of edits) assert.equal(typeof e.newText, 'string', `an edit without text: ${JSON.stringify(e)}`);
  return TextDocument.applyEdits(doc, edits);
}

test('formatting a minified document: at most one edit per line, same result as jsonc-parser', () => {
  const text = JSON.stringify({
    displayName: 'x',
    value: Array.from({ length: 2000 }, (_, i) => ({ id: `p${i}`, stages: [{ a: 1 }, { b: [true, null] }] })),
  });
  const doc = policy(text);
  const edits = service.format(doc, { tabSize: 2, insertSpaces: true });
  assert.equal(edits.length, 1, 'one line, one edit');
  assert.equal(applied(doc, edits), JSON.stringify(JSON.parse(text), null, 2));
});

test('formatting an almost formatted document changes only the lines that need it', () => {
  const text = '{\n  "displayName": "x",\n      "description": "y",\n  "value": [1,2]\n}';
  const doc = policy(text);
  const edits = service.format(doc, { tabSize: 2, insertSpaces: true });
  assert.deepEqual(
    edits.map((e) => [e.range.start.line, e.range.end.line]),
    [
      [1, 2],
      [3, 3],
    ],
  );
  assert.equal(
    applied(doc, edits),
    '{\n  "displayName": "x",\n  "description": "y",\n  "value": [\n    1,\n    2\n  ]\n}',
  );
});

test('re-indenting a document edits each line on its own, not the whole text at once', () => {
  const text = '{\n    "displayName": "x",\n    "description": "y",\n    "value": []\n}';
  const doc = policy(text);
  const edits = service.format(doc, { tabSize: 2, insertSpaces: true });
  assert.deepEqual(
    edits.map((e) => [e.range.start.line, e.range.end.line, e.newText]),
    [
      [0, 1, '\n  '],
      [1, 2, '\n  '],
      [2, 3, '\n  '],
    ],
  );
  assert.equal(applied(doc, edits), '{\n  "displayName": "x",\n  "description": "y",\n  "value": []\n}');
});

test('formatting at 200 columns of indentation yields real text (jsonc-parser leaves it undefined)', () => {
  for (const [tabSize, levels] of [
    [4, 50],
    [8, 25],
  ] as const) {
    const doc = policy(deepObjects(levels + 1));
    const out = applied(doc, service.format(doc, { tabSize, insertSpaces: true }));
    assert.deepEqual(JSON.parse(out), JSON.parse(doc.getText()));
    assert.ok(out.includes(`\n${' '.repeat(200)}`), 'indented 200 columns');
    assert.ok(!out.includes('undefined'));
  }
});

test('formatting that would outgrow the size limit is refused', () => {
  // 60 levels, 8 columns each: every line of the result carries up to 480 spaces.
  const text = Array.from({ length: 100 }, () => deepArrays(60)).join(',');
  const doc = policy(`[${text}]`);
  const small = { casingHints: true, maxDocumentLength: 1024 * 1024 };
  assert.deepEqual(service.format(doc, { tabSize: 8, insertSpaces: true }, small), []);
  assert.ok(service.format(doc, { tabSize: 1, insertSpaces: true }, small).length > 0);
});

test('an empty policy document gets one finding instead of passing', async () => {
  for (const text of ['', '   \n\t']) {
    const diagnostics = await service.validate(policy(text));
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [[PolicyCode.emptyDocument, DiagnosticSeverity.Error]],
    );
    assert.match(messageOf(diagnostics[0]), /empty/);
  }
  const request = await service.validate(policy('', 'file:///x.assignmentRequest.json'));
  assert.match(messageOf(request[0]), /assignment request/);
});

test('selection ranges answer for an editor’s cursors, not for a flood of positions', () => {
  const doc = policy(unknownKeys(2_000));
  const at = (i: number) => doc.positionAt(40 + i);
  assert.equal(service.selectionRanges(doc, [at(0), at(5)]).length, 2);
  assert.deepEqual(
    service.selectionRanges(
      doc,
      Array.from({ length: 1001 }, (_, i) => at(i)),
    ),
    [],
  );
});

test('300k values of the wrong type: capped, and the node index is built without spreading them as arguments', async () => {
  const doc = policy(`[${Array.from({ length: 300_000 }, () => '1').join(',')}]`);
  const diagnostics = await bounded('validate', () => service.validate(doc));
  assert.equal(diagnostics.length, MAX_FINDINGS_PER_KIND + 1);
  assert.match(messageOf(diagnostics.at(-1)), /299,900 more values of the wrong type/);
  // Completion and hover collect matching schemas in a way that overflows past ~100k siblings:
  // they answer empty instead of throwing.
  const middle = doc.positionAt(doc.getText().length >> 1);
  const completion = await bounded('completion', () => service.complete(doc, middle));
  assert.ok(Array.isArray(completion) || Array.isArray(completion.items));
  await bounded('hover', () => service.hover(doc, middle));
});
