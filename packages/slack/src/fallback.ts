/**
 * When Slack refuses a message's blocks (invalid_blocks, msg_too_long, msg_blocks_too_long), resending the same
 * blocks fails again and the reader sees nothing: the message goes once more as plain text instead.
 */
import { type Message, plainFallback } from './blocks/common.ts';
import type { Log } from './logger.ts';
import type { SlackMetrics } from './metrics.ts';

/** Slack's answers to a payload it will not show. */
const REFUSED = new Set(['invalid_blocks', 'msg_too_long', 'msg_blocks_too_long', 'invalid_attachments']);

export function isRefused(error: unknown): boolean {
  return REFUSED.has(String((error as { data?: { error?: unknown } } | undefined)?.data?.error));
}

/** Send; if Slack refuses the blocks, send the plain fallback once instead of failing (or resending the same). */
export async function withFallback<T>(
  deps: { log: Log; metrics: SlackMetrics },
  message: Message,
  send: (m: Message) => Promise<T>,
  where: string,
): Promise<T> {
  try {
    return await send(message);
  } catch (error) {
    if (!isRefused(error)) throw error;
    refused(deps, where, error);
    return send(plainFallback(message));
  }
}

export function refused(deps: { log: Log; metrics: SlackMetrics }, where: string, error?: unknown): void {
  deps.metrics.errors.inc({ where: `${where}:refused` });
  deps.log.error('Slack refused a message; sent it again as plain text', { where, error });
}
