/**
 * `entitlements whoami --tenant URL|TENANT_ID [--cloud C] [--authority-host URL] [--graph-endpoint URL]
 * [--token T] [--format text|json]`: signs in the way every tenant command does and reads the
 * catalogs, so a pipeline can prove its credential and its Graph permission in a first step.
 * Prints the tenant's key (as the state file names it), Graph's root and the number of catalogs.
 * Exit 0 when signed in and read, 2 otherwise (the identity platform's `AADSTS…` message, or
 * Graph's code and message).
 */
import { EM } from '../../client/src/graph/entitlements';
import { connectTenant, graphClientFor, tenantOptionNames, tenantOptionsFrom, UsageError } from './tenant';

export const whoamiUsage =
  'entitlements whoami --tenant URL|TENANT_ID [--cloud global|usGov|usGovDoD|china] [--authority-host URL] [--graph-endpoint URL] [--token T] [--format text|json]';

export async function whoami(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!(tenantOptionNames as readonly string[]).includes(a) && a !== '--format')
      throw new UsageError(`whoami: unknown argument ${a}`);
    const v = args[++i];
    if (v === undefined) throw new UsageError(`${a} needs a value`);
    values.set(a, v);
  }
  const format = values.get('--format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (text or json)`);
  const opts = tenantOptionsFrom(values);
  if (!opts) throw new UsageError('whoami needs --tenant');
  const connection = await connectTenant(opts, env);
  try {
    // Sign in first, so a refused credential is reported as such rather than as a Graph failure.
    await connection.getToken('EntitlementManagement.Read.All');
    const graph = graphClientFor(connection);
    let catalogs = 0;
    for await (const page of graph.pages(`${EM}/catalogs?$select=id`)) catalogs += page.length;
    const out = { tenant: connection.key, graph: connection.baseUrl, catalogs };
    process.stdout.write(
      format === 'json'
        ? `${JSON.stringify(out)}\n`
        : `tenant   ${out.tenant}\ngraph    ${out.graph}\ncatalogs ${out.catalogs}\n`,
    );
    return 0;
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    const code = typeof err.code === 'string' && err.code !== '' ? `${err.code}: ` : '';
    process.stderr.write(`error: ${code}${String(err.message ?? e)}\n`);
    return 2;
  }
}
