// `entitlements.policy.fileGlobs`: more files to treat as policy payloads than `*.policy.json`
// (e.g. `**/policies/*.json`). A matching document opened as JSON or plain text is switched to
// the `entra-policy` language, now and whenever the setting changes.
import * as vscode from 'vscode';

const SETTING = 'policy.fileGlobs';

function globs(): string[] {
  const value = vscode.workspace.getConfiguration('entitlements').get<unknown>(SETTING, []);
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : [];
}

async function apply(doc: vscode.TextDocument, patterns: string[]): Promise<void> {
  if (doc.languageId !== 'json' && doc.languageId !== 'jsonc' && doc.languageId !== 'plaintext') return;
  if (!patterns.some((pattern) => vscode.languages.match({ pattern }, doc) > 0)) return;
  await vscode.languages.setTextDocumentLanguage(doc, 'entra-policy');
}

export function registerPolicyGlobs(): vscode.Disposable {
  const applyAll = () => {
    const patterns = globs();
    if (patterns.length > 0) for (const doc of vscode.workspace.textDocuments) void apply(doc, patterns);
  };
  applyAll();
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((doc) => void apply(doc, globs())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`entitlements.${SETTING}`)) applyAll();
    }),
  );
}
