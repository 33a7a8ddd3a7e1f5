/**
 * Tenant-aware authoring over real LSP: the real server (dist/server.js --stdio) asks this test,
 * acting as the editor, for directory look-ups, which it answers with the extension's own
 * `GraphDirectory` over real HTTP to the demo sandbox. Language diagnostics come first; the id
 * findings follow; hover, completion by name and inlay hints name the objects.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type InlayHint,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../helpers';
import { client as sandboxClient, EM, type Client } from '../sandbox/helpers';
import { GraphClient } from '../../client/src/graph/graphClient';
import { GraphDirectory } from '../../client/src/directory/graphDirectory';
import {
  CHANGED_NOTIFICATION,
  LOOKUP_REQUEST,
  SEARCH_REQUEST,
  VOCABULARY_REQUEST,
  type LookupParams,
  type SearchParams,
} from '../../server/src/service/directory/protocol';

let sb: Client;
let directory: GraphDirectory;
let conn: ProtocolConnection;
let stop: () => Promise<void>;
const history: PublishDiagnosticsParams[] = [];
let lookups = 0;
/** While set, look-ups wait for it: a directory that does not answer. */
let gate: Promise<void> | undefined;
let user: { id: string; displayName: string; userPrincipalName: string };
let groupId: string;
let packageId: string;
let extension: string;
let department: string;
const unknownId = '0badc0de-0000-4000-8000-00000000abcd';

before(async () => {
  sb = await sandboxClient({ seed: 'demo' });
  const graph = new GraphClient({ baseUrl: sb.sandbox.url, getToken: () => Promise.resolve(sb.sandbox.token) });
  directory = new GraphDirectory(graph, 'Sandbox');
  user = (await sb.ok('GET', '/users?$top=1&$select=id,displayName,userPrincipalName')).value[0];
  groupId = (await sb.ok('GET', '/groups?$top=1')).value[0].id;
  packageId = (await sb.ok('GET', `${EM}/accessPackages?$top=1`)).value[0].id;
  const app = await sb.ok('POST', '/applications', { displayName: 'HR attributes' });
  extension = (await sb.ok('POST', `/applications/${app.id}/extensionProperties`, { name: 'costCenter' })).name;
  department = (await sb.ok('GET', '/users?$top=1&$select=department')).value[0].department;

  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
  conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    history.push(p);
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
    p.items.map(() => ({ diagnostics: { debounceMs: 0 } })),
  );
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/inlayHint/refresh', () => null);
  conn.onRequest(LOOKUP_REQUEST, async (p: LookupParams) => {
    lookups++;
    if (gate) await gate;
    return p.cachedOnly ? directory.cached(p.ids) : directory.lookup(p.ids);
  });
  conn.onRequest(SEARCH_REQUEST, (p: SearchParams) => directory.search(p.kind, p.text));
  conn.onRequest(VOCABULARY_REQUEST, () => directory.vocabulary());
  conn.listen();
  const init = await conn.sendRequest<{ capabilities: { inlayHintProvider?: unknown } }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: true },
      textDocument: { publishDiagnostics: { versionSupport: true } },
    },
    initializationOptions: { directoryBridge: true },
  });
  assert.ok(init.capabilities.inlayHintProvider, 'inlay hints are offered to a client with the bridge');
  await conn.sendNotification('initialized', {});
  stop = async () => {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
    conn.dispose();
  };
});
after(async () => {
  await stop();
  await sb.close();
});

