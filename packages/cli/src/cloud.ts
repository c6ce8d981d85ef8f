/**
 * Where the commands go: the configured cloud, or — when none is configured — an emulator started in this
 * process on loopback, so that tceops can be tried with nothing set up.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientOptions } from '@tceops/core';
import { profileName, tccliDir } from '@tceops/core/config/profiles.ts';
import { lazy } from './lazy.ts';

const loadEmulator = lazy('@tceops/emulator', () => import('@tceops/emulator'));

export function cloudConfigured(env: NodeJS.ProcessEnv, profile?: string): boolean {
  if (env.TCE_ENDPOINT || env.TCE_DOMAIN || env.TENCENTCLOUD_SECRET_ID) return true;
  return existsSync(join(tccliDir(env), `${profileName(profile, env)}.credential`));
}

export interface Cloud {
  clientOptions: ClientOptions;
  /** Set when an embedded emulator serves the commands. */
  emulatorUrl?: string;
  close(): Promise<void>;
}

/** The configured cloud, or an in-process emulator with the demo seed. */
export async function connectCloud(options: ClientOptions, env: NodeJS.ProcessEnv): Promise<Cloud> {
  if (options.endpoint || cloudConfigured(env, options.profile))
    return { clientOptions: options, close: async () => {} };
  // The emulator is loaded only when it is used.
  const { DEMO_CREDENTIALS, startEmulator } = await loadEmulator();
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  return {
    clientOptions: {
      ...options,
      endpoint: emulator.url,
      region: options.region ?? 'ap-guangzhou',
      credentials: { ...DEMO_CREDENTIALS, source: 'the embedded emulator' },
    },
    emulatorUrl: emulator.url,
    close: () => emulator.stop(),
  };
}
