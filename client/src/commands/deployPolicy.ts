/**
 * `entitlements.deployPolicy` (command and CodeLens on policy documents): POSTs a new policy, or
 * PUTs (full replace) one that came from the tenant. Graph's 400 becomes diagnostics on the
 * document, which is kept as it is. Argument object: `{uri?, tenantId?}` (default: the active
 * editor). Returns `{ok: true, policyId, tenantId, created}` or `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import { toGraphError } from '../graph/graphClient';
import { policyBody, policyPackageId } from '../policy/policyPayload';
import { argObject, findTenant, reportFailure, str, type CommandContext } from './context';
import { placeGraphErrors } from './deployErrors';
import { pickTenant } from './pickers';
import { deployLayoutFile } from './deployLayoutFile';
import { kindOfFile, layoutRootOf } from '../pac/status';
import type { PacSession } from '../pacEditor/session';
import { refreshAssignments, refreshPackagePolicies } from './refreshTree';

export type DeployResult =
  { ok: true; policyId: string; tenantId: string; created: boolean } | { ok: false; code: string; message: string };

export async function deployPolicy(
  ctx: CommandContext,
  arg?: unknown,
  session?: PacSession,
): Promise<DeployResult | Awaited<ReturnType<typeof deployLayoutFile>> | undefined> {
  const o = argObject(arg);
  const uriText = str(o, 'uri') ?? (arg instanceof vscode.Uri ? arg.toString() : undefined);
  const doc = uriText
    ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uriText))
    : vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showInformationMessage('Open a policy document (*.policy.json) to deploy it.');
    return undefined;
  }
  // A file of a policy-as-code folder deploys through the folder's plan.
  const layoutRoot = doc.uri.scheme === 'file' && kindOfFile(doc.uri.fsPath) ? layoutRootOf(doc.uri.fsPath) : undefined;
  if (layoutRoot && session) return deployLayoutFile(ctx, session, doc, layoutRoot, o);
  const parsed = policyBody(doc.getText());
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(parsed.message);
    return { ok: false, code: 'InvalidDocument', message: parsed.message };
  }
  const origin = ctx.documents.origin(doc.uri);
  const key = str(o, 'tenantId') ?? origin?.tenantKey;
  // Asked when several tenants are configured (an argument object without a tenant means the sandbox).
  const tenant = key || o ? findTenant(ctx, key) : await pickTenant(ctx, 'Deploy policy to');
  if (!tenant)
    return o ? { ok: false, code: 'UnknownTenant', message: 'No such tenant in the Entitlements view.' } : undefined;
  const packageId = policyPackageId(parsed.body);
  if (!origin?.policyId && (!packageId || /access package id/i.test(packageId))) {
    const message = 'Set accessPackage.id to the id of the access package this policy belongs to.';
    void vscode.window.showErrorMessage(message);
    return { ok: false, code: 'MissingAccessPackage', message };
  }
  try {
    const api = await tenant.api();
    const policyId = origin?.tenantKey === tenant.key ? origin.policyId : undefined;
    const saved = policyId ? await api.updatePolicy(policyId, parsed.body) : await api.createPolicy(parsed.body);
    const id = saved.id ?? policyId ?? '';
    ctx.documents.clear(doc.uri);
    ctx.documents.remember(doc.uri, { tenantKey: tenant.key, policyId: id });
    ctx.output.info(`policy ${saved.displayName ?? ''} (${id}) ${policyId ? 'updated' : 'created'} in ${tenant.label}`);
    refreshPackagePolicies(ctx, tenant.key, packageId, id);
    // An automatic policy assigns (or releases) users as soon as it is saved.
    refreshAssignments(ctx, tenant.key, { packageId });
    if (!o)
      void vscode.window.showInformationMessage(
        `Policy "${saved.displayName ?? id}" ${policyId ? 'updated' : 'created'} in ${tenant.label}.`,
      );
    return { ok: true, policyId: id, tenantId: tenant.key, created: !policyId };
  } catch (e) {
    const err = toGraphError(e);
    if (err.status >= 400 && err.status < 500) showGraphErrors(ctx, doc, err);
    return reportFailure(ctx, 'Deploying the policy', err);
  }
}

/**
 * Graph's refusal as diagnostics on the JSON path each message names, leaving out what the
 * language server already reports there (so a mistake is not listed twice).
 */
function showGraphErrors(ctx: CommandContext, doc: vscode.TextDocument, err: ReturnType<typeof toGraphError>): void {
  const local = vscode.languages
    .getDiagnostics(doc.uri)
    .filter((d) => !(d.source === 'entitlements' && /\(Graph: /.test(d.message)))
    .map((d) => ({
      start: doc.offsetAt(d.range.start),
      end: doc.offsetAt(d.range.end),
      code: typeof d.code === 'object' ? d.code.value : d.code,
      message: d.message,
    }));
  const placed = placeGraphErrors(doc.getText(), err, local);
  ctx.documents.diagnostics.set(
    doc.uri,
    placed.map((p) => {
      const diag = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(p.start), doc.positionAt(p.end)),
        p.message,
        vscode.DiagnosticSeverity.Error,
      );
      diag.source = 'entitlements';
      diag.code = p.code;
      return diag;
    }),
  );
}