/** Waits (generous bound: a hang detector, not a timing assertion) until a publish satisfies `pred`. */
async function until(pred: () => PublishDiagnosticsParams | undefined): Promise<PublishDiagnosticsParams> {
  for (let i = 0; i < 600; i++) {
    const hit = pred();
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no such publish; got ${JSON.stringify(history.slice(-3))}`);
}

function policy(approverId: string, approverType = 'singleUser', key = 'userId'): string {
  return JSON.stringify(
    {
      displayName: 'Approval',
      description: 'd',
      allowedTargetScope: 'allMemberUsers',
      expiration: { type: 'noExpiration' },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [
          {
            durationBeforeAutomaticDenial: 'P7D',
            isApproverJustificationRequired: false,
            isEscalationEnabled: false,
            primaryApprovers: [{ '@odata.type': `#microsoft.graph.${approverType}`, [key]: approverId }],
          },
        ],
      },
      accessPackage: { id: packageId },
    },
    null,
    2,
  );
}

let n = 0;
async function open(text: string): Promise<string> {
  const uri = `file:///w/p${++n}.policy.json`;
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'entra-policy', version: 1, text },
  });
  return uri;
}

function position(text: string, offset: number) {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

test('language diagnostics first, then the id findings (unknown id, group where a user is expected)', async () => {
  const uri = await open(policy(unknownId));
  const first = await until(() => history.find((h) => h.uri === uri));
  assert.ok(
    !first.diagnostics.some((d) => String(d.code).startsWith('T')),
    'the first publish does not wait for the tenant',
  );
  const withIds = await until(() => history.find((h) => h.uri === uri && h.diagnostics.some((d) => d.code === 'T101')));
  const t = withIds.diagnostics.find((d) => d.code === 'T101')!;
  assert.equal(t.severity, 2);
  assert.match(String(t.message), new RegExp(`${unknownId}.*Sandbox`));

  const wrong = await open(policy(groupId));
  const w = await until(() => history.find((h) => h.uri === wrong && h.diagnostics.some((d) => d.code === 'T102')));
  assert.match(String(w.diagnostics.find((d) => d.code === 'T102')!.message), /but a user is expected/);
});

test('a directory that does not answer never delays the language diagnostics', async () => {
  let release!: () => void;
  gate = new Promise<void>((r) => (release = r));
  directory.cache.clear();
  const uri = await open(policy(unknownId).replace('"P7D"', '"7 days"'));
  const first = await until(() => history.find((h) => h.uri === uri));
  assert.ok(
    first.diagnostics.some((d) => d.code === 'P401'),
    'the language finding is there while the tenant is silent',
  );
  release();
  gate = undefined;
  await until(() => history.find((h) => h.uri === uri && h.diagnostics.some((d) => d.code === 'T101')));
});

test('hover on an id shows its name, kind and UPN with a link to reveal it', async () => {
  const text = policy(user.id);
  const uri = await open(text);
  const hover = await conn.sendRequest<Hover | null>('textDocument/hover', {
    textDocument: { uri },
    position: position(text, text.indexOf(user.id) + 2),
  });
  const md = (hover?.contents as { value: string }).value;
  assert.ok(md.includes(user.displayName), md);
  assert.ok(md.includes(user.userPrincipalName), md);
  assert.match(md, /user in Sandbox/);
  assert.match(md, /command:entitlements\.revealDirectoryObject/);
  const pkg = await conn.sendRequest<Hover | null>('textDocument/hover', {
    textDocument: { uri },
    position: position(text, text.indexOf(packageId) + 2),
  });
  assert.match((pkg?.contents as { value: string }).value, /access package in Sandbox[\s\S]*Catalog: /);
});

test('completing an approver by typing part of a name inserts the GUID', async () => {
  const part = user.displayName.split(' ')[1]!.slice(0, 3);
  const text = policy(part);
  const uri = await open(text);
  const r = await conn.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', {
    textDocument: { uri },
    position: position(text, text.indexOf(`"${part}"`) + 1 + part.length),
  });
  const items = Array.isArray(r) ? r : r.items;
  const hit = items.find((i) => i.label === user.displayName);
  assert.ok(hit, JSON.stringify(items.map((i) => i.label)));
  assert.equal((hit.textEdit as { newText: string }).newText, user.id);
  // A groupMembers place offers groups.
  const gtext = policy('', 'groupMembers', 'groupId');
  const guri = await open(gtext);
  const g = await conn.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', {
    textDocument: { uri: guri },
    position: position(gtext, gtext.indexOf('"groupId": ""') + '"groupId": "'.length),
  });
  const gi = Array.isArray(g) ? g : (g as CompletionList).items;
  assert.ok(gi.length > 0 && gi.every((i) => /^group/.test(i.detail ?? '')), JSON.stringify(gi.slice(0, 2)));
});

