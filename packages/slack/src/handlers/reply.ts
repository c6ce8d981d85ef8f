/**
 * Ways of answering someone in Slack: privately (through the interaction's response_url, or chat.postEphemeral),
 * in the channel (chat.postMessage, which gives a message we can update later), or in a modal.
 */
import http from 'node:http';
import https from 'node:https';
import type { types } from '@slack/bolt';
import { boundMessage, type Message, plainFallback } from '../blocks/common.ts';
import { refused, withFallback } from '../fallback.ts';
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
    const respond = (m: Message) =>
      postResponseStatus(deps, reply.responseUrl!, { response_type: 'ephemeral', replace_original: replace, ...m });
    let status = await respond(message);
    // 400 is Slack refusing the content (invalid_blocks…): the same blocks would fail again, so send the text.
    if (status === 400) {
      refused(deps, 'response_url');
      message = plainFallback(message);
      status = await respond(message);
    }
    if (status >= 200 && status < 300) return;
  }
  const send = (m: Message) =>
    reply.channel
      ? deps.client.chat.postEphemeral({ channel: reply.channel, user: reply.user.id, ...m })
      : // No channel (App Home): the app's own DM with the user.
        deps.client.chat.postMessage({ channel: reply.user.id, ...m });
  try {
    await withFallback(deps, message, send, 'answer');
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
    const response = await withFallback(
      deps,
      message,
      (m) => deps.client.chat.postMessage({ channel, ...m, ...(threadTs ? { thread_ts: threadTs } : {}) }),
      'chat.postMessage',
    );
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
  const status = await postResponseStatus(deps, url, body);
  return status >= 200 && status < 300;
}

/** The same, answering with the last HTTP status (0 when the network failed). */
async function postResponseStatus(deps: Deps, url: string, body: Record<string, unknown>): Promise<number> {
  const { retries, minTimeoutMs } = deps.respondRetry;
  for (let attempt = 0; ; attempt++) {
    const status = await postJson(url, JSON.stringify(body)).catch(() => 0);
    if (status >= 200 && status < 300) return status;
    const retryable = status === 0 || status === 429 || status >= 500;
    if (!retryable || attempt >= retries) {
      deps.metrics.errors.inc({ where: 'response_url' });
      deps.log.warn('could not answer through the response_url', { status, attempts: attempt + 1 });
      return status;
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
