/**
 * What must hold when Slack or the network misbehaves: forged and stale requests refused before any listener
 * runs; the acknowledgement sent before any slow work; chat.update failures and rate limits retried without the
 * cloud action being repeated.
 */
import assert from 'node:assert/strict';
import { ACTION } from '../../packages/slack/src/blocks/ids.ts';
import { createFakeEngine, type FakeEngine } from './fake-engine.ts';
import { elements, type Harness, SECRET, startHarness, textOf } from './harness.ts';
import { form, postSigned, sign, slashCommand } from './requests.ts';

const ALICE = { user: 'UALICE', channel: 'C0CHAN' };
const APPROVER = { user: 'UAPPROVER', channel: 'C0CHAN' };

describe('Slack app holding up', () => {
  let h: Harness;
  let engine: FakeEngine;

  beforeEach(async () => {
    engine = createFakeEngine();
    h = await startHarness(engine);
  });
  afterEach(async () => {
    await h.close();
  });

  describe('request signatures', () => {
    const events = () => `${h.url}/slack/events`;
    const body = () => form(slashCommand('cvm instances', ALICE, h.standin.responseUrl()));
    const settle = () => new Promise((r) => setTimeout(r, 100));

    it('refuses a forged signature with 401 and runs no listener', async () => {
      const forged = await postSigned(events(), SECRET, body(), {
        signature: sign('not-the-secret', Math.floor(Date.now() / 1000), body()),
      });
      assert.equal(forged.status, 401);
      await settle();
      assert.equal(engine.calls.length, 0);
      assert.equal(h.standin.calls.filter((c) => c.method !== 'auth.test').length, 0);
    });

    it('refuses a correctly signed request whose timestamp is more than 5 minutes old', async () => {
      const stale = Math.floor(Date.now() / 1000) - 6 * 60;
      const sent = await postSigned(events(), SECRET, body(), { timestamp: stale });
      assert.equal(sent.status, 401);
      await settle();
      assert.equal(engine.calls.length, 0);
    });

    it('refuses a body changed after signing', async () => {
      const ts = Math.floor(Date.now() / 1000);
      const original = body();
      const sent = await postSigned(events(), SECRET, original.replace('cvm+instances', 'cvm+terminate+web-1'), {
        timestamp: ts,
        signature: sign(SECRET, ts, original),
      });
      assert.equal(sent.status, 401);
      await settle();
      assert.equal(engine.calls.length, 0);
    });

    it('accepts the same request correctly signed (the refusals above are not for another reason)', async () => {
      const sent = await postSigned(events(), SECRET, body());
      assert.equal(sent.status, 200);
      await h.standin.waitFor(() => engine.calls.length === 1);
    });
  });

  it('acknowledges before the engine answers, even when the cloud takes longer than Slack allows', async () => {
    engine.delayMs = 3500;
    const { sent, responseUrl } = await h.command('cvm instances', ALICE);
    assert.equal(sent.status, 200);
    assert.ok(sent.ms < 500, `acked in ${sent.ms.toFixed(0)} ms`);
    assert.equal(h.responses(responseUrl).length, 0, 'the answer is not there yet');
    const answer = await h.standin.waitFor(() => h.responses(responseUrl)[0], 6000, 'the late answer');
    assert.match(textOf(answer.blocks), /web-1/);
  });

  for (const fault of [
    { name: 'HTTP 500', kind: 'status' as const, status: 500 },
    { name: 'ratelimited (429 with Retry-After)', kind: 'ratelimited' as const, retryAfterSeconds: 0 },
  ]) {
    it(`retries chat.update on ${fault.name} and does not repeat the cloud action`, async () => {
      await h.command('cvm terminate web-2', ALICE);
      const message = await h.standin.waitFor(() =>
        [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      );
      const approvalId = String(elements(message.blocks, ACTION.approve)[0]!.value);
      h.standin.fail('chat.update', { ...fault, times: 2 });
      await h.click(ACTION.approve, approvalId, APPROVER, { messageTs: message.ts });
      await h.standin.waitFor(() => /Approved and done/.test(message.text ?? ''), 5000, 'the message to reach done');
      await h.bot.tracker.idle();
      assert.ok(h.standin.callsTo('chat.update').length >= 3, 'two failures, then the update that went through');
      assert.deepEqual(engine.executions, [{ action: 'TerminateInstances', targets: ['ins-web00002'] }]);
      assert.equal(engine.calls.filter((c) => c.method === 'approve').length, 1);
      assert.equal(h.bot.metrics.errors.get({ where: 'chat.update' }), 0);
    });
  }

  it('when Slack keeps failing, gives up on the message (logged and counted) and still runs the action once', async () => {
    await h.command('cvm terminate web-2', ALICE);
    const message = await h.standin.waitFor(() =>
      [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
    );
    const approvalId = String(elements(message.blocks, ACTION.approve)[0]!.value);
    h.standin.fail('chat.update', { kind: 'status', status: 503, times: 1000 });
    await h.click(ACTION.approve, approvalId, APPROVER, { messageTs: message.ts });
    await h.standin.waitFor(() => engine.executions.length === 1);
    await h.bot.tracker.idle();
    assert.ok(h.bot.metrics.errors.get({ where: 'chat.update' }) >= 1);
    assert.ok(h.logs.some((l) => /could not update a message/.test(l)));
    assert.equal(engine.executions.length, 1);
    assert.match(message.text ?? '', /Approval needed/, 'the message could not be changed');
  });

  it('retries a response_url that answers 500', async () => {
    h.standin.fail('response', { kind: 'status', status: 500, times: 1 });
    const { responseUrl } = await h.command('help', ALICE);
    await h.standin.waitFor(() => h.responses(responseUrl).length === 2, 5000, 'the retried answer');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.responses(responseUrl).length, 2, 'one failure, one success, nothing more');
    assert.equal(h.bot.metrics.errors.get({ where: 'response_url' }), 0);
  });

  describe('Slack refuses a message (invalid_blocks): the reader still sees its text, once', () => {
    it('a private answer through the response_url', async () => {
      h.standin.fail('response', { kind: 'refuse', times: 1 });
      const { responseUrl } = await h.command('cvm instances', ALICE);
      const answers = await h.standin.waitFor(() =>
        h.responses(responseUrl).length === 2 ? h.responses(responseUrl) : undefined,
      );
      assert.match(String(answers[1]!.text), /Instances: 2 shown of 3/);
      assert.match(textOf(answers[1]!.blocks), /Slack would not show the full message/);
      assert.equal(h.standin.callsTo('chat.postEphemeral').length, 0, 'not the same blocks again elsewhere');
      assert.equal(h.bot.metrics.errors.get({ where: 'response_url:refused' }), 1);
    });

    it('a posted message and its updates', async () => {
      h.standin.fail('chat.postMessage', { kind: 'refuse', times: 1 });
      await h.command('cvm terminate web-2', ALICE);
      const message = await h.standin.waitFor(() =>
        [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      );
      assert.match(textOf(message.blocks), /Slack would not show the full message/);
      const approvalId = /apr-\d+/.exec(String(engine.approvals.keys().next().value))![0];
      h.standin.fail('chat.update', { kind: 'refuse', times: 1 });
      await h.click(ACTION.approve, approvalId, APPROVER, { messageTs: message.ts });
      await h.standin.waitFor(() => /Approved/.test(message.text ?? ''), 5000, 'the update, as text');
      await h.bot.tracker.idle();
      assert.equal(engine.executions.length, 1);
      assert.ok(h.bot.metrics.errors.get({ where: 'chat.update:refused' }) >= 1);
    });
  });
});
