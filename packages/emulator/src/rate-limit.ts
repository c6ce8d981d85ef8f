/**
 * The documented per-action limits (默认接口请求频率限制), enforced per action and SecretId: at most N requests
 * arrive in any one-second window. Refused requests do not count, so a client that backs off gets through.
 */

export interface RateLimiter {
  /** True when the request may proceed (and is counted). */
  admit(key: string, perSecond: number, nowMs: number): boolean;
  reset(): void;
}

const WINDOW_MS = 1000;

export function createRateLimiter(): RateLimiter {
  // The arrival times of the last `perSecond` admitted requests per key, oldest first, as a ring.
  const windows = new Map<string, { times: number[]; next: number }>();
  return {
    admit(key, perSecond, nowMs) {
      if (!(perSecond > 0)) return true;
      let window = windows.get(key);
      if (!window) {
        window = { times: [], next: 0 };
        windows.set(key, window);
      }
      if (window.times.length < perSecond) {
        window.times.push(nowMs);
        return true;
      }
      // The oldest of the last N arrivals must have left the window for one more to fit.
      if (nowMs - window.times[window.next]! < WINDOW_MS) return false;
      window.times[window.next] = nowMs;
      window.next = (window.next + 1) % perSecond;
      return true;
    },
    reset() {
      windows.clear();
    },
  };
}
