/** The Slack app in HTTP mode against the stand-in, with captured logs, short retries, and request helpers. */
import { createSlackApp, type SlackApp, type SlackAppOptions } from '../../packages/slack/src/app.ts';
import type { Engine } from '../../packages/slack/src/core.ts';
import { createLog } from '../../packages/slack/src/logger.ts';
import type { KeyValue } from '../../packages/slack/src/tracker.ts';
import {
  blockAction,
  form,
  interaction,
  postSigned,
  type Sent,
  slashCommand,
  viewSubmission,
  type Who,
} from './requests.ts';
import { type SlackStandin, startSlackStandin } from './slack-standin.ts';

export const SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-0000-bot-token';

export interface Harness {
  standin: SlackStandin;
  bot: SlackApp;
  url: string;
  logs: string[];
  command(text: string, who: Who): Promise<{ sent: Sent; responseUrl: string }>;
  click(
    actionId: string,
    value: string,
    who: Who,
    options?: Parameters<typeof blockAction>[3],
  ): Promise<{ sent: Sent; responseUrl: string }>;
  submit(
    callbackId: string,
    metadata: string,
    values: Record<string, Record<string, string>>,
    user: string,
  ): Promise<Sent>;
  event(event: Record<string, unknown>): Promise<Sent>;
  /** Response-URL posts made to this URL so far. */
  responses(url: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startHarness(
  engine: Engine,
  options: {
    approvalsChannel?: string;
    triggerBudgetMs?: number;
    standin?: SlackStandin;
    kv?: KeyValue;
    /** Server mode: sign-in through Slack and the API under /api/v1/ (packages/core/src/server). */
    sessions?: SlackAppOptions['sessions'];
    /** Slack's posting and update intervals, shortened so the suite stays fast (the real ones: test/pace). */
    pacing?: SlackAppOptions['pacing'];
    /** Server mode: open stream limits (core's stream-slots.ts). */
    streams?: SlackAppOptions['streams'];
  } = {},
): Promise<Harness> {
  const standin = options.standin ?? (await startSlackStandin());
  const logs: string[] = [];
  const bot = createSlackApp({
    engine,
    mode: 'http',
    botToken: BOT_TOKEN,
    signingSecret: SECRET,
    apiUrl: standin.apiUrl,
    approvalsChannel: options.approvalsChannel,
    log: createLog({ level: 'debug', write: (line) => logs.push(line) }),
    retry: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20, randomize: false },
    respondRetry: { retries: 2, minTimeoutMs: 10 },
    // The stand-in's trigger IDs never expire: a loaded machine must not turn a modal into the fallback button.
    // Tests of the budget itself set it.
    triggerBudgetMs: options.triggerBudgetMs ?? 60_000,
    kv: options.kv,
    sessions: options.sessions,
    ...(options.streams ? { streams: options.streams } : {}),
    pacing: options.pacing ?? { postIntervalMs: 5, updateIntervalMs: 5 },
  });
  const { port } = await bot.start({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const events = `${url}/slack/events`;
  return {
    standin,
    bot,
    url,
    logs,
    async command(text, who) {
      const responseUrl = standin.responseUrl();
      const sent = await postSigned(events, SECRET, form(slashCommand(text, who, responseUrl)));
      return { sent, responseUrl };
    },
    async click(actionId, value, who, clickOptions = {}) {
      const responseUrl = clickOptions.responseUrl ?? standin.responseUrl();
      const sent = await postSigned(
        events,
        SECRET,
        interaction(blockAction(actionId, value, who, { ...clickOptions, responseUrl })),
      );
      return { sent, responseUrl };
    },
    submit: (callbackId, metadata, values, user) =>
      postSigned(events, SECRET, interaction(viewSubmission(callbackId, metadata, values, user))),
    event: (event) =>
      postSigned(
        events,
        SECRET,
        JSON.stringify({
          token: 'legacy',
          team_id: 'T0001',
          api_app_id: 'A0001',
          type: 'event_callback',
          event_id: `Ev${Math.random()}`,
          event_time: 1,
          event,
        }),
        { contentType: 'application/json' },
      ),
    responses: (responseUrl) =>
      standin
        .callsTo('response')
        .filter((c) => c.args.url === new URL(responseUrl).pathname)
        .map((c) => c.args),
    async close() {
      await bot.stop();
      if (!options.standin) await standin.close();
    },
  };
}

/** Every piece of text in a Block Kit structure, for "does the message say X" checks. */
export function textOf(blocks: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'text' || k === 'value') && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** All elements with this action_id anywhere in the blocks. */
export function elements(blocks: unknown, actionId: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as { action_id?: string }).action_id === actionId) found.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(blocks);
  return found;
}
