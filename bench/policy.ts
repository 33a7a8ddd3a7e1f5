/**
 * Policy benchmarks: full diagnostics (schema + semantic checks + embedded rules) of seed
 * example 2 and of a ~1 MB page of 300 policies, each against vscode-json-languageservice's
 * schema-only validation of the same text in the same run. Target ratio ≤ 1.3 on both.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  getLanguageService as getJsonLanguageService,
  TextDocument as JsonTextDocument,
} from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../server/src/service/languageService';
import { resolveRelativePath, rootSchemaOf, schemaRequestService } from '../server/src/service/policy/schemas';
import { interleave, result } from './measure';
import type { BenchResult } from './types';

const corpus = resolve(__dirname, '..', 'test', 'fixtures', 'corpus', 'policies');

/** A Graph page of `count` policies built from the corpus examples, padded to about `bytes`. */
export function bigPage(count: number, bytes: number): string {
  const files = [
    'valid-external-two-stage-approval-reviews',
    'valid-auto-assignment-sales',
    'valid-direct-assignment',
    'valid-custom-extension-stage',
    'valid-auto-assignment-grace-period',
  ];
  const bodies = files.map(
    (f) => JSON.parse(readFileSync(join(corpus, `${f}.policy.json`), 'utf8')) as Record<string, unknown>,
  );
  const value = Array.from({ length: count }, (_, i) => ({
    ...bodies[i % bodies.length],
    displayName: `Policy ${i}`,
    description: '',
  }));
  const base = JSON.stringify({ value }, null, 2).length;
  const pad = Math.max(0, Math.floor((bytes - base) / count) - 4);
  for (const p of value) p.description = 'x'.repeat(pad);
  return JSON.stringify(
    { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#assignmentPolicies', value },
    null,
    2,
  );
}

async function compare(name: string, text: string, samples: number): Promise<BenchResult> {
  const service = getLanguageService();
  const json = getJsonLanguageService({ schemaRequestService, workspaceContext: { resolveRelativePath } });
  json.configure({ validate: true, schemas: [{ uri: rootSchemaOf.policy, fileMatch: ['entitlements://bench/*'] }] });
  const ours = TextDocument.create('file:///bench/x.policy.json', 'entra-policy', 1, text);
  const theirs = JsonTextDocument.create('entitlements://bench/x', 'json', 1, text);
  const subject = () => service.validate(ours);
  const reference = async () =>
    json.doValidation(theirs, json.parseJSONDocument(theirs), { schemaValidation: 'error' });
  const findings = await subject();
  const times = await interleave(subject, reference, samples, 5);
  return result(
    name,
    times.subject,
    times.reference,
    1e6,
    'ms',
    'ratio ≤ 1.3',
    `${(text.length / 1024).toFixed(0)} KiB, ${findings.length} findings; reference: vscode-json-languageservice schema-only validation`,
  );
}

export async function benchPolicy(): Promise<BenchResult[]> {
  const seed2 = readFileSync(join(corpus, 'valid-external-two-stage-approval-reviews.policy.json'), 'utf8');
  return [
    await compare('full diagnostics of seed example 2', seed2, 41),
    await compare('full diagnostics of a 1 MB page of 300 policies', bigPage(300, 1024 * 1024), 41),
  ];
}
