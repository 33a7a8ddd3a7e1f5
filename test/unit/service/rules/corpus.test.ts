import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRule } from '../../../../server/src/service/rules/checker';
import { ruleCorpus } from '../../../helpers';

for (const c of ruleCorpus()) {
  test(`corpus: ${c.note} → ${c.valid ? 'valid' : 'invalid'}`, () => {
    const { diagnostics } = checkRule(c.rule);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (c.valid)
      assert.deepEqual(
        errors.map((e) => `${e.code} ${e.message}`),
        [],
        c.rule,
      );
    else assert.ok(errors.length > 0, `expected an error for ${JSON.stringify(c.rule)}`);
    for (const d of diagnostics) {
      assert.ok(
        d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= c.rule.length,
        `range inside the text: ${JSON.stringify(d)}`,
      );
    }
  });
}
