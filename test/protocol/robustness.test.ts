/**
 * The real server under hostile documents: a 10 MB payload answers at once with one clear
 * warning, a 50-level nested payload is checked, a burst of edits publishes only for the latest
 * version, and every request still answers afterwards.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './lspClient';

let server: TestServer;
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
  assert.match(String(diagnostics[0]?.message ?? ''), /10\.0 MB.*up to 4\.0 MB/);
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
    diagnostics.some((d) => /not allowed/.test(String(d.message))),
    JSON.stringify(diagnostics),
  );
  assert.ok(ms < 5000);
  const symbols = (await server.connection.sendRequest('textDocument/documentSymbol', {
    textDocument: { uri: 'file:///deep.policy.json' },
  })) as unknown[];
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
