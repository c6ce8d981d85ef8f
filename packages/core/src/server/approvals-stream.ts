/**
 * `GET /api/v1/approvals/follow`: an editor learns that its user's requests moved (approved, denied, run, …) when
 * they move, instead of asking every few seconds. One JSON object a line, for as long as the client stays:
 *   {"ready": true}             first: the client reads the list once, to catch up on what came before
 *   {"approval": {…}}           one of the signed-in user's own requests changed (its summary, theirs to see)
 *   {"changed": true}           someone else's request opened or closed: no ID, no content — the client reads
 *                               the pending list again through GET /approvals, whose answer this does not widen
 *   {}                          a heartbeat every 15 s (idle timeouts of proxies)
 * The token is checked again before every line: a token revoked or expired meanwhile ends the stream, silently.
 * The changes are this process's (the engine's onApprovalChange): behind several replicas, a decision taken on
 * another one is not heard here, so the client still reads the list now and then (slowly).
 */
import type { ServerResponse } from 'node:http';
import type { ApprovalState, ApprovalSummary, Engine } from '../commands/types.ts';
import { sameIdentity } from '../identity/normalize.ts';
import { NDJSON } from './stream.ts';

const HEARTBEAT_MS = 15_000;

/** States a request enters when it opens or closes for a decision: what changes someone's "to decide" list. */
const OPENS_OR_CLOSES: readonly ApprovalState[] = ['pending', 'approved', 'denied', 'expired', 'cancelled', 'stale'];

/** The line one user may see about a change, or undefined: their own request whole, anyone else's as a bare nudge. */
export function approvalLineFor(userId: string, approval: ApprovalSummary): Record<string, unknown> | undefined {
  if (sameIdentity(approval.requester, userId)) return { approval };
  return OPENS_OR_CLOSES.includes(approval.state) ? { changed: true } : undefined;
}

export async function streamApprovals(
  res: ServerResponse,
  engine: Pick<Engine, 'onApprovalChange'>,
  userId: string,
  /** Whether the stream's token is still good (revoked or expired: the stream ends). */
  stillSignedIn: () => Promise<boolean>,
  heartbeatMs = HEARTBEAT_MS,
): Promise<void> {
  res.writeHead(200, {
    'content-type': `${NDJSON}; charset=utf-8`,
    'cache-control': 'no-store, no-transform',
    'x-accel-buffering': 'no',
  });
  // Lines go out in order, each after its token check (checks are async).
  let queue = Promise.resolve();
  const send = (value: Record<string, unknown>) => {
    queue = queue.then(async () => {
      if (res.writableEnded) return;
      if (!(await stillSignedIn().catch(() => false))) return void res.end();
      if (!res.writableEnded) res.write(`${JSON.stringify(value)}\n`);
    });
  };
  const off = engine.onApprovalChange((approval) => {
    const line = approvalLineFor(userId, approval);
    if (line) send(line);
  });
  const heartbeat = setInterval(() => send({}), heartbeatMs);
  try {
    send({ ready: true });
    await new Promise<void>((resolve) => {
      res.once('close', resolve);
      res.once('finish', resolve);
    });
  } finally {
    clearInterval(heartbeat);
    off();
  }
}
