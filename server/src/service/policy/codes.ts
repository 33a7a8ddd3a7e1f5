/**
 * Stable codes of the policy checks, in bands: P1xx JSON types and API shape, P2xx automatic
 * assignment, P3xx approval, P4xx durations and expiration, P5xx reviews, P6xx questions,
 * P7xx identifiers and references. Embedded rules keep their own R codes.
 */
export const PolicyCode = {
  quotedBoolean: 'P101',
  quotedNumber: 'P102',
  betaProperty: 'P110',
  schema: 'P100',

  autoScope: 'P201',
  autoRuleCount: 'P202',
  autoSelfRequest: 'P203',
  autoApproval: 'P204',

  approvalWithoutStages: 'P301',
  stageWithoutApprovers: 'P302',
  escalationWithoutApprovers: 'P303',
  escalationWithoutDuration: 'P304',
  managerWithoutFallback: 'P305',
  escalationAfterDenial: 'P306',
  tooManyStages: 'P307',

  invalidDuration: 'P401',
  durationOutOfBounds: 'P402',
  expirationInconsistent: 'P403',

  reviewWithoutReviewers: 'P501',
  recurrenceUnsupported: 'P502',
  recurrenceRangeInconsistent: 'P503',

  duplicateSequence: 'P601',
  invalidQuestionRegex: 'P602',
  choicesMissing: 'P603',
  duplicateChoiceValue: 'P604',

  notGuid: 'P701',
  missingAccessPackage: 'P702',

  emptyDocument: 'P120',
} as const;
