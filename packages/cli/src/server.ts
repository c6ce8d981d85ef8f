/**
 * Server mode: which tceops server the terminal sends its commands to, and with which token. --server, else
 * TCEOPS_SERVER, else the server of the last "tceops login"; the token from TCEOPS_TOKEN, else the credentials
 * file when it is for that server. No server: local mode.
 */
import { InputError } from '@tceops/core/api/errors.ts';
import { readCredentials } from '@tceops/core/server/credentials.ts';

export interface ServerTarget {
  server: string;
  token: string;
}

export function checkServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not echoed: a mistyped URL may still carry a password.
    throw new InputError('--server (or TCEOPS_SERVER) must be a URL such as https://tceops.example.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(`--server must be an http(s) URL, not ${url.protocol}`);
  // A password in the URL would be printed in every message naming the server, and fetch refuses such URLs anyway.
  if (url.username || url.password)
    throw new InputError(
      '--server (or TCEOPS_SERVER) must not carry a user name or password: the server signs you in through Slack',
    );
  return url.toString().replace(/\/$/, '');
}

/** The server to use, or undefined in local mode. Throws when a server is named but there is no token for it. */
export function serverTarget(cli: Record<string, string>, env: NodeJS.ProcessEnv): ServerTarget | undefined {
  const named = cli.server ?? (env.TCEOPS_SERVER || undefined);
  const saved = readCredentials(env);
  const server = named ? checkServerUrl(named) : saved?.server;
  if (!server) return undefined;
  const token = env.TCEOPS_TOKEN || (saved && checkServerUrl(saved.server) === server ? saved.token : undefined);
  if (!token)
    throw new InputError(
      `not signed in to ${server}`,
      'AuthFailure.SignInRequired',
      `sign in with "tceops login --server ${server}" (or set TCEOPS_TOKEN)`,
    );
  return { server, token };
}
