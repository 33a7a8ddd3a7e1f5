/** Approval settings and stages. */
import type { ASTNode } from 'vscode-json-languageservice';
import { PolicyCode as P } from './codes';
import type { CheckContext } from './context';
import { isObject, items, odataType, property, stringValue, truthy, value } from './jsonNodes';
import { durationDays } from './timeChecks';

const MAX_STAGES = 3;
const NEEDS_FALLBACK = new Set(['requestorManager', 'internalSponsors', 'externalSponsors', 'targetUserSponsors']);

export function checkApproval(settings: ASTNode | undefined, ctx: CheckContext): void {
  if (!isObject(settings)) return;
  const required =
    truthy(value(settings, 'isApprovalRequiredForAdd')) === true ||
    truthy(value(settings, 'isApprovalRequiredForUpdate')) === true;
  const stagesNode = value(settings, 'stages');
  const stages = items(stagesNode);
  if (required && stages.length === 0) {
    const at =
      property(settings, 'isApprovalRequiredForAdd') ?? property(settings, 'isApprovalRequiredForUpdate') ?? settings;
    ctx.report(
      at,
      'error',
      P.approvalWithoutStages,
      'Approval is required but no approval stage is defined: add at least one stage with approvers to "stages".',
    );
  }
  if (stages.length > MAX_STAGES && stagesNode) {
    ctx.replaceSchema(
      stagesNode,
      'error',
      P.tooManyStages,
      `At most ${MAX_STAGES} approval stages are allowed; this policy has ${stages.length}.`,
    );
  }
  if (required) stages.forEach((stage) => checkStage(stage, ctx));
}

function checkStage(stage: ASTNode, ctx: CheckContext): void {
  if (!isObject(stage)) return;
  const primary = items(value(stage, 'primaryApprovers'));
  const fallback = items(value(stage, 'fallbackPrimaryApprovers'));
  if (primary.length === 0 && fallback.length === 0) {
    ctx.report(
      property(stage, 'primaryApprovers') ?? stage,
      'error',
      P.stageWithoutApprovers,
      "This approval stage has no approvers: add primaryApprovers (a user, a group, the requestor's manager...).",
    );
  }
  const relative = primary.map(odataType).filter((t): t is string => !!t && NEEDS_FALLBACK.has(t));
  if (relative.length > 0 && fallback.length === 0) {
    ctx.report(
      property(stage, 'primaryApprovers') ?? stage,
      'warning',
      P.managerWithoutFallback,
      `${relative[0]} may resolve to nobody (no manager or sponsor); add fallbackPrimaryApprovers with a specific user or group.`,
    );
  }
  if (truthy(value(stage, 'isEscalationEnabled')) !== true) return;
  const flag = property(stage, 'isEscalationEnabled') ?? stage;
  if (
    items(value(stage, 'escalationApprovers')).length === 0 &&
    items(value(stage, 'fallbackEscalationApprovers')).length === 0
  ) {
    ctx.report(
      flag,
      'error',
      P.escalationWithoutApprovers,
      'Escalation is enabled but no escalationApprovers are given.',
    );
  }
  const escalation = stringValue(value(stage, 'durationBeforeEscalation'));
  const escalationDays = escalation === undefined ? undefined : durationDays(escalation);
  if (escalationDays === undefined || escalationDays === 0) {
    ctx.report(
      value(stage, 'durationBeforeEscalation') ?? flag,
      'error',
      P.escalationWithoutDuration,
      'Escalation is enabled: set durationBeforeEscalation to how long the primary approvers have (e.g. "P2D").',
    );
    return;
  }
  const denial = durationDays(stringValue(value(stage, 'durationBeforeAutomaticDenial')) ?? '');
  const escalationNode = value(stage, 'durationBeforeEscalation');
  if (denial !== undefined && escalationDays >= denial && escalationNode) {
    ctx.report(
      escalationNode,
      'warning',
      P.escalationAfterDenial,
      'The request is denied automatically before it would escalate: make durationBeforeEscalation shorter than durationBeforeAutomaticDenial.',
    );
  }
}
