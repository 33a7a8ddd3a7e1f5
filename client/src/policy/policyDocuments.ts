/**
 * Which tenant (and which policy) each policy document belongs to, the "Deploy" CodeLens on
 * policy documents, and the diagnostics Graph's 400 answers become. Origins are kept in the
 * extension's global state so a reopened document still knows where it came from.
 */
import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { GraphRequestError } from '../graph/graphClient';

export interface PolicyOrigin {
  tenantKey: string;
  /** Set once the policy exists in the tenant: deploying then replaces it (PUT). */
  policyId?: string;
}

const STATE_KEY = 'entitlements.policyOrigins';
const MAX_REMEMBERED = 500;

export class PolicyDocuments implements vscode.CodeLensProvider, vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('entitlements-graph');
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly origins: Map<string, PolicyOrigin>;

  constructor(
    private readonly state: vscode.Memento,
    private readonly tenantLabel: (key: string) => string,
  ) {
    this.origins = new Map(Object.entries(state.get<Record<string, PolicyOrigin>>(STATE_KEY, {})));
  }

  origin(uri: vscode.Uri): PolicyOrigin | undefined {
    return this.origins.get(uri.toString());
  }

  remember(uri: vscode.Uri, origin: PolicyOrigin): void {
    this.origins.delete(uri.toString());
    this.origins.set(uri.toString(), origin);
    while (this.origins.size > MAX_REMEMBERED) this.origins.delete(this.origins.keys().next().value!);
    // Untitled documents do not outlive the window; only files are worth persisting.
    const persisted = Object.fromEntries([...this.origins].filter(([k]) => !k.startsWith('untitled:')));
    void this.state.update(STATE_KEY, persisted);
    this.lensesChanged.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const origin = this.origin(doc.uri);
    const top = new vscode.Range(0, 0, 0, 0);
    const where = origin ? this.tenantLabel(origin.tenantKey) : 'a tenant…';
    const title = origin?.policyId
      ? `$(cloud-upload) Update policy in ${where}`
      : `$(cloud-upload) Deploy policy to ${where}`;
    return [
      new vscode.CodeLens(top, {
        title,
        command: 'entitlements.deployPolicy',
        arguments: [{ uri: doc.uri.toString() }],
      }),
    ];
  }

  /** Graph's answer to a rejected policy as diagnostics: one per detail, placed on the named property when there is one. */
  report(doc: vscode.TextDocument, error: GraphRequestError): void {
    const tree = parseTree(doc.getText());
    const items = error.details.length > 0 ? error.details : [{ code: error.code, message: error.message }];
    const diags = items.map((d) => {
      const node =
        tree && d.target
          ? findNodeAtLocation(
              tree,
              d.target.split(/[./]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
            )
          : undefined;
      const range = node
        ? new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + node.length))
        : doc.lineAt(0).range;
      const diag = new vscode.Diagnostic(
        range,
        `${d.message ?? error.message} (Graph: ${error.code}, HTTP ${error.status})`,
        vscode.DiagnosticSeverity.Error,
      );
      diag.source = 'entitlements';
      diag.code = d.code ?? error.code;
      return diag;
    });
    this.diagnostics.set(doc.uri, diags);
  }

  clear(uri: vscode.Uri): void {
    this.diagnostics.delete(uri);
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.lensesChanged.dispose();
  }
}
