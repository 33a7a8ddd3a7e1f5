/**
 * The semantic checks of an assignment policy that a JSON Schema cannot express, run over the
 * syntax tree vscode-json-languageservice already parsed. A document may hold one policy, an
 * array of them, or a Graph page `{"value": [...]}`.
 */
import type { ASTNode, StringASTNode } from 'vscode-json-languageservice';
import { checkApproval } from './approvalChecks';
import { PolicyCode as P } from './codes';
import { replaceNode, type CheckContext } from './context';
import { isObject, items, odataType, property, stringValue, truthy, value } from './jsonNodes';
import { checkQuestions } from './questionChecks';
import { checkDurations, checkExpiration, checkReviews } from './timeChecks';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_KEYS = new Set(['userId', 'groupId', 'connectedOrganizationId', 'servicePrincipalId']);
/** Id properties of an assignment request that Graph defines as GUIDs (object ids, policy and package ids). */
const REQUEST_ID_KEYS = new Set([...ID_KEYS, 'targetId', 'assignmentPolicyId', 'accessPackageId', 'objectId']);
/** Relationships named by `{"id": ...}` whose id is a GUID. */
const REFERENCE_KEYS = new Set(['accessPackage', 'customExtension', 'catalog']);
const REQUEST_REFERENCE_KEYS = new Set([...REFERENCE_KEYS, 'assignmentPolicy', 'assignment']);
/** The longest expiration the portal offers. */
const MAX_EXPIRATION_DAYS = 3660;

/** The policy objects of a document, whatever its shape. */
export function policiesOf(root: ASTNode | undefined): ASTNode[] {
  if (!root) return [];
  if (root.type === 'array') return root.items.filter(isObject);
  const page = value(root, 'value');
  if (page?.type === 'array' && !property(root, 'displayName')) return page.items.filter(isObject);
  return isObject(root) ? [root] : [];
}

/** The `membershipRule` strings of attributeRuleMembers targets, for the rule checker. */
export function membershipRules(policy: ASTNode): StringASTNode[] {
  const out: StringASTNode[] = [];
  for (const target of items(value(policy, 'specificAllowedTargets'))) {
    const rule = value(target, 'membershipRule');
    if (rule?.type === 'string') out.push(rule);
  }
  return out;
}

export function checkPolicy(policy: ASTNode, ctx: CheckContext, accessPackageFromFolder = false): void {
  checkDurations(policy, ctx);
  checkExpiration(value(policy, 'expiration'), ctx, MAX_EXPIRATION_DAYS);
  checkApproval(value(policy, 'requestApprovalSettings'), ctx);
  checkReviews(value(policy, 'reviewSettings'), ctx);
  checkQuestions(value(policy, 'questions'), ctx);
  checkAutomatic(policy, ctx);
  checkIds(policy, ctx);
  if (!accessPackageFromFolder) checkAccessPackage(policy, ctx);
}

function checkAutomatic(policy: ASTNode, ctx: CheckContext): void {
  const auto = property(policy, 'automaticRequestSettings');
  if (!auto?.valueNode || auto.valueNode.type === 'null') return;
  const scope = value(policy, 'allowedTargetScope');
  if (stringValue(scope) !== 'specificDirectoryUsers') {
    const fixes = scope
      ? [replaceNode(scope, 'Set allowedTargetScope to "specificDirectoryUsers"', '"specificDirectoryUsers"')]
      : undefined;
    ctx.report(
      scope ?? auto.keyNode,
      'error',
      P.autoScope,
      'An automatic assignment policy (automaticRequestSettings) must have allowedTargetScope "specificDirectoryUsers".',
      fixes,
    );
  }
  const targets = items(value(policy, 'specificAllowedTargets'));
  const rules = targets.filter((t) => odataType(t) === 'attributeRuleMembers');
  if (rules.length === 0) {
    ctx.report(
      property(policy, 'specificAllowedTargets')?.keyNode ?? auto.keyNode,
      'error',
      P.autoRuleCount,
      'An automatic assignment policy needs one #microsoft.graph.attributeRuleMembers target with a membershipRule in specificAllowedTargets.',
    );
  } else if (rules.length > 1 || targets.length > rules.length) {
    ctx.report(
      property(policy, 'specificAllowedTargets')?.keyNode ?? auto.keyNode,
      'warning',
      P.autoRuleCount,
      'An automatic assignment policy is documented with exactly one attributeRuleMembers target; combine the conditions into one rule.',
    );
  }
  const requestor = value(policy, 'requestorSettings');
  for (const flag of ['enableTargetsToSelfAddAccess', 'enableOnBehalfRequestorsToAddAccess']) {
    const p = property(requestor, flag);
    if (p?.valueNode && truthy(p.valueNode) === true) {
      ctx.report(
        p.valueNode,
        'warning',
        P.autoSelfRequest,
        `Access is assigned automatically by the rule; ${flag} should be false in an automatic assignment policy.`,
        [replaceNode(p.valueNode, `Set ${flag} to false`, 'false')],
      );
    }
  }
  const approval = value(policy, 'requestApprovalSettings');
  const required = property(approval, 'isApprovalRequiredForAdd');
  if ((required?.valueNode && truthy(required.valueNode) === true) || items(value(approval, 'stages')).length > 0) {
    ctx.report(
      required?.valueNode ?? property(policy, 'requestApprovalSettings')?.keyNode ?? auto.keyNode,
      'warning',
      P.autoApproval,
      'Automatic assignments are not approved by anyone; an automatic policy should not require approval or define stages.',
    );
  }
}

function checkIds(node: ASTNode, ctx: CheckContext, idKeys = ID_KEYS, referenceKeys = REFERENCE_KEYS): void {
  if (isObject(node)) {
    for (const p of node.properties) {
      const v = p.valueNode;
      if (!v) continue;
      const key = p.keyNode.value;
      if (v.type === 'string' && idKeys.has(key) && !GUID.test(v.value)) {
        ctx.report(
          v,
          'error',
          P.notGuid,
          `${key} must be an object id (a GUID such as "08a551cb-575a-4343-b914-f6e42798bd20"), not "${v.value}".`,
        );
      } else if (referenceKeys.has(key) && isObject(v)) {
        const id = value(v, 'id');
        if (id?.type === 'string' && !GUID.test(id.value))
          ctx.report(id, 'error', P.notGuid, `${key}.id must be a GUID, not "${id.value}".`);
      }
      checkIds(v, ctx, idKeys, referenceKeys);
    }
  } else if (node.type === 'array') {
    node.items.forEach((i) => checkIds(i, ctx, idKeys, referenceKeys));
  }
}

/**
 * An assignment request's ids are GUIDs too (`targetId`, `assignmentPolicyId`, `accessPackageId`,
 * `target.objectId`, and the `{"id"}` of `assignment`, `assignmentPolicy`, `accessPackage`): a
 * malformed one is refused by Graph, so it is an error here.
 */
export function checkRequest(request: ASTNode, ctx: CheckContext): void {
  checkIds(request, ctx, REQUEST_ID_KEYS, REQUEST_REFERENCE_KEYS);
}

/** A create body (no `id` yet) must say which access package the policy belongs to. */
function checkAccessPackage(policy: ASTNode, ctx: CheckContext): void {
  if (property(policy, 'id') || !isObject(policy)) return;
  const pkg = value(policy, 'accessPackage');
  if (!pkg) {
    const at = property(policy, 'displayName')?.keyNode ?? policy;
    ctx.report(
      at,
      'error',
      P.missingAccessPackage,
      'A new policy must name its access package: add "accessPackage": {"id": "<access package id>"}.',
    );
  }
}
