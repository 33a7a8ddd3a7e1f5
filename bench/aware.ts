/**
 * Tenant-aware authoring: the id diagnostics of a policy naming 50 ids (users, groups, unknown
 * ids, the access package), measured as ratios to the language diagnostics alone:
 *   - warm: language + id diagnostics with the per-tenant cache filled (goal ≤ 1.2×);
 *   - cold: language + id diagnostics with the cache emptied before each sample (getByIds and a GET
 *     per entitlement id over real HTTP to the sandbox) — what a first open costs in total;
 *   - first publish over real LSP with the bridge on and a cold directory, against the same server
 *     with the bridge off: the cold case must not delay the language diagnostics (goal ≈ 1×).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import type { BenchResult } from './types';
import { interleave, result } from './measure';
import { startSandbox, type Sandbox } from '../sandbox/src/http/server';
import { GraphClient } from '../client/src/graph/graphClient';
import { GraphDirectory } from '../client/src/directory/graphDirectory';
import { idDiagnostics } from '../server/src/service/directory/features';
import { LOOKUP_REQUEST, type LookupParams } from '../server/src/service/directory/protocol';
import { getLanguageService } from '../server/src/service/languageService';

const repoRoot = resolve(__dirname, '..');

async function policyWith50Ids(sb: Sandbox): Promise<string> {
  const get = async (path: string) =>
    (
      (await (await fetch(`${sb.url}${path}`, { headers: { authorization: `Bearer ${sb.token}` } })).json()) as {
        value: { id: string }[];
      }
    ).value;
  const users = await get('/users?$top=25');
  const groups = await get('/groups?$top=10');
  const pkg = (await get('/identityGovernance/entitlementManagement/accessPackages?$top=1'))[0]!;
  const unknown = Array.from({ length: 14 }, (_, i) => `0badc0de-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const approvers = [
    ...users.map((u) => ({ '@odata.type': '#microsoft.graph.singleUser', userId: u.id })),
    ...unknown.map((id) => ({ '@odata.type': '#microsoft.graph.singleUser', userId: id })),
  ];
  const targets = groups.map((g) => ({ '@odata.type': '#microsoft.graph.groupMembers', groupId: g.id }));
  return JSON.stringify(
    {
      displayName: 'Fifty ids',
      description: 'bench',
      allowedTargetScope: 'specificDirectoryUsers',
      specificAllowedTargets: targets,
      expiration: { type: 'noExpiration' },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [
          {
            durationBeforeAutomaticDenial: 'P7D',
            isApproverJustificationRequired: false,
            isEscalationEnabled: false,
            primaryApprovers: approvers,
          },
        ],
      },
      accessPackage: { id: pkg.id },
    },
    null,
    2,
  );
}

export async function benchAware(): Promise<BenchResult[]> {
  const sb = await startSandbox({ seed: 'demo' });
  try {
    const text = await policyWith50Ids(sb);
    const graph = new GraphClient({ baseUrl: sb.url, getToken: () => Promise.resolve(sb.token) });
    const directory = new GraphDirectory(graph, 'Sandbox');
    const lookup = (ids: Parameters<GraphDirectory['lookup']>[0]) => directory.lookup(ids);
    const service = getLanguageService();
    let v = 0;
    const doc = () => TextDocument.create(`file:///bench/p${++v}.policy.json`, 'entra-policy', v, text);
    let sink = 0;
    const language = async () => {
      sink += (await service.validate(doc())).length;
    };
    const both = async () => {
      const d = doc();
      sink += (await service.validate(d)).length + (await idDiagnostics(d, lookup, service.jsonRoot(d))).length;
    };
    const check = await idDiagnostics(doc(), lookup);
    if (check.filter((d) => d.code === 'T101').length !== 14) throw new Error(`bench policy: ${JSON.stringify(check)}`);
    const warm = await interleave(both, language, 80, 10);
    const cold = await interleave(
      async () => {
        directory.cache.clear();
        await both();
      },
      language,
      20,
      3,
    );
    if (sink < 0) throw new Error('unreachable');
    const lsp = await firstPublish(sb, text);
    return [
      result(
        'aware: language + id diagnostics, 50 ids, warm cache',
        warm.subject,
        warm.reference,
        1e6,
        'ms',
        'ratio ≤ 1.2×',
        'reference: the language diagnostics alone of the same policy',
      ),
      result(
        'aware: language + id diagnostics, 50 ids, cold cache',
        cold.subject,
        cold.reference,
        1e6,
        'ms',
        '(informative)',
        'cold: one getByIds + one GET for the package over HTTP to the sandbox; the editor publishes the language diagnostics before this',
      ),
      lsp,
    ];
  } finally {
    await sb.close();
  }
}

/** A real server over stdio; with the bridge, look-ups go to a GraphDirectory emptied before each open. */
async function server(bridge: GraphDirectory | undefined): Promise<{
  conn: ProtocolConnection;
  published: Map<string, () => void>;
  close: () => Promise<void>;
}> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Map<string, () => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.get(p.uri)?.();
    published.delete(p.uri);
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
    p.items.map(() => ({ diagnostics: { debounceMs: 0 } })),
  );
  if (bridge) conn.onRequest(LOOKUP_REQUEST, (p: LookupParams) => bridge.lookup(p.ids));
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { directoryBridge: bridge !== undefined },
  });
  await conn.sendNotification('initialized', {});
  return {
    conn,
    published,
    close: async () => {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
      conn.dispose();
    },
  };
}

async function firstPublish(sb: Sandbox, text: string): Promise<BenchResult> {
  const graph = new GraphClient({ baseUrl: sb.url, getToken: () => Promise.resolve(sb.token) });
  const directory = new GraphDirectory(graph, 'Sandbox');
  const on = await server(directory);
  const off = await server(undefined);
  let n = 0;
  const open = (s: Awaited<ReturnType<typeof server>>) => async () => {
    directory.cache.clear();
    const uri = `file:///bench/lsp${++n}.policy.json`;
    const done = new Promise<void>((r) => s.published.set(uri, r));
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'entra-policy', version: 1, text },
    });
    await done;
    await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  };
  try {
    const t = await interleave(open(on), open(off), 30, 5);
    return result(
      'aware: first publish over LSP, bridge on + cold directory',
      t.subject,
      t.reference,
      1e6,
      'ms',
      'ratio ≈ 1× (≤ 1.2×)',
      'reference: the same server without the bridge; the id findings are published afterwards',
    );
  } finally {
    await on.close();
    await off.close();
  }
}
