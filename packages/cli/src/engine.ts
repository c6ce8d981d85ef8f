/** The engine behind the terminal and the console: the configured client, store and policy. */
import { type ClientOptions, createClient, createEngine, type Engine, openStore, policyFromEnv } from '@tceops/core';

export async function openCliEngine(clientOptions: ClientOptions, env: NodeJS.ProcessEnv): Promise<Engine> {
  // The policy is checked first: a bad file is refused before anything else happens.
  const policy = policyFromEnv(env);
  const client = createClient(clientOptions);
  const store = await openStore(env.TCEOPS_STORE);
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
