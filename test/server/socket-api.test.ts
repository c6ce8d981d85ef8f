/** Socket Mode: the API has a port of its own (TCEOPS_API_PORT); sign-in by /tce login over the socket works. */
import assert from 'node:assert/strict';
import { Sessions } from '@tceops/core';
import { createSlackApp, type SlackApp } from '../../packages/slack/src/app.ts';
import { createLog } from '../../packages/slack/src/logger.ts';
import { createFakeEngine } from '../slack/fake-engine.ts';
import { BOT_TOKEN } from '../slack/harness.ts';
import { memoryKeyValue } from '../support/memory-store.ts';
import { slashCommand } from '../slack/requests.ts';
import { type SlackStandin, startSlackStandin } from '../slack/slack-standin.ts';

describe('server API in Socket Mode', () => {
  let standin: SlackStandin;
  let bot: SlackApp;
  let api: string;

  before(async () => {
    standin = await startSlackStandin();
    const kv = memoryKeyValue();
    bot = createSlackApp({
      engine: createFakeEngine(),
      mode: 'socket',
      botToken: BOT_TOKEN,
      appToken: 'xapp-1-A0001-test-app-token',
      apiUrl: standin.apiUrl,
      log: createLog({ write: () => {} }),
      retry: { retries: 2, minTimeout: 10, maxTimeout: 20 },
      kv,
      sessions: new Sessions({ store: kv }),
    });
    const { apiPort } = await bot.start({ host: '127.0.0.1', apiPort: 0 });
    assert.ok(apiPort);
    api = `http://127.0.0.1:${apiPort}/api/v1`;
    await standin.socketConnected();
  });
  after(async () => {
    await bot.stop();
    await standin.close();
  });

  it('gives a code, binds it by /tce login over the socket, and hands the token to the poller once', async () => {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${api}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const started = (await (await post('login', { client: 'test' })).json()) as {
      code: string;
      poll: string;
      instruction: string;
    };
    assert.equal(started.instruction, `In Slack, type: /tce login ${started.code}`);
    assert.equal(
      ((await (await post('login/poll', { poll: started.poll })).json()) as { state: string }).state,
      'waiting',
    );
    const responseUrl = standin.responseUrl();
    await standin.sendEnvelope('slash_commands', slashCommand(`login ${started.code}`, { user: 'UDAVE' }, responseUrl));
    await standin.waitFor(
      () => standin.callsTo('response').find((c) => c.args.url === new URL(responseUrl).pathname),
      5000,
      'the answer',
    );
    const done = (await (await post('login/poll', { poll: started.poll })).json()) as { state: string; token: string };
    assert.equal(done.state, 'done');
    assert.equal((await post('login/poll', { poll: started.poll })).status, 410, 'once');
    const me = await fetch(`${api}/whoami`, { headers: { authorization: `Bearer ${done.token}` } });
    assert.equal(((await me.json()) as { user: { id: string; org: string } }).user.id, 'UDAVE');
    assert.equal((await fetch(`${api.replace('/api/v1', '')}/slack/events`)).status, 404, 'only the API here');
  });
});
