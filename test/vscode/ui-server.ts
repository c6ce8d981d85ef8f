/**
 * The UI walk through a tceops server, in Chromium against code-server, with no cloud keys in the editor: "Sign
 * In to a tceops Server" from the explorer's welcome view; the code the notification shows is typed in Slack
 * (by the test, through the Slack stand-in); the tree then lists instances through the server; a Stop shows its
 * progress live, from the server's stream; Terminate… from the context menu asks for an approval, which others
 * decide in Slack; the request ends SUCCEEDED in the Approvals view and the instance leaves the tree; Sign Out
 * brings the welcome view back. A screenshot of each step.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { exact, widenSideBar } from './ui-scenario.ts';

const VIEW = '[id="workbench.view.extension.tceops"]';

/** What happens in Slack meanwhile, done by the test as the people there would. */
export interface InSlack {
  /** The person types `/tce login CODE`. */
  login(code: string): Promise<void>;
  /** Once signed in: requests raised in Slack meanwhile, by the person signed in here and by someone else. */
  meanwhile(): Promise<void>;
  /** Once the request raised in the editor is pending: the people in Slack decide it (the test asserts there). */
  decide(approvalId: string): Promise<void>;
}

export interface ServerWalkResult {
  screenshots: string[];
  approvalId: string;
  /** What the Approvals view listed while the request was pending: labels under each group. */
  listed: { mine: string[]; decide: string[] };
}

