/**
 * `entitlements.compareWithDeployed` ("Compare with Deployed"): VS Code's diff editor between the
 * object in the tenant (normalised the way a pull writes it, as a read-only document) and the file.
 * Argument object: `{uri?, tenantId?}`; returns `{ok: true, status, id}` or a failure.
 */
import { basename, relative } from 'node:path';
import * as vscode from 'vscode';
import { readLayout } from '../pac/layout';
import { fileText } from '../pac/normalise';
import { matchFiles } from '../pac/plan';
import { readState, tenantState } from '../pac/state';
import { fileStatus, layoutRootOf } from '../pac/status';
import { resolvePacTenant } from '../pacEditor/resolve';
import type { PacSession } from '../pacEditor/session';
import { abortOn, argObject, reportFailure, str, type CommandContext } from './context';

export async function compareWithDeployed(ctx: CommandContext, session: PacSession, arg?: unknown) {
  const o = arg instanceof vscode.Uri ? undefined : argObject(arg);
  const uriText = str(o, 'uri') ?? (arg instanceof vscode.Uri ? arg.toString() : undefined);
  const uri = uriText ? vscode.Uri.parse(uriText) : vscode.window.activeTextEditor?.document.uri;
  const root = uri?.scheme === 'file' ? layoutRootOf(uri.fsPath) : undefined;
  if (!uri || !root) {
    const message = 'Open a catalog, access package or policy file of a pulled folder to compare it.';
    if (!o) void vscode.window.showInformationMessage(message);
    return { ok: false as const, code: 'NotInLayout', message };
  }
  try {
    const tenant =
      (o && str(o, 'tenantId') === undefined ? session.lastTenant : undefined) ??
      (await resolvePacTenant(ctx, arg, 'Compare with which tenant?'));
    if (!tenant) return undefined;
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Reading ${tenant.label}`, cancellable: true },
      async (_p, token) => {
        const c = await session.connect(tenant);
        const snapshot = await session.snapshot(c, abortOn(token), true);
        const rel = relative(root, uri.fsPath).split('\\').join('/');
        const layout = readLayout(root);
        const state = tenantState(readState(root), c.key);
        const remote = matchFiles(layout, snapshot, state).get(rel);
        const file = layout.files.find((f) => f.path === rel);
        const status = file?.content
          ? fileStatus(file.content, state.files[rel], remote ? remote.content : null)
          : 'notDeployed';
        const left = session.show(`${tenant.label}/${rel}`, remote ? fileText(remote.content) : '');
        const title = `${basename(rel)} (${tenant.label}${remote ? '' : ': not deployed'}) ↔ local`;
        await vscode.commands.executeCommand('vscode.diff', left, uri, title, { preview: true });
        await session.refreshStatuses(root, c, snapshot);
        return { ok: true as const, status, id: remote?.id ?? null };
      },
    );
  } catch (e) {
    return reportFailure(ctx, 'Comparing with the tenant', e);
  }
}
