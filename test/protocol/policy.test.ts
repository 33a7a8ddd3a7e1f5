/** Policy payloads over real LSP: diagnostics, completion in a membershipRule, schema hover, quick fix. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, CompletionItem, CompletionList, Hover } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from './lspClient';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => server.close());

const body = [
  '{',
  '  "displayName": "Sales",',
  '  "allowedTargetScope": "specificDirectoryUsers",',
  '  "specificAllowedTargets": [',
  '    {"@odata.type": "#microsoft.graph.attributeRuleMembers", "membershipRule": "(user.department == \\"Sales\\") -and user."}',
  '  ],',
  '  "automaticRequestSettings": {"requestAccessForAllowedTargets": true},',
  '  "accessPackage": {"id": "8a36831e-1527-4b2b-aff2-81259a8d8e76"}',
  '}',
].join('\n');

async function open(uri: string, text: string) {
  const published = server.diagnostics(uri);
  await server.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'entra-policy', version: 1, text },
  });
  return (await published).diagnostics;
}

test('a mistake inside a membershipRule string is reported at its exact place in the JSON', async () => {
  const diagnostics = await open('file:///w/a.policy.json', body);
  const line = body.split('\n')[4] as string;
  const c = diagnostics.find((d) => d.code === 'R105');
  assert.ok(c, JSON.stringify(diagnostics));
  assert.deepEqual(c.range, {
    start: { line: 4, character: line.indexOf('==') },
    end: { line: 4, character: line.indexOf('==') + 2 },
  });
});

test('completion inside a membershipRule offers user properties only', async () => {
  const uri = 'file:///w/b.policy.json';
  await open(uri, body);
  const line = body.split('\n')[4] as string;
  const character = line.indexOf('user."') + 'user.'.length;
  const result = (await server.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: { line: 4, character },
  })) as CompletionList | CompletionItem[];
  const labels = (Array.isArray(result) ? result : result.items).map((i) => i.label);
  assert.ok(labels.includes('department') && labels.includes('jobTitle'), labels.join(' '));
  assert.ok(!labels.includes('deviceModel'));
});

test('hover on a schema property shows its description', async () => {
  const uri = 'file:///w/c.policy.json';
  await open(uri, body);
  const hover = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 2, character: 6 },
  })) as Hover;
  const value = JSON.stringify(hover.contents);
  assert.ok(value.length > 20, value);
  assert.match(value, /target|assign/i);
});

test('the quick fix for a rule mistake writes JSON-escaped text into the string', async () => {
  const uri = 'file:///w/d.policy.json';
  const diagnostics = await open(uri, body);
  const d = diagnostics.find((x) => x.code === 'R105');
  const actions = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: d?.range,
    context: { diagnostics: [d] },
  })) as CodeAction[];
  assert.equal(actions[0]?.edit?.changes?.[uri]?.[0]?.newText, '-eq');
});

test('completion outside rules comes from the schema', async () => {
  const uri = 'file:///w/e.policy.json';
  const text = '{\n  "displayName": "x",\n  \n}';
  await open(uri, text);
  const result = (await server.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: { line: 2, character: 2 },
  })) as CompletionList | CompletionItem[];
  const labels = (Array.isArray(result) ? result : result.items).map((i) => i.label);
  assert.ok(labels.includes('allowedTargetScope') && labels.includes('requestApprovalSettings'), labels.join(' '));
});
