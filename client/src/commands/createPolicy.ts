/**
 * `entitlements.createPolicy`: pick a template (the "New Policy from Template…" command) and open
 * it as an `entra-policy` document prefilled with the package id, remembered as belonging to the
 * tenant so "Deploy policy" knows where to POST it.
 * Argument object: `{tenantId?, accessPackageId, template?}` (`template`: a template's name, to
 * skip the pick). Returns the document's URI as a string.
 */
import { AccessPackageNode } from '../tree/nodes/accessPackageNode';
import { PoliciesNode } from '../tree/nodes/policiesNode';
import { newPolicy } from './newPolicy';
import { argObject, reportFailure, str, type CommandContext } from './context';
import { pickAccessPackage } from './pickers';
import { resolveTenant } from './resolve';

export async function createPolicy(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  try {
    const tenant = await resolveTenant(ctx, arg, 'Create policy');
    if (!tenant) return undefined;
    const node = arg instanceof PoliciesNode ? arg.parent : arg instanceof AccessPackageNode ? arg : undefined;
    const accessPackageId =
      node?.graphId ??
      str(argObject(arg), 'accessPackageId') ??
      (await pickAccessPackage(await tenant.api(), 'Create policy: access package'))?.id ??
      undefined;
    if (!accessPackageId) return undefined;
    const editor = await newPolicy(accessPackageId, str(argObject(arg), 'template'));
    if (!editor) return undefined;
    ctx.documents.remember(editor.document.uri, { tenantKey: tenant.key });
    ctx.output.info(`new policy document for package ${accessPackageId} in ${tenant.label}`);
    return editor.document.uri.toString();
  } catch (e) {
    reportFailure(ctx, 'Creating the policy document', e);
    return undefined;
  }
}
