/** Durations (ISO 8601), expiration patterns, and access review schedules. */
import type { ASTNode } from 'vscode-json-languageservice';
import { PolicyCode as P } from './codes';
import type { CheckContext } from './context';
import { isObject, items, numberValue, property, stringValue, truthy, value } from './jsonNodes';
import { durationDays, isDuration } from '../util/iso8601';

export { durationDays };
const DURATION_KEYS = new Set([
  'duration',
  'durationBeforeAutomaticDenial',
  'durationBeforeEscalation',
  'gracePeriodBeforeAccessRemoval',
  'timeoutDuration',
]);

/** Every duration-valued property anywhere in the tree must be a valid ISO 8601 duration. */
export function checkDurations(node: ASTNode, ctx: CheckContext): void {
  if (isObject(node)) {
    for (const p of node.properties) {
      const v = p.valueNode;
      if (v?.type === 'string' && DURATION_KEYS.has(p.keyNode.value) && durationDays(v.value) === undefined) {
        ctx.replaceSchema(
          v,
          'error',
          P.invalidDuration,
          `"${v.value}" is not an ISO 8601 duration; write e.g. "P14D" (14 days), "PT12H" (12 hours) or "PT0S" (only seconds take a fraction: "PT36H", not "P1.5D").`,
          fixDuration(v.value, v),
        );
      }
      if (v) checkDurations(v, ctx);
    }
  } else if (node.type === 'array') {
    for (const item of node.items) checkDurations(item, ctx);
  }
}

function fixDuration(text: string, node: ASTNode) {
  const days = /^\s*(\d+)\s*(d|day|days)?\s*$/i.exec(text);
  if (days)
    return [
      {
        title: `Write "P${days[1]}D"`,
        edits: [{ range: { start: node.offset, end: node.offset + node.length }, newText: `"P${days[1]}D"` }],
        preferred: true,
      },
    ];
  if (/^p/.test(text) && isDuration(text.toUpperCase())) {
    return [
      {
        title: `Write "${text.toUpperCase()}"`,
        edits: [{ range: { start: node.offset, end: node.offset + node.length }, newText: `"${text.toUpperCase()}"` }],
        preferred: true,
      },
    ];
  }
  return undefined;
}

/** An expirationPattern: type, duration and endDateTime must agree. */
export function checkExpiration(pattern: ASTNode | undefined, ctx: CheckContext, maxDays?: number): void {
  if (!isObject(pattern)) return;
  const typeNode = value(pattern, 'type');
  const type = stringValue(typeNode);
  const duration = value(pattern, 'duration');
  const end = value(pattern, 'endDateTime');
  const hasDuration = duration !== undefined && duration.type !== 'null';
  const hasEnd = end !== undefined && end.type !== 'null';
  const at = typeNode ?? pattern;
  if (type === 'afterDuration' && !hasDuration)
    ctx.report(
      at,
      'error',
      P.expirationInconsistent,
      'An expiration of type afterDuration needs a duration, such as "P365D".',
    );
  if (type === 'afterDateTime' && !hasEnd)
    ctx.report(at, 'error', P.expirationInconsistent, 'An expiration of type afterDateTime needs an endDateTime.');
  if (hasDuration && type !== undefined && type !== 'afterDuration')
    ctx.report(
      duration,
      'error',
      P.expirationInconsistent,
      `A duration is only used with type afterDuration, not ${type}.`,
    );
  if (hasEnd && type !== undefined && type !== 'afterDateTime')
    ctx.report(
      end,
      'error',
      P.expirationInconsistent,
      `An endDateTime is only used with type afterDateTime, not ${type}.`,
    );
  if (hasDuration && hasEnd && type === undefined)
    ctx.report(
      pattern,
      'error',
      P.expirationInconsistent,
      'Give either a duration (afterDuration) or an endDateTime (afterDateTime), not both.',
    );
  const days = hasDuration ? durationDays(stringValue(duration) ?? '') : undefined;
  if (maxDays !== undefined && days !== undefined && days > maxDays && duration) {
    ctx.report(
      duration,
      'warning',
      P.durationOutOfBounds,
      `Assignments can last at most ${maxDays} days; this duration is about ${Math.round(days)} days.`,
    );
  }
}

/** Access review settings: reviewers when enabled, a supported recurrence, a sane range. */
export function checkReviews(settings: ASTNode | undefined, ctx: CheckContext): void {
  if (!isObject(settings) || truthy(value(settings, 'isEnabled')) !== true) return;
  const selfReview = truthy(value(settings, 'isSelfReview')) === true;
  const reviewers = items(value(settings, 'primaryReviewers'));
  if (!selfReview && reviewers.length === 0) {
    ctx.report(
      property(settings, 'isEnabled') ?? settings,
      'error',
      P.reviewWithoutReviewers,
      'Reviews are enabled but nobody reviews: add primaryReviewers or set isSelfReview to true.',
    );
  }
  const schedule = value(settings, 'schedule');
  checkExpiration(value(schedule, 'expiration'), ctx);
  const recurrence = value(schedule, 'recurrence');
  const patternType = value(value(recurrence, 'pattern'), 'type');
  const t = stringValue(patternType);
  if (patternType && t && t !== 'weekly' && t !== 'absoluteMonthly') {
    ctx.report(
      patternType,
      'warning',
      P.recurrenceUnsupported,
      `Access reviews recur weekly or absoluteMonthly; "${t}" is not supported for reviews.`,
    );
  }
  const range = value(recurrence, 'range');
  const rangeType = stringValue(value(range, 'type'));
  const occurrences = numberValue(value(range, 'numberOfOccurrences'));
  if (rangeType === 'numbered' && (occurrences === undefined || occurrences < 1)) {
    ctx.report(
      value(range, 'type') ?? range ?? settings,
      'error',
      P.recurrenceRangeInconsistent,
      'A numbered recurrence range needs numberOfOccurrences of 1 or more.',
    );
  }
  if (rangeType === 'endDate' && stringValue(value(range, 'endDate')) === undefined) {
    ctx.report(
      value(range, 'type') ?? range ?? settings,
      'error',
      P.recurrenceRangeInconsistent,
      'An endDate recurrence range needs an endDate (yyyy-mm-dd).',
    );
  }
}
