/**
 * One way to open a pipeline, for the terminal, the bot and the extension: the policy first (a bad file stops
 * everything before anything connects), then the configured cloud — or, when none is configured and the surface
 * brings one, an emulator on loopback — then the store, then the engine. Core does not depend on the emulator:
 * the surface passes the function that starts it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ClientOptions, createClient, type TceClient } from '../api/client.ts';
import { profileName, tccliDir } from '../config/profiles.ts';
import { lazyFrom } from '../lazy.ts';
import { builtinPolicy } from '../policy/builtin.ts';
import type { Policy } from '../policy/types.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/types.ts';
import { createEngine, type EngineOptions } from './engine.ts';
import type { Engine } from './types.ts';

// The policy reader (YAML and every check) is loaded only when there is a file to read.
const lazy = lazyFrom((s) => require(s));
const policyReader = lazy('../policy/load.ts', () => import('../policy/load.ts'));

/** Whether a cloud is configured: an endpoint or domain, keys in the environment, or a tccli profile's credential. */
export function cloudConfigured(env: NodeJS.ProcessEnv, profile?: string): boolean {
  if (env.TCE_ENDPOINT || env.TCE_DOMAIN || env.TENCENTCLOUD_SECRET_ID) return true;
  return existsSync(join(tccliDir(env), `${profileName(profile, env)}.credential`));
}

export interface EmbeddedCloud {
  url: string;
  credentials: { secretId: string; secretKey: string };
  stop(): Promise<void>;
}

export interface OpenOptions {
  env: NodeJS.ProcessEnv;
  clientOptions?: ClientOptions;
  /** A policy file chosen by the surface (a VS Code setting); else TCEOPS_POLICY; else the built-in policy. */
  policyFile?: string;
  /** TCEOPS_STORE syntax; else TCEOPS_STORE. */
  store?: string;
  /** Starts an emulator when no cloud is configured; without it, the configured (or default) cloud is used. */
  embedded?: () => Promise<EmbeddedCloud>;
  engine?: Partial<Omit<EngineOptions, 'client' | 'store' | 'policy'>>;
}

export interface OpenedPipeline {
  engine: Engine;
  client: TceClient;
  store: Store;
  policy: Policy;
  /** Set when the embedded emulator serves the commands. */
  emulatorUrl?: string;
  /** The client options used (the emulator's, when it serves). */
  clientOptions: ClientOptions;
  close(): Promise<void>;
}

export async function openPipeline(options: OpenOptions): Promise<OpenedPipeline> {
  const { env } = options;
  // A surface's own file, else TCEOPS_POLICY (when set and not blank), else the built-in policy.
  const file = options.policyFile || env.TCEOPS_POLICY?.trim();
  const policy = file ? (await policyReader()).loadPolicy(file) : builtinPolicy();
  let clientOptions: ClientOptions = { env, ...options.clientOptions };
  let embedded: EmbeddedCloud | undefined;
  if (options.embedded && !clientOptions.endpoint && !cloudConfigured(env, clientOptions.profile)) {
    embedded = await options.embedded();
    clientOptions = {
      ...clientOptions,
      endpoint: embedded.url,
      region: clientOptions.region ?? (env.TENCENTCLOUD_REGION || 'ap-guangzhou'),
      credentials: { ...embedded.credentials, source: 'the embedded emulator' },
    };
  }
  const client = createClient(clientOptions);
  let store: Store;
  try {
    store = await openStore(options.store ?? env.TCEOPS_STORE, { env });
  } catch (error) {
    client.close();
    await embedded?.stop();
    throw error;
  }
  const engine = createEngine({ ...options.engine, client, store, policy });
  return {
    engine,
    client,
    store,
    policy,
    clientOptions,
    ...(embedded ? { emulatorUrl: embedded.url } : {}),
    async close() {
      await engine.close();
      await store.close();
      client.close();
      await embedded?.stop();
    },
  };
}
