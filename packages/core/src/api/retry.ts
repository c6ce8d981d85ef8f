/**
 * When a failed call may be tried again. A request that surely did not run (refused connection, rate limit)
 * is always retried; one that may have run (reset, timeout, 5xx, InternalError) only when repeating is safe:
 * a read, or a write carrying a ClientToken.
 */
import { ApiError, HttpError, TransportError } from './errors.ts';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 5000 };

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const MAYBE_RAN = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);
const RETRYABLE_CODES_REFUSED = new Set(['RequestLimitExceeded', 'RequestLimitExceeded.UinLimitExceeded']);
const RETRYABLE_CODES_MAYBE_RAN = new Set(['InternalError', 'InternalServerError', 'ResourceUnavailable']);

function errnoOf(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

export function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (error instanceof TransportError) {
    if (error.aborted) return false;
    if (error.timedOut) return idempotent;
    const code = errnoOf(error.cause);
    if (code && NOT_SENT.has(code)) return true;
    if (code && MAYBE_RAN.has(code)) return idempotent;
    return idempotent;
  }
  if (error instanceof HttpError) return error.status === 429 || (error.status >= 500 && idempotent);
  if (error instanceof ApiError) {
    if (RETRYABLE_CODES_REFUSED.has(error.code)) return true;
    return idempotent && RETRYABLE_CODES_MAYBE_RAN.has(error.code);
  }
  return false;
}

/**
 * Exponential backoff with full jitter. Rate-limit refusals wait at least 250 ms, doubling per attempt (250, 500,
 * 1000): TCE counts requests over a one-second window, so the default three retries outlast a window filled just
 * before the first refusal (with a flat 250 ms floor, three quick retries could all land inside it).
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const delay = Math.floor(random() * cap);
  const limited = error instanceof ApiError && RETRYABLE_CODES_REFUSED.has(error.code);
  return limited ? Math.max(Math.min(policy.maxDelayMs, 250 * 2 ** attempt), delay) : delay;
}
