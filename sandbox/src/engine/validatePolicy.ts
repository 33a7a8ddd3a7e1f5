/**
 * Validation of assignment-policy bodies (POST and PUT) with the same language service the
 * editor and the CLI use: a body the editor marks with an error is refused here with the same
 * messages. It runs before the write transaction (the JSON service is asynchronous, and the
 * check needs no tenant state); the checks that need the tenant run inside the write.
 */
import { textOr } from './scope';
import { getLocation } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getLanguageService, POLICY_LANGUAGE_ID } from '../../../server/src/service/languageService';
import { isObj } from './engine';

export interface PolicyProblem {
  code: string;
  message: string;
}

const service = getLanguageService();

/** `specificAllowedTargets[0].membershipRule` for a finding's position in the body. */
function pathAt(text: string, offset: number): string {
  return getLocation(text, offset).path.reduce<string>(
    (out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg),
    '',
  );
}

/** The errors the editor would show for this body text; an empty list means acceptable. */
export async function policyBodyProblems(text: string): Promise<PolicyProblem[]> {
  const doc = TextDocument.create('sandbox://request/body.policy.json', POLICY_LANGUAGE_ID, 1, text);
  const diagnostics = await service.validate(doc);
  return diagnostics
    .filter((d) => d.severity === DiagnosticSeverity.Error)
    .map((d) => {
      const where = pathAt(text, doc.offsetAt(d.range.start));
      const message = typeof d.message === 'string' ? d.message : d.message.value;
      return { code: String(d.code), message: where ? `${where}: ${message}` : message };
    });
}

/**
 * What this tenant needs beyond the shared checks: the engine evaluates one rule per automatic
 * policy, so it refuses (where the editor only warns) a policy with several targets.
 */
export function engineProblems(body: unknown): PolicyProblem[] {
  if (!isObj(body) || !isObj(body.automaticRequestSettings)) return [];
  const list = Array.isArray(body.specificAllowedTargets) ? body.specificAllowedTargets : [];
  const rules = list.filter(
    (s) => isObj(s) && textOr(s['@odata.type'], '').replace(/^#?microsoft\.graph\./, '') === 'attributeRuleMembers',
  );
  if (rules.length === 1 && list.length === 1) return [];
  return [
    {
      code: 'InvalidAutoAssignment',
      message:
        'An automatic assignment policy needs exactly one attributeRuleMembers entry (with its membershipRule) in specificAllowedTargets.',
    },
  ];
}
