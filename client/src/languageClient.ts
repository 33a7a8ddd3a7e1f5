/** Starts the language server (dist/server.js) over IPC and connects it to the editor. */
import * as path from 'node:path';
import type { ExtensionContext, LogOutputChannel } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

export const LANGUAGES = ['entra-rule', 'entra-policy'] as const;

export function createLanguageClient(
  context: ExtensionContext,
  output: LogOutputChannel,
  initializationOptions?: Record<string, unknown>,
): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
      { scheme: 'vscode-remote', language },
    ]),
    synchronize: { configurationSection: 'entitlements' },
    outputChannel: output,
    initializationOptions,
  };
  return new LanguageClient('entitlements', 'Entra Entitlements Language Server', serverOptions, clientOptions);
}
