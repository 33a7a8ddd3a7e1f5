/**
 * One assignment request: who, what type, when, its state; expanded, its justification, answers,
 * schedule and the approval stages with their decisions (read from the request's approval).
 * Menus on `entitlements.request.<state>` offer approve/deny, cancel and reprocess.
 */
import type {
  AccessPackageAnswerString,
  AccessPackageAssignmentRequest,
  ApprovalStage,
} from '@microsoft/microsoft-graph-types';
import { toGraphError } from '../../graph/graphClient';
import { friendly } from '../labels';
import type { TreeItemData, TreeNode } from '../treeData';
import { BranchNode } from './branchNode';
import { consoleApiOf } from './consoleApi';
import { MessageNode } from './messageNode';
import type { RequestsNode } from './requestsNode';

const stateIcons: Record<string, [string, string | undefined]> = {
  pendingApproval: ['watch', 'charts.yellow'],
  delivering: ['sync', 'charts.yellow'],
  partiallyDelivered: ['warning', 'charts.yellow'],
  deliveryFailed: ['error', 'charts.red'],
  delivered: ['pass', 'charts.green'],
  denied: ['circle-slash', 'charts.red'],
  canceled: ['circle-slash', 'disabledForeground'],
};

export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

export function requestorName(r: AccessPackageAssignmentRequest): string {
  const s = r.requestor ?? undefined;
  return s?.displayName ?? s?.principalName ?? s?.email ?? s?.objectId ?? r.id ?? '';
}

/** The detail lines of a request (also its tooltip). */
export function requestLines(r: AccessPackageAssignmentRequest): string[] {
  const s = r.requestor ?? undefined;
  const lines = [
    `${requestorName(r)}${s?.principalName ? ` <${s.principalName}>` : ''}`,
    `type: ${friendly(r.requestType)} (${r.requestType ?? ''})`,
    `state: ${friendly(r.state)}${r.status ? ` — status ${r.status}` : ''}`,
    r.createdDateTime ? `requested: ${r.createdDateTime}` : '',
    r.completedDateTime ? `completed: ${r.completedDateTime}` : '',
    r.justification ? `justification: ${r.justification}` : '',
  ];
  const sched = r.schedule ?? undefined;
  if (sched?.startDateTime) lines.push(`starts: ${sched.startDateTime}`);
  if (sched?.expiration?.endDateTime) lines.push(`ends: ${sched.expiration.endDateTime}`);
  for (const a of (r.answers ?? []) as AccessPackageAnswerString[]) {
    const q = (a.answeredQuestion as { text?: string; id?: string } | undefined) ?? {};
    lines.push(`answer${q.text ? ` to "${q.text}"` : q.id ? ` to ${q.id}` : ''}: ${a.displayValue ?? a.value ?? ''}`);
  }
  lines.push(`request id: ${r.id ?? ''}`);
  return lines.filter((l) => l !== '');
}

export function stageLabel(s: ApprovalStage, index: number): { label: string; description: string; tooltip: string } {
  const by = s.reviewedBy?.displayName ?? '';
  const when = day(s.reviewedDateTime);
  const result = s.reviewResult && s.reviewResult !== 'NotReviewed' ? friendly(s.reviewResult) : friendly(s.status);
  return {
    label: `Stage ${index + 1}: ${result}`,
    description: [by, when, s.justification ? `“${s.justification}”` : ''].filter(Boolean).join(' · '),
    tooltip: [
      `Stage ${index + 1}${s.displayName ? ` (${s.displayName})` : ''}`,
      `status: ${s.status ?? ''}`,
      `result: ${s.reviewResult ?? ''}`,
      by ? `reviewed by: ${by}` : '',
      s.reviewedDateTime ? `reviewed: ${s.reviewedDateTime}` : '',
      s.justification ? `justification: ${s.justification}` : '',
      `stage id: ${s.id ?? ''}`,
    ]
      .filter(Boolean)
      .join('\n'),
  };
}

export class RequestNode extends BranchNode {
  readonly id: string;
  readonly graphId: string;
  /** Stages of the request's approval, once loaded (the first in progress is what approve/deny decide). */
  stages: ApprovalStage[] = [];

  constructor(
    readonly parent: RequestsNode,
    readonly request: AccessPackageAssignmentRequest,
  ) {
    super();
    this.graphId = request.id ?? '';
    this.id = `${parent.id}/${this.graphId}`;
  }

  get state(): string {
    return this.request.state ?? '';
  }

  getTreeItem(): TreeItemData {
    const r = this.request;
    const [icon, color] = stateIcons[this.state] ?? ['git-pull-request', undefined];
    return {
      id: this.id,
      label: requestorName(r),
      description: [friendly(r.state), friendly(r.requestType), day(r.createdDateTime)].filter(Boolean).join(' · '),
      tooltip: requestLines(r).join('\n'),
      iconId: icon,
      iconColor: color,
      contextValue: `entitlements.request.${this.state || 'unknown'}`,
      collapsible: 'collapsed',
    };
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const rows: TreeNode[] = requestLines(this.request)
      .slice(1, -1)
      .map((line, i) => new MessageNode(this, `line${i}`, line, 'note'));
    try {
      const approval = await (await consoleApiOf(this)).approval(this.graphId);
      this.stages = approval.stages ?? [];
    } catch (e) {
      // Requests under policies without approval have no approval object (404).
      if (toGraphError(e).status !== 404) throw e;
      this.stages = [];
    }
    this.stages.forEach((s, i) => {
      const l = stageLabel(s, i);
      const icon = s.reviewResult === 'Approved' ? 'check' : s.reviewResult === 'Denied' ? 'close' : 'watch';
      rows.push(
        new MessageNode(
          this,
          `stage${i}`,
          `${l.label}${l.description ? ` — ${l.description}` : ''}`,
          icon,
          undefined,
          l.tooltip,
        ),
      );
    });
    return rows;
  }
}
