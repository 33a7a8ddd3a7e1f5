// Tenant-aware authoring through Chromium, with screenshots in test-artifacts/: completing an
// approver by typing part of a name, hover on an id, inlay hints with display names, and the
// "matches N of M users" CodeLens on a rule. Uses the files the `aware` suite left in e2e/aware/
// and the extension's sandbox tenant (its demo seed is deterministic). Every wait is on the page's
// state, bounded by a limit.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { LIMITS } from './config.mjs';
import { workbenchUrl } from './codeServer.mjs';
import { root } from './buildTests.mjs';
import { openByQuickOpen, runCommand, runCommandUntil } from './ui.mjs';

const timeout = LIMITS.uiStepMs;

/** Opens a workspace file (Quick Open, asking again while it is not listed) and focuses its editor. */
async function open(page, fileName) {
  await openByQuickOpen(page, fileName);
  // The editor has the focus (Go to Line and the suggest widget act on it).
  await page.locator('.editor-instance .monaco-editor textarea').first().focus();
}

/** Puts the cursor at a 1-based line and column through "Go to Line/Column". */
async function goTo(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout });
}

/** 1-based line and column of the first occurrence of `needle` in `text`, plus `shift` characters. */
function where(text, needle, shift = 0) {
  const at = text.indexOf(needle) + shift;
  if (at < shift) throw new Error(`'${needle}' not found`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export async function awareUi(context, server, workspace, { artifacts }) {
  const dir = join(workspace, 'e2e', 'aware');
  const approver = readFileSync(join(dir, 'aware-approver.policy.json'), 'utf8');
  const userId = /"userId": "([^"]+)"/.exec(approver)[1];
  const page = await context.newPage();
  try {
    await page.goto(workbenchUrl(server, { folder: workspace, developmentPath: root }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    const lines = page.locator('.monaco-editor .view-lines').first();
    // Start from one editor group, whatever an earlier step left open.
    await runCommand(page, 'View: Close All Editor Groups');
    await runCommand(page, 'View: Single Column Editor Layout');

    // Inlay hints: the approver's display name after the id. The name comes from the hover below,
    // so first read it from the hover, then look for it in the rendered line.
    await open(page, 'aware-approver.policy.json');
    const idAt = where(approver, userId, 4);
    await goTo(page, idAt.line, idAt.column);
    const hover = page.locator('.monaco-hover', { hasText: 'user in Sandbox' }).first();
    // Once more if the first hover came without the user: on a cold, loaded machine (CI right
    // after installing code-server) it has been seen to come before the tenant look-up answered.
    await runCommandUntil(page, 'Show or Focus Hover', hover);
    const name = /\*?\*?([^*\n]+?)\*?\*? — user in Sandbox/.exec(await hover.innerText())?.[1]?.trim();
    if (!name) throw new Error(`the hover does not name the user: ${await hover.innerText()}`);
    await page.screenshot({ path: join(artifacts, 'aware-hover.png') });
    console.log(`hover on an approver id names ${name} (test-artifacts/aware-hover.png)`);
    await page.keyboard.press('Escape');
    // An inlay hint is text the editor injects into the line (spaces rendered as no-break spaces).
    const shows = (text) =>
      page.waitForFunction(
        ({ t }) =>
          [...document.querySelectorAll('.monaco-editor .view-lines')].some((e) =>
            e.textContent.replace(/\u00a0/g, ' ').includes(t),
          ),
        { t: text },
        { timeout },
      );
    await shows(name);
    await page.screenshot({ path: join(artifacts, 'aware-inlay-hints.png') });
    console.log(`inlay hint shows ${name} after the id (test-artifacts/aware-inlay-hints.png)`);

    // Completion: replace the id with part of the name and ask for suggestions.
    const part = name.split(' ').pop().slice(0, 3);
    const start = where(approver, userId);
    await goTo(page, start.line, start.column);
    for (let i = 0; i < userId.length; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.type(part);
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: name }).first();
    await suggestion.waitFor({ state: 'visible', timeout });
    await page.screenshot({ path: join(artifacts, 'aware-completion.png') });
    console.log(`typing "${part}" offers ${name} (test-artifacts/aware-completion.png)`);
    await page.keyboard.press('Enter');
    await shows(userId);
    await runCommand(page, 'File: Revert File');

    // The CodeLens over a rule.
    await open(page, 'aware-matches.rule');
    const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: /matches \d+ of \d+ users/ }).first();
    // The lens says what it shows meanwhile ("counting…", a Graph error code); a failure prints it.
    const lensTexts = async () =>
      (await page.locator('.monaco-editor .codelens-decoration').allInnerTexts()).join(' | ') || 'no CodeLens';
    // No refresh here: a lens VS Code never asked for (its request cancelled when the editor lost
    // the focus) is the extension's to recover (matchLens.ts asks again), not the user's.
    await lens.waitFor({ state: 'visible', timeout: 45_000 }).catch(async (err) => {
      throw new Error(`no "matches N of M users" CodeLens; the editor shows: ${await lensTexts()}\n${err.message}`);
    });
    await page.screenshot({ path: join(artifacts, 'aware-codelens.png') });
    console.log(`CodeLens: ${await lens.innerText()} (test-artifacts/aware-codelens.png)`);
    if (!(await lines.isVisible())) throw new Error('no editor visible');
  } catch (err) {
    await page.screenshot({ path: join(artifacts, 'failure-aware-ui.png') }).catch(() => {});
    throw err;
  } finally {
    await page.close();
  }
}
