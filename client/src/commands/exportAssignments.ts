/**
 * `entitlements.exportAssignments`: every assignment of a package (the folder's state filter
 * applies) to a CSV file, page by page with progress and cancel.
 * Argument object: `{tenantId?, accessPackageId, state?, path}`. Returns `{ok: true, path, rows}`.
 */
import * as vscode from 'vscode';
import { createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import type { AccessPackageAssignment } from '@microsoft/microsoft-graph-types';
import { toAssignmentRow } from '../graph/assignmentRow';
import { assignmentsPath, assignmentStates, type AssignmentState } from '../graph/entitlements';
import { csvHeader, csvLines } from '../export/assignmentsCsv';
import { AccessPackageNode } from '../tree/nodes/accessPackageNode';
import { AssignmentsNode } from '../tree/nodes/assignmentsNode';
import { abortOn, argObject, reportFailure, str, type CommandContext } from './context';
import { pickAccessPackage } from './pickers';
import { resolveTenant } from './resolve';

export async function exportAssignments(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ ok: true; path: string; rows: number } | { ok: false; code: string; message: string } | undefined> {
  try {
    const tenant = await resolveTenant(ctx, arg, 'Export assignments');
    if (!tenant) return undefined;
    const api = await tenant.api();
    const o = argObject(arg);
    const folder =
      arg instanceof AssignmentsNode ? arg : arg instanceof AccessPackageNode ? arg.assignments : undefined;
    const pkg = folder
      ? folder.parent.accessPackage
      : str(o, 'accessPackageId')
        ? { id: str(o, 'accessPackageId'), displayName: str(o, 'accessPackageId') }
        : await pickAccessPackage(api, 'Export assignments: access package');
    if (!pkg?.id) return undefined;
    const stateText = str(o, 'state');
    const state =
      folder?.filter ??
      assignmentStates.find((s): s is AssignmentState => s.toLowerCase() === stateText?.toLowerCase());
    let path = str(o, 'path');
    if (!path) {
      const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
      const name = `${(pkg.displayName ?? 'assignments').replace(/[^\w.-]+/g, '_')}${state ? `.${state}` : ''}.assignments.csv`;
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(base, name),
        filters: { CSV: ['csv'] },
        title: 'Export assignments to CSV',
      });
      path = uri?.fsPath;
    }
    if (!path) return undefined;
    const target = path;
    const rows = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Exporting assignments of ${pkg.displayName ?? pkg.id}`,
        cancellable: true,
      },
      async (progress, token) => {
        const out = createWriteStream(target, { encoding: 'utf8' });
        const write = (s: string): Promise<void> =>
          new Promise((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));
        let n = 0;
        try {
          await write(`\uFEFF${csvHeader()}`);
          for await (const page of api.graph.pages<AccessPackageAssignment>(
            assignmentsPath({ accessPackageId: pkg.id!, state }),
            { signal: abortOn(token) },
          )) {
            await write(csvLines(page.map(toAssignmentRow)));
            n += page.length;
            progress.report({ message: `${n} rows` });
          }
        } finally {
          await new Promise<void>((resolve) => out.end(resolve));
        }
        return n;
      },
    );
    ctx.output.info(`exported ${rows} assignment(s) of ${pkg.displayName ?? pkg.id} to ${target}`);
    if (!o) {
      void vscode.window
        .showInformationMessage(`Exported ${rows} assignment(s).`, 'Open')
        .then((c) => c && vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target)));
    }
    return { ok: true, path: target, rows };
  } catch (e) {
    return reportFailure(ctx, 'Exporting assignments', e);
  }
}
