/**
 * dist/cli.js against hostile files: one file that breaks the check does not take the others'
 * report with it, documents cannot drive the terminal, byte-order marks and UTF-16 are decoded,
 * empty policies fail, and `eval` streams its users file in bounded memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'entitlements-cli-hostile-'));

function cli(args: string[], nodeOptions: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeOptions, join(repoRoot, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

interface JsonReport {
  file: string;
  diagnostics: { code: string; severity: string; message: string; range: { start: { line: number } } }[];
}

const okPolicy = JSON.stringify(
  { displayName: 'x', accessPackage: { id: '8a36831e-1527-4b2b-aff2-81259a8d8e76' }, durationInDays: 5 },
  null,
  2,
);

test('a file that breaks the check becomes a finding for that file; the others are still reported (SARIF)', () => {
  const files = [
    file('bad.rule', 'user.dept -eq "x"\n'),
    file('arrays.policy.json', `${'['.repeat(4006)}${']'.repeat(4006)}`),
    file('objects.policy.json', `${'{"a":'.repeat(2356)}1${'}'.repeat(2356)}`),
    file('or.rule', Array.from({ length: 20_000 }, (_, i) => `(user.department -eq "d${i}")`).join(' -or ')),
    file('good.rule', 'user.department -eq "Sales"\n'),
  ];
  const r = cli(['check', '--format', 'sarif', ...files]);
  assert.equal(r.code, 1, r.stderr);
  const sarif = JSON.parse(r.stdout) as {
    runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
  };
  const results = sarif.runs[0]?.results ?? [];
  const byFile = (f: string) =>
    results.filter((x) => x.locations[0]?.physicalLocation.artifactLocation.uri === f).map((x) => x.ruleId);
  assert.deepEqual(byFile(files[0] as string), ['R202']);
  assert.deepEqual(byFile(files[1] as string), ['E002']);
  assert.deepEqual(byFile(files[2] as string), ['E002']);
  assert.ok(byFile(files[3] as string).length > 0, 'the long rule gets a finding (a limit, or the check failure)');
  assert.deepEqual(byFile(files[4] as string), []);
});

test('an unreadable file is an I/O error (exit 2), but the readable ones are still reported', () => {
  const r = cli([
    'check',
    '--format',
    'json',
    join(dir, 'missing.policy.json'),
    file('bad2.rule', 'user.dept -eq "x"'),
  ]);
  assert.equal(r.code, 2);
  const out = JSON.parse(r.stdout) as JsonReport[];
  assert.deepEqual(
    out.map((f) => f.diagnostics.map((d) => d.code)),
    [['R202']],
  );
  assert.match(r.stderr, /missing\.policy\.json: ENOENT/);
});

// C0 (ESC, BEL, CR), DEL, C1 (the 8-bit CSI), bidi override and isolate.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('text output escapes terminal control sequences and bidi overrides from documents and names', () => {
  const key = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\u2066\u007f\r';
  const policy = file('ctl.policy.json', JSON.stringify({ displayName: 'x', [key]: 1 }));
  const named = file('name\u001b[31m\u202e.rule', 'user.dept -eq "x"');
  const r = cli(['check', policy, named]);
  assert.equal(r.code, 1);
  assert.ok(!UNSAFE.test(r.stdout), JSON.stringify(r.stdout));
  assert.match(r.stdout, /Property \\u\{001B\}\]0;pwned\\u\{0007\}\\u\{001B\}\[2J\\u\{009B\}31m\\u\{202E\}evil/);
  assert.match(r.stdout, /name\\u\{001B\}\[31m\\u\{202E\}\.rule:1:6: error R202/);
  for (const format of ['json', 'sarif']) {
    const j = cli(['check', '--format', format, policy]);
    assert.ok(!UNSAFE.test(j.stdout), `${format}: ${JSON.stringify(j.stdout.slice(0, 400))}`);
    assert.ok(j.stdout.includes('Property \\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202eevil'), format);
  }
  const parsed = JSON.parse(cli(['check', '--format', 'json', policy]).stdout) as JsonReport[];
  assert.ok(
    parsed[0]?.diagnostics.some((d) => d.message === `Property ${key} is not allowed.`),
    'the JSON value itself is unchanged',
  );
});

test('policies with a byte-order mark or in UTF-16 are decoded; other encodings are said plainly', () => {
  const expected = cli(['check', '--format', 'json', file('plain.policy.json', okPolicy)]);
  const codes = (r: { stdout: string }) =>
    (JSON.parse(r.stdout) as JsonReport[]).map((f) => f.diagnostics.map((d) => `${d.code}@${d.range.start.line}`));
  const want = codes(expected)[0];
  assert.ok(want && want.length > 0 && !want.some((c) => c.startsWith('P100@0')), JSON.stringify(want));
  const utf16be = Buffer.from(`\uFEFF${okPolicy}`, 'utf16le').swap16();
  for (const [name, bytes] of [
    ['bom8.policy.json', Buffer.from(`\uFEFF${okPolicy}`, 'utf8')],
    ['le16.policy.json', Buffer.from(`\uFEFF${okPolicy}`, 'utf16le')],
    ['be16.policy.json', utf16be],
  ] as const) {
    assert.deepEqual(codes(cli(['check', '--format', 'json', file(name, bytes)])), [want], name);
  }
  for (const [name, bytes, reason] of [
    ['nobom16.policy.json', Buffer.from(okPolicy, 'utf16le'), /UTF-16 without a byte-order mark/],
    ['latin1.policy.json', Buffer.from('{"displayName": "caf\xe9"}', 'latin1'), /not valid UTF-8/],
  ] as const) {
    const r = cli(['check', '--format', 'json', file(name, bytes)]);
    assert.equal(r.code, 1, name);
    const [report] = JSON.parse(r.stdout) as JsonReport[];
    assert.deepEqual(
      report?.diagnostics.map((d) => d.code),
      ['E005'],
    );
    assert.match(report?.diagnostics[0]?.message ?? '', reason);
  }
});

test('an empty policy fails the check instead of passing', () => {
  const r = cli(['check', '--format', 'json', file('empty.policy.json', '')]);
  assert.equal(r.code, 1);
  assert.deepEqual(
    (JSON.parse(r.stdout) as JsonReport[])[0]?.diagnostics.map((d) => d.code),
    ['P120'],
  );
});

test('a 1 MB policy of unknown keys: 100 findings and one summary', () => {
  const keys = Array.from({ length: 62_000 }, (_, i) => `"k${i}": 1`).join(', ');
  const path = file('unknown.policy.json', `{"displayName": "x", ${keys}}`);
  const r = cli(['check', '--format', 'json', path]);
  assert.equal(r.code, 1);
  const diagnostics = (JSON.parse(r.stdout) as JsonReport[])[0]?.diagnostics ?? [];
  const unknown = diagnostics.filter((d) => /is not allowed/.test(d.message));
  assert.equal(unknown.length, 100);
  assert.ok(diagnostics.some((d) => d.code === 'E003' && /61,900 more unknown properties/.test(d.message)));
});

test('eval on JSON Lines whose last line breaks off prints the earlier matches and exits 2', () => {
  const path = file(
    'users.jsonl',
    '{"id": "a", "department": "Sales"}\n{"id": "b", "department": "HR"}\n{"id": "c", "department": "sales"}\n{"id": "d", "depa',
  );
  const r = cli(['eval', '--rule', 'user.department -eq "Sales"', '--users', path]);
  assert.equal(r.code, 2);
  assert.deepEqual(JSON.parse(r.stdout), ['a', 'c']);
  assert.match(r.stderr, /users\.jsonl: .* \(after 3 user\(s\)/);
  const whole = file('whole.jsonl', '{"id": "a", "department": "Sales"}\n{"id": "b", "department": "HR"}\n');
  const ok = cli(['eval', '--rule', 'user.department -eq "Sales"', '--users', whole]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), ['a']);
});

test('eval reads UTF-16 exports and several concatenated Graph pages', () => {
  const page = (ids: string[]) =>
    JSON.stringify({ '@odata.context': 'x', value: ids.map((id) => ({ id, city: 'Zürich' })) });
  const utf16 = file('pages16.json', Buffer.from(`\uFEFF${page(['é1', 'e2'])}\n${page(['e3'])}`, 'utf16le'));
  const r = cli(['eval', '--rule', 'user.city -eq "zürich"', '--users', utf16]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['é1', 'e2', 'e3']);
});

test('eval streams an export larger than its heap (70 MB under a 32 MB heap limit)', async () => {
  const path = join(dir, 'big-users.json');
  const out = createWriteStream(path);
  out.write('{"@odata.context": "x", "value": [');
  for (let i = 0; i < 300_000; i++) {
    const user = {
      id: `u${i}`,
      displayName: `User ${i}`,
      department: i % 1000 === 0 ? 'Sales' : 'Engineering',
      jobTitle: 'Engineer',
      accountEnabled: true,
      country: 'Kenya',
      mail: `user${i}@contoso.example`,
      description: 'x'.repeat(60),
    };
    if (!out.write(`${i ? ',' : ''}${JSON.stringify(user)}`)) await once(out, 'drain');
  }
  out.end(']}');
  await once(out, 'finish');
  const r = cli(['eval', '--rule', 'user.department -eq "Sales"', '--users', path], ['--max-old-space-size=32']);
  assert.equal(r.signal, null, r.stderr.slice(0, 500));
  assert.equal(r.code, 0, r.stderr.slice(0, 500));
  const ids = JSON.parse(r.stdout) as string[];
  assert.equal(ids.length, 300);
  assert.equal(ids[1], 'u1000');
});
