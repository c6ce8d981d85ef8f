/**
 * The engine of a tceops server, seen from the terminal or the extension: the same Engine interface, each call
 * one HTTPS request with the sign-in token. Nothing here holds cloud keys; the server runs the pipeline as the
 * Slack user the token was issued to. Help and completion are local (the grammar is the same on both sides).
 */
import type { ApprovalSummary, Engine, Outcome } from '../commands/types.ts';
import { complete, helpText } from '../commands/help.ts';
import { RemoteError, outcomeFromWire, type WhoAmI } from './wire.ts';

export interface RemoteOptions {
  /** The server's base URL, e.g. https://tceops.example.com */
  server: string;
  token: string;
  surface?: 'cli' | 'vscode';
  timeoutMs?: number;
}

export const SIGN_IN_AGAIN =
  'not signed in, or the sign-in expired or was revoked: sign in again with "tceops login --server URL"';

/** The API's URL for a path, from a server base that may or may not end in a slash. */
export function apiUrl(server: string, path: string): string {
  return new URL(`api/v1/${path}`, server.endsWith('/') ? server : `${server}/`).toString();
}

export async function callServer(
  server: string,
  path: string,
  options: { token?: string; body?: unknown; method?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(apiUrl(server, path), {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
    });
  } catch (error) {
    throw new RemoteError('transport', `cannot reach the tceops server ${server}: ${(error as Error).message}`);
  }
  let body: Record<string, unknown>;
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new RemoteError('transport', `the tceops server ${server} answered HTTP ${response.status} with no JSON`);
  }
  if (response.status === 401) throw new RemoteError('refused', SIGN_IN_AGAIN, 'AuthFailure.SignInRequired');
  return { status: response.status, body };
}

/**
 * Who the server says a token stands for (`GET /api/v1/whoami`). A revoked, expired or unknown token throws the
 * same "sign in again" RemoteError as every other call.
 */
export async function whoami(server: string, token: string, timeoutMs = 30_000): Promise<WhoAmI> {
  const { status, body } = await callServer(server, 'whoami', { token, timeoutMs });
  const user = body.user as WhoAmI['user'] | undefined;
  const about = body.token as WhoAmI['token'] | undefined;
  if (status !== 200 || typeof user?.id !== 'string' || typeof about?.expiresAt !== 'string') {
    const error = body.error as { code?: string; message?: string } | undefined;
    throw new RemoteError('refused', error?.message ?? `whoami: the server answered HTTP ${status}`, error?.code);
  }
  return {
    user: {
      id: user.id,
      ...(typeof user.team === 'string' ? { team: user.team } : {}),
      ...(typeof user.name === 'string' ? { name: user.name } : {}),
    },
    token: { id: String(about.id), expiresAt: about.expiresAt },
  };
}

export function createRemoteEngine(options: RemoteOptions): Engine {
  const surface = options.surface ?? 'cli';
  const post = async (path: string, body: Record<string, unknown>): Promise<Outcome> => {
    try {
      const { status, body: answer } = await callServer(options.server, path, {
        token: options.token,
        body: { ...body, surface },
        timeoutMs: options.timeoutMs,
      });
      if (answer.outcome) return outcomeFromWire(answer.outcome);
      const error = answer.error as { code?: string; message?: string } | undefined;
      return {
        kind: 'error',
        error: new RemoteError(
          status >= 500 ? 'transport' : 'refused',
          error?.message ?? `HTTP ${status}`,
          error?.code,
        ),
      };
    } catch (error) {
      if (error instanceof RemoteError) return { kind: 'error', error };
      throw error;
    }
  };
  return {
    run: (text, ctx, opts = {}) =>
      post('run', {
        command: text,
        dryRun: opts.dryRun === true,
        yes: opts.yes === true,
        ...(ctx.region ? { region: ctx.region } : {}),
      }),
    confirm: (planId, _ctx, input = {}) => post('confirm', { planId, ...input }),
    approve: (id) => post('approve', { id }),
    deny: (id, _ctx, reason) => post('deny', { id, ...(reason ? { reason } : {}) }),
    cancel: (id) => post('cancel', { id }),
    async listApprovals(filter = {}) {
      const query = filter.state ? `?state=${encodeURIComponent(filter.state)}` : '';
      const { body } = await callServer(options.server, `approvals${query}`, {
        token: options.token,
        timeoutMs: options.timeoutMs,
      });
      return (body.approvals as ApprovalSummary[]) ?? [];
    },
    // The server does not stream progress to the terminal: the result says what each target did.
    onProgress: () => () => {},
    onApprovalChange: () => () => {},
    help: (topic) => helpText(topic),
    complete: (partial) => complete(partial),
    idle: async () => {},
    close: async () => {},
  };
}
