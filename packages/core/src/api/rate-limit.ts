/**
 * Client-side pacing from the documented per-action limits, so bulk work never trips the server's own limit:
 * at most `perSecond` requests start in any one-second window, per key (endpoint, credential, action).
 */

export interface RateLimiter {
  /** Resolves when a request may start; rejects if the signal aborts first. */
  acquire(key: string, perSecond: number, signal?: AbortSignal): Promise<void>;
}

// A few milliseconds of slack for timer and clock granularity between the client and the server.
const WINDOW_MS = 1000;
const SLACK_MS = 15;

export function createRateLimiter(now: () => number = Date.now): RateLimiter {
  const starts = new Map<string, number[]>();
  const queues = new Map<string, Promise<void>>();

  async function waitTurn(key: string, perSecond: number, signal?: AbortSignal): Promise<void> {
    const times = starts.get(key) ?? [];
    starts.set(key, times);
    for (;;) {
      const current = now();
      while (times.length && times[0]! <= current - WINDOW_MS - SLACK_MS) times.shift();
      if (times.length < perSecond) {
        times.push(current);
        return;
      }
      await sleep(times[0]! + WINDOW_MS + SLACK_MS - current, signal);
    }
  }

  return {
    acquire(key, perSecond, signal) {
      if (!(perSecond > 0)) return Promise.resolve();
      // One waiter at a time per key keeps the order of arrival.
      const previous = queues.get(key) ?? Promise.resolve();
      const turn = previous.then(() => waitTurn(key, perSecond, signal));
      const settled = turn.catch(() => undefined);
      queues.set(key, settled);
      settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return turn;
    },
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
