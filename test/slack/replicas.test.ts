/**
 * Two bot processes on one PostgreSQL store, and a bot killed with SIGKILL: a burst of simultaneous Approve
 * clicks on both replicas executes the plan exactly once; approvals pending when a bot is killed survive its
 * restart, and run once when approved there. Needs PostgreSQL (TCEOPS_TEST_PG, else one from npm: test/postgres.ts) and the real pipeline.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ACTION } from '../../packages/slack/src/blocks/ids.ts';
import { testPostgres } from '../postgres.ts';
import { BOT_TOKEN, elements, SECRET } from './harness.ts';
import { blockAction, form, interaction, postSigned, slashCommand } from './requests.ts';
import {
  eventually,
  instanceState,
  openRealPipeline,
  pickInstance,
  type RealPipeline,
  realPipelineMissing,
  skipOrFail,
  startEmulator,
} from './real-pipeline.ts';
import { type SlackStandin, startSlackStandin } from './slack-standin.ts';

let SERVER: string | undefined;
const SCRIPT = fileURLToPath(new URL('./bot-process.ts', import.meta.url));

interface Bot {
  port: number;
  child: ChildProcess;
  stderr: string[];
}

describe('Slack bots sharing one PostgreSQL store', function () {
  this.timeout(120_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let standin: SlackStandin;
  let storeUrl: string;
  let observer: RealPipeline;
  const bots: Bot[] = [];

  before(async function () {
    const pg = await testPostgres();
    SERVER = pg.url;
    skipOrFail(
      this,
      pg.missing ?? (await realPipelineMissing()),
      'the replica tests need PostgreSQL and the real pipeline',
    );
  });
  beforeEach(async () => {
    // A fresh cloud for each test: the flows terminate instances.
    emulator = await startEmulator();
    standin = await startSlackStandin();
    const url = new URL(SERVER!);
    url.searchParams.set('schema', `slack_${randomBytes(5).toString('hex')}`);
    storeUrl = url.toString();
    // The test's own view of the store and the cloud, to check what happened.
    observer = await openRealPipeline({ store: storeUrl, emulatorUrl: emulator.url });
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) bot.child.kill('SIGKILL');
    await observer?.close();
    await standin?.close();
    await emulator?.stop();
  });

  async function startBot(): Promise<Bot> {
    const stderr: string[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: standin.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        TCEOPS_STORE: storeUrl,
        TEST_EMULATOR_URL: emulator.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => stderr.push(String(d)));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        const match = /ready (\d+)/.exec(String(d));
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`bot exited with ${code}: ${stderr.join('')}`)));
    });
    const bot = { port, child, stderr };
    bots.push(bot);
    return bot;
  }

  const events = (bot: Bot) => `http://127.0.0.1:${bot.port}/slack/events`;
  const request = (bot: Bot, text: string) =>
    postSigned(
      events(bot),
      SECRET,
      form(slashCommand(text, { user: 'UALICE', channel: 'C0OPS' }, standin.responseUrl())),
    );
  const approve = (bot: Bot, approvalId: string, user: string, ts: string) =>
    postSigned(
      events(bot),
      SECRET,
      interaction(
        blockAction(
          ACTION.approve,
          approvalId,
          { user, channel: 'C0OPS' },
          { messageTs: ts, responseUrl: standin.responseUrl() },
        ),
      ),
    );
  const approvalMessage = () =>
    standin.waitFor(
      () => [...standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      20_000,
      'the approval request',
    );

  it('executes once when Approve is clicked many times at once on both replicas', async () => {
    const [a, b] = await Promise.all([startBot(), startBot()]);
    const target = await pickInstance(observer, 'RUNNING');
    await request(a!, `cvm terminate ${target.id}`);
    const posted = await approvalMessage();
    const approvalId = String(elements(posted.blocks, ACTION.approve)[0]!.value);
    const clicks = Array.from({ length: 20 }, (_, i) =>
      approve(i % 2 ? a! : b!, approvalId, `UAPPROVER${i}`, posted.ts),
    );
    const terminatesBefore = emulator.calls?.get('TerminateInstances') ?? 0;
    const acks = await Promise.all(clicks);
    assert.ok(acks.every((ack) => ack.status === 200));
    await eventually(
      async () => (await observer.store.getApproval(approvalId))?.state === 'succeeded',
      'the approval to succeed',
      30_000,
    );
    const record = (await observer.store.getApproval(approvalId))!;
    assert.equal((await observer.audit('execution', record.plan.hash)).length, 1, 'exactly one execution');
    if (emulator.calls)
      assert.equal(emulator.calls.get('TerminateInstances')! - terminatesBefore, 1, 'one TerminateInstances call');
    // Every other click was answered with a refusal, privately.
    await standin.waitFor(
      () => standin.callsTo('response').filter((c) => c.args.response_type === 'ephemeral').length >= 19,
      20_000,
      'the refusals',
    );
    await standin.waitFor(() => /Approved and done/.test(posted.text ?? ''), 20_000, 'the message to show done');
    assert.ok(['TERMINATING', 'SHUTDOWN', 'GONE'].includes(await instanceState(observer, target.id)));
  });

  it('keeps approvals pending across a SIGKILL, and runs them once after the restart', async () => {
    const first = await startBot();
    const target = await pickInstance(observer, 'RUNNING');
    await request(first, `cvm terminate ${target.id}`);
    const posted = await approvalMessage();
    const approvalId = String(elements(posted.blocks, ACTION.approve)[0]!.value);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    assert.equal((await observer.store.getApproval(approvalId))?.state, 'pending', 'nothing lost');
    assert.equal(await instanceState(observer, target.id), 'RUNNING', 'nothing ran');

    const second = await startBot();
    await approve(second, approvalId, 'UBOB', posted.ts);
    await eventually(
      async () => (await observer.store.getApproval(approvalId))?.state === 'succeeded',
      'the approval to succeed',
      30_000,
    );
    const record = (await observer.store.getApproval(approvalId))!;
    assert.equal((await observer.audit('execution', record.plan.hash)).length, 1, 'run once');
    await standin.waitFor(
      () => /Approved and done/.test(posted.text ?? ''),
      20_000,
      'the restarted bot updates the message',
    );

    // A click arriving again after the restart changes nothing.
    await approve(second, approvalId, 'UCAROL', posted.ts);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await observer.audit('execution', record.plan.hash)).length, 1);
  });

  it('a bot killed in the middle of an execution: the restarted bot settles it from the target, runs nothing twice, and updates the message', async function () {
    // Needs a cloud that can be made slow to answer; the mini CVM can.
    if (!emulator.slow) this.skip();
    const first = await startBot();
    const target = await pickInstance(observer, 'RUNNING');
    await request(first, `cvm terminate ${target.id}`);
    const posted = await approvalMessage();
    const approvalId = String(elements(posted.blocks, ACTION.approve)[0]!.value);
    const terminatesBefore = emulator.calls!.get('TerminateInstances') ?? 0;
    emulator.slow!.set('TerminateInstances', 3000);
    try {
      await approve(first, approvalId, 'UBOB', posted.ts);
      // The call has reached the cloud; its answer has not reached the bot. Kill it now.
      await standin.waitFor(
        () => (emulator.calls!.get('TerminateInstances') ?? 0) > terminatesBefore,
        20_000,
        'the TerminateInstances call',
      );
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
    } finally {
      emulator.slow!.delete('TerminateInstances');
    }
    assert.equal((await observer.store.getApproval(approvalId))?.state, 'executing', 'left executing by the dead bot');
    await eventually(async () => (await instanceState(observer, target.id)) === 'GONE', 'the instance to be gone');

    // The restarted bot reconciles from the target's state: gone, so the termination happened.
    await startBot();
    await eventually(
      async () => (await observer.store.getApproval(approvalId))?.state === 'succeeded',
      'reconciled',
      30_000,
    );
    assert.equal(emulator.calls!.get('TerminateInstances')! - terminatesBefore, 1, 'never sent twice');
    // It never saw this request's message, but finds it through the store and brings it up to date.
    await standin.waitFor(() => /Approved and done/.test(posted.text ?? ''), 20_000, 'the message to show done');
  });
});
