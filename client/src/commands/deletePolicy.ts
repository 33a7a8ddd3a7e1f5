/**
 * `entitlements.deletePolicy`: after a modal confirmation, DELETE the policy.
 * Argument object: `{tenantId?, policyId, confirmed: true}`. Returns `{ok}` or `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import { PolicyNode } from '../tree/nodes/policyNode';
import { argObject, reportFailure, str, type CommandContext } from './context';
import { pickAccessPackage, pickPolicy } from './pickers';
import { refreshPackagePolicies } from './refreshTree';
import { resolveTenant } from './resolve';

export async function deletePolicy(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ ok: boolean; code?: string; message?: string } | undefined> {
  try {
    const tenant = await resolveTenant(ctx, arg, 'Delete policy');
    if (!tenant) return undefined;
    const o = argObject(arg);
    let policyId = arg instanceof PolicyNode ? arg.graphId : str(o, 'policyId');
    let name = arg instanceof PolicyNode ? (arg.policy.displayName ?? policyId) : policyId;
    if (!policyId && !o) {
      // From the palette: choose the package, then the policy.
      const api = await tenant.api();
      const pkg = await pickAccessPackage(api, 'Delete policy: access package');
      const picked = pkg?.id ? await pickPolicy(api, pkg.id, 'Delete policy') : undefined;
      policyId = picked?.id ?? undefined;
      name = picked?.displayName ?? policyId;
    }
    if (!policyId) return undefined;
    if (o?.confirmed !== true) {
      const yes = await vscode.window.showWarningMessage(
        `Delete the policy "${name}" from ${tenant.label}?`,
        { modal: true, detail: 'Graph refuses while the policy has active assignments. This cannot be undone.' },
        'Delete',
      );
      if (yes !== 'Delete') return { ok: false, code: 'Canceled', message: 'Not confirmed.' };
    }
    await (await tenant.api()).deletePolicy(policyId);
    ctx.output.info(`policy ${name} (${policyId}) deleted from ${tenant.label}`);
    refreshPackagePolicies(ctx, tenant.key, undefined, policyId);
    return { ok: true };
  } catch (e) {
    return reportFailure(ctx, 'Deleting the policy', e);
  }
}
