/**
 * Where the commands go: the configured cloud, or — when none is configured — an emulator started in this
 * process on loopback, so that tceops can be tried with nothing set up.
 */
import type { ClientOptions } from '@tceops/core';
import { cloudConfigured, type EmbeddedCloud } from '@tceops/core/commands/open.ts';
import { lazyFrom } from '@tceops/core/lazy.ts';

const lazy = lazyFrom((s) => require(s));
const loadEmulator = lazy('@tceops/emulator', () => import('@tceops/emulator'));

export { cloudConfigured };

export interface Cloud {
  clientOptions: ClientOptions;
  /** Set when an embedded emulator serves the commands. */
  emulatorUrl?: string;
  close(): Promise<void>;
}

/** The emulator with the demo seed, in this process on loopback; loaded only when it is used. */
export async function startEmbedded(): Promise<EmbeddedCloud> {
  const { DEMO_CREDENTIALS, startEmulator } = await loadEmulator();
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  return { url: emulator.url, credentials: DEMO_CREDENTIALS, stop: () => emulator.stop() };
}

/** The configured cloud, or an in-process emulator with the demo seed. */
export async function connectCloud(options: ClientOptions, env: NodeJS.ProcessEnv): Promise<Cloud> {
  if (options.endpoint || cloudConfigured(env, options.profile))
    return { clientOptions: options, close: async () => {} };
  const emulator = await startEmbedded();
  return {
    clientOptions: {
      ...options,
      endpoint: emulator.url,
      region: options.region ?? 'ap-guangzhou',
      credentials: { ...emulator.credentials, source: 'the embedded emulator' },
    },
    emulatorUrl: emulator.url,
    close: () => emulator.stop(),
  };
}
