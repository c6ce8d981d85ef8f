/**
 * The notice of a short step (planning, sending a confirmed plan, a decision). VS Code keeps a progress
 * notification on screen for at least 800 ms after it opens (its progressService), so a notice per step of a few
 * hundred ms outlived its step: "Stop: planning…" stayed over the confirmation modal and, with "Stop…", beside the
 * next step's notice once the stop was confirmed. A step shows in the status bar at once, and as a notification
 * only if it is still going after `delayMs` (a slow server is seen; a quick step leaves nothing behind).
 */
import * as vscode from 'vscode';

export const STEP_NOTICE_DELAY_MS = 1000;

export async function stepProgress<T>(
  title: string,
  work: () => Promise<T>,
  delayMs = STEP_NOTICE_DELAY_MS,
): Promise<T> {
  const running = (async () => work())();
  let done = false;
  const ended = running.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => ended);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, delayMs)))]);
  clearTimeout(timer);
  if (!done)
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: false },
      () => ended,
    );
  return running;
}
