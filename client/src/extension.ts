/**
 * The composition root of the extension: builds the objects, registers everything, and pushes
 * every disposable to `context.subscriptions`. An activation failure is shown to the user.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { newPolicy } from './commands/newPolicy';
import { createLanguageClient } from './languageClient';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Entra Entitlements', { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand('entitlements.showOutput', () => output.show()),
    vscode.commands.registerCommand('entitlements.newPolicy', (accessPackageId?: unknown) => newPolicy(typeof accessPackageId === 'string' ? accessPackageId : undefined)),
    vscode.commands.registerCommand('entitlements.restartServer', async () => {
      await client?.restart();
      output.info('language server restarted');
    }),
  );
  try {
    client = createLanguageClient(context, output);
    context.subscriptions.push(client);
    await client.start();
    output.info('language server started');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    output.error(`the language server failed to start: ${message}`);
    void vscode.window.showErrorMessage(`Entra Entitlements: the language server failed to start (${message}).`, 'Show Log').then((choice) => {
      if (choice) output.show();
    });
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
