/**
 * The engine `tceops bot` uses when its caller brings none: core's createEngine with the policy from
 * TCEOPS_POLICY (or the built-in one), the store from TCEOPS_STORE, and the configured cloud — or, with no cloud
 * configured, the TCE emulator on loopback with demo data, as the terminal does. Loaded lazily, so that reading
 * the Slack settings never loads the pipeline.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenedEngine } from './bot.ts';

// The emulator is optional at run time (only without a cloud): a variable specifier keeps it out of type checking.
const EMULATOR = '@tceops/emulator';

export async function openDefaultEngine(env: NodeJS.ProcessEnv): Promise<OpenedEngine> {
  const core = await import('@tceops/core');
  // The policy first: a bad file stops the bot before it connects anywhere.
  const policy = core.policyFromEnv(env);
  let emulator: { url: string; stop(): Promise<void> } | undefined;
  let clientOptions: Parameters<typeof core.createClient>[0] = { env };
  const configured =
    env.TCE_ENDPOINT ||
    env.TCE_DOMAIN ||
    env.TENCENTCLOUD_SECRET_ID ||
    existsSync(join(core.tccliDir(env), `${core.profileName(undefined, env)}.credential`));
  if (!configured) {
    const { startEmulator, DEMO_CREDENTIALS } = await import(EMULATOR);
    emulator = (await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' })) as {
      url: string;
      stop(): Promise<void>;
    };
    clientOptions = {
      env,
      endpoint: emulator.url,
      region: env.TENCENTCLOUD_REGION || 'ap-guangzhou',
      credentials: { ...DEMO_CREDENTIALS, source: 'the embedded emulator' },
    };
  }
  const client = core.createClient(clientOptions);
  const store = await core.openStore(env.TCEOPS_STORE, { env });
  const engine = core.createEngine({ client, store, policy });
  return {
    engine,
    kv: store,
    banner:
      (emulator
        ? `No cloud is configured: commands go to an embedded TCE emulator at ${emulator.url} (demo data). Set TCE_ENDPOINT or TENCENTCLOUD_SECRET_ID for a real cloud.`
        : `Commands go to the configured cloud; approvals are kept in ${store.location}.`) + namesWarning(policy.roles),
    async close() {
      await store.close();
      client.close();
      await emulator?.stop();
    },
  };
}

/**
 * In Slack a person is their user ID: a role member that is neither an ID nor a group ID (a local name such as
 * "alice") never matches anyone here. Said at start, so an approver role that can never approve is not a surprise.
 */
export function namesWarning(roles: Record<string, string[]>): string {
  const ids = /^([TE][A-Z0-9]+:)?[UWS][A-Z0-9]{2,}$/;
  const names = Object.entries(roles).flatMap(([role, members]) =>
    members.filter((m) => m !== '*' && !ids.test(m)).map((m) => `${role}: ${m}`),
  );
  if (!names.length) return '';
  return ` Policy roles name people by local name, which never matches a Slack user (give Slack user or group IDs): ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}.`;
}
