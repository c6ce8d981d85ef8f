/**
 * The terminal's and the console's pipeline: core's openPipeline with the configured cloud, or — when none is
 * configured — the emulator started in this process on loopback (loaded only then).
 */
import type { ClientOptions } from '@tceops/core';
import { type OpenedPipeline, openPipeline } from '@tceops/core/commands/open.ts';
import { startEmbedded } from './cloud.ts';

export async function openTerminalPipeline(
  clientOptions: ClientOptions,
  env: NodeJS.ProcessEnv,
): Promise<OpenedPipeline> {
  return openPipeline({
    env,
    clientOptions,
    engine: { waitIntervalMs: 1000 },
    embedded: startEmbedded,
  });
}
