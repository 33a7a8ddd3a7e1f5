/** "New Policy from Template…": pick one of the seed shapes and open it as an untitled policy. */
import * as vscode from 'vscode';
import templates from '../../../snippets/entra-policy.json';

interface Template {
  prefix: string[];
  description: string;
  body: string[];
}

/**
 * Opens a new policy document from a template. `template` names one (the snippet's name, e.g.
 * "Direct assignment policy") to skip the pick, for automation.
 */
export async function newPolicy(accessPackageId?: string, template?: string): Promise<vscode.TextEditor | undefined> {
  const entries = Object.entries(templates as Record<string, Template>);
  const items = entries.map(([label, t]) => ({ label, detail: t.description, body: t.body }));
  const named =
    template === undefined ? undefined : items.find((i) => i.label.toLowerCase() === template.toLowerCase());
  if (template !== undefined && !named)
    throw new Error(
      `No policy template named "${template}"; the templates are: ${items.map((i) => i.label).join(', ')}.`,
    );
  const pick =
    named ??
    (await vscode.window.showQuickPick(items, {
      title: 'New assignment policy',
      placeHolder: 'Choose the kind of policy',
    }));
  if (!pick) return undefined;
  const doc = await vscode.workspace.openTextDocument({ language: 'entra-policy', content: '' });
  const editor = await vscode.window.showTextDocument(doc);
  let body = pick.body.join('\n');
  if (accessPackageId) body = body.replace('${1:access package id}', accessPackageId.replace(/[$}\\]/g, '\\$&'));
  await editor.insertSnippet(new vscode.SnippetString(body));
  return editor;
}
