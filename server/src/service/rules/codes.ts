/**
 * The stable codes of the rule checker, in bands:
 * R1xx syntax, R2xx objects and properties, R3xx operators, R4xx values, R5xx whole-rule limits.
 * A code never changes meaning once released; retired codes are not reused.
 */
export const RuleCode = {
  emptyRule: 'R100',
  unexpectedToken: 'R101',
  missingCloseParen: 'R102',
  unmatchedCloseParen: 'R103',
  unterminatedString: 'R104',
  cStyleOperator: 'R105',
  typographicQuote: 'R106',
  singleQuotedString: 'R107',
  unknownOperator: 'R108',
  trailingText: 'R109',
  missingOperand: 'R110',
  missingValue: 'R111',
  operatorWithoutHyphen: 'R112',
  missingOperator: 'R113',
  invalidCharacter: 'R114',
  unterminatedArray: 'R115',
  missingItemCondition: 'R116',

  unknownObject: 'R201',
  unknownProperty: 'R202',
  propertyCasing: 'R203',
  wrongObject: 'R204',
  mixedObjects: 'R205',
  extensionAttributeRange: 'R206',
  invalidExtensionProperty: 'R207',
  unsupportedProperty: 'R208',
  itemOutsideCollection: 'R209',
  wrongItemVariable: 'R210',
  directReportsCombined: 'R211',
  directReportsId: 'R212',
  deviceRuleNotAllowed: 'R213',
  missingProperty: 'R214',

  operatorNotForType: 'R301',
  scalarOperatorOnCollection: 'R302',
  quantifierOnScalar: 'R303',
  nullOperator: 'R304',
  operatorCasing: 'R305',

  valueType: 'R401',
  inNeedsArray: 'R402',
  arrayNotAllowed: 'R403',
  invalidRegex: 'R404',
  unquotedString: 'R405',
  unknownEnumValue: 'R406',
  invalidDate: 'R407',
  nullAsString: 'R408',
  invalidListItem: 'R409',
  catastrophicRegex: 'R410',
  regexNotEvaluated: 'R411',

  ruleTooLong: 'R501',
  nestingTooDeep: 'R502',
} as const;

export type RuleCodeValue = (typeof RuleCode)[keyof typeof RuleCode];
