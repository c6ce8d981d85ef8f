/**
 * The UI walk, continued with what a person keeps the explorer open for all day: the status bar item; a stop
 * made elsewhere shown by the view's Refresh; a mixed selection offering Start and Stop; Enter opening details;
 * the filter keybinding; Connect via SSH opening a terminal; an approval raised here waiting in the Approvals
 * view until someone approves it elsewhere, then its final state. A screenshot of each step.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { exact, stateIcon } from './ui-scenario.ts';

const VIEW = '[id="workbench.view.extension.tceops"]';

/** What the test does outside the editor: as another tool or person would. */
export interface Elsewhere {
  /** Stop an instance straight through the API (not through the extension); resolves once it is STOPPED. */
  stop(endpoint: string, region: string, id: string): Promise<void>;
  /** Another person approves a request through their own engine on the same store. */
  approve(endpoint: string, approvalId: string): Promise<void>;
}

export interface DailyResult {
  screenshots: string[];
  timings: Record<string, number>;
}

export async function dailyThroughTheUi(
  page: Page,
  artifacts: string,
  target: { region: string; stopElsewhere: string; mixedRunning: string; ssh: string; terminate: string },
  elsewhere: Elsewhere,
  firstStep: number,
): Promise<DailyResult> {
  const screenshots: string[] = [];
  const timings: Record<string, number> = {};
  let step = firstStep;
  const shot = async (name: string) => {
    const file = path.join(artifacts, `${String(++step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    screenshots.push(file);
  };
  const rows = () => page.locator(`${VIEW} .monaco-list-row`);
  const row = (label: string | RegExp) => rows().filter({ has: page.locator('.label-name', { hasText: label }) });
  const menu = page.locator('.context-view .monaco-menu');
  const closeToasts = async () => {
    await page.keyboard.press('Escape');
    await page.mouse.move(900, 500);
  };

  // The status bar item: emulator, region count; it opens the connection actions.
  const status = page.locator('.statusbar-item', { hasText: 'TCE: emulator' });
  await status.waitFor({ timeout: 30_000 });
  await status.click();
  await page.locator('.quick-input-widget', { hasText: 'Stop the local emulator' }).waitFor();
  await shot('status-bar-connection-actions');
  await page.keyboard.press('Escape');

  const description = await row('Local emulator').first().locator('.label-description').textContent();
  const endpoint = String(description).trim();

  // A stop made elsewhere; the view's own Refresh (with a row selected) shows it.
  const elsewhereRow = row(exact(target.stopElsewhere)).first();
  const id = String(await elsewhereRow.locator('.label-description').textContent())
    .split(' · ')[0]!
    .trim();
  await elsewhere.stop(endpoint, target.region, id);
  await elsewhereRow.click();
  await page.locator(`${VIEW} .pane-header`).first().hover();
  const refreshed = Date.now();
  await page.locator(`${VIEW} .pane-header a.action-label[aria-label^="Refresh All"]`).first().click();
  await stateIcon(row(exact(target.stopElsewhere)).first(), 'vm-outline', 60_000);
  timings.refreshAllMs = Date.now() - refreshed;
  await row(exact(target.stopElsewhere)).first().locator('.label-description', { hasText: 'STOPPED' }).waitFor();
  // The state in words for a screen reader too, not only the icon.
  const aria = await row(exact(target.stopElsewhere)).first().getAttribute('aria-label');
  if (!aria?.includes('STOPPED')) throw new Error(`the row's accessible label has no state: ${aria}`);
  await shot('refresh-all-shows-stopped');

  // Enter on an instance opens its details (the default action).
  await row(exact(target.stopElsewhere)).first().click();
  await page.keyboard.press('Enter');
  await page
    .locator('.tab', { hasText: `${id}.json` })
    .first()
    .waitFor({ timeout: 30_000 });
  await shot('enter-opens-details');

  // The filter keybinding, from the tree.
  await row(exact(target.stopElsewhere)).first().click();
  await page.keyboard.press('Control+Alt+KeyF');
  await page.locator('.quick-input-widget', { hasText: 'Filter instances' }).waitFor({ timeout: 15_000 });
  await shot('filter-keybinding');
  await page.keyboard.press('Escape');

  // A running and a stopped instance selected together: the menu offers both Start and Stop.
  await row(exact(target.stopElsewhere)).first().click();
  await row(exact(target.mixedRunning))
    .first()
    .click({ modifiers: ['Control'] });
  await row(exact(target.mixedRunning)).first().click({ button: 'right' });
  await menu.waitFor();
  await page.waitForTimeout(400);
  await menu
    .locator('.action-item', { hasText: /^Start$/ })
    .first()
    .waitFor();
  await menu
    .locator('.action-item', { hasText: /^Stop$/ })
    .first()
    .waitFor();
  await shot('mixed-selection-start-and-stop');
  await page.keyboard.press('Escape');

  // Connect via SSH: asks once for the key pair's key file, then a terminal runs ssh.
  await row(exact(target.ssh)).first().click();
  await row(exact(target.ssh)).first().click({ button: 'right' });
  await menu.waitFor();
  await page.waitForTimeout(300);
  await menu
    .locator('.action-item', { hasText: /^Connect via SSH$/ })
    .first()
    .click();
  const keyBox = page.locator('.quick-input-widget', { hasText: 'Private key for key pair' });
  await keyBox.waitFor({ timeout: 15_000 });
  await page.keyboard.type('/keys/tce-demo');
  await shot('ssh-key-file');
  await page.keyboard.press('Enter');
  const tab = page.locator('.terminal-tabs-entry, .single-terminal-tab, .composite.title', { hasText: 'ssh root@' });
  await tab.first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1500);
  await shot('ssh-terminal');

  // An approval raised here: terminate goes to approval with the built-in policy.
  await page.mouse.move(900, 300);
  await page.waitForTimeout(800);
  await row(exact(target.terminate)).first().click();
  await row(exact(target.terminate)).first().click({ button: 'right' });
  await menu.waitFor();
  await page.waitForTimeout(300);
  await menu
    .locator('.action-item', { hasText: /^Terminate…$/ })
    .first()
    .click();
  const pending = rows().filter({ hasText: 'PENDING' }).filter({ hasText: target.terminate });
  await pending.first().waitFor({ timeout: 60_000 });
  const approvalId = /apr-[a-z0-9]+/.exec(String(await pending.first().textContent()))![0];
  await shot('approval-pending');
  await closeToasts();
  // Still there long after a toast would have gone.
  await page.waitForTimeout(16_000);
  await pending.first().waitFor();
  await elsewhere.approve(endpoint, approvalId);
  const done = rows()
    .filter({ hasText: approvalId })
    .filter({ hasText: /SUCCEEDED|FAILED/ });
  await done.first().waitFor({ timeout: 90_000 });
  await page
    .locator('.notifications-toasts', { hasText: `Request ${approvalId}` })
    .first()
    .waitFor({ timeout: 30_000 });
  // The terminated instance leaves the tree (it is followed once its request ends).
  await row(exact(target.terminate)).first().waitFor({ state: 'detached', timeout: 90_000 });
  await shot('approval-final-state');
  if (!(await done.first().textContent())?.includes('SUCCEEDED'))
    throw new Error(`the approved request did not succeed: ${await done.first().textContent()}`);

  // Choose Regions: the tree keeps the region's name and stays open (it reloads in place, no reconnect).
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget').waitFor();
  await page.keyboard.type('TCE: Choose Regions');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Choose Regions' }).first().waitFor();
  await page.keyboard.press('Enter');
  const regionItem = page.locator('.quick-input-list .monaco-list-row', { hasText: target.region });
  await regionItem.first().waitFor({ timeout: 15_000 });
  // In a multi-select pick, a click on the row ticks it.
  await regionItem.first().click();
  await page.locator('.quick-input-widget', { hasText: '1 Selected' }).waitFor({ timeout: 10_000 });
  await shot('choose-regions');
  await page.keyboard.press('Enter');
  await rows().filter({ hasText: 'ap-guangzhou' }).first().waitFor({ state: 'detached', timeout: 30_000 });
  await row(exact(target.region)).first().locator('.label-description', { hasText: '北京' }).waitFor();
  await row(exact(target.ssh)).first().waitFor({ timeout: 30_000 });
  await shot('regions-chosen-tree-stays-open');
  return { screenshots, timings };
}
