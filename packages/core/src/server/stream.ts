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

export function wantsProgress(req: IncomingMessage): boolean {
  return String(req.headers.accept ?? '').includes(NDJSON);
}

/**
 * Runs `command` with the engine's progress collected from the start (a waiter may report before the outcome is
 * back), then streams the outcome and this plan's progress until the engine is idle for it. A client that goes
 * away stops the stream, not the waiters (Slack still follows them).
 */
export async function streamCommand(
  res: ServerResponse,
  engine: Engine,
  command: () => Promise<Outcome>,
  heartbeatMs = HEARTBEAT_MS,
): Promise<void> {
  const early: ProgressEvent[] = [];
  let forward: ((event: ProgressEvent) => void) | undefined;
  const off = engine.onProgress((event) => (forward ? forward(event) : early.push(event)));
  try {
    const outcome = await command();
    res.writeHead(200, {
      'content-type': `${NDJSON}; charset=utf-8`,
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
    });
    const line = (value: unknown) => {
      if (!res.writableEnded) res.write(`${JSON.stringify(value)}\n`);
    };
    line({ outcome: outcomeToWire(outcome) });
    const planHash = outcome.kind === 'result' ? outcome.plan.hash : undefined;
    if (planHash) {
      const mine = (event: ProgressEvent) => event.planHash === planHash && line({ progress: event });
      early.forEach(mine);
      forward = mine;
      const heartbeat = setInterval(() => line({}), heartbeatMs);
      const gone = new Promise<void>((resolve) => res.once('close', resolve));
      try {
        await Promise.race([engine.idle(planHash), gone]);
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
