/** What Slack sends to the app, signed as Slack signs it (v0 HMAC-SHA256 over "v0:ts:body"). */
import { createHmac } from 'node:crypto';

export interface Sent {
  status: number;
  body: string;
  ms: number;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function postSigned(
  url: string,
  secret: string,
  body: string,
  options: { contentType?: string; timestamp?: number; signature?: string } = {},
): Promise<Sent> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(secret, timestamp, body),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
}

export interface Who {
  user: string;
  channel?: string;
}

export function slashCommand(
  text: string,
  who: Who,
  responseUrl: string,
  triggerId = `trig-${Math.random()}`,
): Record<string, string> {
  return {
    command: '/tce',
    text,
    user_id: who.user,
    user_name: `name-${who.user}`,
    channel_id: who.channel ?? 'C0CHAN',
    team_id: 'T0001',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A button click (value) or an overflow choice (selectedValue) in a message. */
export function blockAction(
  actionId: string,
  value: string,
  who: Who,
  options: {
    responseUrl?: string;
    messageTs?: string;
    ephemeral?: boolean;
    overflow?: boolean;
    triggerId?: string;
    home?: boolean;
  } = {},
): Record<string, unknown> {
  const channel = who.channel ?? 'C0CHAN';
  const action = options.overflow
    ? {
        type: 'overflow',
        action_id: actionId,
        block_id: 'b1',
        selected_option: { text: { type: 'plain_text', text: 'x' }, value },
        action_ts: '1',
      }
    : { type: 'button', action_id: actionId, block_id: 'b1', value, action_ts: '1' };
  if (options.home) {
    // From App Home: a view, no channel, no message, no response_url.
    return {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'test' },
      user: { id: who.user, username: `name-${who.user}`, name: `name-${who.user}`, team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'legacy',
      container: { type: 'view', view_id: 'V0HOME' },
      trigger_id: options.triggerId ?? `trig-${Math.random()}`,
      view: { id: 'V0HOME', type: 'home' },
      actions: [action],
    };
  }
  return {
    type: 'block_actions',
    team: { id: 'T0001', domain: 'test' },
    user: { id: who.user, username: `name-${who.user}`, name: `name-${who.user}`, team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy',
    container: {
      type: 'message',
      message_ts: options.messageTs ?? '1.0',
      channel_id: channel,
      is_ephemeral: options.ephemeral ?? false,
    },
    trigger_id: options.triggerId ?? `trig-${Math.random()}`,
    channel: { id: channel, name: 'chan' },
    message: options.messageTs ? { ts: options.messageTs, type: 'message' } : undefined,
    response_url: options.responseUrl,
    actions: [action],
  };
}

export function viewSubmission(
  callbackId: string,
  privateMetadata: string,
  values: Record<string, Record<string, string>>,
  user: string,
) {
  const state: Record<string, Record<string, { type: string; value: string }>> = {};
  for (const [block, elements] of Object.entries(values)) {
    state[block] = {};
    for (const [element, value] of Object.entries(elements))
      state[block]![element] = { type: 'plain_text_input', value };
  }
  return {
    type: 'view_submission',
    team: { id: 'T0001', domain: 'test' },
    user: { id: user, username: `name-${user}`, name: `name-${user}`, team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy',
    trigger_id: `trig-${Math.random()}`,
    view: {
      id: 'V1',
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      state: { values: state },
      hash: 'h',
    },
  };
}

export function interaction(payload: unknown): string {
  return form({ payload: JSON.stringify(payload) });
}
