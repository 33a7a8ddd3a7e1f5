/**
 * `entitlements.pullTenant` ("Pull Tenant into Folder…"): writes a tenant's catalogs, packages
 * and policies into a folder in the policy-as-code layout. Argument object:
 * `{tenantId?, folder?, catalog?}`; returns `{ok: true, folder, written, unchanged, removed}` or
 * `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import { pullInto } from '../pac/pull';
import { readState } from '../pac/state';
import { resolveFolder, resolvePacTenant } from '../pacEditor/resolve';
import type { PacSession } from '../pacEditor/session';
import { abortOn, argObject, reportFailure, str, type CommandContext } from './context';

export async function pullTenant(ctx: CommandContext, session: PacSession, arg?: unknown) {
  const o = arg instanceof vscode.Uri ? undefined : argObject(arg);
  try {
    const tenant = await resolvePacTenant(ctx, arg, 'Pull which tenant?');
    if (!tenant) return undefined;
    const folder = await resolveFolder(arg, 'Pull into This Folder', true);
    if (!folder) return undefined;
    const catalog = str(o, 'catalog');
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Pulling ${tenant.label}`, cancellable: true },
      async (progress, token) => {
        const c = await session.connect(tenant);
        progress.report({ message: 'reading catalogs, packages and policies…' });
        const signal = abortOn(token);
        const snapshot = await session.snapshot(c, signal, true);
        if (catalog !== undefined) {
          snapshot.catalogs = snapshot.catalogs.filter((x) => x.displayName === catalog);
          snapshot.partial = true;
        }
        if (token.isCancellationRequested) return { ok: false as const, code: 'Canceled', message: 'Canceled.' };
        const r = pullInto(folder, snapshot, readState(folder), c.key);
        for (const f of r.written) ctx.output.info(`pull: wrote ${f}`);
        for (const f of r.removed) ctx.output.info(`pull: removed ${f}`);
        const summary = `Pulled ${tenant.label} into ${folder}: ${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed.`;
        ctx.output.info(summary);
        await session.refreshStatuses(folder, c, snapshot);
        if (!o) void vscode.window.showInformationMessage(summary);
        return { ok: true as const, folder, ...r };
      },
    );
  } catch (e) {
    return reportFailure(ctx, 'Pulling the tenant', e);
  }
}
