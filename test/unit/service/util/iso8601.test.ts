/** The one ISO 8601 module: durations and date-times, and every consumer reading them the same way. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { addDuration, durationDays, parseDateTime, parseDuration } from '../../../../server/src/service/util/iso8601';
import {
  addDuration as sandboxAddDuration,
  isDuration as sandboxIsDuration,
} from '../../../../sandbox/src/engine/clock';
import { checkRule } from '../../../../server/src/service/rules/checker';
import { compileRuleText } from '../../../../server/src/service/rules/evaluate';
import { getLanguageService } from '../../../../server/src/service/languageService';

const DAY = 86_400_000;

test('durations: the grammar', () => {
  assert.deepEqual(parseDuration('p1d'), { months: 0, ms: DAY });
  assert.deepEqual(parseDuration('P30D'), { months: 0, ms: 30 * DAY });
  assert.deepEqual(parseDuration('PT12H'), { months: 0, ms: 12 * 3_600_000 });
  assert.deepEqual(parseDuration('pt1.5s'), { months: 0, ms: 1500 });
  assert.deepEqual(parseDuration('PT0S'), { months: 0, ms: 0 });
  assert.deepEqual(parseDuration('P1Y2M'), { months: 14, ms: 0 });
  assert.deepEqual(parseDuration('P2W'), { months: 0, ms: 14 * DAY });
  assert.deepEqual(parseDuration('P1DT2H3M4S'), { months: 0, ms: DAY + 2 * 3_600_000 + 3 * 60_000 + 4000 });
  for (const bad of [
    '',
    'P',
    'PT',
    'P1DT',
    '1D',
    'P1H',
    'P-1D',
    'P1.5D',
    'P1,5D',
    'PT1.5H',
    'days',
    'P1D x',
    'P99999999Y',
  ])
    assert.equal(parseDuration(bad), undefined, bad);
});

test('durations: days for bounds, calendar steps for instants', () => {
  assert.equal(durationDays('P1Y'), 365);
  assert.equal(durationDays('P1M'), 30);
  assert.equal(durationDays('PT36H'), 1.5);
  assert.equal(durationDays('P1.5D'), undefined);
  const jan31 = Date.UTC(2024, 0, 31);
  assert.equal(new Date(addDuration(jan31, parseDuration('P1M')!)).toISOString(), '2024-03-02T00:00:00.000Z');
  assert.equal(addDuration(jan31, parseDuration('P1D')!, -1), jan31 - DAY);
});

test('date-times: fields are range-checked, no zone means UTC', () => {
  assert.equal(parseDateTime('2020-06-10T18:13:20Z'), Date.UTC(2020, 5, 10, 18, 13, 20));
  assert.equal(parseDateTime('2020-06-10T18:13:20'), Date.UTC(2020, 5, 10, 18, 13, 20));
  assert.equal(parseDateTime('2020-06-10 18:13'), Date.UTC(2020, 5, 10, 18, 13));
  assert.equal(parseDateTime('2020-06-10'), Date.UTC(2020, 5, 10));
  assert.equal(parseDateTime('2020-06-10T20:13:20+02:00'), Date.UTC(2020, 5, 10, 18, 13, 20));
  assert.equal(parseDateTime('2020-06-10T18:13:20.5Z'), Date.UTC(2020, 5, 10, 18, 13, 20, 500));
  assert.equal(parseDateTime('2024-02-29'), Date.UTC(2024, 1, 29));
  for (const bad of [
    '2020-02-30',
    '2023-02-29',
    '2020-13-01',
    '2020-06-10T24:00:00Z',
    '2020-06-10Z',
    'soon',
    '10/06/2020',
  ])
    assert.equal(parseDateTime(bad), undefined, bad);
});

test('every consumer agrees on P1.5D: the policy check, the sandbox, the rule checker and the evaluator', async () => {
  // Before: the policy check accepted P1.5D and the sandbox then applied no expiry.
  const service = getLanguageService();
  const body = (d: string) =>
    `{"displayName": "a", "expiration": {"type": "afterDuration", "duration": "${d}"}, "accessPackage": {"id": "a2e1ca1e-4e56-47d2-9daa-e2ba8d12a82b"}}`;
  const codes = async (d: string) =>
    (await service.validate(TextDocument.create('file:///t.policy.json', 'entra-policy', 1, body(d)))).map(
      (x) => x.code,
    );
  for (const [d, valid] of [
    ['P1.5D', false],
    ['PT36H', true],
    ['P14D', true],
    ['PT1.5S', true],
    ['P1Y', true],
  ] as const) {
    assert.equal((await codes(d)).includes('P401'), !valid, `policy check on ${d}`);
    assert.equal(sandboxIsDuration(d), valid, `sandbox on ${d}`);
    assert.equal(sandboxAddDuration(0, d) !== undefined, valid, `sandbox expiry on ${d}`);
    const rule = `user.employeeHireDate -ge system.now -minus ${d}`;
    assert.equal(checkRule(rule).resolved !== undefined, valid, `rule checker on ${d}`);
    assert.equal(compileRuleText(rule).ok, valid, `evaluator on ${d}`);
  }
});
