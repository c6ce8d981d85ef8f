/**
 * A local stand-in for Slack's Web API (and Socket Mode's WebSocket), over real HTTP on 127.0.0.1: it records
 * every call, answers the methods the app uses, keeps the messages it was asked to post and update, accepts
 * POSTs to the response URLs it hands out, and can fail or delay a method on request.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { payloadProblems } from './block-kit-check.ts';

export interface Call {
  method: string;
  args: Record<string, unknown>;
  auth?: string;
  at: number;
}

export interface Fault {
  /** Answer with this HTTP status (500), or 429 with Retry-After for 'ratelimited'; 'refuse' answers as Slack does
   * a payload it will not show (invalid_blocks: ok:false, or HTTP 400 on a response URL). */
  kind: 'status' | 'ratelimited' | 'delay' | 'refuse';
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** How many calls it applies to. */
  times: number;
}

/** A payload Slack would refuse or cut, with why. */
export interface Violation {
  method: string;
  problems: string[];
  /** Reported to a test already (the root hook below reports each one once). */
  reported?: boolean;
}

export interface Posted {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  updates: number;
}

export interface SlackStandin {
  url: string;
  apiUrl: string;
  calls: Call[];
  messages: Map<string, Posted>;
  /** Channels where chat.postMessage answers not_in_channel. */
  closedChannels: Set<string>;
  usergroups: { id: string; users: string[] }[];
  /** Every payload that broke Slack's documented limits; any fails the running test (see the hook below). */
  violations: Violation[];
  /** Let a test that sends a bad payload on purpose look at violations itself. */
  expectViolations: boolean;
  responseUrl(): string;
  /** Fail or delay the next calls to a Web API method, or to the response URLs ('response'). */
  fail(method: string, fault: Fault): void;
  callsTo(method: string): Call[];
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs?: number, what?: string): Promise<T>;
  /** Socket Mode: push an envelope to the connected app and resolve with its acknowledgement. */
  sendEnvelope(type: string, payload: unknown): Promise<{ envelope_id: string; payload?: unknown }>;
  socketConnected(): Promise<void>;
  close(): Promise<void>;
}

