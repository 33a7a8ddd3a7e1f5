/**
 * Language status items (the `{}` next to the language name in the status bar): the language
 * server's state for both languages, and, on a policy document, the tenant it deploys to.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import type { PolicyDocuments } from '../policy/policyDocuments';

const languages = [{ language: 'entra-rule' }, { language: 'entra-policy' }];

export function serverStatus(client: LanguageClient): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('entitlements.server', languages);
  item.name = 'Entra Entitlements language server';
  item.command = { command: 'entitlements.showOutput', title: 'Show Log' };
  const show = (state: State): void => {
    item.busy = state === State.Starting;
    item.text =
      state === State.Running
        ? 'Entitlements: ready'
        : state === State.Starting
          ? 'Entitlements: starting'
          : 'Entitlements: stopped';
    item.severity =
      state === State.Stopped ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    item.detail = state === State.Stopped ? 'Restart it with "Entitlements: Restart Language Server"' : undefined;
  };
  show(client.state);
  return vscode.Disposable.from(
    item,
    client.onDidChangeState((e) => show(e.newState)),
  );
}

/** "Deploys to: <tenant>" on policy documents, following the active editor and each deploy. */
export function deployTargetStatus(
  documents: PolicyDocuments,
  tenantLabel: (key: string) => string,
): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('entitlements.deployTarget', { language: 'entra-policy' });
  item.name = 'Entra policy deploy target';
  const show = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const origin = doc && doc.languageId === 'entra-policy' ? documents.origin(doc.uri) : undefined;
    item.text = origin ? `Deploys to ${tenantLabel(origin.tenantKey)}` : 'Deploys to: chosen on deploy';
    item.detail = origin?.policyId ? `replaces policy ${origin.policyId}` : origin ? 'creates a new policy' : undefined;
    item.command = { command: 'entitlements.deployPolicy', title: 'Deploy' };
  };
  show();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(show),
    documents.onDidChangeCodeLenses(show),
  );
}
