/**
 * The terminal's and the console's pipeline: core's openPipeline with the configured cloud, or — when none is
 * configured — the emulator started in this process on loopback (loaded only then).
 */
import type { ClientOptions } from '@tceops/core';
import { type OpenedPipeline, openPipeline } from '@tceops/core/commands/open.ts';
import { lazyFrom } from '@tceops/core/lazy.ts';

const lazy = lazyFrom((s) => require(s));
const loadEmulator = lazy('@tceops/emulator', () => import('@tceops/emulator'));

export async function openTerminalPipeline(
  clientOptions: ClientOptions,
  env: NodeJS.ProcessEnv,
): Promise<OpenedPipeline> {
  return openPipeline({
    env,
    clientOptions,
    engine: { waitIntervalMs: 1000 },
    async embedded() {
      const { DEMO_CREDENTIALS, startEmulator } = await loadEmulator();
      const emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
      return { url: emulator.url, credentials: DEMO_CREDENTIALS, stop: () => emulator.stop() };
    },
  });
}
