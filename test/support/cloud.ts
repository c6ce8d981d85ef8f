/**
 * The cloud the end-to-end command tests run on: the emulator (demo seed, transitions 50× faster) on loopback, a
 * core client on it, a file store in a fresh folder, and an engine with the built-in policy. `open` makes another
 * engine on the same client and store (another policy), which the test closes. `close` waits for the engine, checks
 * that every change the emulator saw was audited (unless `audited: false`), and stops everything.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type TceClient } from '../../packages/core/src/api/client.ts';
import { createEngine } from '../../packages/core/src/commands/engine.ts';
import type { Engine, Outcome } from '../../packages/core/src/commands/types.ts';
import { builtinPolicy } from '../../packages/core/src/policy/load.ts';
import type { Policy } from '../../packages/core/src/policy/types.ts';
import { openStore } from '../../packages/core/src/store/open.ts';
import type { Store } from '../../packages/core/src/store/types.ts';
import { DEMO_CREDENTIALS, startEmulator } from '../../packages/emulator/src/index.ts';
import { assertEveryChangeAudited } from './audited.ts';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface Cloud {
  emulator: Emulator;
  client: TceClient;
  store: Store;
  /** The store's folder. */
  storeDir: string;
  /** On the built-in policy. */
  engine: Engine;
  /** Another engine on the same client and store. */
  open(policy?: Policy): Engine;
  /** RequestIds of changes a test makes behind tceops's back on purpose (to make a plan stale): not audited. */
  outside: Set<string>;
  close(): Promise<void>;
}

export async function startCloud(
  options: {
    /** The emulator's documented rate limits (default on). */
    rateLimits?: boolean;
    /** The client's retries (default the client's own). */
    retries?: number;
    /** Check at close that every change was audited (default true). */
    audited?: boolean;
  } = {},
): Promise<Cloud> {
  const emulator = await startEmulator({
    port: 0,
    seed: 'demo',
    timeScale: 0.02,
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
  });
  const client = createClient({
    endpoint: emulator.url,
    region: 'ap-guangzhou',
    credentials: { ...DEMO_CREDENTIALS, source: 'test' },
    env: {},
    ...(options.retries === undefined ? {} : { retry: { retries: options.retries } }),
  });
  const storeDir = mkdtempSync(join(tmpdir(), 'tceops-cloud-'));
  const store = await openStore(`file:${storeDir}`);
  const open = (policy: Policy = builtinPolicy()) =>
    createEngine({ client, store, policy, waitIntervalMs: 50, expireEveryMs: 0 });
  const engine = open();
  const outside = new Set<string>();
  return {
    emulator,
    client,
    store,
    storeDir,
    engine,
    open,
    outside,
    async close() {
      await engine.idle();
      await engine.close();
      if (options.audited !== false) await assertEveryChangeAudited(emulator.url, store, outside);
      await store.close();
      client.close();
      await emulator.stop();
    },
  };
}

/** The outcome, as the kind the test expects; otherwise a failure saying what came instead, and why. */
export function expectKind<K extends Outcome['kind']>(outcome: Outcome, kind: K): Extract<Outcome, { kind: K }> {
  if (outcome.kind !== kind) {
    const detail =
      outcome.kind === 'error'
        ? `: ${outcome.error.message}`
        : outcome.kind === 'denied'
          ? `: ${outcome.reason}`
          : outcome.kind === 'approval'
            ? `: ${outcome.approval.state} ${outcome.approval.reason ?? ''}`
            : '';
    assert.fail(`expected ${kind}, got ${outcome.kind}${detail}`);
  }
  return outcome as Extract<Outcome, { kind: K }>;
}
