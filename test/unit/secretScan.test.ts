import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: a plain ES module shared with test/run.mjs, without type declarations
import { findSecrets } from '../secretScan.mjs';

const jwt = [
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9',
  'eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ',
  'c2lnbmF0dXJlLXNpZ25hdHVyZQ',
].join('.');

test('the output scan finds JWTs and bearer headers, and nothing in ordinary text', () => {
  assert.deepEqual(
    findSecrets(`log: token ${jwt} end`).map((s: { kind: string }) => s.kind),
    ['JWT'],
  );
  assert.deepEqual(
    findSecrets('authorization: Bearer 8c9472b8219ba49dd127c544686d781c7788c5f6').map((s: { kind: string }) => s.kind),
    ['bearer header'],
  );
  assert.deepEqual(findSecrets('GET /v1.0/users 200 (12 ms); Bearer realm, eyJ not a token'), []);
  assert.ok(!JSON.stringify(findSecrets(jwt)).includes(jwt), 'reports never repeat the whole token');
});