export async function startSlackStandin(): Promise<SlackStandin> {
  const calls: Call[] = [];
  const messages = new Map<string, Posted>();
  const faults = new Map<string, Fault[]>();
  const closedChannels = new Set<string>();
  const usergroups: { id: string; users: string[] }[] = [];
  const violations: Violation[] = [];
  let counter = 0;
  let url = '';
  const sockets = new Set<WebSocket>();
  const acks = new Map<string, (ack: { envelope_id: string; payload?: unknown }) => void>();

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001', team: 'Test', user: 'tceops' };
      case 'apps.connections.open':
        return { ok: true, url: `${url.replace('http', 'ws')}/link` };
      case 'chat.postMessage': {
        const channel = String(args.channel);
        if (closedChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
        const ts = `${1_700_000_000 + ++counter}.000100`;
        const posted: Posted = { channel, ts, text: args.text as string, blocks: args.blocks as unknown[], updates: 0 };
        if (args.thread_ts) posted.thread_ts = String(args.thread_ts);
        messages.set(`${channel}:${ts}`, posted);
        return { ok: true, channel, ts, message: { text: args.text, ts } };
      }
      case 'chat.update': {
        const posted = messages.get(`${args.channel}:${args.ts}`);
        if (!posted) return { ok: false, error: 'message_not_found' };
        Object.assign(posted, { text: args.text, blocks: args.blocks, updates: posted.updates + 1 });
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${1_700_000_000 + ++counter}.000200` };
      case 'views.open':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { id: `V${++counter}`, ...(args.view as object) } };
      case 'users.info':
        return { ok: true, user: { id: args.user, name: `name-of-${args.user}` } };
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, name: `channel-${args.channel}` } };
      case 'usergroups.list':
        return { ok: true, usergroups: usergroups.map((g) => ({ ...g, handle: g.id.toLowerCase() })) };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const isResponse = path.startsWith('/response/');
    const method = isResponse ? 'response' : path.replace(/^\/api\//, '');
    const args = isResponse
      ? { ...(JSON.parse(body || '{}') as object), url: path }
      : parseArgs(body, req.headers['content-type'] ?? '');
    calls.push({ method, args, auth: req.headers.authorization, at: Date.now() });
    const problems = payloadProblems(method, args);
    const refusal = problems.length ? slackError(problems) : undefined;
    if (problems.length) violations.push({ method, problems });
    const fault = faults.get(method)?.[0];
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) faults.get(method)!.shift();
      if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delayMs ?? 0));
      else if (fault.kind === 'refuse') {
        if (isResponse) res.writeHead(400).end('invalid_blocks');
        else
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ok: false, error: 'invalid_blocks' }));
        return;
      } else if (fault.kind === 'ratelimited') {
        res.writeHead(429, { 'retry-after': String(fault.retryAfterSeconds ?? 0), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      } else {
        res
          .writeHead(fault.status ?? 500, { 'content-type': 'text/plain' })
          .end('the stand-in failed this call on purpose');
        return;
      }
    }
    // What Slack answers a payload it refuses: the app then sees what it would see on real Slack.
    if (refusal && isResponse) res.writeHead(400).end(refusal);
    else if (refusal)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: refusal }));
    else if (isResponse) res.writeHead(200).end('ok');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(method, args)));
  });
  const wss = new WebSocketServer({ server, path: '/link' });
  let connected: () => void = () => {};
  const connectedOnce = new Promise<void>((resolve) => {
    connected = resolve;
  });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id: string; payload?: unknown };
      acks.get(ack.envelope_id)?.(ack);
      acks.delete(ack.envelope_id);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        connection_info: { app_id: 'A0001' },
        debug_info: { host: 'standin' },
      }),
    );
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const standin: SlackStandin = {
    url,
    apiUrl: `${url}/api/`,
    calls,
    messages,
    closedChannels,
    usergroups,
    violations,
    expectViolations: false,
    responseUrl: () => `${url}/response/${++counter}`,
    fail(method, fault) {
      faults.set(method, [...(faults.get(method) ?? []), { ...fault }]);
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    async waitFor(check, timeoutMs = 5000, what = 'a condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!standin.expectViolations) assertNoViolations(standin);
        const value = check();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    sendEnvelope(type, payload) {
      const envelope_id = `env-${++counter}`;
      const socket = [...sockets][0];
      if (!socket) return Promise.reject(new Error('no Socket Mode client is connected'));
      return new Promise((resolve) => {
        acks.set(envelope_id, resolve);
        socket.send(JSON.stringify({ envelope_id, type, accepts_response_payload: type !== 'events_api', payload }));
      });
    },
    socketConnected: () => connectedOnce,
    async close() {
      for (const socket of sockets) socket.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Kept in `live` until the hook has looked at it; then forgotten.
      closed.add(standin);
    },
  };
  live.add(standin);
  return standin;
}

/** Every stand-in a test file started: the hook below checks them all after each test. */
const live = new Set<SlackStandin>();
const closed = new WeakSet<SlackStandin>();

function assertNoViolations(standin: SlackStandin): void {
  const fresh = standin.violations.filter((v) => !v.reported);
  if (fresh.length === 0) return;
  for (const v of fresh) v.reported = true;
  throw new Error(
    `Slack would refuse or cut ${fresh.length} payload(s):\n${fresh.map((v) => `  ${v.method}: ${v.problems.join('; ')}`).join('\n')}`,
  );
}

// A root-level hook (this module is loaded by the test files): any test during which the app sent a payload
// outside Slack's limits fails, also when the test itself never looked at that payload.
if (typeof afterEach === 'function') {
  afterEach(() => {
    for (const standin of live) {
      if (!standin.expectViolations) assertNoViolations(standin);
      standin.expectViolations = false;
      if (closed.has(standin)) live.delete(standin);
    }
  });
}

/** Slack's error for the first problem: msg_too_long, msg_blocks_too_long or invalid_blocks. */
function slackError(problems: string[]): string | undefined {
  if (problems.some((p) => p.includes('msg_too_long'))) return 'msg_too_long';
  if (problems.some((p) => p.includes('msg_blocks_too_long'))) return 'msg_blocks_too_long';
  // Over the recommended 4,000 characters of text: Slack takes it (the check still counts it).
  if (problems.every((p) => p.includes('recommended'))) return undefined;
  return 'invalid_blocks';
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Web API client sends form fields whose nested values (blocks, view) are JSON strings. */
function parseArgs(body: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(body || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
