/**
 * `tceops login --server URL`: ask the server for a one-time code, print "In Slack, type: /tce login <CODE>",
 * wait (10 minutes at most) until it was typed, then keep the token in ~/.tceops/credentials (0600).
 * `tceops logout`: revoke the token on the server and remove the file.
 */
import { InputError, RefusedError } from '@tceops/core/api/errors.ts';
import { readCredentials, removeCredentials, writeCredentials } from '@tceops/core/server/credentials.ts';
import { callServer } from '@tceops/core/server/remote.ts';
import { hostname, userInfo } from 'node:os';
import type { Io } from '../io.ts';
import { checkServerUrl } from '../server.ts';

export interface LoginOptions {
  /** How often to ask whether the code was typed (default 2 s). */
  pollMs?: number;
  /** Give up after this long (default 10 minutes, the code's life). */
  timeoutMs?: number;
}

function serverFlag(argv: string[], env: NodeJS.ProcessEnv): string | undefined {
  let server: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--server(?:=(.*))?$/.exec(argv[i]!);
    if (m) server = m[1] ?? argv[++i];
    else throw new InputError(`unexpected "${argv[i]}"`, 'InvalidParameter', 'usage: tceops login --server URL');
  }
  return server ?? (env.TCEOPS_SERVER || undefined);
}

export async function runLogin(
  argv: string[],
  io: Io,
  env: NodeJS.ProcessEnv,
  options: LoginOptions = {},
): Promise<number> {
  const named = serverFlag(argv, env);
  if (!named)
    throw new InputError('tceops login needs the server', 'MissingParameter', 'usage: tceops login --server URL');
  const server = checkServerUrl(named);
  let who = 'terminal';
  try {
    who = `tceops on ${userInfo().username}@${hostname()}`;
  } catch {
    // keep "terminal"
  }
  const started = await callServer(server, 'login', { body: { client: who } });
  if (started.status !== 200 || typeof started.body.code !== 'string') {
    const error = started.body.error as { message?: string } | undefined;
    throw new RefusedError(`the server refused to start a sign-in: ${error?.message ?? `HTTP ${started.status}`}`);
  }
  io.out(`In Slack, type: /tce login ${started.body.code}`);
  io.err(`Waiting for it (the code expires at ${started.body.expiresAt})…`);
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, options.pollMs ?? 2000));
    const polled = await callServer(server, 'login/poll', { body: { poll: started.body.poll } });
    if (polled.body.state === 'waiting') continue;
    if (polled.body.state !== 'done' || typeof polled.body.token !== 'string')
      throw new RefusedError(
        'the sign-in code expired or was used already; run "tceops login" again',
        'AuthFailure.CodeExpired',
      );
    const user = polled.body.user as { id: string; name?: string };
    const file = writeCredentials(
      {
        server,
        token: polled.body.token,
        user,
        tokenId: String(polled.body.id),
        expiresAt: String(polled.body.expiresAt),
      },
      env,
    );
    io.out(
      `Signed in to ${server} as ${user.name ? `${user.name} (${user.id})` : user.id}; the token is in ${file} until ${polled.body.expiresAt}.`,
    );
    return 0;
  }
  throw new RefusedError('nobody typed the code in time; run "tceops login" again', 'AuthFailure.CodeExpired');
}

export async function runLogout(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.length) throw new InputError(`unexpected "${argv[0]}"`, 'InvalidParameter', 'usage: tceops logout');
  const saved = readCredentials(env);
  if (!saved) {
    io.out('Not signed in: nothing to do.');
    return 0;
  }
  try {
    await callServer(saved.server, 'logout', { token: saved.token, body: {} });
  } catch (error) {
    // Revoked or expired already is fine; an unreachable server is said, and the file is removed anyway.
    if (!(error instanceof Error && /sign in again/.test(error.message)))
      io.err(
        `Could not reach ${saved.server} to revoke the token (${(error as Error).message}); revoke it in Slack with "/tce logout".`,
      );
  }
  removeCredentials(env);
  io.out(`Signed out of ${saved.server}.`);
  return 0;
}
