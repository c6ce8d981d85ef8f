/**
 * Live progress on a command's own response, for a terminal that asks for it (`Accept: application/x-ndjson`):
 * one JSON object a line — `{"outcome": …}` first (the same outcome, so exit codes do not change), then
 * `{"progress": …}` for each state the command's targets reach, then `{"done": true}` when its waiters end. The
 * same response, not a run ID to poll: with several replicas behind a load balancer a poll could reach a replica
 * that is not following the targets. Behind proxies: `X-Accel-Buffering: no` and `no-transform` ask them not to
 * buffer, and a heartbeat line every 15 s keeps idle timeouts from cutting a long wait.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, Outcome, ProgressEvent } from '../commands/types.ts';
import { outcomeToWire } from './wire.ts';

export const NDJSON = 'application/x-ndjson';
const HEARTBEAT_MS = 15_000;

/**
 * Bytes a stream may have waiting for its client before it is cut. A client that stops reading (or never did)
 * would otherwise have every heartbeat, nudge and progress line kept in this process's memory for as long as it
 * stays; the slot limit caps how many streams, not how much each holds. 1 MiB is thousands of lines (a reader that
 * is merely slow catches up long before), and 512 streams at most hold 512 MiB, not without bound.
 */
export const MAX_UNREAD_BYTES = 1024 * 1024;

/**
 * Writes one NDJSON line, unless the stream is over. Past MAX_UNREAD_BYTES unread, the response is destroyed
 * instead: its 'close' ends the stream as a client gone does, so its timer, listener and slot go too.
 */
export function writeLine(res: ServerResponse, value: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  if (res.writableLength > MAX_UNREAD_BYTES) return void res.destroy();
  res.write(`${JSON.stringify(value)}\n`);
}

export function wantsProgress(req: IncomingMessage): boolean {
  return String(req.headers.accept ?? '').includes(NDJSON);
}

export interface StreamCommandOptions {
  heartbeatMs?: number;
  /** Settles on server shutdown: the stream ends after its outcome, without "done" (the client says its progress stopped). */
  stop?: Promise<void>;
  /** Whether the request's token is still good, asked at each heartbeat: revoked or expired, the stream ends. */
  stillSignedIn?: () => Promise<boolean>;
}

/** Events kept before the outcome says which plan is this one's (a command has a handful of targets). */
const EARLY_MAX = 1000;

/**
 * Runs `command` with the engine's progress collected from the start (a waiter may report before the outcome is
 * back), then streams the outcome and this plan's progress until the engine is idle for it. A client that goes
 * away stops the stream, not the waiters (Slack still follows them); so do a revoked token and a shutdown.
 */
export async function streamCommand(
  res: ServerResponse,
  engine: Engine,
  command: () => Promise<Outcome>,
  options: StreamCommandOptions = {},
): Promise<void> {
  const { heartbeatMs = HEARTBEAT_MS, stop, stillSignedIn } = options;
  // Listened for from the start: a client gone while the command runs is not waited for afterwards.
  const gone = new Promise<'ended'>((resolve) => res.once('close', () => resolve('ended')));
  const stopped = (stop ?? new Promise<void>(() => {})).then(() => 'ended' as const);
  const early: ProgressEvent[] = [];
  let forward: ((event: ProgressEvent) => void) | undefined;
  const off = engine.onProgress((event) => (forward ? forward(event) : early.length < EARLY_MAX && early.push(event)));
  try {
    const outcome = await command();
    res.writeHead(200, {
      'content-type': `${NDJSON}; charset=utf-8`,
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
    });
    const line = (value: unknown) => writeLine(res, value);
    line({ outcome: outcomeToWire(outcome) });
    const planHash = outcome.kind === 'result' ? outcome.plan.hash : undefined;
    if (planHash) {
      const mine = (event: ProgressEvent) => event.planHash === planHash && line({ progress: event });
      early.forEach(mine);
      early.length = 0;
      forward = mine;
      let signedOut!: (why: 'ended') => void;
      const revoked = new Promise<'ended'>((resolve) => {
        signedOut = resolve;
      });
      const heartbeat = setInterval(() => {
        void (stillSignedIn ? stillSignedIn().catch(() => false) : Promise.resolve(true)).then((ok) =>
          ok ? line({}) : signedOut('ended'),
        );
      }, heartbeatMs);
      try {
        const why = await Promise.race([engine.idle(planHash).then(() => 'idle' as const), gone, stopped, revoked]);
        // Not "done": the client says its progress stopped, and the outcome it has stands.
        if (why === 'ended') return void res.end();
      } finally {
        clearInterval(heartbeat);
      }
    }
    line({ done: true });
    res.end();
  } finally {
    off();
  }
}
