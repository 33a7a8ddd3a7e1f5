/** fast-check generators of rules: well-formed ones built from the model, and mutations of them. */
import fc from 'fast-check';
import { allOperators, deviceProperties, userProperties } from '../../../../server/src/service/rules/model';

const names = [...userProperties, ...deviceProperties].map((p) => p.name);
const operatorNames = allOperators.map((o) => o.name);

const property = fc
  .tuple(
    fc.constantFrom('user', 'device', 'User', 'assignedPlan', '_', 'group', 'system'),
    fc.constantFrom(...names, 'now', 'dept', 'extensionAttribute0', 'extension_9d98ed114c4840d298fad781915f27e4_x'),
  )
  .map(([o, p]) => (o === '_' ? '_' : `${o}.${p}`));

const operator = fc.oneof(
  fc.constantFrom(...operatorNames).map((o) => `-${o}`),
  fc.constantFrom('-EQ', '-StartsWith', 'eq', '==', '=', '!=', '-equals', '-'),
);

const stringValue = fc.string({ maxLength: 12 }).map((s) => `"${s.replace(/[`"]/g, '`$&')}"`);
const scalar = fc.oneof(
  stringValue,
  fc.constantFrom(
    'true',
    'false',
    'null',
    '42',
    '2020-06-10T18:13:20Z',
    'system.now -minus p30d',
    "'single'",
    '\u201Csmart\u201D',
    'Sales',
  ),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`) },
);

const comparison = fc.tuple(property, operator, value).map(([p, o, v]) => `${p} ${o} ${v}`);
const quantified = fc
  .tuple(
    fc.constantFrom(
      'user.proxyAddresses',
      'user.assignedPlans',
      'user.memberOf',
      'device.devicePhysicalIds',
      'user.department',
    ),
    fc.constantFrom('-any', '-all'),
    comparison,
  )
  .map(([p, q, c]) => `${p} ${q} (${c})`);

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    quantified,
    fc
      .tuple(tie('expr'), fc.constantFrom('-and', '-or', '-AND', '&&', '||', 'and'), tie('expr'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    tie('expr').map((e) => `(${e})`),
    tie('expr').map((e) => `-not (${e})`),
  ),
}));

/** A rule built from the model's names and operators (mostly meaningful, sometimes wrong). */
export const ruleArbitrary: fc.Arbitrary<string> = fc.oneof(
  expr,
  fc.constant('Direct Reports for "0b1c9a0e-3a5e-4c61-9d3e-2f8f7c5a1b22"'),
);

const noise = fc.constantFrom(
  '(',
  ')',
  '[',
  ']',
  '"',
  "'",
  '`',
  '-',
  ' ',
  ',',
  '.',
  '!',
  '=',
  '\u201C',
  '\u2019',
  '\uD83D\uDE00',
  '\uD83D',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  'x',
  '-and',
  '-any',
  'user.',
  '_',
);

/** A rule with random characters inserted, deleted or replaced. */
export const mutatedRuleArbitrary: fc.Arbitrary<string> = fc
  .tuple(ruleArbitrary, fc.array(fc.tuple(fc.nat(), fc.nat(3), noise, fc.boolean()), { minLength: 1, maxLength: 6 }))
  .map(([rule, edits]) => {
    let s = rule;
    for (const [at, del, ins, insert] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      s = s.slice(0, i) + (insert ? ins : '') + s.slice(i + del);
    }
    return s;
  });
