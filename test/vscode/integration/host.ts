/** What both in-host suites start from: the extension as this host activates it, and a wait on what it shows. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TceopsApi } from '../../../packages/vscode/src/extension.ts';

const EXTENSION_ID = 'tceops.tceops-vscode';

export async function activateExtension(): Promise<TceopsApi> {
  const extension = vscode.extensions.getExtension<TceopsApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this host`);
  return extension.activate();
}

/** The probe's first value that is neither undefined nor false; a failure naming `what` after the timeout. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
