/**
 * The command-line checker over the same language service the editor uses, for CI pipelines.
 *   check [--format text|json|sarif] FILE...     check .rule and *.policy.json files
 *   check --rule "RULE" [--format ...]           check one rule given inline
 *   eval --rule "RULE" --users FILE              print the ids of the users the rule selects
 *   filter --rule "RULE"                         print the equivalent Graph $filter
 * Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.
 */
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, POLICY_LANGUAGE_ID, RULE_LANGUAGE_ID } from '../../server/src/service/languageService';
import { checkRule, hasErrors } from '../../server/src/service/rules/checker';
import { compileRule } from '../../server/src/service/rules/evaluate';
import { toGraphFilter } from '../../server/src/service/rules/filter';
import { formatReport, type FileReport, type OutputFormat } from './report';
import { pacCommands, pacUsage, runPac, type PacCommand } from './pac/commands';
import { isTenantOption, tenantCheckFrom } from './checkTenant';
import { UsageError as TenantUsageError } from './tenant';

class UsageError extends Error {}

interface Options {
  format: OutputFormat;
  rule?: string;
  users?: string;
  files: string[];
  /** `--tenant`, `--token`, ... for `check --tenant` (see cli/src/tenant.ts). */
  tenant: Map<string, string>;
}

function parseArgs(args: string[]): Options {
  const opts: Options = { format: 'text', files: [], tenant: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json' && f !== 'sarif')
        throw new UsageError(`unknown format '${f}' (text, json or sarif)`);
      opts.format = f;
    } else if (a === '--rule') opts.rule = value();
    else if (a === '--users') opts.users = value();
    else if (isTenantOption(a)) opts.tenant.set(a, value());
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else opts.files.push(a);
  }
  return opts;
}

function languageOf(file: string): string | undefined {
  if (file.endsWith('.rule')) return RULE_LANGUAGE_ID;
  if (file.endsWith('.json')) return POLICY_LANGUAGE_ID;
  return undefined;
}

async function check(opts: Options): Promise<number> {
  const service = getLanguageService();
  const reports: FileReport[] = [];
  if (opts.rule !== undefined) {
    const doc = TextDocument.create('inline:rule', RULE_LANGUAGE_ID, 1, opts.rule);
    reports.push({ file: '<rule>', diagnostics: await service.validate(doc) });
  }
  if (opts.files.length === 0 && opts.rule === undefined) throw new UsageError('check needs files or --rule');
  const tenantCheck = await tenantCheckFrom(opts.tenant);
  for (const file of opts.files) {
    const languageId = languageOf(file);
    if (!languageId)
      throw new UsageError(`${file}: not a .rule or .json (policy, access package, assignment request) file`);
    const doc = TextDocument.create(`file:${file}`, languageId, 1, readFileSync(file, 'utf8'));
    const diagnostics = await service.validate(doc);
    if (tenantCheck) diagnostics.push(...(await tenantCheck(doc)));
    reports.push({ file, diagnostics });
  }
  process.stdout.write(formatReport(reports, opts.format));
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 1)) ? 1 : 0;
}

function ruleFromOptions(opts: Options): string {
  if (opts.rule === undefined) throw new UsageError('--rule "RULE" is required');
  return opts.rule;
}

function reportRuleErrors(rule: string): boolean {
  const { diagnostics } = checkRule(rule);
  if (!hasErrors(diagnostics)) return false;
  for (const d of diagnostics.filter((x) => x.severity === 'error'))
    process.stderr.write(`error ${d.code} at ${d.range.start}: ${d.message}\n`);
  return true;
}

function readUsers(file: string): Record<string, unknown>[] {
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { value?: unknown }).value)
      ? (data as { value: unknown[] }).value
      : undefined;
  if (!list) throw new UsageError(`${file}: expected a JSON array of users or a Graph page {"value": [...]}`);
  return list.filter((u): u is Record<string, unknown> => !!u && typeof u === 'object');
}

function evaluate(opts: Options): number {
  const rule = ruleFromOptions(opts);
  if (!opts.users) throw new UsageError('eval needs --users FILE');
  const users = readUsers(opts.users);
  if (reportRuleErrors(rule)) return 1;
  const compiled = compileRule(checkRule(rule).ast);
  if (!compiled.ok) {
    process.stderr.write(`cannot evaluate: ${compiled.reason}\n`);
    return 1;
  }
  const ids = users.filter((u) => compiled.test(u)).map((u) => u.id ?? u.objectId ?? null);
  process.stdout.write(`${JSON.stringify(ids)}\n`);
  return 0;
}

function filter(opts: Options): number {
  const rule = ruleFromOptions(opts);
  if (reportRuleErrors(rule)) return 1;
  const result = toGraphFilter(checkRule(rule).ast);
  if (!result.ok) {
    process.stderr.write(`no equivalent $filter: ${result.reason}\n`);
    return 1;
  }
  process.stdout.write(`${result.filter}\n`);
  if (result.advanced)
    process.stderr.write(
      'note: this filter needs an advanced query (header ConsistencyLevel: eventual and $count=true)\n',
    );
  return 0;
}

const usage = `usage:
  entitlements check [--format text|json|sarif] [--tenant URL|ID [--token T]] FILE...
  entitlements check --rule "RULE" [--format text|json|sarif]
  entitlements eval --rule "RULE" --users FILE
  entitlements filter --rule "RULE"
${pacUsage}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if ((pacCommands as readonly string[]).includes(command ?? '')) return runPac(command as PacCommand, rest);
  try {
    const opts = parseArgs(rest);
    switch (command) {
      case 'check':
        return await check(opts);
      case 'eval':
        return evaluate(opts);
      case 'filter':
        return filter(opts);
      default:
        throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      err instanceof UsageError || err instanceof TenantUsageError ? `${message}\n${usage}` : `error: ${message}\n`,
    );
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
