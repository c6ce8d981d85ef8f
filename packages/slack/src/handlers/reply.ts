/**
 * Ways of answering someone in Slack: privately (through the interaction's response_url, or chat.postEphemeral),
 * in the channel (chat.postMessage, which gives a message we can update later), or in a modal.
 */
import http from 'node:http';
import https from 'node:https';
import type { types } from '@slack/bolt';
import { boundMessage, type Message } from '../blocks/common.ts';
import type { MessageRef } from '../tracker.ts';
import type { Deps } from './deps.ts';

/** Where an answer goes: who asked, where, and what Slack gave us to answer with. */
export interface Reply {
  user: { id: string; name?: string; org?: string };
  /** The channel the interaction came from; undefined in App Home. */
  channel?: string;
  responseUrl?: string;
  triggerId?: string;
  /** performance.now() when the request arrived; trigger IDs expire 3 s after it. */
  receivedAt: number;
  /** The command text that produced what is shown (for paging). */
  command?: string;
  /** Replace the message the interaction came from (paging, answering a prompt) instead of adding one. */
  replace?: boolean;
}

export async function answerPrivately(
  deps: Deps,
  reply: Reply,
  message: Message,
  options: { replace?: boolean } = {},
): Promise<void> {
  const replace = options.replace ?? reply.replace ?? false;
  message = boundMessage(message);
  if (reply.responseUrl) {
    const ok = await postResponse(deps, reply.responseUrl, {
      response_type: 'ephemeral',
      replace_original: replace,
      ...message,
    });
    if (ok) return;
  }
  try {
    if (reply.channel)
      await deps.client.chat.postEphemeral({ channel: reply.channel, user: reply.user.id, ...message });
    // No channel (App Home): the app's own DM with the user.
    else await deps.client.chat.postMessage({ channel: reply.user.id, ...message });
  } catch (error) {
    deps.metrics.errors.inc({ where: 'answer' });
    deps.log.error('could not answer the user', { user: reply.user.id, channel: reply.channel, error });
  }
}

export async function removePrompt(deps: Deps, reply: Reply): Promise<void> {
  if (reply.responseUrl) await postResponse(deps, reply.responseUrl, { delete_original: true });
}

/** Post where everybody in the channel sees it; undefined when the bot may not post there. */
export async function postPublic(
  deps: Deps,
  channel: string,
  message: Message,
  threadTs?: string,
): Promise<MessageRef | undefined> {
  message = boundMessage(message);
  try {
    // About one message per second per channel (Slack's posting limit), shared by every replica.
    await deps.pace.post(channel);
    const response = await deps.client.chat.postMessage({
      channel,
      ...message,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    if (response.ts && response.channel) return { channel: response.channel, ts: response.ts };
  } catch (error) {
    deps.metrics.errors.inc({ where: 'chat.postMessage' });
    deps.log.warn('could not post in the channel', { channel, error });
  }
  return undefined;
}

/** Open a modal if the trigger is still fresh; false means "offer a button instead". */
export async function openModal(deps: Deps, reply: Reply, view: types.ModalView): Promise<boolean> {
  if (!reply.triggerId || performance.now() - reply.receivedAt > deps.triggerBudgetMs) return false;
  try {
    await deps.client.views.open({ trigger_id: reply.triggerId, view });
    return true;
  } catch (error) {
    deps.log.info('could not open the modal straight away; offering a button', { error });
    return false;
  }
}

/**
 * POST to a response_url, retrying what may pass (network errors, 429, 5xx). Slack allows five uses of a
 * response_url within 30 minutes, which the retries stay well inside.
 */
export async function postResponse(deps: Deps, url: string, body: Record<string, unknown>): Promise<boolean> {
  const { retries, minTimeoutMs } = deps.respondRetry;
  for (let attempt = 0; ; attempt++) {
    const status = await postJson(url, JSON.stringify(body)).catch(() => 0);
    if (status >= 200 && status < 300) return true;
    const retryable = status === 0 || status === 429 || status >= 500;
    if (!retryable || attempt >= retries) {
      deps.metrics.errors.inc({ where: 'response_url' });
      deps.log.warn('could not answer through the response_url', { status, attempts: attempt + 1 });
      return false;
    }
    await new Promise((r) => setTimeout(r, minTimeoutMs * 2 ** attempt));
  }
}

// node:http(s) with kept-alive connections: under a burst of commands this costs far less CPU than fetch,
// and CPU spent here is taken from the acknowledgements of the next commands.
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

function postJson(url: string, json: string): Promise<number> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as 'http:' | 'https:'],
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error('response_url timed out')));
    req.once('error', reject);
    req.end(json);
  });
}
