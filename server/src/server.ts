/**
 * The language server: a thin LSP adapter over the service. Each handler is one short function
 * wrapped so that an exception is logged and answered with an empty result; the server never
 * dies of a bad document. Diagnostics are debounced per document and cached by uri+version.
 */
import {
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionParams,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
} from 'vscode-languageserver-types';
import {
  CHECK_FAILED_CODE,
  defaultSettings,
  documentFinding,
  getLanguageService,
  type LanguageSettings,
} from './service/languageService';
import { readSettings, type ServerSettings } from './settings';
import { accessPackageFromFolder } from './packageFolder';
import { TenantBridge } from './tenantBridge';

export function startServer(connection: Connection): void {
  const service = getLanguageService();
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const cache = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  let canReadConfiguration = false;
  let settings: ServerSettings | undefined;
  const bridge = new TenantBridge(connection, {
    publish: (doc, diagnostics) => void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics }),
    current: (uri) => documents.get(uri),
    revalidateAll: () => documents.all().forEach((d) => schedule(d, true)),
  });

  /** Wraps a handler: an exception (or a rejected promise) is logged and answered with `fallback`. */
  function safe<A extends unknown[], R>(
    name: string,
    fallback: R,
    f: (...args: A) => R | Promise<R>,
  ): (...args: A) => Promise<R> {
    const log = (err: unknown) => {
      connection.console.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    };
    return async (...args: A) => {
      try {
        return await f(...args);
      } catch (err) {
        return log(err);
      }
    };
  }

  async function currentSettings(): Promise<ServerSettings> {
    settings ??= await readSettings(connection, canReadConfiguration);
    return settings;
  }

  function languageSettings(s: ServerSettings): LanguageSettings {
    return { ...defaultSettings, casingHints: s.casingHints, maxDocumentLength: s.maxDocumentLength };
  }

  async function validate(doc: TextDocument, s: ServerSettings): Promise<void> {
    if (!service.handles(doc.languageId)) return;
    try {
      const cached = cache.get(doc.uri);
      const diagnostics =
        cached?.version === doc.version
          ? cached.diagnostics
          : await service.validate(doc, {
              ...languageSettings(s),
              accessPackageFromFolder: accessPackageFromFolder(doc.uri),
            });
      // A newer version may have arrived while validating; its own run publishes.
      if (documents.get(doc.uri)?.version !== doc.version) return;
      cache.set(doc.uri, { version: doc.version, diagnostics });
      await connection.sendDiagnostics({
        uri: doc.uri,
        version: doc.version,
        diagnostics: [...diagnostics, ...bridge.known(doc)],
      });
      if (bridge.active) bridge.checkAfterPublish(doc, diagnostics, service.jsonRoot(doc));
    } catch (err) {
      connection.console.error(`validate failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      // The previous version's findings must not stay on screen as if they were current.
      if (documents.get(doc.uri)?.version !== doc.version) return;
      const failed = documentFinding(
        CHECK_FAILED_CODE,
        `Entra Entitlements could not check this document (${err instanceof Error ? err.message : String(err)}); see the Entra Entitlements log.`,
        DiagnosticSeverity.Error,
      );
      cache.set(doc.uri, { version: doc.version, diagnostics: [failed] });
      await connection
        .sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [failed] })
        .catch(() => undefined);
    }
  }

  function schedule(doc: TextDocument, immediate: boolean): void {
    clearTimeout(timers.get(doc.uri));
    void currentSettings().then((s) => {
      const run = () => {
        timers.delete(doc.uri);
        const latest = documents.get(doc.uri);
        if (latest) void validate(latest, s);
      };
      if (immediate || s.debounceMs === 0) run();
      else timers.set(doc.uri, setTimeout(run, s.debounceMs));
    });
  }

  connection.onInitialize((params): InitializeResult => {
    canReadConfiguration = params.capabilities.workspace?.configuration === true;
    bridge.initialize(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '-', '(', '[', '"'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentFormattingProvider: true,
        foldingRangeProvider: true,
        documentSymbolProvider: true,
        selectionRangeProvider: true,
        ...(bridge.active ? { inlayHintProvider: true } : {}),
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
    bridge.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** The document and the settings whose size limit applies, or the fallback answer. */
  const withDoc = async <R>(
    uri: string,
    fallback: R,
    f: (doc: TextDocument, s: LanguageSettings) => R | Promise<R>,
  ): Promise<R> => {
    const doc = documents.get(uri);
    return doc && service.handles(doc.languageId) ? f(doc, languageSettings(await currentSettings())) : fallback;
  };

  connection.onCompletion(
    safe<[CompletionParams], CompletionItem[] | CompletionList>('completion', [], (p) =>
      withDoc(p.textDocument.uri, [], (doc, s) =>
        bridge.complete(doc, p.position, () => service.complete(doc, p.position, s)),
      ),
    ),
  );
  connection.onHover(
    safe('hover', null, (p) =>
      withDoc(
        p.textDocument.uri,
        null,
        async (doc, s) => (await bridge.hover(doc, p.position)) ?? service.hover(doc, p.position, s),
      ),
    ),
  );
  connection.onCodeAction(
    safe('codeAction', [], (p) =>
      withDoc(p.textDocument.uri, [], (doc, s) => service.codeActions(doc, p.range, p.context.diagnostics, s)),
    ),
  );
  connection.onDocumentFormatting(
    safe('formatting', [], (p) => withDoc(p.textDocument.uri, [], (doc, s) => service.format(doc, p.options, s))),
  );
  connection.onFoldingRanges(
    safe('foldingRanges', [], (p) => withDoc(p.textDocument.uri, [], (doc, s) => service.foldingRanges(doc, s))),
  );
  connection.onDocumentSymbol(
    safe('documentSymbol', [], (p) => withDoc(p.textDocument.uri, [], (doc, s) => service.symbols(doc, s))),
  );
  connection.onSelectionRanges(
    safe('selectionRanges', [], (p) =>
      withDoc(p.textDocument.uri, [], (doc, s) => service.selectionRanges(doc, p.positions, s)),
    ),
  );

  connection.languages.inlayHint.on(
    safe('inlayHint', [], (p) => withDoc(p.textDocument.uri, [], (doc) => bridge.inlayHints(doc, p))),
  );

  documents.listen(connection);
  connection.listen();
}
