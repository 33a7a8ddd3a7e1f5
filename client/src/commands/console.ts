/**
 * The admin's console commands (issue 17), registered together so the composition root gains one
 * line: the walkthrough, requests and approvals, resource roles, the access report.
 */
import * as vscode from 'vscode';
import { accessReport } from './accessReport';
import { requestAction } from './cancelRequest';
import type { CommandContext } from './context';
import { decideRequest } from './decideRequest';
import { filterRequests } from './filterRequests';
import { addGroupResourceRole, removeResourceRole } from './resourceRoles';

export function registerConsole(ctx: CommandContext): vscode.Disposable[] {
  const register = (id: string, f: (...args: unknown[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, f);
  return [
    register('entitlements.openWalkthrough', () =>
      vscode.commands.executeCommand(
        'workbench.action.openWalkthrough',
        `${ctx.extension.extension.id}#gettingStarted`,
        false,
      ),
    ),
    register('entitlements.approveRequest', (arg) => decideRequest(ctx, 'Approve', arg)),
    register('entitlements.denyRequest', (arg) => decideRequest(ctx, 'Deny', arg)),
    register('entitlements.cancelRequest', (arg) => requestAction(ctx, 'cancel', arg)),
    register('entitlements.reprocessRequest', (arg) => requestAction(ctx, 'reprocess', arg)),
    register('entitlements.filterRequests', (arg) => filterRequests(ctx, arg)),
    register('entitlements.addGroupResourceRole', (arg) => addGroupResourceRole(ctx, arg)),
    register('entitlements.removeResourceRole', (arg) => removeResourceRole(ctx, arg)),
    register('entitlements.accessReport', (arg) => accessReport(ctx, arg)),
  ];
}
