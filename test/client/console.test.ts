/** The console's pure parts: Graph's deploy errors placed on their JSON path, friendly enumeration labels. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePath, placeGraphErrors } from '../../client/src/commands/deployErrors';
import { friendly } from '../../client/src/tree/labels';

const doc = `{
  "displayName": "Two stages",
  "requestApprovalSettings": {
    "isApprovalRequiredForAdd": true,
    "stages": [
      { "durationBeforeAutomaticDenial": "P99X" }
    ]
  }
}`;
const err = (details: { code?: string; message?: string; target?: string }[]) => ({
  code: 'BadRequest',
  message: 'The model is invalid.',
  status: 400,
  details,
});
const under = (start: number, end: number) => doc.slice(start, end);

describe('deploy errors on their JSON path', () => {
  it('parses dotted paths with indexes', () => {
    assert.deepEqual(parsePath('requestApprovalSettings.stages[0].durationBeforeAutomaticDenial'), [
      'requestApprovalSettings',
      'stages',
      0,
      'durationBeforeAutomaticDenial',
    ]);
    assert.deepEqual(parsePath('a/b/2'), ['a', 'b', 2]);
  });
  it('places a message that starts with the path on that property, without the prefix', () => {
    const [p] = placeGraphErrors(
      doc,
      err([
        { code: 'P401', message: 'requestApprovalSettings.stages[0].durationBeforeAutomaticDenial: not a duration' },
      ]),
      [],
    );
    assert.equal(under(p!.start, p!.end), '"durationBeforeAutomaticDenial": "P99X"');
    assert.equal(p!.message, 'not a duration (Graph: P401, HTTP 400)');
    assert.equal(p!.code, 'P401');
  });
  it('uses a detail target, and the deepest part of the path that exists', () => {
    const [p] = placeGraphErrors(
      doc,
      err([{ code: 'X', message: 'bad', target: 'requestApprovalSettings.stages[3]' }]),
      [],
    );
    assert.equal(under(p!.start, p!.end), doc.slice(doc.indexOf('"stages"'), doc.indexOf(']') + 1));
  });
  it('falls back to the first line when no path is named', () => {
    const [p] = placeGraphErrors(doc, err([]), []);
    assert.deepEqual([p!.start, p!.end], [0, 1]);
    assert.match(p!.message, /The model is invalid/);
  });
  it('leaves out what the language server already reports there', () => {
    const at = doc.indexOf('"P99X"');
    const local = [{ start: at, end: at + 6, code: 'P401', message: 'not a duration' }];
    const placed = placeGraphErrors(
      doc,
      err([
        { code: 'P401', message: 'requestApprovalSettings.stages[0].durationBeforeAutomaticDenial: not a duration' },
        { code: 'InvalidAutoAssignment', message: 'something only Graph knows' },
      ]),
      local,
    );
    assert.deepEqual(
      placed.map((p) => p.code),
      ['InvalidAutoAssignment'],
    );
  });
});

describe('friendly labels', () => {
  it('names Graph enumerations in words', () => {
    assert.equal(friendly('allMemberUsers'), 'all member users');
    assert.equal(friendly('notSpecified'), 'direct assignment only');
    assert.equal(friendly('deliveryFailed'), 'delivery failed');
    assert.equal(friendly('someFutureValue'), 'some future value');
    assert.equal(friendly(undefined), '');
  });
});
