/**
 * The editor side of policy as code (the `vscode` adapter over `client/src/pac/`): which tenant the
 * last pull/plan/apply used, a short-lived cache of what that tenant holds, the read-only documents
 * the commands open (plan reports, the deployed object of a file for the diff editor), and the
 * per-file status shown as a CodeLens and as an Explorer badge.
 */
import { relative } from 'node:path';
import * as vscode from 'vscode';
import type { GraphClient } from '../graph/graphClient';
import { readLayout } from '../pac/layout';
import { normalise, type JsonObject } from '../pac/normalise';
import { matchFiles } from '../pac/plan';
import { readState, tenantState } from '../pac/state';
import { fileStatus, kindOfFile, layoutRootOf, statusText, type FileStatus } from '../pac/status';
import { fetchSnapshot, type Snapshot } from '../pac/tenantSnapshot';
import type { CommandContext } from '../commands/context';
import type { Tenant } from '../tenants/tenant';

export const PAC_SCHEME = 'entitlements-pac';
const SNAPSHOT_TTL_MS = 30_000;

export interface Connected {
  tenant: Tenant;
  graph: GraphClient;
  /** The key of this tenant in `.entitlements/state.json`: the sandbox's URL, a Microsoft tenant's id. */
  key: string;
}

const badges: Record<FileStatus, { badge?: string; color?: string }> = {
  inSync: {},
  changedLocally: { badge: 'M', color: 'gitDecoration.modifiedResourceForeground' },
  drifted: { badge: 'D', color: 'gitDecoration.conflictingResourceForeground' },
  driftedAndChanged: { badge: 'DM', color: 'gitDecoration.conflictingResourceForeground' },
  notDeployed: { badge: 'N', color: 'gitDecoration.untrackedResourceForeground' },
};

export class PacSession
  implements
    vscode.TextDocumentContentProvider,
    vscode.CodeLensProvider,
    vscode.FileDecorationProvider,
    vscode.Disposable
{
  private readonly docs = new Map<string, string>();
  private readonly docsChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.docsChanged.event;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly statuses = new Map<string, FileStatus>();
  private readonly snapshots = new Map<string, { at: number; snapshot: Snapshot }>();
  /** The tenant the last pull, plan, apply or compare used; the status is shown against it. */
  lastTenant: Tenant | undefined;

  constructor(private readonly ctx: CommandContext) {}

  async connect(tenant: Tenant): Promise<Connected> {
    const api = await tenant.api();
    this.lastTenant = tenant;
    return { tenant, graph: api.graph, key: tenant.kind === 'sandbox' ? api.graph.root : tenant.key };
  }

  /** What the tenant holds; read again when `fresh` or older than 30 s. */
  async snapshot(c: Connected, signal?: AbortSignal, fresh = false): Promise<Snapshot> {
    const cached = this.snapshots.get(c.key);
    if (!fresh && cached && Date.now() - cached.at < SNAPSHOT_TTL_MS) return cached.snapshot;
    const snapshot = await fetchSnapshot(c.graph, { signal });
    this.snapshots.set(c.key, { at: Date.now(), snapshot });
    return snapshot;
  }

  /** The tenant changed (an apply): the next status reads it again. */
  forget(c: Connected): void {
    this.snapshots.delete(c.key);
  }

  /** A read-only document with this text, at `entitlements-pac:/<name>`. */
  show(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PAC_SCHEME, path: `/${name}` });
    this.docs.set(uri.toString(), text);
    this.docsChanged.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  /** Recomputes the status of every file of the folder against the tenant, for lenses and badges. */
  async refreshStatuses(root: string, c: Connected, snapshot?: Snapshot): Promise<void> {
    const layout = readLayout(root);
    const state = tenantState(readState(root), c.key);
    const snap = snapshot ?? (await this.snapshot(c));
    const matches = matchFiles(layout, snap, state);
    const changed: vscode.Uri[] = [];
    for (const f of layout.files) {
      if (!f.content) continue;
      const uri = vscode.Uri.file(`${root}/${f.path}`);
      const remote = matches.get(f.path);
      this.statuses.set(uri.toString(), fileStatus(f.content, state.files[f.path], remote ? remote.content : null));
      changed.push(uri);
    }
    this.decorationsChanged.fire(changed);
    this.lensesChanged.fire();
  }

  status(uri: vscode.Uri): FileStatus | undefined {
    return this.statuses.get(uri.toString());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (doc.uri.scheme !== 'file' || !kindOfFile(doc.uri.fsPath)) return [];
    const root = layoutRootOf(doc.uri.fsPath);
    if (!root) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const compare = (title: string) =>
      new vscode.CodeLens(top, {
        title,
        command: 'entitlements.compareWithDeployed',
        arguments: [{ uri: doc.uri.toString() }],
      });
    const tenant = this.lastTenant;
    // A lens never makes anyone sign in: only a tenant that can be read without asking.
    if (!tenant || !(await tenant.isSignedIn())) return [compare('$(diff) Compare with Deployed…')];
    try {
      const c = await this.connect(tenant);
      const status = await this.statusOf(doc, root, c);
      this.statuses.set(doc.uri.toString(), status);
      this.decorationsChanged.fire([doc.uri]);
      const icon = status === 'inSync' ? '$(check)' : status === 'notDeployed' ? '$(circle-outline)' : '$(diff)';
      return [compare(`${icon} ${statusText[status]} — ${tenant.label}`)];
    } catch {
      return [compare('$(diff) Compare with Deployed…')];
    }
  }

  /** The status of an open document (its unsaved text counts) against the tenant. */
  private async statusOf(doc: vscode.TextDocument, root: string, c: Connected): Promise<FileStatus> {
    const rel = relative(root, doc.uri.fsPath).split('\\').join('/');
    const layout = readLayout(root);
    const file = layout.files.find((f) => f.path === rel);
    let local: JsonObject | undefined = file?.content;
    try {
      const parsed = JSON.parse(doc.getText()) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && file)
        local = normalise(file.kind, parsed as Record<string, unknown>, true);
    } catch {
      // unsaved text that does not parse: the saved file's status
    }
    if (!file || !local) return 'notDeployed';
    const state = tenantState(readState(root), c.key);
    const remote = matchFiles(layout, await this.snapshot(c), state).get(rel);
    return fileStatus(local, state.files[rel], remote ? remote.content : null);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const status = this.statuses.get(uri.toString());
    if (!status) return undefined;
    const b = badges[status];
    const tooltip = `Entitlements: ${statusText[status]}${this.lastTenant ? ` (${this.lastTenant.label})` : ''}`;
    return b.badge ? new vscode.FileDecoration(b.badge, tooltip, new vscode.ThemeColor(b.color!)) : undefined;
  }

  log(line: string): void {
    this.ctx.output.info(line);
  }

  dispose(): void {
    this.docsChanged.dispose();
    this.lensesChanged.dispose();
    this.decorationsChanged.dispose();
  }
}
