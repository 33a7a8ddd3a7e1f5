/**
 * The real server under hostile documents: a 10 MB payload answers at once with one clear
 * warning, a 50-level nested payload is checked, a burst of edits publishes only for the latest
 * version, and every request still answers afterwards.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from './lspClient';

let server: TestServer;

const messageOf = (d: Diagnostic | undefined) =>
  typeof d?.message === 'string' ? d.message : (d?.message.value ?? '');
before(async () => {
  server = await startServer();
});
after(async () => server.close());

async function open(uri: string, text: string, languageId = 'entra-policy') {
  const published = server.diagnostics(uri);
  await server.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId, version: 1, text },
  });
  return (await published).diagnostics;
}

/** Milliseconds a request takes: answering is bounded, whatever the document. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

test('a 10 MB document gets one size warning, and completion and hover answer empty', async () => {
  const text = `{"displayName": "${'x'.repeat(10 * 1024 * 1024)}"}`;
  const { value: diagnostics, ms } = await timed(() => open('file:///big.policy.json', text));
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['E001'],
  );
  assert.match(messageOf(diagnostics[0]), /10\.0 MB.*up to 4\.0 MB/);
  assert.ok(ms < 5000, `answered in ${ms} ms`);
  const completion = await server.connection.sendRequest('textDocument/completion', {
    textDocument: { uri: 'file:///big.policy.json' },
    position: { line: 0, character: 3 },
  });
  assert.deepEqual(completion, []);
});

test('a 50-level nested payload is checked and answered', async () => {
  const nested = `${'{"a":'.repeat(50)}1${'}'.repeat(50)}`;
  const text = `{"displayName": "x", "accessPackage": {"id": "8a36831e-1527-4b2b-aff2-81259a8d8e76"}, "description": ${JSON.stringify('y')}, "requestorSettings": ${nested}}`;
  const { value: diagnostics, ms } = await timed(() => open('file:///deep.policy.json', text));
  assert.ok(
    diagnostics.some((d) => /not allowed/.test(messageOf(d))),
    JSON.stringify(diagnostics),
  );
  assert.ok(ms < 5000);
  const symbols = await server.connection.sendRequest<unknown[]>('textDocument/documentSymbol', {
    textDocument: { uri: 'file:///deep.policy.json' },
  });
  assert.ok(symbols.length > 0);
});

test('a burst of edits publishes once, for the latest version', async () => {
  const uri = 'file:///burst.rule';
  await open(uri, 'user.department -eq "x"', 'entra-rule');
  const before = server.history.length;
  const last = server.diagnostics(uri, 51);
  for (let v = 2; v <= 51; v++) {
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ text: `user.department -eq "${'x'.repeat(v)}` }],
    });
  }
  const published = await last;
  const seen = server.history
    .slice(before)
    .filter((p) => p.uri === uri)
    .map((p) => p.version);
  assert.equal(published.version, 51);
  assert.deepEqual(
    published.diagnostics.map((d) => d.code),
    ['R104'],
  );
  assert.ok(seen.length <= 3, `published for versions ${seen.join(', ')}`);
});

test('the server still answers after all of that', async () => {
  const diagnostics = await open('file:///after.rule', 'user.dept -eq "x"', 'entra-rule');
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['R202'],
  );
});

/** Hang detector: a generous bound on an answer that must come. */
async function within<T>(what: string, p: Promise<T>, ms = 60_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function change(uri: string, version: number, text: string) {
  const published = server.diagnostics(uri, version);
  await server.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ text }],
  });
  return (await within(`diagnostics of version ${version}`, published)).diagnostics;
}

const request = <R>(method: string, params: unknown) =>
  within(method, server.connection.sendRequest<R>(method, params));

const failures = () => server.logs.filter((l) => / failed: /.test(l));

