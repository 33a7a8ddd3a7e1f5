/**
 * `entitlements.accessReport`: for a user (an assignment row, or a user picked by name) every
 * package they hold, through which policy, and what it grants; for a package, its users × the
 * resource roles it grants. Opens the Markdown report (and the CSV when asked) as new untitled
 * documents. Argument object: `{tenantId?, userId} | {tenantId?, accessPackageId}` plus
 * `format?: "markdown"|"csv"|"both"`, `open?: false`. Returns `{ok: true, kind, markdown, csv, rows}`
 * or `{ok: false, code, message}`.
 */
import * as vscode from 'vscode';
import type { User } from '@microsoft/microsoft-graph-types';
import { packageReport, reportCsv, reportMarkdown, userReport, type AccessReport } from '../report/accessReport';
import { AccessPackageNode } from '../tree/nodes/accessPackageNode';
import { AssignmentNode } from '../tree/nodes/assignmentNode';
import { argObject, reportFailure, str, type CommandContext } from './context';
import { pickAccessPackage } from './pickers';
import { resolveTenant } from './resolve';

export type AccessReportResult =
  | { ok: true; kind: 'user' | 'package'; markdown: string; csv: string; rows: number }
  | { ok: false; code: string; message: string };

async function pickUser(ctx: CommandContext, search: (prefix: string) => Promise<User[]>): Promise<string | undefined> {
  const prefix = await vscode.window.showInputBox({
    title: 'Access report for a user',
    prompt: 'The beginning of the display name',
    ignoreFocusOut: true,
  });
  if (prefix === undefined) return undefined;
  const users = await search(prefix);
  const pick = await vscode.window.showQuickPick(
    users.map((u) => ({ label: u.displayName ?? u.id ?? '', description: u.userPrincipalName ?? '', id: u.id ?? '' })),
    { title: 'Access report for', matchOnDescription: true },
  );
  ctx.output.debug(`access report: ${users.length} users found for "${prefix}"`);
  return pick?.id;
}

export async function accessReport(ctx: CommandContext, arg?: unknown): Promise<AccessReportResult | undefined> {
  try {
    const o = argObject(arg);
    const tenant = await resolveTenant(ctx, arg, 'Access report');
    if (!tenant) return undefined;
    const api = await tenant.api();
    let userId = arg instanceof AssignmentNode ? arg.row.objectId : str(o, 'userId');
    let packageId = arg instanceof AccessPackageNode ? arg.graphId : str(o, 'accessPackageId');
    if (!userId && !packageId && !o) {
      const kind = await vscode.window.showQuickPick(
        [
          { label: 'For a user…', description: 'every package they hold, the policy, what it grants', value: 'user' },
          {
            label: 'For an access package…',
            description: 'its users × the resource roles it grants',
            value: 'package',
          },
        ],
        { title: 'Access report' },
      );
      if (!kind) return undefined;
      if (kind.value === 'user') userId = await pickUser(ctx, async (p) => (await api.searchUsers(p)).items);
      else packageId = (await pickAccessPackage(api, 'Access report: access package'))?.id ?? undefined;
    }
    if (!userId && !packageId) return undefined;
    const report: AccessReport = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Reading access from Graph…' },
      (): Promise<AccessReport> => (userId ? userReport(api.graph, userId) : packageReport(api.graph, packageId!)),
    );
    const markdown = reportMarkdown(report);
    const csv = reportCsv(report);
    const format = str(o, 'format') ?? 'markdown';
    if (o?.open !== false) {
      if (format !== 'csv') {
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
        await vscode.window.showTextDocument(doc, { preview: false });
      }
      if (format !== 'markdown') {
        const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: csv });
        await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
      }
    }
    const rows = report.kind === 'user' ? report.rows.length : report.users.length;
    ctx.output.info(`access report (${report.kind}) in ${tenant.label}: ${rows} row(s)`);
    return { ok: true, kind: report.kind, markdown, csv, rows };
  } catch (e) {
    return reportFailure(ctx, 'The access report', e);
  }
}