test('inlay hints show the display name after each id', async () => {
  const text = policy(user.id);
  const uri = await open(text);
  const hints = await conn.sendRequest<InlayHint[]>('textDocument/inlayHint', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } },
  });
  assert.ok(
    hints.some((h) => h.label === user.displayName),
    JSON.stringify(hints),
  );
  assert.equal(hints.length, 2, 'the approver and the access package');
});

test('directoryChanged re-checks open documents', async () => {
  const uri = await open(policy(user.id));
  await until(() => history.find((h) => h.uri === uri));
  const before = lookups;
  const count = history.length;
  await conn.sendNotification(CHANGED_NOTIFICATION, {});
  await until(() => (lookups > before && history.length > count ? history[history.length - 1] : undefined));
});

async function openRule(text: string): Promise<string> {
  const uri = `file:///w/r${++n}.rule`;
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'entra-rule', version: 1, text },
  });
  return uri;
}

test('rules: an extension property the tenant has not registered is a warning; a registered one is not', async () => {
  const unknown = 'extension_ffffffffffffffffffffffffffffffff_x';
  const uri = await openRule(`user.${extension} -eq "1" -or user.${unknown} -eq "2"`);
  const p = await until(() => history.find((h) => h.uri === uri && h.diagnostics.some((d) => d.code === 'T110')));
  const t = p.diagnostics.filter((d) => d.code === 'T110');
  assert.equal(t.length, 1);
  assert.ok(String(t[0]!.message).startsWith(unknown), String(t[0]!.message));
});

test('rules: completion offers the registered extension properties and the values the tenant uses', async () => {
  const text = 'user.';
  const uri = await openRule(text);
  const r = await conn.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', {
    textDocument: { uri },
    position: { line: 0, character: text.length },
  });
  const labels = (Array.isArray(r) ? r : r.items).map((i) => i.label);
  assert.ok(labels.includes(extension), labels.join(' '));
  assert.ok(labels.includes('department'), 'the language items are still there');
  const vtext = 'user.department -eq ';
  const vuri = await openRule(vtext);
  const v = await conn.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', {
    textDocument: { uri: vuri },
    position: { line: 0, character: vtext.length },
  });
  const vl = (Array.isArray(v) ? v : v.items).map((i) => i.label);
  assert.ok(vl.includes(`"${department}"`), vl.join(' '));
  // Inside a membershipRule of a policy too, JSON-escaped.
  const ptext = '{"specificAllowedTargets": [{"membershipRule": "user.department -eq "}]}';
  const puri = await open(ptext);
  const pv = await conn.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', {
    textDocument: { uri: puri },
    position: { line: 0, character: ptext.indexOf('-eq ') + 4 },
  });
  const item = (Array.isArray(pv) ? pv : pv.items).find((i) => i.label === `"${department}"`);
  assert.equal((item?.textEdit as { newText: string } | undefined)?.newText, `\\"${department}\\"`);
});

test('the inlay hints setting, sent with directoryChanged, turns the hints off and on', async () => {
  const text = policy(user.id);
  const uri = await open(text);
  const ask = () =>
    conn.sendRequest<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } },
    });
  await conn.sendNotification(CHANGED_NOTIFICATION, { inlayHints: false });
  assert.deepEqual(await ask(), []);
  await conn.sendNotification(CHANGED_NOTIFICATION, { inlayHints: true });
  assert.equal((await ask()).length, 2);
});
