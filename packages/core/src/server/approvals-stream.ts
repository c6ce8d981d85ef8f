/**
 * `GET /api/v1/approvals/follow`: an editor learns that its user's requests moved (approved, denied, run, …) when
 * they move, instead of asking every few seconds. One JSON object a line, for as long as the client stays:
 *   {"ready": true, "progress": true}  first: the client reads the list once, to catch up on what came
 *                               before; `progress`: this server streams the runs of the user's requests
 *   {"approval": {…}}           one of the signed-in user's own requests changed (its summary, theirs to see)
 *   {"changed": true}           someone else's request opened or closed: no ID, no content — the client reads
 *                               the pending list again through GET /approvals, whose answer this does not widen
 *   {"progress": {…}}           a state one of the user's own approved requests reached as it ran here (the
 *                               same event as on a command's stream, stream.ts), from "executing" on
 *   {"followed": "<plan hash>"} that run's targets are no longer followed here: no more progress of it
 *   {}                          a heartbeat every 15 s (idle timeouts of proxies)
 * The token is checked again before every line: a token revoked or expired meanwhile ends the stream, silently.
 * The changes are this process's (the engine's onApprovalChange): behind several replicas, a decision taken on
 * another one is not heard here, so the client still reads the list now and then (slowly).
 */
import type { ServerResponse } from 'node:http';
import type { ApprovalState, ApprovalSummary, Engine, ProgressEvent } from '../commands/types.ts';
import { sameIdentity } from '../identity/normalize.ts';
import { NDJSON, writeLine } from './stream.ts';

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
  engine: Pick<Engine, 'onApprovalChange' | 'onProgress' | 'idle'>,
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
      writeLine(res, value);
    });
  };
  // The runs whose progress this user may hear, by plan hash: their own requests' from "executing" until the
  // run's waiters end. A hash names calls and targets, not a requester: while someone else's request with the
  // same plan runs, its events could be theirs, so that hash is not forwarded at all.
  const mine = new Set<string>();
  const theirs = new Map<string, number>();
  const following = (planHash: string) => mine.has(planHash) && !theirs.get(planHash);
  const offRuns = engine.onApprovalChange((approval) => {
    const line = approvalLineFor(userId, approval);
    if (line) send(line);
    const hash = approval.plan.hash;
    const own = sameIdentity(approval.requester, userId);
    if (approval.state === 'executing') {
      if (own) mine.add(hash);
      else theirs.set(hash, (theirs.get(hash) ?? 0) + 1);
    } else if (approval.state !== 'pending' && (own ? mine.has(hash) : theirs.has(hash))) {
      // The run is over (or given back); its waiters (tracked under the plan's hash by the engine) may go on a while.
      void engine.idle(hash).then(() => {
        if (!own) {
          const left = (theirs.get(hash) ?? 1) - 1;
          if (left > 0) theirs.set(hash, left);
          else theirs.delete(hash);
        } else if (mine.delete(hash)) send({ followed: hash });
      });
    }
  });
  const offProgress = engine.onProgress((event: ProgressEvent) => {
    if (following(event.planHash)) send({ progress: event });
  });
  const off = () => {
    offRuns();
    offProgress();
  };
  const heartbeat = setInterval(() => send({}), heartbeatMs);
  try {
    send({ ready: true, progress: true });
    await new Promise<void>((resolve) => {
      res.once('close', resolve);
      res.once('finish', resolve);
    });
  } finally {
    clearInterval(heartbeat);
    off();
  }
}
