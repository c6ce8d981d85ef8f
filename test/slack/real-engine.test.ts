/**
 * The whole flow on the real pipeline: core's engine, the built-in policy, a file store, and the TCE
 * emulator — driven through the Slack app over HTTP from the Slack stand-in. list; stop with confirmation;
 * terminate → approval request → the requester's own Approve refused → another user approves → the instance
 * terminates on the emulator → the message updates.
 */
import assert from 'node:assert/strict';
import { ACTION } from '../../packages/slack/src/blocks/ids.ts';
import { assertValidBlocks } from './block-kit-check.ts';
import { elements, type Harness, textOf } from './harness.ts';
import {
  eventually,
  instanceState,
  pickInstance,
  type RealPipeline,
  realPipelineMissing,
  skipOrFail,
} from './real-pipeline.ts';
import { type RealSlack, startRealSlack } from './real-slack.ts';

const ALICE = { user: 'UALICE', channel: 'C0OPS' };
const BOB = { user: 'UBOB', channel: 'C0OPS' };

describe('Slack app on the real pipeline and the emulator', function () {
  this.timeout(60_000);
  let slack: RealSlack | undefined;
  let pipeline: RealPipeline;
  let h: Harness;

  before(async function () {
    skipOrFail(this, await realPipelineMissing(), 'the end-to-end Slack tests need the real pipeline');
  });
  beforeEach(async () => {
    slack = await startRealSlack();
    ({ pipeline, h } = slack);
  });
  afterEach(() => slack?.close());

  const answer = (url: string, what: string) => h.standin.waitFor(() => h.responses(url).at(-1), 15_000, what);
  const message = (pattern: RegExp, what: string) =>
    h.standin.waitFor(
      () => [...h.standin.messages.values()].find((m) => !m.thread_ts && pattern.test(m.text ?? '')),
      15_000,
      what,
    );

  it('lists the emulator’s instances', async () => {
    const { sent, responseUrl } = await h.command('cvm instances', ALICE);
    assert.equal(sent.status, 200);
    const list = await answer(responseUrl, 'the list');
    assertValidBlocks(list.blocks);
    const running = await pickInstance(pipeline, 'RUNNING');
    assert.match(textOf(list.blocks), new RegExp(running.id));
    assert.match(textOf(list.blocks), /:large_green_circle:/);
    assert.ok(elements(list.blocks, ACTION.run).length > 0, 'menus of actions');
  });

  it('stop: confirm with a click, the instance stops on the emulator, the result is posted with RequestIds', async () => {
    const target = await pickInstance(pipeline, 'RUNNING');
    const { responseUrl } = await h.command(`cvm stop ${target.id}`, ALICE);
    const prompt = await answer(responseUrl, 'the confirmation');
    const [confirm] = elements(prompt.blocks, ACTION.confirm) as { value: string; confirm?: unknown }[];
    assert.ok(confirm?.confirm, 'a button with a confirmation dialog');
    assert.equal(await instanceState(pipeline, target.id), 'RUNNING', 'nothing before the click');
    await h.click(ACTION.confirm, confirm.value, ALICE, { ephemeral: true, responseUrl });
    const result = await message(/done|failed/, 'the result');
    assertValidBlocks(result.blocks);
    assert.match(textOf(result.blocks), /RequestId/);
    await eventually(
      async () => ['STOPPING', 'STOPPED'].includes(await instanceState(pipeline, target.id)),
      'the instance to stop',
    );
  });

  it('terminate: approval requested, own Approve refused, another user approves, the instance terminates, the message follows', async () => {
    const target = await pickInstance(pipeline, 'RUNNING');
    const { responseUrl } = await h.command(`cvm terminate ${target.id}`, ALICE);
    const notice = await answer(responseUrl, 'the pending notice');
    assert.match(textOf(notice.blocks), /needs 1 approval/);
    const request = await message(/Approval needed/, 'the approval request');
    assertValidBlocks(request.blocks);
    const approvalId = String(elements(request.blocks, ACTION.approve)[0]!.value);

    const own = await h.click(ACTION.approve, approvalId, ALICE, { messageTs: request.ts });
    const refusal = await answer(own.responseUrl, 'the refusal');
    assert.equal(refusal.response_type, 'ephemeral');
    assert.match(textOf(refusal.blocks), /:x:/);
    assert.equal((await pipeline.store.getApproval(approvalId))?.state, 'pending');
    assert.equal(await instanceState(pipeline, target.id), 'RUNNING');

    await h.click(ACTION.approve, approvalId, BOB, { messageTs: request.ts });
    await h.standin.waitFor(() => /Approved and done/.test(request.text ?? ''), 15_000, 'the message to show done');
    await h.bot.tracker.idle();
    const done = textOf(request.blocks);
    assert.match(done, /<@UBOB>/);
    assert.match(done, /RequestId/);
    await eventually(
      async () => ['TERMINATING', 'SHUTDOWN', 'GONE'].includes(await instanceState(pipeline, target.id)),
      'the instance to terminate',
    );
    const record = await pipeline.store.getApproval(approvalId);
    assert.equal(record?.state, 'succeeded');
    assert.equal((await pipeline.audit('execution', record!.plan.hash)).length, 1, 'executed once');
    const { calls } = slack!.emulator;
    if (calls) assert.equal(calls.get('TerminateInstances'), 1, 'one TerminateInstances call');
  });
});
