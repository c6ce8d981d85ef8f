/**
 * Socket Mode over a real WebSocket: the app opens the connection through apps.connections.open on the
 * configured API base, acknowledges envelopes on the socket, and answers through the same paths as HTTP mode.
 */
import assert from 'node:assert/strict';
import { createSlackApp, type SlackApp } from '../../packages/slack/src/app.ts';
import { ACTION } from '../../packages/slack/src/blocks/ids.ts';
import { createLog } from '../../packages/slack/src/logger.ts';
import { createFakeEngine, type FakeEngine } from './fake-engine.ts';
import { BOT_TOKEN, elements, textOf } from './harness.ts';
import { blockAction, slashCommand } from './requests.ts';
import { type SlackStandin, startSlackStandin } from './slack-standin.ts';

const APP_TOKEN = 'xapp-1-A0001-test-app-token';

describe('Slack app in Socket Mode', () => {
  let standin: SlackStandin;
  let engine: FakeEngine;
  let bot: SlackApp;
  let port: number | undefined;

  beforeEach(async () => {
    standin = await startSlackStandin();
    engine = createFakeEngine();
    bot = createSlackApp({
      engine,
      mode: 'socket',
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      apiUrl: standin.apiUrl,
      log: createLog({ write: () => {} }),
      retry: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    });
    ({ port } = await bot.start({ port: 0, host: '127.0.0.1' }));
    await standin.socketConnected();
  });
  afterEach(async () => {
    // The client closes first and the stand-in waits for its close handshake.
    await bot.stop();
    await standin.close();
  });

  it('connects with the app token on the configured API base', () => {
    const open = standin.callsTo('apps.connections.open');
    assert.equal(open.length, 1);
    assert.equal(open[0]!.auth, `Bearer ${APP_TOKEN}`);
  });

  it('acknowledges a slash command on the socket, then answers through the response_url', async () => {
    const responseUrl = standin.responseUrl();
    const started = performance.now();
    const ack = await standin.sendEnvelope(
      'slash_commands',
      slashCommand('cvm instances', { user: 'UALICE' }, responseUrl),
    );
    const ackMs = performance.now() - started;
    assert.ok(ack.envelope_id.startsWith('env-'));
    assert.ok(ackMs < 500, `acked in ${ackMs.toFixed(0)} ms`);
    const answer = await standin.waitFor(
      () => standin.callsTo('response').find((c) => c.args.url === new URL(responseUrl).pathname),
      5000,
      'the answer',
    );
    assert.match(textOf(answer.args.blocks), /:large_green_circle: \*web-1\*/);
    assert.equal(bot.metrics.ackSeconds.count({ transport: 'socket' }), 1);
  });

  it('runs the approval flow over the socket: refusal for the requester, execution for an approver', async () => {
    await standin.sendEnvelope(
      'slash_commands',
      slashCommand('cvm terminate web-2', { user: 'UALICE' }, standin.responseUrl()),
    );
    const message = await standin.waitFor(
      () => [...standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      5000,
      'the request',
    );
    const approvalId = String(elements(message.blocks, ACTION.approve)[0]!.value);
    const own = standin.responseUrl();
    await standin.sendEnvelope(
      'interactive',
      blockAction(ACTION.approve, approvalId, { user: 'UALICE' }, { messageTs: message.ts, responseUrl: own }),
    );
    const refusal = await standin.waitFor(
      () => standin.callsTo('response').find((c) => c.args.url === new URL(own).pathname),
      5000,
      'the refusal',
    );
    assert.match(textOf(refusal.args.blocks), /SelfApproval/);
    await standin.sendEnvelope(
      'interactive',
      blockAction(
        ACTION.approve,
        approvalId,
        { user: 'UAPPROVER' },
        { messageTs: message.ts, responseUrl: standin.responseUrl() },
      ),
    );
    await standin.waitFor(() => /Approved and done/.test(message.text ?? ''), 5000, 'done');
    assert.equal(engine.executions.length, 1);
  });

  it('serves /healthz and /metrics beside the socket when a port is given', async () => {
    assert.ok(port);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.match(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), /tceops_slack_commands_total/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/nope`)).status, 404);
  });
});
