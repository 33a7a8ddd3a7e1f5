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
import { pickTenant } from './pickers';
import { deployLayoutFile } from './deployLayoutFile';
import { kindOfFile, layoutRootOf } from '../pac/status';
import type { PacSession } from '../pacEditor/session';

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
    ctx.root.tenantNode(tenant.key)?.reset();
    ctx.tree.refresh();
    if (!o)
      void vscode.window.showInformationMessage(
        `Policy "${saved.displayName ?? id}" ${policyId ? 'updated' : 'created'} in ${tenant.label}.`,
      );
    return { ok: true, policyId: id, tenantId: tenant.key, created: !policyId };
  } catch (e) {
    const err = toGraphError(e);
    if (err.status >= 400 && err.status < 500) ctx.documents.report(doc, err);
    return reportFailure(ctx, 'Deploying the policy', err);
  }
}
