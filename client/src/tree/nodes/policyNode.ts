/** One assignment policy; clicking opens it as an editable `entra-policy` document. */
import type { AccessPackageAssignmentPolicy } from '@microsoft/microsoft-graph-types';
import { friendly } from '../labels';
import type { TreeItemData, TreeNode } from '../treeData';
import type { PoliciesNode } from './policiesNode';

/** The membership rule of an automatic-assignment policy, or undefined for request-based ones. */
export function autoAssignmentRule(policy: AccessPackageAssignmentPolicy): string | undefined {
  if (!policy.automaticRequestSettings) return undefined;
  for (const t of policy.specificAllowedTargets ?? []) {
    const rule = (t as { membershipRule?: unknown }).membershipRule;
    if (typeof rule === 'string') return rule;
  }
  return undefined;
}

export class PolicyNode implements TreeNode {
  readonly id: string;
  readonly graphId: string;

  constructor(
    readonly parent: PoliciesNode,
    readonly policy: AccessPackageAssignmentPolicy,
  ) {
    this.graphId = policy.id ?? '';
    this.id = `${parent.parent.id.replace(/\/package\/.*$/, '')}/policy/${this.graphId}`;
  }

  get isAuto(): boolean {
    return autoAssignmentRule(this.policy) !== undefined;
  }

  getTreeItem(): TreeItemData {
    const p = this.policy;
    const rule = autoAssignmentRule(p);
    const approval = p.requestApprovalSettings?.isApprovalRequiredForAdd
      ? `${p.requestApprovalSettings.stages?.length ?? 0}-stage approval`
      : undefined;
    const description =
      rule !== undefined
        ? 'automatic'
        : [friendly(p.allowedTargetScope ?? 'notSpecified'), approval].filter(Boolean).join(' · ');
    const lines = [
      `Policy ${p.displayName ?? ''}`,
      p.description ?? '',
      `who can request: ${friendly(p.allowedTargetScope ?? 'notSpecified')} (${p.allowedTargetScope ?? 'notSpecified'})`,
    ];
    if (rule !== undefined) lines.push(`rule: ${rule}`);
    if (approval) lines.push(approval);
    if (p.expiration?.type)
      lines.push(
        `expiration: ${friendly(p.expiration.type)}${p.expiration.duration ? ` ${p.expiration.duration}` : ''}`,
      );
    lines.push(`id: ${this.graphId}`);
    return {
      id: this.id,
      label: p.displayName ?? this.graphId,
      description,
      tooltip: lines.filter((l) => l !== '').join('\n'),
      iconId: rule !== undefined ? 'symbol-event' : 'shield',
      contextValue: rule !== undefined ? 'entitlements.policy.auto' : 'entitlements.policy',
      collapsible: 'none',
      command: { command: 'entitlements.openPolicy', title: 'Open Policy', arguments: [this] },
    };
  }
}
