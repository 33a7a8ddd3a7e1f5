/** Shared by the real-editor suites: the extension under test, workspace files, event waits. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'entra-entitlements.entra-entitlements';

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this editor`);
  return ext;
}

export async function activate(): Promise<unknown> {
  const ext = extension();
  return ext.isActive ? ext.exports : ext.activate();
}

/** The manifest the editor loaded (so the vsix run checks the packaged one). */
export function manifest(): {
  contributes?: {
    commands?: { command: string }[];
    views?: Record<string, { id: string }[]>;
    viewsContainers?: Record<string, { id: string; title: string }[]>;
  };
} {
  return extension().packageJSON;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the editor has no workspace folder open');
  return folder.uri;
}

let counter = 0;
/** Writes a fresh file (unique name) into the workspace and opens it in an editor. */
export async function openFile(
  name: string,
  text: string,
): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const dot = name.indexOf('.');
  const unique = `${name.slice(0, dot)}-${process.pid}-${++counter}${name.slice(dot)}`;
  const uri = vscode.Uri.joinPath(workspaceRoot(), 'e2e', unique);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  return { doc, editor };
}

/** Text with one `|` cursor marker: the text without it and the marker's position. */
export function cursor(marked: string): { text: string; position: vscode.Position } {
  const at = marked.indexOf('|');
  assert.ok(at >= 0 && marked.indexOf('|', at + 1) < 0, `exactly one | marker in ${marked}`);
  const before = marked.slice(0, at).split('\n');
  return {
    text: marked.slice(0, at) + marked.slice(at + 1),
    position: new vscode.Position(before.length - 1, before[before.length - 1]!.length),
  };
}

/**
 * Resolves with the document's diagnostics once `accept` holds for them, checking the current
 * state first and then on every diagnostics change. The limit only turns a hang into a failure.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (d: readonly vscode.Diagnostic[]) => boolean,
  what: string,
  limitMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const current = vscode.languages.getDiagnostics(uri);
      if (!accept(current)) return false;
      done();
      resolve(current);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(
          `no ${what} on ${uri.path} within ${limitMs} ms; diagnostics now: ${describe(vscode.languages.getDiagnostics(uri))}`,
        ),
      );
    }, limitMs);
    const done = (): void => {
      sub.dispose();
      clearTimeout(timer);
    };
    check();
  });
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

export function describe(ds: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(
    ds.map((d) => ({
      code: codeOf(d),
      message: d.message,
      line: d.range.start.line,
      character: d.range.start.character,
    })),
  );
}

/** Resolves once the document's text satisfies `accept`, through change events. */
export function waitForText(
  doc: vscode.TextDocument,
  accept: (text: string) => boolean,
  what: string,
  limitMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (accept(doc.getText())) return resolve(doc.getText());
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && accept(doc.getText())) {
        sub.dispose();
        clearTimeout(timer);
        resolve(doc.getText());
      }
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${what}: text is now ${JSON.stringify(doc.getText())}`));
    }, limitMs);
  });
}

/** Saves (the files are the suite's own scratch files, so no save prompt can block) and closes every editor. */
export async function closeAll(): Promise<void> {
  await vscode.workspace.saveAll(false);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
