/**
 * "TCE: Sign In to a tceops Server": the same sign-in as `tceops login`. The server gives a one-time code; the
 * editor shows it with a Copy button and opens Slack; once `/tce login CODE` is typed there, the token goes to
 * VS Code's SecretStorage, and the tree and every action run through the server as that Slack user — no cloud
 * keys in the editor. "Sign Out of the tceops Server" revokes the token and forgets it.
 */
import { callServer, createRemoteEngine, followApprovals, type WhoAmI, whoami } from '@tceops/core';
import type * as vscode from 'vscode';
import type { Cloud } from '../cloud.ts';
import { createServerSource } from './source.ts';

export const SERVER_URL_KEY = 'tceops.server.url';
export const SERVER_TOKEN_KEY = 'tceops.server.token';

export interface ServerSession {
  server: string;
  token: string;
}

export async function savedSession(secrets: vscode.SecretStorage): Promise<ServerSession | undefined> {
  const server = await secrets.get(SERVER_URL_KEY);
  const token = await secrets.get(SERVER_TOKEN_KEY);
  return server && token ? { server, token } : undefined;
}

/** The explorer's connection through a server: reads and actions both go through its API. */
export function openServerCloud(session: ServerSession, who?: string): Cloud {
  // progress: a change's progress comes on its own response (the server's waiters), not from polling the server.
  const engine = createRemoteEngine({
    server: session.server,
    token: session.token,
    surface: 'vscode',
    progress: true,
  });
  return {
    source: createServerSource(engine),
    engine: async () => engine,
    // Requests decided in Slack are heard when decided, not found by polling.
    followApprovals: (feed) => followApprovals({ server: session.server, token: session.token }, feed),
    credentialSource: `the tceops server ${session.server}`,
    identity: who ?? 'signed in through Slack',
    close: async () => engine.close(),
  };
}

/**
 * Connect through the server as whoever it says the token stands for (GET /api/v1/whoami): that Slack user is
 * the editor's actor — the OS user name, or anything else the editor could claim, plays no part. A token the
 * server no longer accepts (revoked, expired) is forgotten, so the explorer offers to sign in again.
 */
export async function connectToServer(
  session: ServerSession,
  secrets: vscode.SecretStorage,
): Promise<{ cloud: Cloud; me: WhoAmI }> {
  let me: WhoAmI;
  try {
    me = await whoami(session.server, session.token);
  } catch (error) {
    if ((error as { code?: string }).code !== 'AuthFailure.SignInRequired') throw error;
    await secrets.delete(SERVER_TOKEN_KEY);
    throw new Error(
      `the sign-in to ${session.server} expired or was revoked: run "TCE: Sign In to a tceops Server" again`,
    );
  }
  return { cloud: openServerCloud(session, whoText(me)), me };
}

/** "alice (U0123ABCD, team T0001)" — the name as Slack shows it, the ID that decides. */
export function whoText(me: WhoAmI): string {
  const id = `${me.user.id}${me.user.team ? `, team ${me.user.team}` : ''}`;
  return me.user.name ? `${me.user.name} (${id})` : id;
}

export function checkServerUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    if (url.username || url.password) return 'A URL without a user name or password (you sign in through Slack)';
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'An http(s) URL';
  } catch {
    return 'The server URL, e.g. https://tceops.example.com';
  }
}

export interface SignInUi {
  window: typeof vscode.window;
  env: typeof vscode.env;
  Uri: typeof vscode.Uri;
  ProgressLocation: typeof vscode.ProgressLocation;
}

/** Runs the sign-in; the session when it completed, undefined when cancelled. Throws with what went wrong. */
export async function signInToServer(
  ui: SignInUi,
  secrets: vscode.SecretStorage,
  options: { pollMs?: number; log?: (line: string) => void } = {},
): Promise<ServerSession | undefined> {
  const entered = await ui.window.showInputBox({
    title: 'Sign in to a tceops server',
    prompt: 'The URL of the tceops server (the Slack bot)',
    value: (await secrets.get(SERVER_URL_KEY)) ?? 'https://',
    ignoreFocusOut: true,
    validateInput: (v) => checkServerUrl(v),
  });
  if (!entered) return undefined;
  const server = entered.trim().replace(/\/$/, '');
  const started = await callServer(server, 'login', { body: { client: 'VS Code' } });
  const code = started.body.code;
  if (started.status !== 200 || typeof code !== 'string')
    throw new Error(`the server refused to start a sign-in (HTTP ${started.status})`);
  const command = `/tce login ${code}`;
  options.log?.(`sign-in to ${server}: waiting for "${command}" in Slack`);
  // Not awaited: the notice stays while the poll below runs; its buttons copy the command or open Slack.
  void ui.window.showInformationMessage(`In Slack, type: ${command}`, 'Copy', 'Open Slack').then(async (choice) => {
    if (choice === 'Copy') await ui.env.clipboard.writeText(command);
    if (choice === 'Open Slack') await ui.env.openExternal(ui.Uri.parse('slack://open'));
  });
  const result = await ui.window.withProgress(
    { location: ui.ProgressLocation.Notification, title: `Waiting for "${command}" in Slack…`, cancellable: true },
    async (_progress, cancel) => {
      const deadline = Date.now() + 10 * 60_000;
      while (!cancel.isCancellationRequested && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, options.pollMs ?? 2000));
        const polled = await callServer(server, 'login/poll', { body: { poll: started.body.poll } });
        if (polled.body.state === 'waiting') continue;
        if (polled.body.state === 'done' && typeof polled.body.token === 'string')
          return { token: polled.body.token, user: polled.body.user as { id: string } };
        throw new Error('the code expired or was used already; sign in again');
      }
      return undefined;
    },
  );
  if (!result) return undefined;
  await secrets.store(SERVER_URL_KEY, server);
  await secrets.store(SERVER_TOKEN_KEY, result.token);
  options.log?.(`signed in to ${server} as ${result.user.id}; the token is in VS Code secret storage`);
  return { server, token: result.token };
}

export async function signOutOfServer(secrets: vscode.SecretStorage): Promise<void> {
  const session = await savedSession(secrets);
  if (session) await callServer(session.server, 'logout', { token: session.token, body: {} }).catch(() => undefined);
  await secrets.delete(SERVER_TOKEN_KEY);
}
