/**
 * How many long-lived NDJSON streams (a command's progress, `approvals/follow`) are open, per verified user and on
 * the whole server. Each holds a socket, a heartbeat timer and an engine listener for as long as its client stays,
 * so one signed-in user (or a stolen token) must not be able to open thousands: past a limit the request is refused
 * before anything is planned or run. A slot is counted from the request's start to the handler's end, which is
 * when the stream's timer and listener are gone, whatever ended it (done, client gone, revoked token, shutdown).
 */
import { identityKey } from '../identity/normalize.ts';

export interface StreamLimits {
  /** Open streams one Slack user may have, over all their tokens. */
  perUser: number;
  /** Open streams on this process, everybody's. */
  total: number;
}

/**
 * Per user: a few editor windows following approvals plus a dozen terminal commands following their targets at
 * once. In all: well under a default 1024 file descriptors, which the store, the cloud and Slack also need.
 */
export const DEFAULT_STREAM_LIMITS: StreamLimits = { perUser: 16, total: 512 };

export interface StreamSlots {
  readonly limits: StreamLimits;
  /** Open streams by user key (absent: none). */
  readonly byUser: Map<string, number>;
  /** Each open stream's stop, aborted by endStreams (shutdown). */
  readonly stops: Set<AbortController>;
}

export interface Slot {
  /** Aborted when the server shuts down: the stream ends. */
  stop: AbortSignal;
  /** Gives the slot back; a second call does nothing. */
  release(): void;
}

/** Why a stream was refused: whose limit, and what it is. */
export interface StreamRefusal {
  scope: 'user' | 'server';
  limit: number;
}

export function createStreamSlots(limits: StreamLimits = DEFAULT_STREAM_LIMITS): StreamSlots {
  return { limits, byUser: new Map(), stops: new Set() };
}

export function openStreams(slots: StreamSlots, userId?: string): number {
  return userId === undefined ? slots.stops.size : (slots.byUser.get(identityKey(userId)) ?? 0);
}

/** A slot for one more stream of this user, or why not. */
export function takeSlot(slots: StreamSlots, userId: string): Slot | StreamRefusal {
  const key = identityKey(userId);
  const mine = slots.byUser.get(key) ?? 0;
  if (mine >= slots.limits.perUser) return { scope: 'user', limit: slots.limits.perUser };
  if (slots.stops.size >= slots.limits.total) return { scope: 'server', limit: slots.limits.total };
  const stop = new AbortController();
  slots.byUser.set(key, mine + 1);
  slots.stops.add(stop);
  let released = false;
  return {
    stop: stop.signal,
    release() {
      if (released) return;
      released = true;
      slots.stops.delete(stop);
      const left = (slots.byUser.get(key) ?? 1) - 1;
      if (left > 0) slots.byUser.set(key, left);
      else slots.byUser.delete(key);
    },
  };
}

/** Server shutdown: every open stream is told to end (their slots come back as their handlers return). */
export function endStreams(slots: StreamSlots): void {
  for (const stop of slots.stops) stop.abort(new Error('the server is shutting down'));
}

/** What a refused client is told: the limit, and what to do (the terminal and the editor go on without a stream). */
export function refusalMessage(refusal: StreamRefusal): string {
  return refusal.scope === 'user'
    ? `you already have ${refusal.limit} streams open on this server, the most one person may (TCEOPS_MAX_STREAMS_PER_USER): nothing was done; close a terminal or editor window that is following something, or send the request without asking for a stream`
    : `the server already has ${refusal.limit} streams open, the most it allows (TCEOPS_MAX_STREAMS): nothing was done; try again shortly, or send the request without asking for a stream`;
}
