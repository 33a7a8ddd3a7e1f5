/**
 * `check --tenant`: the tenant diagnostics of the editor (codes `T1xx`: ids in payloads, custom
 * extension properties in rules) for the files `check` reads,
 * against the tenant named by the tenant options. One Graph directory (and its cache) serves all
 * the files of a run, so an id named in many files is looked up once.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { GraphDirectory } from '../../client/src/directory/graphDirectory';
import { idDiagnostics } from '../../server/src/service/directory/features';
import { hasRules, ruleTenantDiagnostics } from '../../server/src/service/directory/ruleTenant';
import type { DirectoryLookup } from '../../server/src/service/directory/protocol';
import { POLICY_LANGUAGE_ID } from '../../server/src/service/languageService';
import { connectTenant, graphClientFor, tenantOptionNames, tenantOptionsFrom } from './tenant';

export type TenantCheck = (doc: TextDocument) => Promise<Diagnostic[]>;

/** Whether `name` is one of the tenant options `check` accepts (each takes a value). */
export function isTenantOption(name: string): boolean {
  return (tenantOptionNames as readonly string[]).includes(name);
}

/** The id check for a run, or undefined without `--tenant` (then `check` is unchanged). */
export async function tenantCheckFrom(values: ReadonlyMap<string, string>): Promise<TenantCheck | undefined> {
  const options = tenantOptionsFrom(values);
  if (!options) return undefined;
  const connection = await connectTenant(options);
  const directory = new GraphDirectory(graphClientFor(connection), connection.key);
  const lookup: DirectoryLookup = (ids) => directory.lookup(ids);
  return async (doc) => {
    const ids = doc.languageId === POLICY_LANGUAGE_ID ? await idDiagnostics(doc, lookup) : [];
    if (!hasRules(doc.languageId, doc.getText())) return ids;
    // An unreadable directory is already reported once by the id check (T100); rules add nothing then.
    const vocab = await directory.vocabulary().catch(() => undefined);
    return vocab ? [...ids, ...ruleTenantDiagnostics(doc, vocab)] : ids;
  };
}