export async function serverModeThroughTheUi(
  page: Page,
  artifacts: string,
  target: { server: string; region: string; terminate: string; stop: string },
  slack: InSlack,
): Promise<ServerWalkResult> {
  mkdirSync(artifacts, { recursive: true });
  const screenshots: string[] = [];
  let step = 0;
  const shot = async (name: string) => {
    const file = path.join(artifacts, `server-${String(++step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    screenshots.push(file);
  };
  const rows = () => page.locator(`${VIEW} .monaco-list-row`);
  const row = (label: string | RegExp) => rows().filter({ has: page.locator('.label-name', { hasText: label }) });

  await page.locator('.activitybar [aria-label^="TCE Explorer"]').first().click();
  await page.locator(VIEW).waitFor();
  // No keys anywhere: the welcome view offers the ways to connect, the server among them.
  const signIn = page.locator(`${VIEW} .welcome-view-content a`, { hasText: 'Sign In to a tceops Server' });
  await signIn.first().waitFor({ timeout: 60_000 });
  await widenSideBar(page, 560);
  await shot('welcome');
  await signIn.first().click();

  const box = page.locator('.quick-input-widget', { hasText: 'URL of the tceops server' });
  await box.waitFor({ timeout: 15_000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(target.server);
  await shot('server-url');
  await page.keyboard.press('Enter');

  // The code, as the person reads it in the notification.
  const notice = page.locator('.notifications-toasts .notification-list-item', { hasText: 'In Slack, type:' });
  await notice.first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(400); // the toast fades in
  await shot('code-shown');
  const shown = String(await notice.first().textContent());
  const code = /\/tce login ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(shown)?.[1];
  if (!code) throw new Error(`no code in the notification: ${shown}`);
  await slack.login(code);

  // Signed in: the tree reads through the server.
  await row('tceops server').first().waitFor({ timeout: 60_000 });
  await page.locator('.statusbar-item', { hasText: 'TCE: server' }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await row(exact(target.region)).first().click();
  await row('Instances').first().waitFor({ timeout: 30_000 });
  await row('Instances').first().click();
  const instance = row(exact(target.terminate)).first();
  await instance.waitFor({ timeout: 60_000 });
  await shot('instances-through-the-server');

  // Stop, confirmed with a click: its progress comes on the server's stream to the notice (and the row) while the
  // instance is still stopping. Not waited out: the walk goes on while it stops (the test reads the end in the log).
  const stopped = row(exact(target.stop)).first();
  await stopped.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  await page.waitForTimeout(300);
  await menu
    .locator('.action-item', { hasText: /^Stop$/ })
    .first()
    .click();
  await page.locator('.quick-input-widget', { hasText: 'How should the instances stop?' }).waitFor();
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Stop', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page
    .locator('.notifications-toasts', { hasText: `${target.stop} STOPPING…` })
    .first()
    .waitFor({ timeout: 30_000 });
  await shot('stop-progress-live');
  // Planning and sending have ended by now: their notices must be gone, not held over the next step's.
  const steps = (await toasts(page)).filter((t) => /^Stop(: planning)?…$/.test(t));
  if (steps.length) throw new Error(`notices of steps that had ended were still shown: ${steps.join(', ')}`);
  await slack.meanwhile();
  // The stop has ended: its end is said, and no progress notice of it is left on screen.
  await page
    .locator('.notifications-toasts', { hasText: `Stop: ${target.stop} is STOPPED.` })
    .first()
    .waitFor({ timeout: 60_000 });
  const stale = (await toasts(page)).filter((t) => t.endsWith('…'));
  if (stale.length) throw new Error(`progress notices left once the stop had ended: ${stale.join(', ')}`);

  // Terminate…: destructive, so the server's policy asks someone else to approve.
  await instance.click();
  await instance.click({ button: 'right' });
  await menu.waitFor();
  await page.waitForTimeout(300);
  await menu
    .locator('.action-item', { hasText: /^Terminate…$/ })
    .first()
    .click();
  const pending = rows().filter({ hasText: 'PENDING' }).filter({ hasText: target.terminate });
  await pending.first().waitFor({ timeout: 60_000 });
  const approvalId = /apr-[a-z0-9]+/.exec(String(await pending.first().textContent()))![0];
  // The notice says where the request went: Slack, through the server.
  await page
    .locator('.notifications-toasts', { hasText: `request ${approvalId} is pending` })
    .filter({ hasText: 'the tceops server posted it in Slack' })
    .first()
    .waitFor({ timeout: 30_000 });
  // The view has read the server's pending requests: mine (raised here and in Slack) and the other person's.
  await rows()
    .filter({ hasText: /^My requests \(2 open\)/ })
    .first()
    .waitFor({ timeout: 30_000 });
  const listed = await approvalGroups(page);
  await shot('approval-pending');

  await slack.decide(approvalId);
  // Run on the server once approved there: its progress comes on the approvals stream to a notice (and the row).
  await page
    .locator('.notifications-toasts', { hasText: `Request ${approvalId}: ${target.terminate} ` })
    .filter({ hasText: '…' })
    .first()
    .waitFor({ timeout: 60_000 });
  await page.waitForTimeout(400); // the toast fades in
  await shot('approved-run-live');
  const done = rows()
    .filter({ hasText: approvalId })
    .filter({ hasText: /SUCCEEDED|FAILED|DENIED|STALE/ });
  await done.first().waitFor({ timeout: 90_000 });
  await page
    .locator('.notifications-toasts', { hasText: `Request ${approvalId}` })
    .first()
    .waitFor({ timeout: 30_000 });
  await shot('approval-final-state');
  const final = String(await done.first().textContent());
  if (!final.includes('SUCCEEDED')) throw new Error(`the approved request did not succeed: ${final}`);
  // The terminated instance leaves the tree (followed once its request ends).
  await row(exact(target.terminate)).first().waitFor({ state: 'detached', timeout: 90_000 });
  await shot('instance-gone');

  // Sign Out of the tceops Server: the token is revoked and the explorer is back to its welcome view.
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget').waitFor();
  await page.keyboard.type('TCE: Sign Out of the tceops Server');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Sign Out of the tceops Server' })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await signIn.first().waitFor({ timeout: 30_000 });
  await shot('signed-out');
  return { screenshots, approvalId, listed };
}

/** The texts of the notifications on screen. */
async function toasts(page: Page): Promise<string[]> {
  return (await page.locator('.notifications-toasts .notification-list-item').allTextContents()).map((t) => t.trim());
}

/** The Approvals view's rows under "My requests" and "Waiting for my decision", as labels. */
async function approvalGroups(page: Page): Promise<{ mine: string[]; decide: string[] }> {
  const labels = await page.locator('[id="workbench.view.extension.tceops"] .monaco-list-row').evaluateAll((els) =>
    els.map((e) => ({
      text: e.getAttribute('aria-label') ?? e.textContent ?? '',
      level: e.getAttribute('aria-level'),
    })),
  );
  const groups = { mine: [] as string[], decide: [] as string[] };
  let current: 'mine' | 'decide' | undefined;
  for (const { text, level } of labels) {
    if (level === '1' && /^My requests/.test(text)) current = 'mine';
    else if (level === '1' && /^Waiting for my decision/.test(text)) current = 'decide';
    else if (level === '1') current = undefined;
    else if (current) groups[current].push(text);
  }
  return groups;
}
