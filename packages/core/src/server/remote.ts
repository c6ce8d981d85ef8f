/**
 * The engine of a tceops server, seen from the terminal or the extension: the same Engine interface, each call
 * one HTTPS request with the sign-in token. Nothing here holds cloud keys; the server runs the pipeline as the
 * Slack user the token was issued to. Help and completion are local (the grammar is the same on both sides).
 */
import { InputError } from '../api/errors.ts';
import type { ApprovalSummary, Engine, Outcome, ProgressEvent } from '../commands/types.ts';
import { complete, helpText } from '../commands/help.ts';
import { postStreaming, type StreamedCall } from './stream-client.ts';
import { RemoteError, outcomeFromWire, type WhoAmI } from './wire.ts';

export interface RemoteOptions {
  /** The server's base URL, e.g. https://tceops.example.com */
  server: string;
  token: string;
  surface?: 'cli' | 'vscode';
  timeoutMs?: number;
  /** Ask for the progress of what a command runs, as it happens (stream.ts); the terminal does. */
  progress?: boolean;
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
    throw unreachable(server, error as Error);
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

/**
 * A 429 refusing a stream for the open-stream limit (stream-slots.ts), worded here from its numbers (no server
 * text); undefined for any other answer.
 */
export function streamRefusal(status: number, body: Record<string, unknown>): string | undefined {
  const error = body.error as { code?: unknown; scope?: unknown; limit?: unknown } | undefined;
  if (status !== 429 || error?.code !== 'RequestLimitExceeded.Streams') return undefined;
  const limit = Number.isSafeInteger(error.limit) ? ` ${error.limit}` : '';
  return error.scope === 'user'
    ? `the server already has its limit of${limit} streams open for you`
    : `the server already has its limit of${limit} streams open`;
}

/**
 * `policy explain` through a server: its API explains nothing on its own; what the server's policy decides shows in
 * a dry run, which the server records.
 */
export function noExplainThroughServer(): InputError {
  return new InputError(
    "signed in to a tceops server: the server's policy decides, not this machine's",
    'UnsupportedOperation',
    'see what it would decide with "tceops <command> --dry-run"',
  );
}

function unreachable(server: string, error: Error): RemoteError {
  return new RemoteError('transport', `cannot reach the tceops server ${server}: ${error.message}`);
}

export function createRemoteEngine(options: RemoteOptions): Engine {
  const surface = options.surface ?? 'cli';
  const listeners = new Set<(event: ProgressEvent) => void>();
  const streams = new Set<StreamedCall>();
  const progress = (event: ProgressEvent) => {
    for (const listener of listeners) listener(event);
  };
  /** A command that may run something: with `progress`, its progress streams in after the outcome. */
  const streamed = (path: string, body: Record<string, unknown>) => {
    // The plan this stream follows (from its outcome line): a break is reported against it, so an editor that
    // follows several commands knows which one lost its progress. A break has no target: it is the stream's word.
    let planHash = '';
    const call = postStreaming({
      url: apiUrl(options.server, path),
      token: options.token,
      body,
      idleMs: options.timeoutMs ?? 120_000,
      onProgress: progress,
      onLost: (reason) =>
        progress({
          planHash,
          targetId: '',
          state: 'UNKNOWN',
          done: false,
          message: `the server's progress stopped (${reason}); the outcome above stands`,
        }),
      unreachable: (error) => unreachable(options.server, error),
      unauthorized: () => new RemoteError('refused', SIGN_IN_AGAIN, 'AuthFailure.SignInRequired'),
    });
    call.first.then(
      ({ body: answer }) => {
        const hash = (answer.outcome as { plan?: { hash?: unknown } } | undefined)?.plan?.hash;
        if (typeof hash === 'string') planHash = hash;
      },
      () => {},
    );
    streams.add(call);
    void call.finished.then(() => streams.delete(call));
    return call.first;
  };
  const plain = (path: string, body: Record<string, unknown>) =>
    callServer(options.server, path, {
      token: options.token,
      body: { ...body, surface },
      timeoutMs: options.timeoutMs,
    });
  const post = async (path: string, body: Record<string, unknown>, runs = false): Promise<Outcome> => {
    try {
      let { status, body: answer } =
        runs && options.progress ? await streamed(path, { ...body, surface }) : await plain(path, body);
      // The server refused the stream before doing anything (too many open): the same request once more, without
      // one; what it runs is then reported by its outcome alone.
      const refused = streamRefusal(status, answer);
      if (refused) ({ status, body: answer } = await plain(path, body));
      if (answer.outcome) {
        const outcome = outcomeFromWire(answer.outcome);
        if (refused && outcome.kind === 'result')
          progress({
            planHash: outcome.plan.hash,
            targetId: '',
            state: 'UNKNOWN',
            done: false,
            message: `no live progress (${refused}); the command was sent without it and its outcome stands`,
          });
        return outcome;
      }
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
      post(
        'run',
        {
          command: text,
          dryRun: opts.dryRun === true,
          yes: opts.yes === true,
          ...(ctx.region ? { region: ctx.region } : {}),
        },
        true,
      ),
    async explain() {
      throw noExplainThroughServer();
    },
    confirm: (planId, _ctx, input = {}) => post('confirm', { planId, ...input }, true),
    approve: (id) => post('approve', { id }, true),
    deny: (id, _ctx, reason) => post('deny', { id, ...(reason ? { reason } : {}) }),
    cancel: (id) => post('cancel', { id }),
    async listApprovals(filter = {}) {
      const query = new URLSearchParams({
        ...(filter.state ? { state: filter.state } : {}),
        ...(filter.requester ? { requester: filter.requester } : {}),
      }).toString();
      const { body } = await callServer(options.server, `approvals${query ? `?${query}` : ''}`, {
        token: options.token,
        timeoutMs: options.timeoutMs,
      });
      return (body.approvals as ApprovalSummary[]) ?? [];
    },
    // With `progress`, what the server's waiters report for this client's commands (stream.ts).
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onApprovalChange: () => () => {},
    help: (topic) => helpText(topic),
    complete: (partial) => complete(partial),
    async idle() {
      while (streams.size) await Promise.allSettled([...streams].map((s) => s.finished));
    },
    async close() {
      for (const call of streams) call.abort();
    },
  };
}
