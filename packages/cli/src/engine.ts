/** The engine behind the terminal and the console: the configured client, store and policy. */
import type { ClientOptions, Engine } from '@tceops/core';
import { createClient } from '@tceops/core/api/client.ts';
import { createEngine } from '@tceops/core/commands/engine.ts';
import { policyFromEnv } from '@tceops/core/policy/load.ts';
import { openStore } from '@tceops/core/store/open.ts';

export async function openCliEngine(clientOptions: ClientOptions, env: NodeJS.ProcessEnv): Promise<Engine> {
  // The policy is checked first: a bad file is refused before anything else happens.
  const policy = policyFromEnv(env);
  const client = createClient(clientOptions);
  const store = await openStore(env.TCEOPS_STORE, { env });
  const engine = createEngine({ client, store, policy, waitIntervalMs: 1000 });
  return {
    ...engine,
    async close() {
      await engine.close();
      await store.close();
      client.close();
    },
  };
}
