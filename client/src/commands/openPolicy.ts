/**
 * `entitlements.openPolicy`: a policy as an editable JSON document (a real file under the
 * extension's global storage, language `entra-policy`), remembered with its tenant and policy id
 * so "Deploy policy" updates it. Argument object: `{tenantId?, policyId}`. Returns the URI string.
 */
import * as vscode from 'vscode';
import { policyDocumentText } from '../policy/policyPayload';
import { PolicyNode } from '../tree/nodes/policyNode';
import { argObject, reportFailure, str, type CommandContext } from './context';
import { pickAccessPackage, pickPolicy } from './pickers';
import { resolveTenant } from './resolve';

function safeName(s: string): string {
  return s.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'policy';
}

export async function openPolicy(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  try {
    const tenant = await resolveTenant(ctx, arg, 'Open policy');
    if (!tenant) return undefined;
    let policyId = arg instanceof PolicyNode ? arg.graphId : str(argObject(arg), 'policyId');
    if (!policyId && !argObject(arg)) {
      // From the palette: choose the package, then the policy.
      const api = await tenant.api();
      const pkg = await pickAccessPackage(api, 'Open policy: access package');
      if (!pkg?.id) return undefined;
      policyId = (await pickPolicy(api, pkg.id, 'Open policy'))?.id ?? undefined;
      if (!policyId) return undefined;
    }
    if (!policyId) {
      void vscode.window.showInformationMessage('Choose a policy in the Entitlements view to open it.');
      return undefined;
    }
    const policy = await (await tenant.api()).policy(policyId);
    const dir = vscode.Uri.joinPath(ctx.extension.globalStorageUri, 'policies', safeName(tenant.key));
    const uri = vscode.Uri.joinPath(
      dir,
      `${safeName(policy.displayName ?? 'policy')}.${safeName(policyId)}.policy.json`,
    );
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!open?.isDirty) {
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(
        uri,
        Buffer.from(policyDocumentText(policy as Record<string, unknown>), 'utf8'),
      );
    }
    ctx.documents.remember(uri, { tenantKey: tenant.key, policyId });
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'entra-policy') await vscode.languages.setTextDocumentLanguage(doc, 'entra-policy');
    await vscode.window.showTextDocument(doc, { preview: false });
    return uri.toString();
  } catch (e) {
    reportFailure(ctx, 'Opening the policy', e);
    return undefined;
  }
}
