/**
 * The UI walk a person would do, in Chromium against code-server: open the TCE container, start the local
 * emulator from the command palette, expand a region and its instances, stop a running instance through the
 * context menu and the modal, and watch its row turn STOPPED. A screenshot of each step goes to `artifacts`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

const VIEW = '[id="workbench.view.extension.tceops"]';

export interface UiResult {
  screenshots: string[];
  stoppedLabel: string;
  timings: Record<string, number>;
}

export async function stopThroughTheUi(
  page: Page,
  artifacts: string,
  target: { region: string; instance: string },
): Promise<UiResult> {
  mkdirSync(artifacts, { recursive: true });
  const screenshots: string[] = [];
  const timings: Record<string, number> = {};
  let step = 0;
  const shot = async (name: string) => {
    const file = path.join(artifacts, `${String(++step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    screenshots.push(file);
  };
  const rows = () => page.locator(`${VIEW} .monaco-list-row`);
  const row = (label: string | RegExp) => rows().filter({ has: page.locator('.label-name', { hasText: label }) });

  await page.locator('.activitybar [aria-label^="TCE Explorer"]').first().click();
  await page.locator(VIEW).waitFor();
  // With no keys anywhere the explorer says how to connect (Sign In, Start Local Emulator).
  await rows().first().waitFor({ timeout: 60_000 });
  await widenSideBar(page, 560);
  await shot('container-opened');

  // Start the emulator the way a new user would: from the command palette.
  await page.keyboard.press('F1');
  const palette = page.locator('.quick-input-widget');
  await palette.waitFor();
  await page.keyboard.type('TCE: Start Local Emulator');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start Local Emulator' }).first().waitFor();
  await page.keyboard.press('Enter');
  await row('Local emulator').waitFor({ timeout: 60_000 });
  await shot('emulator-connected');

  // Expand the region, then its instances.
  await row(exact(target.region)).first().click();
  await row('Instances').first().waitFor();
  const expandStarted = Date.now();
  await row('Instances').first().click();
  const instance = row(exact(target.instance)).first();
  await instance.waitFor({ timeout: 60_000 });
  timings.expandToRowsMs = Date.now() - expandStarted;
  await instance.locator('.codicon-vm-running').waitFor();
  await shot('instances-listed');

  // The Markdown tooltip, resolved on hover.
  await instance.locator('.label-name').hover();
  await page.locator('.monaco-hover', { hasText: 'State' }).first().waitFor({ timeout: 30_000 });
  await shot('tooltip');
  await page.mouse.move(900, 700);

  const stoppedLabel = target.instance;
  await instance.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  await page.waitForTimeout(400); // the menu fades in
  await shot('context-menu');
  await menu
    .locator('.action-item', { hasText: /^Stop$/ })
    .first()
    .click();

  // The stop type: a quick pick; Soft is first.
  await page.locator('.quick-input-widget', { hasText: 'How should the instances stop?' }).waitFor();
  await shot('stop-type');
  await page.keyboard.press('Enter');

  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60_000 });
  await page.waitForTimeout(300);
  await shot('modal');
  await dialog.getByRole('button', { name: 'Stop', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  await page.locator('.notifications-toasts', { hasText: 'Stop' }).waitFor({ timeout: 60_000 });
  await shot('notification');
  await stateIcon(instance, 'vm-outline', 90_000);
  // The end state, not "sent": the notification says where the instance ended.
  await page
    .locator('.notifications-toasts', { hasText: `Stop: ${target.instance} is STOPPED.` })
    .waitFor({ timeout: 60_000 });
  await shot('stopped');
  return { screenshots, stoppedLabel, timings };
}

export function exact(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Drag the sash right of the side bar, so descriptions (ID · type · IP) fit in the screenshots. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator(VIEW).boundingBox();
  if (!box) return;
  const x = box.x + box.width;
  await page.mouse.move(x, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + 200, { steps: 5 });
  await page.mouse.up();
}

export async function stateIcon(row: Locator, icon: string, timeout: number): Promise<void> {
  await row.locator(`.codicon-${icon}`).waitFor({ timeout });
}
