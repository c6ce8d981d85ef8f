/**
 * A long list in a real workbench: with one row per request a folder holds five, so twelve instances show as
 * three folders. Each folder is read when opened, its rows go when it is closed, the folder rows carry their range
 * for screen readers, and the rows' tooltip and Enter (both resolved on demand) still work. A screenshot per step.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { exact, widenSideBar } from './ui-scenario.ts';

const VIEW = '[id="workbench.view.extension.tceops"]';

export async function foldersThroughTheUi(
  page: Page,
  artifacts: string,
  region: string,
): Promise<{ screenshots: string[]; folders: string[]; folderAria: string }> {
  const screenshots: string[] = [];
  let step = 0;
  const shot = async (name: string) => {
    const file = path.join(artifacts, `folders-${String(++step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    screenshots.push(file);
  };
  const rows = () => page.locator(`${VIEW} .monaco-list-row`);
  const row = (label: string | RegExp) => rows().filter({ has: page.locator('.label-name', { hasText: label }) });
  const instanceRows = () => row(/^node-\d+$/);
  /** Exactly these instance rows in the tree, in this order (the tree may take a moment to draw them). */
  const expectRows = async (names: string[]) => {
    let shown: string[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      shown = (await instanceRows().locator('.label-name').allTextContents()).map((s) => s.trim());
      if (JSON.stringify(shown) === JSON.stringify(names)) return;
    }
    throw new Error(`expected the rows ${names.join(', ')}; the tree shows ${shown.join(', ')}`);
  };

  await page.locator('.activitybar [aria-label^="TCE Explorer"]').first().click();
  await row(exact(region)).first().click({ timeout: 60_000 });
  await widenSideBar(page, 560);
  await row(exact('Instances')).first().click();
  const folderRows = row(/^Instances \d+–\d+$/);
  await folderRows.first().waitFor({ timeout: 60_000 });
  await folderRows.nth(2).waitFor();
  const folders = (await folderRows.locator('.label-name').allTextContents()).map((s) => s.trim());
  const folderAria = String(await folderRows.first().getAttribute('aria-label'));
  const description = await folderRows.first().locator('.label-description').textContent();
  if (description?.trim() !== 'of 12') throw new Error(`the folder says "${description}", not "of 12"`);
  if ((await instanceRows().count()) !== 0) throw new Error('rows were drawn before any folder was opened');
  await shot('folders');

  // The last folder first: only its rows arrive.
  await folderRows.nth(2).click();
  await expectRows(['node-00011', 'node-00012']);
  await folderRows.first().click();
  await expectRows(['node-00001', 'node-00002', 'node-00003', 'node-00004', 'node-00005', 'node-00011', 'node-00012']);
  await shot('first-and-last-open');

  // The tooltip and the default action are resolved on demand: hover, then Enter opens the details.
  const eleven = row(exact('node-00011')).first();
  await eleven.locator('.label-name').hover();
  await page.locator('.monaco-hover', { hasText: 'State' }).first().waitFor({ timeout: 30_000 });
  await page.mouse.move(900, 700);
  const id = String(await eleven.locator('.label-description').textContent())
    .split(' · ')[0]!
    .trim();
  await eleven.click();
  await page.keyboard.press('Enter');
  await page
    .locator('.tab', { hasText: `${id}.json` })
    .first()
    .waitFor({ timeout: 30_000 });
  await shot('enter-opens-details');

  // Closing a folder lets its rows go; opening it again reads them again.
  await folderRows.first().click();
  await row(exact('node-00001')).first().waitFor({ state: 'detached', timeout: 30_000 });
  await expectRows(['node-00011', 'node-00012']);
  await shot('first-closed');
  await folderRows.first().click();
  await expectRows(['node-00001', 'node-00002', 'node-00003', 'node-00004', 'node-00005', 'node-00011', 'node-00012']);
  return { screenshots, folders, folderAria };
}
