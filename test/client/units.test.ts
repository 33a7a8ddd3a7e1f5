/** Pure pieces of the client: CSV cells, policy documents, scopes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTenantIdOrDomain, scopesFor } from '../../client/src/auth/scopes';
import { csvCell, csvHeader, csvLines } from '../../client/src/export/assignmentsCsv';
import type { AssignmentRow } from '../../client/src/graph/assignmentRow';
import { policyBody, policyDocumentText } from '../../client/src/policy/policyPayload';

describe('CSV', () => {
  // Every field is quoted; a value that could start a formula gets a leading ' and nothing else.
  const table: [string, string][] = [
    ['plain', '"plain"'],
    ['', '""'],
    ['=SUM(A1)', `"'=SUM(A1)"`],
    ['+1', `"'+1"`],
    ['-1', `"'-1"`],
    ['@cmd', `"'@cmd"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ['\nx', `"'\nx"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=a,"b"', `"'=a,""b"""`],
    ['line\nbreak', '"line\nbreak"'],
    // Behind whitespace and invisible characters a spreadsheet skips.
    [' =1+1', `"' =1+1"`],
    ['   @SUM(1)', `"'   @SUM(1)"`],
    ['\u00a0=1', `"'\u00a0=1"`],
    ['\u200b=1', `"'\u200b=1"`],
    ['\u200b\u200c\u200d\u2060=1', `"'\u200b\u200c\u200d\u2060=1"`],
    ['\ufeff=1', `"'\ufeff=1"`],
    ['\u202e=1', `"'\u202e=1"`],
    ['\u3000=1', `"'\u3000=1"`],
    ['\0=1', `"'\0=1"`],
    ['\0\0 +1', `"'\0\0 +1"`],
    ['\x1b=1', `"'\x1b=1"`],
    // Full-width and small forms.
    ['\uff1dSUM(A1)', `"'\uff1dSUM(A1)"`],
    ['\uff0b1', `"'\uff0b1"`],
    ['\uff0d1', `"'\uff0d1"`],
    ['\uff20SUM(1)', `"'\uff20SUM(1)"`],
    [' \uff1d1', `"' \uff1d1"`],
    ['\ufe661', `"'\ufe661"`],
    // ;-separated injection: a later part that starts a formula.
    ['a;=cmd|"/c calc"!A1', `"'a;=cmd|""/c calc""!A1"`],
    ['Eve; @SUM(1)', `"'Eve; @SUM(1)"`],
    ['x;\u00a0\uff1d1', `"'x;\u00a0\uff1d1"`],
    // Not formulas: the trigger is not at the start of the value or of a ;-part.
    ['a=b', '"a=b"'],
    ['Eve-Marie', '"Eve-Marie"'],
    ['x, =1', '"x, =1"'],
    ['a;b', '"a;b"'],
    ['2024-01-01T00:00:00Z', '"2024-01-01T00:00:00Z"'],
  ];
  for (const [input, expected] of table)
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(csvCell(input), expected));

  it('writes a header and one CRLF line per row', () => {
    const row: AssignmentRow = {
      id: 'a1',
      state: 'delivered',
      status: 'Delivered',
      targetName: '=Eve',
      principalName: 'eve@x',
      email: 'eve@x',
      objectId: 'u1',
      policyId: 'p1',
      policyName: 'Direct, admin',
      start: '2024-01-01T00:00:00Z',
      end: '',
    };
    assert.equal(
      csvHeader(),
      '"assignmentId","displayName","principalName","email","userObjectId","policy","policyId","state","status","start","end"\r\n',
    );
    assert.equal(
      csvLines([row]),
      `"a1","'=Eve","eve@x","eve@x","u1","Direct, admin","p1","delivered","Delivered","2024-01-01T00:00:00Z",""\r\n`,
    );
  });
});

describe('policy documents', () => {
  it('opens a Graph policy without server-set fields and with the package reduced to its id', () => {
    const text = policyDocumentText({
      '@odata.context': 'x',
      id: 'p',
      displayName: 'D',
      createdDateTime: 't',
      modifiedDateTime: 't',
      catalog: { id: 'c' },
      accessPackage: { id: 'k', displayName: 'K' },
      questions: [{ id: 'q1' }],
    });
    assert.deepEqual(JSON.parse(text), { displayName: 'D', accessPackage: { id: 'k' }, questions: [{ id: 'q1' }] });
  });

  it('reads a document with comments, and reports where invalid JSON breaks', () => {
    const ok = policyBody('// note\n{"displayName": "x", "id": "drop me",}');
    assert.deepEqual(ok, { ok: true, body: { displayName: 'x' } });
    const bad = policyBody('{"displayName": }');
    assert.equal(bad.ok, false);
    assert.equal(policyBody('[1]').ok, false);
  });
});

describe('scopes', () => {
  it('asks for one Graph permission in one tenant', () => {
    assert.deepEqual(scopesFor('EntitlementManagement.Read.All', 'contoso.onmicrosoft.com'), [
      'https://graph.microsoft.com/EntitlementManagement.Read.All',
      'VSCODE_TENANT:contoso.onmicrosoft.com',
    ]);
  });
  it('accepts tenant ids and domains only', () => {
    for (const t of ['72f988bf-86f1-41af-91ab-2d7cd011db47', 'contoso.onmicrosoft.com', 'contoso.com'])
      assert.ok(isTenantIdOrDomain(t), t);
    for (const t of ['', 'contoso', 'a b.com', 'VSCODE_TENANT:x', 'x/../y.com']) assert.ok(!isTenantIdOrDomain(t), t);
  });
});
