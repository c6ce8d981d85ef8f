/**
 * The server's HTTP API, for the terminal and the extension: the same pipeline as Slack, with the verified
 * identity of whoever signed in through Slack. A command in, an Outcome out; a confirmation is answered by sending
 * its plan ID back; approvals are decided by ID. Every route but the sign-in ones needs `Authorization: Bearer`;
 * an unknown, expired or revoked token gets the same 401, which never says which it was.
 *
 *   POST /api/v1/login                 {client?}             → {code, poll, expiresAt, instruction}
 *   POST /api/v1/login/poll            {poll}                → {state: waiting|done|gone, token?, user?, expiresAt?}
 *   GET  /api/v1/whoami                                      → {user: {id, team?, name?}, token: {id, expiresAt}}
 *   POST /api/v1/run                   {command, dryRun?, yes?, region?, surface?} → {outcome}
 *   POST /api/v1/confirm               {planId, typed?, password?}                 → {outcome}
 *   POST /api/v1/approve|deny|cancel   {id, reason?}         → {outcome}
 *   GET  /api/v1/approvals?state=…&requester=…               → {approvals}
 *   GET  /api/v1/approvals/follow                            → NDJSON: the user's requests as they move (approvals-stream.ts)
 *   GET  /api/v1/help?topic=…                                → {text}
 *   POST /api/v1/logout                                      → {revoked: true}
 * run, confirm and approve stream the command's progress when asked (`Accept: application/x-ndjson`, stream.ts).
 * Open streams are limited per user and in all (stream-slots.ts): past a limit, 429 before anything is done.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TceopsError } from '../api/errors.ts';
import type { ApprovalState, CommandContext, Engine, Outcome } from '../commands/types.ts';
import type { Surface } from '../policy/types.ts';
import { streamApprovals } from './approvals-stream.ts';
import { CODE_TTL_MS, type Sessions, type TokenInfo } from './sessions.ts';
import { streamCommand, wantsProgress } from './stream.ts';
import {
  createStreamSlots,
  DEFAULT_STREAM_LIMITS,
  endStreams,
  openStreams,
  refusalMessage,
  type Slot,
  type StreamLimits,
  type StreamRefusal,
  takeSlot,
} from './stream-slots.ts';
import { outcomeToWire, whoamiOf } from './wire.ts';

export const API_PREFIX = '/api/v1/';
const MAX_BODY = 1024 * 1024;
/** A sign-in code lives this long: the window its counts are kept for, so the cap bounds the codes stored. */
const LOGIN_WINDOW_MS = CODE_TTL_MS;
/** One word of a command: a --params JSON read from a file on the terminal may be up to 64 KB (cli params-file.ts). */
const MAX_WORD = 64 * 1024 + 1024;

export interface ApiOptions {
  engine: Engine;
  sessions: Sessions;
  /** Told of every outcome a signed-in user's command came to (the Slack app posts approval requests). */
  onOutcome?: (user: TokenInfo['user'], outcome: Outcome) => void | Promise<void>;
  /** Told of failures the client only hears as "InternalError". */
  onError?: (error: unknown) => void;
  /** Told of every stream refused for a limit (the Slack app counts them in /metrics). */
  onStreamRefused?: (refusal: StreamRefusal) => void;
  /** Sign-in codes one address may ask for per 10 minutes (default 20). */
  maxLoginsPerAddress?: number;
  /**
   * Sign-in codes the whole server hands out per 10 minutes (default 1000): each is kept in the store, so many
   * addresses (an IPv6 block) must not be able to ask for them without end.
   */
  maxLogins?: number;
  /** Open streams per user and in all (default 16 and 512); heartbeatMs for tests (default 15 s). */
  streams?: Partial<StreamLimits> & { heartbeatMs?: number };
  now?: () => number;
}

export interface ApiHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Streams open now: everybody's, or one user's. */
  openStreams(userId?: string): number;
  /** Server shutdown: ends every open stream (a server's close waits for its connections). */
  endStreams(): void;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** More fields for the client (what a limit is). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const UNAUTHORIZED = new HttpProblem(
  401,
  'AuthFailure.SignInRequired',
  'not signed in, or the sign-in expired or was revoked: sign in again with "tceops login --server URL"',
);

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpProblem(413, 'RequestTooLarge', 'the request body is over 1 MB');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // below
  }
  throw new HttpProblem(400, 'InvalidRequest', 'the body must be a JSON object');
}