test('formatting and outline of a 12,000-level document answer empty, with one depth finding', async () => {
  const uri = 'file:///deep12k.policy.json';
  const diagnostics = await within('open', open(uri, `${'['.repeat(12_000)}${']'.repeat(12_000)}`));
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['E002'],
  );
  const logged = failures().length;
  const textDocument = { uri };
  const options = { tabSize: 2, insertSpaces: true };
  assert.deepEqual(await request('textDocument/formatting', { textDocument, options }), []);
  assert.deepEqual(await request('textDocument/documentSymbol', { textDocument }), []);
  assert.deepEqual(await request('textDocument/foldingRange', { textDocument }), []);
  const positions = [{ line: 0, character: 6000 }];
  assert.deepEqual(await request('textDocument/selectionRange', { textDocument, positions }), []);
  assert.deepEqual(failures().slice(logged), [], 'no handler failed: the guard answered');
});

test('a 3,000-level object outline (past where the outline used to fail) answers through the guard', async () => {
  const uri = 'file:///deep3k.policy.json';
  await within('open', open(uri, `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`));
  const logged = failures().length;
  assert.deepEqual(await request('textDocument/documentSymbol', { textDocument: { uri } }), []);
  assert.deepEqual(failures().slice(logged), []);
});

test('formatting, outline and folding of a 10 MB document answer empty', async () => {
  const uri = 'file:///big-format.policy.json';
  await within('open', open(uri, `{"displayName": "${'x'.repeat(10 * 1024 * 1024)}", "value": [[1, 2], {"a": 1}]}`));
  const textDocument = { uri };
  const options = { tabSize: 2, insertSpaces: true };
  assert.deepEqual(await request('textDocument/formatting', { textDocument, options }), []);
  assert.deepEqual(await request('textDocument/documentSymbol', { textDocument }), []);
  assert.deepEqual(await request('textDocument/foldingRange', { textDocument }), []);
});

test('formatting a minified payload over LSP: one edit for its one line, valid JSON after', async () => {
  const uri = 'file:///minified.policy.json';
  const value = Array.from({ length: 500 }, (_, i) => ({ id: `p${i}`, stages: [{ a: [1, 2] }] }));
  const text = JSON.stringify({ displayName: 'x', value });
  await within('open', open(uri, text));
  const edits = await request<
    { range: { start: { character: number }; end: { character: number } }; newText: string }[]
  >('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  assert.equal(edits.length, 1);
  const [edit] = edits;
  const after = edit
    ? text.slice(0, edit.range.start.character) + edit.newText + text.slice(edit.range.end.character)
    : '';
  assert.ok(after === JSON.stringify(JSON.parse(text), null, 2), 'formatted as JSON.stringify(…, null, 2) would');
});

test('128k unknown keys are reported over LSP as 100 findings and one summary, without freezing', async () => {
  const keys = Array.from({ length: 128_000 }, (_, i) => `"k${i}": 1`).join(', ');
  const text = `{"displayName": "x", "accessPackage": {"id": "8a36831e-1527-4b2b-aff2-81259a8d8e76"}, ${keys}}`;
  const diagnostics = await within('open', open('file:///unknown128k.policy.json', text));
  assert.equal(diagnostics.length, 101);
  assert.match(messageOf(diagnostics.at(-1)), /and 127,900 more unknown properties/);
});

test('a document that becomes too deep replaces its old findings with the depth finding', async () => {
  const uri = 'file:///stale.policy.json';
  const first = await within('open', open(uri, '{"displayName": 5}'));
  assert.ok(first.length > 0);
  const second = await change(uri, 2, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
  assert.deepEqual(
    second.map((d) => d.code),
    ['E002'],
  );
});

test('a rule whose check blows up still replaces its old findings (never left stale)', async () => {
  const uri = 'file:///stale.rule';
  const first = await within('open', open(uri, 'user.dept -eq "x"', 'entra-rule'));
  assert.deepEqual(
    first.map((d) => d.code),
    ['R202'],
  );
  const clauses = Array.from({ length: 20_000 }, (_, i) => `(user.department -eq "d${i}")`).join(' -or ');
  const second = await change(uri, 2, clauses);
  assert.ok(!second.some((d) => d.code === 'R202'), JSON.stringify(second.slice(0, 3)));
  assert.ok(second.length > 0, 'a finding says what happened');
});

test('the server still answers after the deep and huge documents', async () => {
  const diagnostics = await open('file:///after2.rule', 'user.dept -eq "x"', 'entra-rule');
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['R202'],
  );
  assert.equal(server.process.exitCode, null);
});
