/**
 * Files are checked by the same language service the editor and `check` use before anything is
 * sent: a file with an error refuses the whole plan. Policies take their access package from the
 * folder, so a missing `accessPackage` is not an error here.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { defaultSettings, getLanguageService, POLICY_LANGUAGE_ID } from '../../../server/src/service/languageService';
import type { Layout } from './layout';

export interface FileError {
  file: string;
  line: number;
  character: number;
  code: string;
  message: string;
}

let service: ReturnType<typeof getLanguageService> | undefined;

export async function checkLayout(layout: Layout): Promise<FileError[]> {
  service ??= getLanguageService();
  const out: FileError[] = layout.problems.map((p) => ({
    file: p.file,
    line: 0,
    character: 0,
    code: 'layout',
    message: p.message,
  }));
  for (const f of layout.files) {
    const uri = pathToFileURL(join(layout.dir, f.path)).toString();
    const doc = TextDocument.create(uri, POLICY_LANGUAGE_ID, 1, f.text);
    const diagnostics: Diagnostic[] = await service.validate(doc, {
      ...defaultSettings,
      accessPackageFromFolder: f.kind === 'policy',
    });
    for (const d of diagnostics)
      if (d.severity === DiagnosticSeverity.Error)
        out.push({
          file: f.path,
          line: d.range.start.line + 1,
          character: d.range.start.character + 1,
          code: String(d.code ?? ''),
          message: typeof d.message === 'string' ? d.message : d.message.value,
        });
  }
  return out;
}
