/**
 * The engine `tceops bot` uses when its caller brings none: core's createEngine with the policy from
 * TCEOPS_POLICY (or the built-in one), the store from TCEOPS_STORE, and the configured cloud — or, with no cloud
 * configured, the TCE emulator on loopback with demo data, as the terminal does. Loaded lazily, so that reading
 * the Slack settings never loads the pipeline.
 */
import type { OpenedEngine } from './bot.ts';

// The emulator is optional at run time (only without a cloud): a variable specifier keeps it out of type checking.
const EMULATOR = '@tceops/emulator';

export async function openDefaultEngine(env: NodeJS.ProcessEnv): Promise<OpenedEngine> {
  const { openPipeline } = await import('@tceops/core/commands/open.ts');
  // The same opening as the terminal's: the policy first, the configured cloud or the embedded emulator.
  const opened = await openPipeline({
    env,
    async embedded() {
      const { startEmulator, DEMO_CREDENTIALS } = await import(EMULATOR);
      const emulator = (await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' })) as {
        url: string;
        stop(): Promise<void>;
      };
      return { url: emulator.url, credentials: DEMO_CREDENTIALS, stop: () => emulator.stop() };
    },
  });
  return {
    engine: opened.engine,
    kv: opened.store,
    banner:
      (opened.emulatorUrl
        ? `No cloud is configured: commands go to an embedded TCE emulator at ${opened.emulatorUrl} (demo data). Set TCE_ENDPOINT or TENCENTCLOUD_SECRET_ID for a real cloud.`
        : `Commands go to the configured cloud; approvals are kept in ${opened.store.location}.`) +
      namesWarning(opened.policy.roles),
    async close() {
      await opened.close();
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