function text(body: Record<string, unknown>, field: string, required = true): string | undefined {
  const value = body[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > 10_000)
    throw new HttpProblem(400, 'InvalidRequest', `"${field}" must be a non-empty string`);
  return value;
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
  return match?.[1];
}

export function createApiHandler(options: ApiOptions): ApiHandler {
  const { engine, sessions } = options;
  const now = options.now ?? Date.now;
  const maxLogins = options.maxLoginsPerAddress ?? 20;
  const maxLoginsInAll = options.maxLogins ?? 1000;
  const logins = new Map<string, { count: number; since: number }>();
  const slots = createStreamSlots({ ...DEFAULT_STREAM_LIMITS, ...options.streams });
  const heartbeatMs = options.streams?.heartbeatMs;

  let loginsInAll = { count: 0, since: now() };

  /** Whether this address may have one more sign-in code; refused: whose limit it hit. */
  function loginAllowed(address: string): true | 'address' | 'server' {
    const t = now();
    if (t - loginsInAll.since > LOGIN_WINDOW_MS) loginsInAll = { count: 0, since: t };
    const entry = logins.get(address);
    const fresh = !entry || t - entry.since > LOGIN_WINDOW_MS;
    if (!fresh && entry.count >= maxLogins) return 'address';
    if (loginsInAll.count >= maxLoginsInAll) return 'server';
    loginsInAll.count++;
    if (!fresh) {
      entry.count++;
      return true;
    }
    // Only windows that are over are forgotten: clearing everyone's counts would let many addresses reset them.
    if (logins.size >= 10_000) for (const [a, e] of logins) if (t - e.since > LOGIN_WINDOW_MS) logins.delete(a);
    logins.set(address, { count: 1, since: t });
    return true;
  }

  async function signedIn(req: IncomingMessage): Promise<TokenInfo> {
    const info = await sessions.authenticate(bearer(req));
    if (!info) throw UNAUTHORIZED;
    return info;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://server');
    const path = url.pathname.slice(API_PREFIX.length);
    const method = req.method ?? 'GET';
    const post = method === 'POST';
    if (path === 'login' && post) {
      const body = await readJson(req);
      const allowed = loginAllowed(req.socket.remoteAddress ?? '?');
      if (allowed !== true)
        throw new HttpProblem(
          429,
          'RequestLimitExceeded',
          allowed === 'address'
            ? 'too many sign-in codes asked for from here; wait a few minutes'
            : 'the server has handed out too many sign-in codes in the last minutes; wait a few minutes',
        );
      const client =
        typeof body.client === 'string' ? body.client.replace(/[^\w .@:/-]/g, '').slice(0, 100) : 'terminal';
      const { code, poll, expiresAt } = await sessions.startLogin(client || 'terminal');
      return send(res, 200, { code, poll, expiresAt, instruction: `In Slack, type: /tce login ${code}` });
    }
    if (path === 'login/poll' && post) {
      const body = await readJson(req);
      const result = await sessions.poll(String(body.poll ?? ''));
      if (result.state === 'done')
        return send(res, 200, {
          state: 'done',
          token: result.token,
          user: result.info.user,
          expiresAt: result.info.expiresAt,
          id: result.info.id,
        });
      return send(res, result.state === 'gone' ? 410 : 200, result);
    }
    const info = await signedIn(req);
    const surface: Surface = url.searchParams.get('surface') === 'vscode' ? 'vscode' : 'cli';
    const ctx = (body?: Record<string, unknown>): CommandContext => ({
      actor: info.user,
      surface: body?.surface === 'vscode' ? 'vscode' : surface,
      ...(typeof body?.region === 'string' && body.region ? { region: body.region } : {}),
    });
    const told = async (outcome: Outcome) => {
      await options.onOutcome?.(info.user, outcome);
      return outcome;
    };
    const answer = async (outcome: Outcome) => send(res, 200, { outcome: outcomeToWire(await told(outcome)) });
    const token = bearer(req)!;
    const stillSignedIn = async () => (await sessions.authenticate(token)) !== undefined;
    // A stream holds a slot until its handler returns; refused (429) before the command is planned or run: the
    // client may then send the same request without a stream, knowing nothing happened.
    const streaming = async (open: (slot: Slot) => Promise<void>) => {
      const slot = takeSlot(slots, info.user.id);
      if (!('release' in slot)) {
        options.onStreamRefused?.(slot);
        throw new HttpProblem(429, 'RequestLimitExceeded.Streams', refusalMessage(slot), { ...slot });
      }
      try {
        await open(slot);
      } finally {
        slot.release();
      }
    };
    // A command that may run something: its progress streamed when the client asks (stream.ts).
    const running = (command: () => Promise<Outcome>) =>
      wantsProgress(req)
        ? streaming(({ stop }) =>
            streamCommand(res, engine, () => command().then(told), { stop, stillSignedIn, heartbeatMs }),
          )
        : command().then(answer);
    if (path === 'whoami' && method === 'GET') return send(res, 200, whoamiOf(info));
    if (path === 'logout' && post) {
      await sessions.revokeToken(token);
      return send(res, 200, { revoked: true });
    }
    if (path === 'help' && method === 'GET')
      return send(res, 200, { text: engine.help(url.searchParams.get('topic') ?? undefined) });
    if (path === 'approvals' && method === 'GET') {
      const state = url.searchParams.get('state') ?? undefined;
      const requester = url.searchParams.get('requester') ?? undefined;
      const approvals = await engine.listApprovals({
        ...(state ? { state: state as ApprovalState } : {}),
        ...(requester ? { requester } : {}),
      });
      return send(res, 200, { approvals });
    }
    if (path === 'approvals/follow' && method === 'GET')
      return streaming(({ stop }) => {
        // Its headers are out at once: ending the response is what ends this stream.
        void stop.then(() => res.end());
        return streamApprovals(res, engine, info.user.id, stillSignedIn, heartbeatMs);
      });
    if (!post) throw new HttpProblem(404, 'NotFound', `no ${method} ${url.pathname}`);
    const body = await readJson(req);
    switch (path) {
      case 'run': {
        const command = body.command;
        const valid =
          (typeof command === 'string' && command.length <= 10_000) ||
          (Array.isArray(command) &&
            command.length <= 200 &&
            command.every((w) => typeof w === 'string' && w.length <= MAX_WORD));
        if (!valid) throw new HttpProblem(400, 'InvalidRequest', '"command" must be the command text or its words');
        return running(() =>
          engine.run(command as string | string[], ctx(body), {
            dryRun: body.dryRun === true,
            yes: body.yes === true,
          }),
        );
      }
      case 'confirm': {
        const planId = text(body, 'planId')!;
        return running(() =>
          engine.confirm(planId, ctx(body), {
            ...(typeof body.typed === 'string' ? { typed: body.typed } : {}),
            ...(typeof body.password === 'string' ? { password: body.password } : {}),
          }),
        );
      }
      case 'approve': {
        const id = text(body, 'id')!;
        return running(() => engine.approve(id, ctx(body)));
      }
      case 'deny':
        return answer(await engine.deny(text(body, 'id')!, ctx(body), text(body, 'reason', false)));
      case 'cancel':
        return answer(await engine.cancel(text(body, 'id')!, ctx(body)));
      default:
        throw new HttpProblem(404, 'NotFound', `no ${method} ${url.pathname}`);
    }
  }

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      await route(req, res);
    } catch (error) {
      if (res.headersSent) return void res.end();
      if (error instanceof HttpProblem)
        return send(res, error.status, { error: { code: error.code, message: error.message, ...error.detail } });
      if (error instanceof TceopsError) return send(res, 200, { outcome: outcomeToWire({ kind: 'error', error }) });
      // Never a stack or an internal message to the client; the log has it.
      options.onError?.(error);
      send(res, 500, { error: { code: 'InternalError', message: 'the server failed on this request; see its log' } });
    }
  };
  return Object.assign(handler, {
    openStreams: (userId?: string) => openStreams(slots, userId),
    endStreams: () => endStreams(slots),
  });
}
