/**
 * `check` of one file, inside its own error boundary: whatever happens to one file (unreadable
 * bytes, a check that throws) becomes a finding for that file, and the run goes on to report the
 * others. Only a file that cannot be read at all is an I/O error (exit status 2).
 */
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { accessPackageFromFolder } from '../../server/src/packageFolder';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import {
  CHECK_FAILED_CODE,
  defaultSettings,
  documentFinding,
  TOO_LARGE_CODE,
  UNDECODABLE_CODE,
  type LanguageService,
  type LanguageSettings,
} from '../../server/src/service/languageService';
import { decodeText } from './decode';
import type { FileReport } from './report';

export type FileOutcome = { ok: true; report: FileReport } | { ok: false; ioError: string };

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function checkFile(
  service: LanguageService,
  file: string,
  languageId: string,
  settings: LanguageSettings = defaultSettings,
  /** More findings for the same document (the tenant's id checks of `check --tenant`). */
  extra?: (doc: TextDocument) => Promise<FileReport['diagnostics']>,
): Promise<FileOutcome> {
  const report = (diagnostics: FileReport['diagnostics']): FileOutcome => ({
    ok: true,
    report: { file, diagnostics },
  });
  let bytes: Buffer;
  try {
    // Every character takes at least one byte and at most four, so a file over four times the
    // limit is over it in characters too: said without reading it (it may not even fit a string).
    const size = statSync(file).size;
    if (size > 4 * settings.maxDocumentLength) {
      const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
      return report([
        documentFinding(
          TOO_LARGE_CODE,
          `This file is ${mb(size)} MB; Entra Entitlements checks documents up to ${mb(settings.maxDocumentLength)} MB, so it is not checked.`,
          DiagnosticSeverity.Warning,
        ),
      ]);
    }
    bytes = readFileSync(file);
  } catch (err) {
    return { ok: false, ioError: reasonOf(err) };
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok)
    return report([
      documentFinding(
        UNDECODABLE_CODE,
        `This file cannot be read as text: ${decoded.reason}.`,
        DiagnosticSeverity.Error,
      ),
    ]);
  try {
    const uri = pathToFileURL(file).href;
    const doc = TextDocument.create(uri, languageId, 1, decoded.text);
    // A policy in a policy-as-code package folder takes its access package from the folder.
    const diagnostics = await service.validate(doc, {
      ...settings,
      accessPackageFromFolder: accessPackageFromFolder(uri),
    });
    if (extra) diagnostics.push(...(await extra(doc)));
    return report(diagnostics);
  } catch (err) {
    return report([
      documentFinding(
        CHECK_FAILED_CODE,
        `Entra Entitlements could not check this file (${reasonOf(err)}); please report it with the file.`,
        DiagnosticSeverity.Error,
      ),
    ]);
  }
}
