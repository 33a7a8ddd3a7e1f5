/** The command-line checker as CI pipelines run it: dist/cli.js, its outputs and exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'entitlements-cli-'));
const good = join(dir, 'good.rule');
const bad = join(dir, 'bad.rule');
writeFileSync(good, 'user.department -eq "Sales"\n');
writeFileSync(bad, '(user.department -eq "Sales")\n-and user.dept == "x"\n');

test('check --format json follows the documented shape and exits 1 on errors', () => {
  const r = cli('check', '--format', 'json', good, bad);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as {
    file: string;
    diagnostics: { range: unknown; severity: string; code: string; message: string }[];
  }[];
  assert.deepEqual(
    out.map((f) => f.file),
    [good, bad],
  );
  assert.deepEqual(out[0]?.diagnostics, []);
  assert.deepEqual(
    out[1]?.diagnostics.map((d) => [d.code, d.severity, d.range]),
    [
      ['R202', 'error', { start: { line: 1, character: 10 }, end: { line: 1, character: 14 } }],
      ['R105', 'error', { start: { line: 1, character: 15 }, end: { line: 1, character: 17 } }],
    ],
  );
  assert.deepEqual(Object.keys(out[1]?.diagnostics[0] ?? {}), ['range', 'severity', 'code', 'message']);
});

test('check exits 0 on a clean file, with a text summary', () => {
  const r = cli('check', good);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /1 file\(s\) checked: 0 error\(s\), 0 warning\(s\)/);
});

test('check --rule reports the inline rule as <rule>', () => {
  const r = cli('check', '--rule', 'user.accountEnabled -eq "true"', '--format', 'json');
  assert.equal(r.code, 0, 'a warning is not an error');
  const out = JSON.parse(r.stdout) as { file: string; diagnostics: { severity: string; code: string }[] }[];
  assert.equal(out[0]?.file, '<rule>');
  assert.deepEqual(
    out[0]?.diagnostics.map((d) => `${d.severity} ${d.code}`),
    ['warning R401'],
  );
  assert.equal(cli('check', '--rule', 'user.department -eq').code, 1);
});

test('check --format sarif produces SARIF 2.1.0 with 1-based regions', () => {
  const r = cli('check', '--format', 'sarif', bad);
  const sarif = JSON.parse(r.stdout) as {
    version: string;
    runs: {
      results: {
        ruleId: string;
        level: string;
        locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[];
      }[];
    }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const first = sarif.runs[0]?.results[0];
  assert.equal(first?.ruleId, 'R202');
  assert.equal(first?.level, 'error');
  assert.deepEqual(first?.locations[0]?.physicalLocation.region, {
    startLine: 2,
    startColumn: 11,
    endLine: 2,
    endColumn: 15,
  });
});

test('usage and I/O errors exit 2', () => {
  assert.equal(cli().code, 2);
  assert.equal(cli('frobnicate').code, 2);
  assert.equal(cli('check').code, 2);
  assert.equal(cli('check', '--format', 'xml', good).code, 2);
  assert.equal(cli('check', join(dir, 'missing.rule')).code, 2);
  assert.equal(cli('check', join(dir, 'notes.txt')).code, 2);
  assert.equal(cli('eval', '--rule', 'user.department -eq "x"').code, 2);
});

test('eval prints the ids of the matching users from an array or a Graph page', () => {
  const users = [
    { id: 'u1', department: 'Sales', accountEnabled: true },
    { id: 'u2', department: 'sales', accountEnabled: false },
    { id: 'u3', department: 'Marketing', accountEnabled: true },
  ];
  const arr = join(dir, 'users.json');
  const page = join(dir, 'page.json');
  writeFileSync(arr, JSON.stringify(users));
  writeFileSync(page, JSON.stringify({ '@odata.context': 'x', value: users }));
  for (const file of [arr, page]) {
    const r = cli('eval', '--rule', 'user.department -eq "SALES"', '--users', file);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ['u1', 'u2']);
  }
  const both = cli(
    'eval',
    '--rule',
    '(user.department -eq "sales") -and (user.accountEnabled -eq true)',
    '--users',
    arr,
  );
  assert.deepEqual(JSON.parse(both.stdout), ['u1']);
  assert.equal(cli('eval', '--rule', 'user.dept -eq "x"', '--users', arr).code, 1);
  writeFileSync(join(dir, 'broken.json'), '{"value": [');
  assert.equal(cli('eval', '--rule', 'user.department -eq "x"', '--users', join(dir, 'broken.json')).code, 2);
});

test('filter prints the Graph $filter, or says why there is none', () => {
  const r = cli('filter', '--rule', '(user.department -eq "Sales") -and (user.jobTitle -startsWith "Senior")');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), "department eq 'Sales' and startswith(jobTitle,'Senior')");
  const no = cli('filter', '--rule', 'user.displayName -contains "Admin"');
  assert.equal(no.code, 1);
  assert.match(no.stderr, /no equivalent \$filter: .*contains/i);
});

test('check handles policy payloads with schema, semantic and embedded-rule findings', () => {
  const policy = join(dir, 'auto.policy.json');
  writeFileSync(
    policy,
    JSON.stringify(
      {
        displayName: 'Sales',
        allowedTargetScope: 'allMemberUsers',
        specificAllowedTargets: [
          { '@odata.type': '#microsoft.graph.attributeRuleMembers', membershipRule: 'user.department == "Sales"' },
        ],
        automaticRequestSettings: { requestAccessForAllowedTargets: true },
        accessPackage: { id: '8a36831e-1527-4b2b-aff2-81259a8d8e76' },
        durationInDays: 30,
      },
      null,
      2,
    ),
  );
  const r = cli('check', '--format', 'json', policy);
  assert.equal(r.code, 1);
  const codes = (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }[])[0]?.diagnostics.map((d) => d.code);
  assert.deepEqual(codes?.sort(), ['P110', 'P201', 'R105']);
});

test('check: a policy in a policy-as-code package folder takes its access package from the folder', () => {
  const policy = JSON.parse(
    readFileSync(
      join(repoRoot, 'test', 'fixtures', 'corpus', 'policies', 'valid-direct-assignment.policy.json'),
      'utf8',
    ),
  ) as Record<string, unknown>;
  delete policy.accessPackage;
  const layout = mkdtempSync(join(tmpdir(), 'entitlements-cli-layout-'));
  const pkgDir = join(layout, 'sales', 'crm access');
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(join(pkgDir, 'crm-access.accessPackage.json'), JSON.stringify({ displayName: 'CRM access' }));
  writeFileSync(join(pkgDir, 'direct.policy.json'), JSON.stringify(policy, null, 2));
  const loose = join(layout, 'loose.policy.json');
  writeFileSync(loose, JSON.stringify(policy, null, 2));
  const r = cli('check', '--format', 'json', join(pkgDir, 'direct.policy.json'), loose);
  const out = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string }[] }[];
  assert.deepEqual(
    out[0]?.diagnostics.map((d) => d.code),
    [],
  );
  assert.ok(
    out[1]?.diagnostics.some((d) => d.code === 'P702'),
    'the same policy outside a package folder must name its access package',
  );
  assert.equal(r.code, 1);
});
