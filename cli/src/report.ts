/** Output of `check`: plain text for people, JSON (the documented contract) and SARIF 2.1.0 for CI. */
import type { Diagnostic } from 'vscode-languageserver-types';
import { escapeForTerminal, escapeJsonForTerminal } from './terminal';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface FileReport {
  file: string;
  diagnostics: Diagnostic[];
}

const severityNames = ['error', 'error', 'warning', 'information', 'hint'] as const;

function severityName(d: Diagnostic): (typeof severityNames)[number] {
  return severityNames[d.severity ?? 1] ?? 'error';
}

export function formatReport(reports: FileReport[], format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${escapeJsonForTerminal(JSON.stringify(reports.map(toJson), null, 2))}\n`;
    case 'sarif':
      return `${escapeJsonForTerminal(JSON.stringify(toSarif(reports), null, 2))}\n`;
    default:
      return toText(reports);
  }
}

function toJson(r: FileReport) {
  return {
    file: r.file,
    diagnostics: r.diagnostics.map((d) => ({
      range: {
        start: { line: d.range.start.line, character: d.range.start.character },
        end: { line: d.range.end.line, character: d.range.end.character },
      },
      severity: severityName(d),
      code: d.code,
      message: d.message,
    })),
  };
}

function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function toText(reports: FileReport[]): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const r of reports) {
    for (const d of r.diagnostics) {
      const sev = severityName(d);
      if (sev === 'error') errors++;
      if (sev === 'warning') warnings++;
      const where = `${escapeForTerminal(r.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      lines.push(`${where}: ${sev} ${escapeForTerminal(String(d.code))}: ${escapeForTerminal(messageOf(d))}`);
    }
  }
  lines.push(`${reports.length} file(s) checked: ${errors} error(s), ${warnings} warning(s)`);
  return `${lines.join('\n')}\n`;
}

const sarifLevels = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

function toSarif(reports: FileReport[]) {
  const ruleIds = [...new Set(reports.flatMap((r) => r.diagnostics.map((d) => String(d.code))))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'entra-entitlements', rules: ruleIds.map((id) => ({ id })) } },
        results: reports.flatMap((r) =>
          r.diagnostics.map((d) => ({
            ruleId: String(d.code),
            level: sarifLevels[severityName(d)],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.file },
                  region: {
                    startLine: d.range.start.line + 1,
                    startColumn: d.range.start.character + 1,
                    endLine: d.range.end.line + 1,
                    endColumn: d.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}
