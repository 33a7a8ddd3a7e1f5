// Debian's Chromium, headless, driven by playwright-core: the browser a code-server workbench
// needs before any extension host starts.
import { appendFileSync, mkdtempSync } from 'node:fs';
import { format } from 'node:util';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from './tools.mjs';

export async function launchBrowser(runDir) {
  const profile = mkdtempSync(join(runDir, 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return context;
}

/**
 * Opens `url` in a new page with the automation hooks the workbench calls when extension tests
 * run: `codeAutomationLog(type, args)` (the tests' console) and `codeAutomationExit(code)`.
 * Resolves with the exit code, or rejects after `limitMs`.
 */
export async function runInPage(context, url, { limitMs, prefix = '', logFile }) {
  const page = await context.newPage();
  let resolveExit;
  // Until the test entry point prints its `[e2e] suites:` banner, everything is the workbench
  // starting up: kept in the log file only. After it, the workbench's own tagged chatter and its
  // stack traces are filtered from the console too.
  let started = false;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    if (logFile) appendFileSync(logFile, `${line}\n`);
    // The workbench's own chatter ("[ChatModelSelection] ...") stays in the log file; the tests' output is shown.
    if (line.startsWith('[e2e] ')) started = true;
    if (!started || /^\s*\[(?!e2e\])[A-Za-z][\w .:-]*\] /.test(line) || /\/static\/out\/vs\//.test(line)) return;
    (type === 'error' ? console.error : console.log)(prefix ? line.replace(/^/gm, prefix) : line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  page.on('pageerror', (err) => console.error(`${prefix}[page error] ${err.message}`));
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the extension tests did not finish within ${limitMs} ms`)), limitMs);
  });
  try {
    await page.goto(url);
    return { page, code: await Promise.race([exited, limit]) };
  } finally {
    clearTimeout(timer);
  }
}
