/**
 * The language server: a thin LSP adapter over the service. Each handler is one short function
 * wrapped so that an exception is logged and answered with an empty result; the server never
 * dies of a bad document. Diagnostics are debounced per document and cached by uri+version.
 */
import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type Diagnostic } from 'vscode-languageserver-types';
import { defaultSettings, getLanguageService, type LanguageSettings } from './service/languageService';
import { readSettings, type ServerSettings } from './settings';

export function startServer(connection: Connection): void {
  const service = getLanguageService();
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const cache = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  let canReadConfiguration = false;
  let settings: ServerSettings | undefined;

  function safe<A extends unknown[], R>(name: string, fallback: R, f: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      try {
        return f(...args);
      } catch (err) {
        connection.console.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return fallback;
      }
    };
  }

  async function currentSettings(): Promise<ServerSettings> {
    settings ??= await readSettings(connection, canReadConfiguration);
    return settings;
  }

  function languageSettings(s: ServerSettings): LanguageSettings {
    return { ...defaultSettings, casingHints: s.casingHints };
  }

  const validate = safe('validate', undefined, (doc: TextDocument, s: ServerSettings) => {
    if (!service.handles(doc.languageId)) return;
    const cached = cache.get(doc.uri);
    const diagnostics = cached?.version === doc.version ? cached.diagnostics : service.validate(doc, languageSettings(s));
    cache.set(doc.uri, { version: doc.version, diagnostics });
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  });

  function schedule(doc: TextDocument, immediate: boolean): void {
    clearTimeout(timers.get(doc.uri));
    void currentSettings().then((s) => {
      const run = () => {
        timers.delete(doc.uri);
        const latest = documents.get(doc.uri);
        if (latest) validate(latest, s);
      };
      if (immediate || s.debounceMs === 0) run();
      else timers.set(doc.uri, setTimeout(run, s.debounceMs));
    });
  }

  connection.onInitialize((params): InitializeResult => {
    canReadConfiguration = params.capabilities.workspace?.configuration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '-', '(', '[', '"'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentFormattingProvider: true,
      },
      serverInfo: { name: 'entra-entitlements-language-server', version: '0.1.0' },
    };
  });

  connection.onDidChangeConfiguration(() => {
    settings = undefined;
    cache.clear();
    for (const doc of documents.all()) schedule(doc, true);
  });

  documents.onDidOpen((e) => schedule(e.document, true));
  documents.onDidChangeContent((e) => schedule(e.document, false));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    cache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const withDoc = <R>(uri: string, fallback: R, f: (doc: TextDocument) => R): R => {
    const doc = documents.get(uri);
    return doc && service.handles(doc.languageId) ? f(doc) : fallback;
  };

  connection.onCompletion(safe('completion', [], (p) => withDoc(p.textDocument.uri, [], (doc) => service.complete(doc, doc.offsetAt(p.position)))));
  connection.onHover(safe('hover', null, (p) => withDoc(p.textDocument.uri, null, (doc) => service.hover(doc, doc.offsetAt(p.position)))));
  connection.onCodeAction(safe('codeAction', [], (p) => withDoc(p.textDocument.uri, [], (doc) => service.codeActions(doc, p.range, p.context.diagnostics))));
  connection.onDocumentFormatting(safe('formatting', [], (p) => withDoc(p.textDocument.uri, [], (doc) => service.format(doc))));

  documents.listen(connection);
  connection.listen();
}
