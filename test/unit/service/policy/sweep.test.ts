/**
 * Never-throws sweep for policy payloads: every corpus payload and each of its prefixes, and
 * 10k mutated payloads (fixed seed): validation, completion and hover answer, and every range
 * lies inside the document.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../../server/src/service/languageService';
import { corpusDir, listFiles } from '../../../helpers';

const service = getLanguageService();
const payloads = listFiles(join(corpusDir, 'policies'), '.json').map((f) => readFileSync(f, 'utf8'));

function inside(doc: TextDocument, r: Range): boolean {
  const s = doc.offsetAt(r.start);
  const e = doc.offsetAt(r.end);
  return s <= e && e <= doc.getText().length && r.start.line < doc.lineCount + 1;
}

/** Catches a hang or a blow-up, far above a call's cost: speed itself is measured by `npm run bench`. */
const BOUND_MS = 5000;

/** The same for the generated giants below (deep nesting, 128k keys), on a machine shared with other work. */
const BIG_BOUND_MS = 60_000;

async function bounded<T>(what: string, f: () => Promise<T> | T, bound = BOUND_MS): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  const ms = performance.now() - t0;
  assert.ok(ms < bound, `${what} took ${ms.toFixed(0)} ms`);
  return out;
}

async function everything(text: string, offset: number, bound = BOUND_MS): Promise<void> {
  const doc = TextDocument.create('file:///sweep.policy.json', 'entra-policy', 1, text);
  for (const d of await bounded('validate', () => service.validate(doc), bound))
    assert.ok(inside(doc, d.range), `diagnostic outside: ${JSON.stringify(d.range)}`);
  const position = doc.positionAt(offset);
  const completion = await bounded('completion', () => service.complete(doc, position), bound);
  for (const item of Array.isArray(completion) ? completion : completion.items) {
    const edit = item.textEdit;
    if (edit && 'range' in edit) assert.ok(inside(doc, edit.range), 'completion edit outside');
  }
  await bounded('hover', () => service.hover(doc, position), bound);
  for (const edit of await bounded('format', () => service.format(doc), bound)) {
    assert.equal(typeof edit.newText, 'string', 'a formatting edit without text');
    assert.ok(inside(doc, edit.range), 'formatting edit outside');
  }
  await bounded('symbols', () => service.symbols(doc), bound);
  await bounded('folding', () => service.foldingRanges(doc), bound);
  await bounded('selection', () => service.selectionRanges(doc, [position]), bound);
}

test('corpus payloads and their prefixes', async () => {
  for (const text of payloads) {
    for (let i = 0; i <= text.length; i += 7) await everything(text.slice(0, i), i);
  }
});

const noise = fc.constantFrom(
  '"',
  '\\',
  '\\"',
  '\\u00',
  '\\uD83D',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  'null',
  'true',
  '"true"',
  '1e999',
  '-',
  '\uFEFF',
  '\r\n',
  '\uD83D\uDE00',
  '"P14D"',
  '"membershipRule": "',
  'user.',
  '(',
  '=='.repeat(3),
  'x'.repeat(5000),
);

const mutated = fc
  .tuple(fc.constantFrom(...payloads), fc.array(fc.tuple(fc.nat(), fc.nat(8), noise), { minLength: 1, maxLength: 5 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [at, del, ins] of edits) {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(i + del);
    }
    return s;
  });

test('mutated payloads (10k in CI)', async () => {
  await fc.assert(
    fc.asyncProperty(mutated, fc.nat(), async (text, at) => everything(text, at % (text.length + 1))),
    { numRuns: Number(process.env.POLICY_SWEEP_RUNS ?? 10_000), seed: Number(process.env.FUZZ_SEED ?? 99) },
  );
});

test('hostile documents: deep nesting, BOM, CRLF, huge strings, wrong root types', async () => {
  const deep = `${'{"a":'.repeat(50)}1${'}'.repeat(50)}`;
  for (const text of [
    deep,
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
    '\uFEFF{"displayName": "a"}',
    '{\r\n"displayName": "a"\r\n}',
    `{"description": "${'x'.repeat(1_000_000)}"}`,
    '42',
    'null',
    '"x"',
    '',
    '{"specificAllowedTargets": [{"membershipRule": 7}]}',
  ]) {
    await everything(text, text.length >> 1);
  }
});

test('generated giants: nesting up to 100k levels, 128k unknown keys, wide pages (bounded per call)', async () => {
  const shapes: string[] = [];
  for (const levels of [100, 1_000, 2_356, 4_006, 12_000, 100_000]) {
    shapes.push(`${'['.repeat(levels)}${']'.repeat(levels)}`);
    shapes.push(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);
    shapes.push(`{"displayName": "x", "requestorSettings": ${'[{"b":'.repeat(levels >> 1)}`); // never closed
  }
  shapes.push(`{${Array.from({ length: 128_000 }, (_, i) => `"k${i}": ${i}`).join(', ')}}`);
  shapes.push(`[${'1,'.repeat(299_999)}1]`); // 300k items of the wrong type
  shapes.push(
    `[${Array.from({ length: 20_000 }, (_, i) => `{"displayName": ${i}, "durationInDays": "P${i}D"}`).join(',')}]`,
  );
  for (const text of shapes) await everything(text, text.length >> 1, BIG_BOUND_MS);
});
