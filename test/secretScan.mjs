// Finds token-like strings in text: JWTs (what Microsoft's sign-in issues) and bearer headers.
// test/run.mjs scans everything the suites print with it, so a token that reaches a log, an
// error message or an output channel echoed by a test fails the run.

const patterns = [
  { name: 'JWT', re: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { name: 'bearer header', re: /Bearer\s+[A-Za-z0-9._~+/-]{20,}=*/gi },
];

/** Every token-like match in `text`, as `{kind, sample}` with the middle of the match elided. */
export function findSecrets(text) {
  const out = [];
  for (const { name, re } of patterns) {
    for (const m of text.matchAll(re)) out.push({ kind: name, sample: `${m[0].slice(0, 12)}…${m[0].slice(-4)}` });
  }
  return out;
}
