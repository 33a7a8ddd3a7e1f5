/** The real language server over stdio: real LSP messages for every feature of the rule language. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, CompletionItem, CompletionList, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from './lspClient';

let server: TestServer;
let n = 0;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server.close();
  assert.equal(server.process.exitCode, 0);
});

async function open(text: string, languageId = 'entra-rule') {
  const uri = `file:///work/test-${n++}.rule`;
  const published = server.diagnostics(uri);
  await server.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId, version: 1, text },
  });
  return { uri, diagnostics: (await published).diagnostics };
}

test('didOpen of a rule with a mistake publishes its diagnostic; a clean rule publishes an empty list', async () => {
  const bad = await open('user.dept -eq "Sales"');
  assert.deepEqual(
    bad.diagnostics.map((d) => [d.code, d.severity, d.source, d.range]),
    [['R202', 1, 'entitlements', { start: { line: 0, character: 5 }, end: { line: 0, character: 9 } }]],
  );
  const good = await open('user.department -eq "Sales"');
  assert.deepEqual(good.diagnostics, []);
});

test('didChange re-validates after the debounce, for the latest version', async () => {
  const { uri } = await open('user.department -eq "Sales"');
  const published = server.diagnostics(uri, 3);
  await server.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: 'user.department -eq' }],
  });
  await server.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: { line: 0, character: 16 }, end: { line: 0, character: 19 } }, text: '==' }],
  });
  const p = await published;
  assert.equal(p.version, 3);
  assert.deepEqual(
    p.diagnostics.map((d) => d.code),
    ['R105', 'R111'],
  );
});

test('completion after user. offers properties with types and docs', async () => {
  const { uri } = await open('user.');
  const result = (await server.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: { line: 0, character: 5 },
  })) as CompletionItem[] | CompletionList;
  const items = Array.isArray(result) ? result : result.items;
  const department = items.find((i) => i.label === 'department');
  assert.ok(department, 'department offered');
  assert.equal(department.detail, 'string');
  assert.ok(items.some((i) => i.label === 'proxyAddresses'));
  assert.ok(!items.some((i) => i.label === 'deviceModel'));
});

test('hover on a property shows its type and operators', async () => {
  const { uri } = await open('user.accountEnabled -eq true');
  const hover = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 0, character: 8 },
  })) as Hover;
  const value = (hover.contents as { value: string }).value;
  assert.match(value, /\*\*user\.accountEnabled\*\*: boolean/);
  assert.match(value, /Operators: -eq -ne/);
});

test('codeAction returns the quick fix carried by the published diagnostic', async () => {
  const { uri, diagnostics } = await open('user.department == "Sales"');
  const actions = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostics[0]?.range,
    context: { diagnostics },
  })) as CodeAction[];
  const fix = actions.find((a) => a.isPreferred);
  assert.equal(fix?.title, "Replace '==' with -eq");
  assert.deepEqual(fix?.edit?.changes?.[uri], [
    { range: { start: { line: 0, character: 16 }, end: { line: 0, character: 18 } }, newText: '-eq' },
  ]);
});

test('formatting returns the canonical text', async () => {
  const { uri } = await open('user.DEPARTMENT   -EQ "Sales"  -and( user.city -eq "x")');
  const edits = (await server.connection.sendRequest('textDocument/formatting', {
    textDocument: { uri },
    options: { tabSize: 2, insertSpaces: true },
  })) as TextEdit[];
  assert.equal(edits.length, 1);
  assert.equal(edits[0]?.newText, 'user.department -eq "Sales" -and (user.city -eq "x")');
});

test('capabilities are declared statically in the initialize result', () => {
  const caps = server.initializeResult.capabilities;
  assert.equal(caps.hoverProvider, true);
  assert.equal(caps.documentFormattingProvider, true);
  assert.deepEqual(caps.completionProvider?.triggerCharacters, ['.', '-', '(', '[', '"']);
  assert.ok(caps.codeActionProvider);
});

test('requests for unknown documents and hostile text answer empty, the server survives', async () => {
  const res = await server.connection.sendRequest('textDocument/completion', {
    textDocument: { uri: 'file:///nope.rule' },
    position: { line: 0, character: 0 },
  });
  assert.deepEqual(res, []);
  const { diagnostics } = await open('('.repeat(10000) + '\uD800"`');
  assert.ok(diagnostics.length > 0);
  const again = await open('user.department -eq "x"');
  assert.deepEqual(again.diagnostics, []);
});

test('documents of other languages get no diagnostics from the rule service', async () => {
  const uri = 'file:///work/x.txt';
  await server.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'plaintext', version: 1, text: 'user.dept' },
  });
  const hover = await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 0, character: 2 },
  });
  assert.equal(hover, null);
});
