/**
 * The client's side of tenant-aware authoring: answers the language server's directory requests
 * (`service/directory/protocol.ts`) from the tenant chosen for the document, through the one Graph
 * layer and a per-tenant `GraphDirectory` cache. The server never sees a token.
 *
 * The tenant of a document: the setting `entitlements.authoring.tenant` (a tenant key) if set, else
 * the tenant the document was opened from, else the only configured tenant that is signed in.
 * A directory request never prompts a sign-in.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CHANGED_NOTIFICATION,
  LOOKUP_REQUEST,
  SEARCH_REQUEST,
  VOCABULARY_REQUEST,
  type RuleVocabulary,
  type VocabularyParams,
  type DirectoryObject,
  type LookupAnswer,
  type LookupParams,
  type SearchParams,
} from '../../../server/src/service/directory/protocol';
import { GraphDirectory } from './graphDirectory';
import type { Tenant } from '../tenants/tenant';
import { toGraphError } from '../graph/graphClient';

export const AUTHORING = 'entitlements.authoring';

export function inlayHintsEnabled(): boolean {
  return vscode.workspace.getConfiguration(AUTHORING).get<boolean>('inlayHints', true);
}

export class AuthoringDirectories {
  private readonly byTenant = new Map<string, GraphDirectory>();

  constructor(
    private readonly tenants: () => Tenant[],
    private readonly originOf: (uri: vscode.Uri) => string | undefined,
  ) {}

  /** The tenant whose directory a document is checked against; undefined when none is chosen. */
  async tenantFor(uri: string): Promise<Tenant | undefined> {
    const all = this.tenants();
    const configured = vscode.workspace.getConfiguration(AUTHORING).get<string>('tenant', '');
    if (configured) return all.find((t) => t.key === configured);
    const origin = this.originOf(vscode.Uri.parse(uri));
    const fromOrigin = origin ? all.find((t) => t.key === origin) : undefined;
    if (fromOrigin) return fromOrigin;
    const signedIn: Tenant[] = [];
    for (const t of all) if (await t.isSignedIn()) signedIn.push(t);
    return signedIn.length === 1 ? signedIn[0] : undefined;
  }

  async directoryFor(uri: string): Promise<GraphDirectory | undefined> {
    const tenant = await this.tenantFor(uri);
    if (!tenant || !(await tenant.isSignedIn())) return undefined;
    let d = this.byTenant.get(tenant.key);
    if (!d) {
      d = new GraphDirectory((await tenant.api()).graph, tenant.label);
      this.byTenant.set(tenant.key, d);
    }
    return d;
  }

  async lookup(p: LookupParams): Promise<LookupAnswer> {
    let d: GraphDirectory | undefined;
    try {
      d = await this.directoryFor(p.uri);
    } catch (e) {
      const err = toGraphError(e);
      return { tenant: 'the tenant', objects: [], unreadable: `${err.code}: ${err.message}` };
    }
    if (!d) return { objects: [] };
    if (p.cachedOnly) return d.cached(p.ids);
    try {
      return await d.lookup(p.ids);
    } catch (e) {
      const err = toGraphError(e);
      return { tenant: d.tenantName, objects: [], unreadable: `${err.code}: ${err.message}` };
    }
  }

  async search(p: SearchParams): Promise<DirectoryObject[]> {
    try {
      const d = await this.directoryFor(p.uri);
      return d ? await d.search(p.kind, p.text) : [];
    } catch {
      return [];
    }
  }

  async vocabulary(p: VocabularyParams): Promise<RuleVocabulary> {
    let d: GraphDirectory | undefined;
    try {
      d = await this.directoryFor(p.uri);
      if (!d) return { extensions: [], values: {} };
      return await d.vocabulary();
    } catch (e) {
      const err = toGraphError(e);
      return {
        tenant: d?.tenantName ?? 'the tenant',
        extensions: [],
        values: {},
        unreadable: `${err.code}: ${err.message}`,
      };
    }
  }

  /** The refresh command: forget every cached answer (and directory, so a changed tenant is re-read). */
  clear(): void {
    for (const d of this.byTenant.values()) d.clear();
    this.byTenant.clear();
  }
}

/** Registers the request handlers (before the client starts) and the refresh wiring. */
export function registerDirectoryBridge(client: LanguageClient, dirs: AuthoringDirectories): vscode.Disposable {
  const subs: vscode.Disposable[] = [
    client.onRequest(LOOKUP_REQUEST, (p: LookupParams) => dirs.lookup(p)),
    client.onRequest(SEARCH_REQUEST, (p: SearchParams) => dirs.search(p)),
    client.onRequest(VOCABULARY_REQUEST, (p: VocabularyParams) => dirs.vocabulary(p)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(AUTHORING) || e.affectsConfiguration('entitlements.tenants')) {
        dirs.clear();
        void notifyChanged(client);
      }
    }),
  ];
  return vscode.Disposable.from(...subs);
}

export async function notifyChanged(client: LanguageClient): Promise<void> {
  if (client.isRunning()) await client.sendNotification(CHANGED_NOTIFICATION, { inlayHints: inlayHintsEnabled() });
}
