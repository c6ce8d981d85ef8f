/**
 * `tceops whoami`: who the terminal acts as. Signed in to a tceops server: who the server says the token stands
 * for (GET /api/v1/whoami — the Slack user ID and team that decide, the name as Slack shows it) and when the token
 * expires; never what the credentials file says about itself. Local mode: the OS user (or the --as name the
 * embedded emulator allows). A revoked or expired token: exit 1 with "sign in again", as every command.
 */
import { InputError } from '@tceops/core/api/errors.ts';
import { inert, inertJson } from '@tceops/core/inert.ts';
import { whoami } from '@tceops/core/server/remote.ts';
import { cloudConfigured } from '../cloud.ts';
import { localActor, refuseClaim } from '../identity.ts';
import type { Io } from '../io.ts';
import { serverTarget } from '../server.ts';

const USAGE = 'usage: tceops whoami [--server URL] [--output json|table]';

function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(server|output|as|endpoint|profile)(?:=(.*))?$/.exec(argv[i]!);
    const value = match ? (match[2] ?? argv[++i]) : undefined;
    if (!match || value === undefined || value.startsWith('--'))
      throw new InputError(`unexpected "${argv[i] ?? argv[i - 1]}"`, 'InvalidParameter', USAGE);
    flags[match[1]!] = value;
  }
  if (flags.output && !['json', 'table'].includes(flags.output))
    throw new InputError(`--output must be json or table, not "${flags.output}"`, 'InvalidParameter', USAGE);
  return flags;
}

export async function runWhoami(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const flags = parseFlags(argv);
  const json = flags.output === 'json';
  const target = serverTarget(flags, env);
  if (target) {
    refuseClaim(flags.as ?? (env.TCEOPS_USER || undefined), 'server');
    const me = await whoami(target.server, target.token);
    if (json) {
      io.out(inertJson(JSON.stringify({ mode: 'server', server: target.server, ...me }, null, 2)));
      return 0;
    }
    // "alice (U0123ABCD, team T0001)": the name as Slack shows it, the ID that decides.
    const id = me.user.team ? `${me.user.id}, team ${me.user.team}` : me.user.id;
    const who = me.user.name ? `${me.user.name} (${id})` : id;
    io.out(inert(`Signed in to ${target.server} as ${who}; token ${me.token.id} expires at ${me.token.expiresAt}.`));
    return 0;
  }
  const where = flags.endpoint || cloudConfigured(env, flags.profile) ? 'cloud' : 'emulator';
  const user = localActor(flags, env, where);
  if (json) {
    io.out(inertJson(JSON.stringify({ mode: 'local', user: { id: user }, where }, null, 2)));
    return 0;
  }
  io.out(
    inert(
      `Local mode (not signed in to a tceops server): acting as ${user}${where === 'emulator' ? ' on the embedded emulator' : ''}.`,
    ),
  );
  return 0;
}
