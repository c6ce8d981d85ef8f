/**
 * Who the terminal acts as. In local mode, the OS user: whoever holds the keys can do anything with them anyway,
 * so the policy is a safety net for honest users, and a second name must not be one flag away. `--as` (and
 * TCEOPS_USER) are honoured only on the embedded emulator, for demos and tests; with a configured cloud, or on a
 * server (where the actor is the Slack user who signed in), they are refused with exit 2.
 */
import { userInfo } from 'node:os';
import { InputError } from '@tceops/core/api/errors.ts';
import { normalizeIdentity } from '@tceops/core/identity/normalize.ts';

export type Where = 'emulator' | 'cloud' | 'server';

export function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'local';
  }
}

/** The claimed name, when one was given (--as wins over TCEOPS_USER). */
export function claimedUser(cli: Record<string, string>, env: NodeJS.ProcessEnv): string | undefined {
  return cli.as ?? (env.TCEOPS_USER || undefined);
}

export function refuseClaim(claimed: string | undefined, where: Where, flag = '--as'): void {
  if (claimed === undefined || where === 'emulator') return;
  throw new InputError(
    where === 'server'
      ? `${flag} (or TCEOPS_USER) is refused in server mode: you act as the Slack user you signed in as`
      : `${flag} (or TCEOPS_USER) is refused with a configured cloud: the terminal acts as the OS user`,
    'InvalidParameter',
    where === 'server'
      ? 'sign in as someone else with "tceops login --server URL"'
      : 'a second person approves from their own terminal, or from Slack; --as works only on the embedded emulator',
  );
}

/** The actor for a local run: the claimed name on the embedded emulator, else the OS user. */
export function localActor(cli: Record<string, string>, env: NodeJS.ProcessEnv, where: Where): string {
  const claimed = claimedUser(cli, env);
  refuseClaim(claimed, where);
  return normalizeIdentity(claimed ?? osUser(env), '--as');
}
