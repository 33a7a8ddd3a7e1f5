/** The five policy shapes of the seeds, as the demo tenant's policies. */
import type { Engine } from '../engine/engine';
import { createPolicy } from '../engine/policies';
import type { Entity } from '../store/store';

interface Ids {
  approverId: string;
  approverGroupId: string;
  ruleDepartment: string;
}

const noRequests = {
  enableTargetsToSelfAddAccess: false,
  enableTargetsToSelfUpdateAccess: false,
  enableTargetsToSelfRemoveAccess: false,
  allowCustomAssignmentSchedule: true,
  enableOnBehalfRequestorsToAddAccess: false,
  enableOnBehalfRequestorsToUpdateAccess: false,
  enableOnBehalfRequestorsToRemoveAccess: false,
  onBehalfRequestors: [],
};

function stage(approvers: unknown[], fallback: unknown[] = []): Record<string, unknown> {
  return {
    durationBeforeAutomaticDenial: 'P14D',
    isApproverJustificationRequired: false,
    isEscalationEnabled: false,
    durationBeforeEscalation: 'PT0S',
    primaryApprovers: approvers,
    fallbackPrimaryApprovers: fallback,
    escalationApprovers: [],
    fallbackEscalationApprovers: [],
  };
}

export function demoPolicies(eng: Engine, pkgs: Record<string, Entity>, ids: Ids): Record<string, Entity> {
  const single = { '@odata.type': '#microsoft.graph.singleUser', userId: ids.approverId };
  const group = { '@odata.type': '#microsoft.graph.groupMembers', groupId: ids.approverGroupId };
  return {
    direct: createPolicy(eng, {
      displayName: 'Direct assignment',
      description: 'Administrators assign this package; nobody requests it.',
      allowedTargetScope: 'notSpecified',
      specificAllowedTargets: [],
      expiration: { endDateTime: null, duration: null, type: 'noExpiration' },
      requestorSettings: noRequests,
      requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, stages: [] },
      accessPackage: { id: pkgs.crm!.id },
    }),
    approval: createPolicy(eng, {
      displayName: 'Partner requests with two approvals',
      description: 'Guests request; sponsor then an approver decide; quarterly reviews.',
      allowedTargetScope: 'allExternalUsers',
      specificAllowedTargets: [],
      expiration: { type: 'afterDuration', duration: 'P180D' },
      requestorSettings: {
        ...noRequests,
        enableTargetsToSelfAddAccess: true,
        enableTargetsToSelfUpdateAccess: true,
        enableTargetsToSelfRemoveAccess: true,
        allowCustomAssignmentSchedule: false,
      },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [
          stage([{ '@odata.type': '#microsoft.graph.internalSponsors' }], [single, group]),
          stage([], [single, group]),
        ],
      },
      reviewSettings: {
        isEnabled: true,
        expirationBehavior: 'keepAccess',
        isRecommendationEnabled: true,
        isReviewerJustificationRequired: true,
        isSelfReview: false,
        schedule: {
          startDateTime: '2024-07-01T00:00:00Z',
          expiration: { duration: 'P14D', type: 'afterDuration' },
          recurrence: {
            pattern: { type: 'absoluteMonthly', interval: 3, month: 0, dayOfMonth: 0, daysOfWeek: [] },
            range: { type: 'noEnd', numberOfOccurrences: 0 },
          },
        },
        primaryReviewers: [group],
        fallbackReviewers: [],
      },
      accessPackage: { id: pkgs.partners!.id },
    }),
    auto: createPolicy(eng, {
      displayName: `${ids.ruleDepartment} department users`,
      description: `Everyone in the ${ids.ruleDepartment} department, automatically.`,
      allowedTargetScope: 'specificDirectoryUsers',
      specificAllowedTargets: [
        {
          '@odata.type': '#microsoft.graph.attributeRuleMembers',
          description: `${ids.ruleDepartment} department`,
          membershipRule: `(user.department -eq "${ids.ruleDepartment}") and (user.accountEnabled -eq true)`,
        },
      ],
      automaticRequestSettings: {
        requestAccessForAllowedTargets: true,
        removeAccessWhenTargetLeavesAllowedTargets: true,
        gracePeriodBeforeAccessRemoval: 'P7D',
      },
      accessPackage: { id: pkgs.salesAuto!.id },
    }),
    questions: createPolicy(eng, {
      displayName: 'Members request with questions',
      description: 'Members answer two questions; one approver.',
      allowedTargetScope: 'allMemberUsers',
      expiration: { type: 'noExpiration' },
      requestorSettings: { ...noRequests, enableTargetsToSelfAddAccess: true, enableTargetsToSelfRemoveAccess: true },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: true,
        stages: [stage([single])],
      },
      questions: [
        {
          '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
          sequence: 1,
          isRequired: true,
          isAnswerEditable: true,
          text: 'Which country do you report on?',
          isMultipleSelectionAllowed: false,
          choices: [
            { actualValue: 'KE', text: 'Kenya' },
            { actualValue: 'US', text: 'United States' },
            { actualValue: 'JP', text: 'Japan' },
          ],
        },
        {
          '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
          sequence: 2,
          isRequired: false,
          isAnswerEditable: true,
          text: 'What will you use the data for?',
          localizations: [{ languageCode: 'fr-CA', text: 'À quoi serviront les données ?' }],
          isSingleLineQuestion: false,
          regexPattern: '[a-zA-Z]+[a-zA-Z\\s]*',
        },
      ],
      accessPackage: { id: pkgs.regional!.id },
    }),
    extension: createPolicy(eng, {
      displayName: 'Direct assignment with provisioning check',
      description: 'A custom extension runs when access is granted; access lasts 90 days.',
      allowedTargetScope: 'allMemberUsers',
      specificAllowedTargets: [],
      expiration: { type: 'afterDuration', duration: 'P90D' },
      requestorSettings: noRequests,
      requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, stages: [] },
      notificationSettings: { isAssignmentNotificationDisabled: false },
      customExtensionStageSettings: [
        {
          stage: 'assignmentRequestGranted',
          customExtension: {
            '@odata.type': '#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension',
            id: '219f57b6-7983-45a1-be01-2c228b7a9b48',
          },
        },
      ],
      accessPackage: { id: pkgs.build!.id },
    }),
  };
}
