/** One assignment: the target's name and principal name, the policy, the state and the dates. */
import type { AssignmentRow } from '../../graph/assignmentRow';
import { friendly } from '../labels';
import type { TreeItemData, TreeNode } from '../treeData';
import type { AssignmentsNode } from './assignmentsNode';

const stateColors: Record<string, string> = {
  delivered: 'charts.green',
  delivering: 'charts.yellow',
  partiallyDelivered: 'charts.yellow',
  deliveryFailed: 'charts.red',
  expired: 'disabledForeground',
};

function day(iso: string): string {
  return iso ? iso.slice(0, 10) : '';
}

export class AssignmentNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly parent: AssignmentsNode,
    readonly row: AssignmentRow,
  ) {
    this.id = `${parent.id.replace(/\/package\/.*$/, '')}/assignment/${row.id}`;
  }

  get graphId(): string {
    return this.row.id;
  }

  getTreeItem(): TreeItemData {
    const r = this.row;
    const dates = r.end ? `${day(r.start)} → ${day(r.end)}` : day(r.start) ? `since ${day(r.start)}` : '';
    return {
      id: this.id,
      label: r.targetName || r.principalName || r.objectId || r.id,
      description: [r.principalName, friendly(r.state), dates].filter(Boolean).join(' · '),
      tooltip: [
        `${r.targetName} <${r.principalName || r.email}>`,
        `policy: ${r.policyName || r.policyId}`,
        `state: ${friendly(r.state)}${r.status ? ` (${r.status})` : ''}`,
        r.start ? `start: ${r.start}` : '',
        r.end ? `end: ${r.end}` : '',
        `assignment id: ${r.id}`,
        r.objectId ? `user id: ${r.objectId}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      iconId: 'account',
      iconColor: stateColors[r.state],
      contextValue: r.state === 'expired' ? 'entitlements.assignment.expired' : 'entitlements.assignment',
      collapsible: 'none',
    };
  }
}
