/**
 * A tceops server for end-to-end tests: the emulator (demo seed) as the cloud, the real pipeline on a file store
 * holding the only cloud keys, and the Slack app in HTTP mode against the Slack stand-in, with sign-in through
 * Slack and the API under /api/v1/. The terminal test and the VS Code (code-server) test both talk to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinPolicy, createClient, createEngine, openStore, Sessions, type Store } from '@tceops/core';
import { DEMO_CREDENTIALS } from '@tceops/emulator';
import { type Harness, startHarness } from '../slack/harness.ts';
import { startEmulator } from '../slack/real-pipeline.ts';

export const APPROVALS_CHANNEL = 'C0APPROVE';

export interface ServerFixture {
  /** The Slack app and its stand-in; `h.url` is the server's base URL (Slack events and /api/v1/). */
  h: Harness;
  store: Store;
  /** The store's folder (the test checks that no token is in it). */
  dir: string;
  emulatorUrl: string;
  /** How many times the emulator was asked for this action (its request log, /_tce/requests: the last 500). */
  emulatorCalls(action: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * `waiters`: the server follows what it runs and streams the progress (off: a change is done once sent).
 * `streams`: its open stream limits (TCEOPS_MAX_STREAMS_PER_USER, TCEOPS_MAX_STREAMS).
 */
export async function startServerFixture(
  options: { waiters?: boolean; streams?: { perUser?: number; total?: number } } = {},
): Promise<ServerFixture> {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'tceops-server-'));
  const client = createClient({
    endpoint: emulator.url,
    region: 'ap-guangzhou',
    credentials: { ...DEMO_CREDENTIALS, source: 'the server' },
  });
  const store = await openStore(`file:${dir}`);
  const engine = createEngine({
    client,
    store,
    policy: builtinPolicy(),
    expireEveryMs: 0,
    wait: options.waiters === true,
    waitIntervalMs: 250,
  });
  const h = await startHarness(engine, {
    kv: store,
    sessions: new Sessions({ store }),
    approvalsChannel: APPROVALS_CHANNEL,
    ...(options.streams ? { streams: options.streams } : {}),
  });
  return {
    h,
    store,
    dir,
    emulatorUrl: emulator.url,
    async emulatorCalls(action) {
      const response = await fetch(`${emulator.url}/_tce/requests?limit=500`);
      const { requests } = (await response.json()) as { requests: { action: string }[] };
      return requests.filter((r) => r.action === action).length;
    },
    async close() {
      await h.close();
      await engine.close();
      await store.close();
      client.close();
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
