/** Pure pieces of the client: CSV cells, policy documents, scopes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTenantIdOrDomain, scopesFor } from '../../client/src/auth/scopes';
import { csvCell, csvHeader, csvLines } from '../../client/src/export/assignmentsCsv';
import type { AssignmentRow } from '../../client/src/graph/assignmentRow';
import { policyBody, policyDocumentText } from '../../client/src/policy/policyPayload';

describe('CSV', () => {
  const table: [string, string][] = [
    ['plain', 'plain'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=a,"b"', `"'=a,""b"""`],
    ['line\nbreak', '"line\nbreak"'],
    ['', ''],
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
      'assignmentId,displayName,principalName,email,userObjectId,policy,policyId,state,status,start,end\r\n',
    );
    assert.equal(
      csvLines([row]),
      `a1,'=Eve,eve@x,eve@x,u1,"Direct, admin",p1,delivered,Delivered,2024-01-01T00:00:00Z,\r\n`,
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
