/**
 * The command-line checker over the same language service the editor uses, for CI pipelines.
 *   check [--format text|json|sarif] FILE...     check .rule and *.policy.json files
 *   check --rule "RULE" [--format ...]           check one rule given inline
 *   eval --rule "RULE" --users FILE              print the ids of the users the rule selects
 *   filter --rule "RULE"                         print the equivalent Graph $filter
 *   whoami --tenant URL|TENANT_ID ...            sign in and count the catalogs (see whoami.ts)
 * Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, POLICY_LANGUAGE_ID, RULE_LANGUAGE_ID } from '../../server/src/service/languageService';
import { checkRule, hasErrors } from '../../server/src/service/rules/checker';
import { compileRule } from '../../server/src/service/rules/evaluate';
import { toGraphFilter } from '../../server/src/service/rules/filter';
import { checkFile } from './checkFile';
import { streamMatches } from './eval';
import { formatReport, type FileReport, type OutputFormat } from './report';
import { pacCommands, pacUsage, runPac, type PacCommand } from './pac/commands';
import { UsageError } from './tenant';
import { whoami, whoamiUsage } from './whoami';
import { escapeForTerminal } from './terminal';
import { isTenantOption, tenantCheckFrom } from './checkTenant';

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
  const unknown = opts.files.find((f) => !languageOf(f));
  if (unknown !== undefined)
    throw new UsageError(`${unknown}: not a .rule or .json (policy, access package, assignment request) file`);
  const tenantCheck = await tenantCheckFrom(opts.tenant);
  let unreadable = false;
  for (const file of opts.files) {
    // One file's failure is that file's finding (or, unreadable, an I/O error): the rest are still reported.
    const outcome = await checkFile(service, file, languageOf(file) as string, undefined, tenantCheck);
    if (outcome.ok) reports.push(outcome.report);
    else {
      unreadable = true;
      process.stderr.write(`error: ${escapeForTerminal(file)}: ${escapeForTerminal(outcome.ioError)}\n`);
    }
  }
  process.stdout.write(formatReport(reports, opts.format));
  if (unreadable) return 2;
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
    process.stderr.write(`error ${d.code} at ${d.range.start}: ${escapeForTerminal(d.message)}\n`);
  return true;
}

/** Streams the users file (see `eval.ts`); the rule is checked and compiled first. */
function evaluate(opts: Options): number | Promise<number> {
  const rule = ruleFromOptions(opts);
  if (!opts.users) throw new UsageError('eval needs --users FILE');
  if (reportRuleErrors(rule)) return 1;
  const compiled = compileRule(checkRule(rule).ast);
  if (!compiled.ok) {
    process.stderr.write(`cannot evaluate: ${escapeForTerminal(compiled.reason)}\n`);
    return 1;
  }
  return streamMatches(opts.users, (u) => compiled.test(u));
}

function filter(opts: Options): number {
  const rule = ruleFromOptions(opts);
  if (reportRuleErrors(rule)) return 1;
  const result = toGraphFilter(checkRule(rule).ast);
  if (!result.ok) {
    process.stderr.write(`no equivalent $filter: ${escapeForTerminal(result.reason)}\n`);
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
  ${whoamiUsage}
${pacUsage}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if ((pacCommands as readonly string[]).includes(command ?? '')) return runPac(command as PacCommand, rest);
  try {
    if (command === 'whoami') return await whoami(rest);
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
    const safe = escapeForTerminal(message);
    process.stderr.write(err instanceof UsageError ? `${safe}\n${usage}` : `error: ${safe}\n`);
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
