/** "New Policy from Template…": pick one of the seed shapes and open it as an untitled policy. */
import * as vscode from 'vscode';
import templates from '../../../snippets/entra-policy.json';

interface Template {
  prefix: string[];
  description: string;
  body: string[];
}

export async function newPolicy(accessPackageId?: string): Promise<vscode.TextEditor | undefined> {
  const entries = Object.entries(templates as Record<string, Template>);
  const pick = await vscode.window.showQuickPick(
    entries.map(([label, t]) => ({ label, detail: t.description, body: t.body })),
    { title: 'New assignment policy', placeHolder: 'Choose the kind of policy' },
  );
  if (!pick) return undefined;
  const doc = await vscode.workspace.openTextDocument({ language: 'entra-policy', content: '' });
  const editor = await vscode.window.showTextDocument(doc);
  let body = pick.body.join('\n');
  if (accessPackageId) body = body.replace('${1:access package id}', accessPackageId.replace(/[$}\\]/g, '\\$&'));
  await editor.insertSnippet(new vscode.SnippetString(body));
  return editor;
}
