// UI checks of the admin's console through Chromium, each with a screenshot in test-artifacts/:
// a request approved from the tree's context menu, a group added as a resource role from the
// tree, the access report from the palette, a palette command whose result appears in the tree
// without a refresh, a deploy error placed on the JSON path it names; and, in a code-server with
// workspace trust on, Restricted Mode still highlighting and diagnosing a rule.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from './config.mjs';
import { workbenchUrl } from './codeServer.mjs';
import { root } from './buildTests.mjs';
import { openByQuickOpen, runCommand } from './ui.mjs';

const timeout = LIMITS.uiStepMs;

/**
 * Answers the quick input that `marker` identifies (its title text or its placeholder), so that a
 * step never types into the previous prompt: fills `text`, waits for a row showing `row` (unless
 * null, for input boxes) and accepts.
 */
async function quickInput(page, text, { row = text, title, placeholder } = {}) {
  const widget = page.locator('.quick-input-widget');
  if (title) await widget.locator('.quick-input-title', { hasText: title }).first().waitFor({ timeout });
  const input = placeholder ? widget.locator(`input[placeholder="${placeholder}"]`) : widget.locator('input');
  await input.first().waitFor({ state: 'visible', timeout });
  await input.first().fill(text);
  if (row !== null) await widget.locator('.monaco-list-row', { hasText: row }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
}

function treeRow(page, text) {
  return page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();
}

async function expand(page, text) {
  const row = treeRow(page, text);
  await row.waitFor({ timeout });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}

async function collapse(page, text) {
  const row = treeRow(page, text);
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.click();
}

async function contextMenu(page, row, item) {
  await row.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item', { hasText: item }).first();
  await entry.waitFor({ timeout });
  await entry.hover();
  await entry.click();
  // A click that lands while the menu is still laying itself out is dropped (seen with a row that
  // has inline actions); the entry is focused by then, so Enter runs it.
  const closed = await entry
    .waitFor({ state: 'detached', timeout: 2_000 })
    .then(() => true)
    .catch(() => false);
  if (!closed) {
    await entry.hover();
    await page.keyboard.press('Enter');
    await entry.waitFor({ state: 'detached', timeout });
  }
}

/** Runs on the workbench page uiChecks opened (sidebar showing the sandbox, catalogs expanded). */
export async function consoleUi(page, workspace, { artifacts }) {
  const shot = async (name, what) => {
    await page.screenshot({ path: join(artifacts, name) });
    console.log(`${what} (test-artifacts/${name})`);
  };
  // uiChecks left the Entitlements view open; clicking its icon again would close the sidebar.
  if (!(await treeRow(page, 'Sandbox').isVisible()))
    await page.locator('.part.activitybar [aria-label^="Entitlements"]').first().click({ timeout });
  await expand(page, 'Sandbox');
  await expand(page, 'Engineering');
  await expand(page, 'Sales and Marketing');

  // A request approved from the tree: context menu, justification, the decision shown under the request.
  await expand(page, 'Partner collaboration');
  await expand(page, 'Requests');
  const pending = page.locator('.part.sidebar .monaco-list-row', { hasText: 'pending approval' }).first();
  await pending.waitFor({ timeout });
  const who = (await pending.locator('.label-name').first().innerText()).trim();
  await contextMenu(page, pending, 'Approve Request');
  await quickInput(page, 'approved in the real editor', { row: null, title: `Approve the request of ${who}` });
  // The folder reloads; the request (two stages) now shows its first stage approved. (No toast to wait
  // for: the workbench shows none while the smoke-test driver is enabled.)
  await expand(page, who);
  await page
    .locator('.part.sidebar .monaco-list-row', { hasText: 'Stage 1: approved' })
    .filter({ hasText: 'approved in the real editor' })
    .first()
    .waitFor({ timeout });
  await shot('console-request-approved.png', 'a request approved from the tree');

  // A group added as a resource role from the tree (one package expanded, so one "Resource roles" row).
  await collapse(page, 'Partner collaboration');
  await expand(page, 'CRM access');
  const grants = treeRow(page, 'Resource roles');
  await grants.waitFor({ timeout });
  await contextMenu(page, grants, 'Add Group as Resource Role');
  await quickInput(page, 'Engineering Leads', { placeholder: 'Group' });
  await quickInput(page, 'Owner', { title: 'Add Engineering Leads to CRM access as' });
  await expand(page, 'Resource roles');
  await page
    .locator('.part.sidebar .monaco-list-row', { hasText: 'Engineering Leads' })
    .filter({ hasText: 'Owner' })
    .first()
    .waitFor({ timeout });
  await shot('console-resource-role.png', 'a group added as a resource role');

  // A palette command: the new package appears in the expanded catalog without a refresh.
  await runCommand(page, 'Entitlements: Create Access Package');
  await quickInput(page, 'Sales and Marketing', { placeholder: 'Catalog' });
  await quickInput(page, 'Created from the palette', { row: null, title: 'Create access package: name' });
  await quickInput(page, '', { row: null, title: 'Create access package: description' });
  await treeRow(page, 'Created from the palette').waitFor({ timeout });
  await shot('console-palette-refresh.png', 'a package created from the palette appears in the tree');

  // The access report of a package, from the palette.
  await runCommand(page, 'Entitlements: Access Report');
  await quickInput(page, 'For an access package', { title: 'Access report' });
  await quickInput(page, 'Sales and Marketing', { placeholder: 'Catalog' });
  await quickInput(page, 'CRM access', { placeholder: 'Access package' });
  await page.locator('.monaco-editor .view-lines', { hasText: 'Who has CRM access' }).first().waitFor({ timeout });
  await shot('console-access-report.png', 'the access report of a package');

  // A deploy error on the JSON path Graph names (an access package that does not exist).
  const dir = join(workspace, 'e2e');
  mkdirSync(dir, { recursive: true });
  const policy = {
    displayName: 'Deploy error placement',
    description: 'the package does not exist',
    allowedTargetScope: 'notSpecified',
    specificAllowedTargets: [],
    expiration: { type: 'noExpiration' },
    requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, stages: [] },
    accessPackage: { id: '0b0b0b0b-0000-4000-8000-000000000000' },
  };
  writeFileSync(join(dir, 'ui-deploy-error.policy.json'), `${JSON.stringify(policy, null, 2)}\n`);
  await openByQuickOpen(page, 'ui-deploy-error.policy.json');
  await runCommand(page, 'Entitlements: Deploy Policy');
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout });
  await runCommand(page, 'View: Focus Problems');
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'does not exist' }).first();
  await problem.waitFor({ timeout });
  const where = await problem.innerText();
  const line = /Ln (\d+)/.exec(where)?.[1];
  // `"id": "0b0b…"` is line 15 of the two-space JSON above; line 1 would mean "not placed".
  if (line !== '15') throw new Error(`the deploy error is not on accessPackage.id (line 15): ${where}`);
  await shot('console-deploy-error.png', `the deploy error on accessPackage.id (line ${line})`);
}

/** Restricted Mode: a code-server with workspace trust on, the folder never trusted. */
export async function restrictedUi(context, server, workspace, { artifacts }) {
  const page = await context.newPage();
  try {
    await page.goto(workbenchUrl(server, { folder: workspace, developmentPath: root }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout });
    await openByQuickOpen(page, 'engineers-typos.rule');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout });
    const tokens = page.locator('.monaco-editor .view-lines span[class^="mtk"]');
    const classes = new Set(await tokens.evaluateAll((els) => els.map((e) => e.className)));
    if (classes.size < 2)
      throw new Error(`the rule is not highlighted in Restricted Mode (token classes: ${[...classes]})`);
    await page.screenshot({ path: join(artifacts, 'console-restricted-mode.png') });
    console.log(
      `Restricted Mode: squiggles and ${classes.size} token colours in a rule (test-artifacts/console-restricted-mode.png)`,
    );
  } catch (err) {
    await page.screenshot({ path: join(artifacts, 'failure-restricted.png') }).catch(() => {});
    throw err;
  } finally {
    await page.close();
  }
}

/** User settings for the Restricted Mode run: trust on, no start-up prompt (the folder opens untrusted). */
export function restrictedSettings(userDataDir) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }),
  );
}
