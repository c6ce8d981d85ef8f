/**
 * The Slack app over real HTTP against the Slack stand-in, driving a scripted engine: every flow of issue 5 as
 * Slack would send it (signed requests), with what the app sends back checked in the stand-in.
 */
import assert from 'node:assert/strict';
import { ACTION, INPUT, VIEW } from '../../packages/slack/src/blocks/ids.ts';
import { assertValidBlocks, assertValidModal } from './block-kit-check.ts';
import { createFakeEngine, type FakeEngine } from './fake-engine.ts';
import { memoryKeyValue } from '../support/memory-store.ts';
import { elements, type Harness, startHarness, textOf } from './harness.ts';

const ALICE = { user: 'UALICE', channel: 'C0CHAN' };
const APPROVER = { user: 'UAPPROVER', channel: 'C0CHAN' };

describe('Slack app flows (HTTP, stand-in, scripted engine)', () => {
  let h: Harness;
  let engine: FakeEngine;

  beforeEach(async () => {
    engine = createFakeEngine();
    h = await startHarness(engine);
  });
  afterEach(async () => {
    await h.close();
  });

  const lastResponse = async (url: string, what = 'a response') =>
    h.standin.waitFor(() => h.responses(url).at(-1), 5000, what);

  it('lists instances as Block Kit with state emoji, IDs, menus of allowed actions, and paging', async () => {
    const { sent, responseUrl } = await h.command('cvm instances', ALICE);
    assert.equal(sent.status, 200);
    assert.equal(sent.body, '', 'the ack carries no body: the answer comes after');
    const answer = await lastResponse(responseUrl);
    assert.equal(answer.response_type, 'ephemeral');
    assertValidBlocks(answer.blocks);
    const text = textOf(answer.blocks);
    assert.match(text, /:large_green_circle: \*web-1\* `ins-web00001` RUNNING/);
    assert.match(text, /:red_circle: \*web-2\* `ins-web00002` STOPPED/);
    assert.match(text, /S5\.MEDIUM4 · ap-guangzhou-3 · 10\.0\.0\.1/);
    assert.match(text, /Showing 1–2 of 3/);
    const menus = elements(answer.blocks, ACTION.run) as { options: { value: string }[] }[];
    assert.deepEqual(
      menus.map((m) => m.options.map((o) => o.value)),
      [
        [
          'cvm show ins-web00001',
          'cvm stop ins-web00001',
          'cvm reboot ins-web00001',
          'cvm reset-password ins-web00001',
          'cvm reinstall ins-web00001',
          'cvm image create ins-web00001',
          'cvm terminate ins-web00001',
        ],
        [
          'cvm show ins-web00002',
          'cvm start ins-web00002',
          'cvm reset-password ins-web00002',
          'cvm reinstall ins-web00002',
          'cvm image create ins-web00002',
          'cvm terminate ins-web00002',
        ],
      ],
    );
    const [next] = elements(answer.blocks, ACTION.page);
    assert.equal(next?.value, 'cvm instances --offset 2');

    const page = await h.click(ACTION.page, String(next!.value), ALICE, { ephemeral: true });
    assert.equal(page.sent.status, 200);
    const second = await lastResponse(page.responseUrl, 'page 2');
    assert.equal(second.replace_original, true, 'paging replaces the table in place');
    assert.match(textOf(second.blocks), /db-1/);
    assert.equal(elements(second.blocks, ACTION.page).length, 0, 'no next page after the last');
  });

  it('runs a menu item through the engine like a typed command', async () => {
    const { responseUrl } = await h.click(ACTION.run, 'cvm stop ins-web00001', ALICE, {
      overflow: true,
      ephemeral: true,
    });
    const prompt = await lastResponse(responseUrl);
    assert.match(textOf(prompt.blocks), /Please confirm/);
    assert.deepEqual(engine.calls.find((c) => c.method === 'run')?.args[0], 'cvm stop ins-web00001');
  });

  it('stop: a confirm button with Slack confirmation dialog; the click runs it once, and a second click does not run it again', async () => {
    const { responseUrl } = await h.command('cvm stop web-1', ALICE);
    const prompt = await lastResponse(responseUrl);
    assertValidBlocks(prompt.blocks);
    const [confirm] = elements(prompt.blocks, ACTION.confirm) as {
      value: string;
      style: string;
      confirm: { title: { text: string }; text: { text: string } };
    }[];
    assert.ok(confirm, 'a confirm button');
    assert.equal(confirm.style, 'danger');
    assert.equal(confirm.confirm.title.text, 'Stop?');
    assert.match(confirm.confirm.text.text, /Stop 1 instance in ap-guangzhou: web-1 \(RUNNING\)/);
    assert.equal(engine.executions.length, 0, 'nothing runs before the click');

    const clicked = await h.click(ACTION.confirm, confirm.value, ALICE, { ephemeral: true, responseUrl });
    assert.equal(clicked.sent.status, 200);
    const posted = await h.standin.waitFor(
      () => [...h.standin.messages.values()].find((m) => /done/.test(m.text ?? '')),
      5000,
      'the result in the channel',
    );
    assert.equal(posted.channel, 'C0CHAN');
    assertValidBlocks(posted.blocks);
    assert.match(textOf(posted.blocks), /req-StopInstances-ins-web00001/);
    assert.match(textOf(posted.blocks), /requested by <@UALICE>/);
    assert.deepEqual(engine.executions, [{ action: 'StopInstances', targets: ['ins-web00001'] }]);

    // The same button again (a double click, or a retry): the engine refuses the used plan; nothing runs twice.
    // Depending on timing the app says it is still running, or the engine refuses the used plan.
    const again = await h.click(ACTION.confirm, confirm.value, ALICE, { ephemeral: true });
    const answer = await h.standin.waitFor(
      () => h.responses(again.responseUrl).find((r) => /already running|PlanUsed/.test(textOf(r.blocks))),
      5000,
      'the answer to the second click',
    );
    assert.ok(answer);
    await h.bot.tracker.idle();
    assert.equal(engine.executions.length, 1);
  });

  it('terminate: approval request posted with buttons; the requester cannot approve; another user approves; the message follows through to done', async () => {
    const { responseUrl } = await h.command('cvm terminate web-2', ALICE);
    const notice = await lastResponse(responseUrl, 'the pending notice');
    assert.match(textOf(notice.blocks), /needs 1 approval by someone else/);
    const message = await h.standin.waitFor(
      () => [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      5000,
      'the approval message',
    );
    assertValidBlocks(message.blocks);
    const text = textOf(message.blocks);
    assert.match(text, /Requested by <@UALICE>/);
    assert.match(text, /Approvals: \*0 of 1\*/);
    assert.match(text, /May approve: <@UAPPROVER>, <@UAPPROVER2>, <!subteam\^S0OPS>/);
    assert.match(text, /min left/);
    const [approve] = elements(message.blocks, ACTION.approve);
    const approvalId = String(approve!.value);
    assert.equal(elements(message.blocks, ACTION.deny).length, 1);

    // The requester's own Approve: refused privately, and the message does not change.
    const own = await h.click(ACTION.approve, approvalId, ALICE, { messageTs: message.ts });
    const refusal = await lastResponse(own.responseUrl, 'the refusal');
    assert.equal(refusal.response_type, 'ephemeral');
    assert.equal(refusal.replace_original, false);
    assert.match(textOf(refusal.blocks), /SelfApproval.*someone else must approve/);
    assert.equal(message.updates, 0);
    assert.equal(engine.executions.length, 0);

    await h.click(ACTION.approve, approvalId, APPROVER, { messageTs: message.ts });
    await h.standin.waitFor(() => /Approved and done/.test(message.text ?? ''), 5000, 'the message to show done');
    await h.bot.tracker.idle();
    const done = textOf(message.blocks);
    assert.match(done, /Approvals: \*1 of 1\* \(<@UAPPROVER>\)/);
    assert.match(done, /req-TerminateInstances-ins-web00002/);
    assert.equal(elements(message.blocks, ACTION.approve).length, 0, 'no buttons once decided');
    assertValidBlocks(message.blocks);
    assert.deepEqual(engine.executions, [{ action: 'TerminateInstances', targets: ['ins-web00002'] }]);
    const thread = [...h.standin.messages.values()].find((m) => m.thread_ts === message.ts);
    assert.match(thread?.text ?? '', /<@UALICE> .*Approved and done/);
  });

  it('shows N-of-M progress, and counts a user-group member as an approver', async () => {
    h.standin.usergroups.push({ id: 'S0OPS', users: ['UGROUPIE'] });
    await h.command('cvm terminate db-1', ALICE);
    const message = await h.standin.waitFor(
      () => [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      5000,
      'the approval message',
    );
    assert.match(textOf(message.blocks), /0 of 2/);
    const approvalId = String(elements(message.blocks, ACTION.approve)[0]!.value);
    await h.click(ACTION.approve, approvalId, APPROVER, { messageTs: message.ts });
    await h.standin.waitFor(() => /1 of 2/.test(textOf(message.blocks)), 5000, '1 of 2');
    assert.equal(engine.executions.length, 0);
    await h.click(ACTION.approve, approvalId, { user: 'UGROUPIE' }, { messageTs: message.ts });
    await h.standin.waitFor(() => /Approved and done/.test(message.text ?? ''), 5000, 'done');
    assert.match(textOf(message.blocks), /2 of 2\* \(<@UAPPROVER>, <@UGROUPIE>\)/);
    assert.equal(engine.executions.length, 1);
  });

  it('/tce approve <id> typed by hand updates the existing request instead of posting a new one', async () => {
    await h.command('cvm terminate db-1', ALICE);
    const message = await h.standin.waitFor(() =>
      [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
    );
    const approvalId = String(elements(message.blocks, ACTION.approve)[0]!.value);
    const { responseUrl } = await h.command(`approve ${approvalId}`, APPROVER);
    const answer = await lastResponse(responseUrl, 'the private answer');
    assert.match(String(answer.text), new RegExp(`Recorded: 1 of 2 approvals for ${approvalId}`));
    await h.standin.waitFor(() => /1 of 2/.test(textOf(message.blocks)), 5000, 'the request to show 1 of 2');
    assert.equal(
      [...h.standin.messages.values()].filter((m) => /Approval needed/.test(m.text ?? '')).length,
      1,
      'no second request',
    );
  });

  it('deny and cancel update the message; only the requester may cancel', async () => {
    await h.command('cvm terminate web-1', ALICE);
    await h.command('cvm terminate web-2', ALICE);
    const [first, second] = await h.standin.waitFor(() => {
      const found = [...h.standin.messages.values()].filter((m) => /Approval needed/.test(m.text ?? ''));
      return found.length === 2 ? found : undefined;
    });
    const id = (m: typeof first) => String(elements(m!.blocks, ACTION.approve)[0]!.value);
    // Deny opens a form for the reason; nothing is decided until it is submitted.
    await h.click(ACTION.deny, id(first), APPROVER, { messageTs: first!.ts });
    const open = await h.standin.waitFor(() => h.standin.callsTo('views.open')[0], 5000, 'the reason form');
    const view = open.args.view as Record<string, unknown>;
    assertValidModal(view);
    assert.equal(engine.calls.filter((c) => c.method === 'deny').length, 0);
    await h.submit(
      VIEW.deny,
      String(view.private_metadata),
      { [INPUT.reasonBlock]: { [INPUT.reasonElement]: 'not during the <release> freeze' } },
      APPROVER.user,
    );
    await h.standin.waitFor(() => /^Denied/.test(first!.text ?? ''), 5000, 'denied');
    assert.match(textOf(first!.blocks), /Reason: not during the &lt;release&gt; freeze/);
    await h.bot.tracker.idle();
    const thread = [...h.standin.messages.values()].find((m) => m.thread_ts === first!.ts);
    assert.match(thread?.text ?? '', /<@UALICE> :no_entry: Denied/);

    const stranger = await h.click(ACTION.cancelApproval, id(second), APPROVER, { messageTs: second!.ts });
    assert.match(textOf((await lastResponse(stranger.responseUrl)).blocks), /Only the requester may cancel/);
    await h.click(ACTION.cancelApproval, id(second), ALICE, { messageTs: second!.ts });
    await h.standin.waitFor(() => /^Cancelled/.test(second!.text ?? ''), 5000, 'cancelled');
    assert.equal(engine.executions.length, 0);
  });

  it('another replica (sharing the store) updates the approval message it did not post, and the requester is told once', async () => {
    await h.close();
    const kv = memoryKeyValue();
    engine = createFakeEngine();
    h = await startHarness(engine, { kv });
    const other = createFakeEngine();
    const replica = await startHarness(other, { kv, standin: h.standin });
    try {
      await h.command('cvm terminate web-1', ALICE);
      const message = await h.standin.waitFor(() =>
        [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      );
      const pending = [...engine.approvals.values()][0]!;
      // The message's location reaches the shared store just after the post; the replica needs it to find it.
      await h.standin.waitFor(() => kv.data.has(`slack:approval-message:${pending.id}`), 5000, 'the stored location');
      const expired = { ...structuredClone(pending), state: 'expired' as const };
      // The replica that did not post the request sees the expiry first, and finds the message through the store.
      other.emitApproval(expired);
      await h.standin.waitFor(() => /^Expired/.test(message.text ?? ''), 5000, 'the expiry on the message');
      await replica.bot.tracker.idle();
      // Then the first replica's sweep sees it too.
      engine.emitApproval(expired);
      await h.bot.tracker.idle();
      await replica.bot.tracker.idle();
      const notices = [...h.standin.messages.values()].filter((m) => m.thread_ts === message.ts);
      assert.equal(notices.length, 1, 'one thread notice across replicas');
      assert.match(notices[0]!.text ?? '', /<@UALICE> :alarm_clock: Expired/);
    } finally {
      await replica.close();
    }
  });

  it('posts approval requests in the configured approvals channel, and says how to fix a channel the bot is not in', async () => {
    await h.close();
    engine = createFakeEngine();
    h = await startHarness(engine, { approvalsChannel: 'C0APPROVALS' });
    const { responseUrl } = await h.command('cvm terminate web-1', ALICE);
    const notice = await lastResponse(responseUrl);
    assert.match(textOf(notice.blocks), /posted in <#C0APPROVALS>/);
    assert.ok([...h.standin.messages.values()].some((m) => m.channel === 'C0APPROVALS'));

    h.standin.closedChannels.add('C0APPROVALS');
    h.standin.closedChannels.add('C0CHAN');
    const again = await h.command('cvm terminate web-2', ALICE);
    const warning = await lastResponse(again.responseUrl);
    assert.match(textOf(warning.blocks), /could not be posted in <#C0APPROVALS> or <#C0CHAN>: invite the bot/);
  });

  it('typed confirmation: a modal opened from the command; a wrong ID keeps it open with an error; the right one runs', async () => {
    const { responseUrl } = await h.command('cvm reinstall web-1', ALICE);
    const open = await h.standin.waitFor(() => h.standin.callsTo('views.open')[0], 5000, 'views.open');
    const view = open.args.view as Record<string, unknown>;
    assertValidModal(view);
    assert.equal(view.callback_id, VIEW.typed);
    assert.match(textOf(view.blocks), /Type ins-web00001 to confirm/);

    const wrong = await h.submit(
      VIEW.typed,
      String(view.private_metadata),
      { [INPUT.typedBlock]: { [INPUT.typedElement]: 'ins-web00002' } },
      ALICE.user,
    );
    assert.equal(wrong.status, 200);
    const errors = JSON.parse(wrong.body) as { response_action: string; errors: Record<string, string> };
    assert.equal(errors.response_action, 'errors');
    assert.match(errors.errors[INPUT.typedBlock]!, /Type ins-web00001 exactly/);
    assert.equal(engine.calls.filter((c) => c.method === 'confirm').length, 0);

    const right = await h.submit(
      VIEW.typed,
      String(view.private_metadata),
      { [INPUT.typedBlock]: { [INPUT.typedElement]: 'ins-web00001' } },
      ALICE.user,
    );
    assert.equal(right.body, '', 'an empty ack closes the modal');
    await h.standin.waitFor(() => engine.executions.length === 1, 5000, 'the execution');
    const answered = await h.standin.waitFor(
      () => h.responses(responseUrl).find((r) => /Done/.test(String(r.text))),
      5000,
      'the note',
    );
    assert.equal(answered.replace_original, true);
  });

  it('typed confirmation when the cloud was too slow for the trigger: a button that opens the modal', async () => {
    await h.close();
    engine = createFakeEngine();
    // The engine's answer comes after the budget however fast the machine is (a sleep only gets longer); the click
    // on the button then has the whole budget, so a loaded machine does not make it late too.
    engine.delayMs = 2500;
    h = await startHarness(engine, { triggerBudgetMs: 2000 });
    const { responseUrl } = await h.command('cvm reinstall web-1', ALICE);
    const prompt = await lastResponse(responseUrl);
    assertValidBlocks(prompt.blocks);
    assert.equal(h.standin.callsTo('views.open').length, 0, 'no modal from a stale trigger');
    const [open] = elements(prompt.blocks, ACTION.openTyped);
    const value = JSON.parse(String(open!.value)) as { planId: string; expected: string };
    assert.match(value.planId, /^plan-/);
    assert.equal(value.expected, 'ins-web00001');

    await h.click(ACTION.openTyped, String(open!.value), ALICE, { ephemeral: true });
    const opened = await h.standin.waitFor(
      () => h.standin.callsTo('views.open')[0],
      5000,
      'views.open from the button',
    );
    const view = opened.args.view as Record<string, unknown>;
    assertValidModal(view);
    assert.match(textOf(view.blocks), /Reinstall|ResetInstance/, 'the modal shows the plan remembered from the prompt');
    assert.deepEqual(JSON.parse(String(view.private_metadata)).expected, 'ins-web00001');
  });

  it('reset password: a modal with a password input; the password reaches the engine and never a message or a log line', async () => {
    const password = 'Zq9!tceops-Pw';
    const { responseUrl } = await h.command('cvm reset-password web-1', ALICE);
    const open = await h.standin.waitFor(() => h.standin.callsTo('views.open')[0], 5000, 'views.open');
    const view = open.args.view as Record<string, unknown>;
    assertValidModal(view);
    assert.equal(view.callback_id, VIEW.secret);
    await h.submit(
      VIEW.secret,
      String(view.private_metadata),
      { [INPUT.passwordBlock]: { [INPUT.passwordElement]: password } },
      ALICE.user,
    );
    await h.standin.waitFor(() => engine.executions.length === 1, 5000, 'the execution');
    await h.standin.waitFor(() => h.responses(responseUrl).some((r) => /Done/.test(String(r.text))), 5000, 'the note');
    await h.bot.tracker.idle();
    assert.equal(engine.executions[0]!.password, password, 'the engine got the password');
    for (const call of h.standin.calls)
      assert.ok(!JSON.stringify(call.args).includes(password), `the password went to Slack in ${call.method}`);
    for (const line of h.logs) assert.ok(!line.includes(password), `the password is in a log line: ${line}`);
  });

  it('refuses a command carrying a password flag without running it, however it is quoted', async () => {
    for (const flag of ['--Password', '"--Password"', "--Pass''word", '--LoginSettings.Password', '--Password=']) {
      const { responseUrl } = await h.command(
        `call cvm ResetInstancesPassword --InstanceIds.0 ins-web00001 ${flag}${flag.endsWith('=') ? '' : ' '}hunter2hunter2`,
        ALICE,
      );
      const answer = await lastResponse(responseUrl);
      assert.match(textOf(answer.blocks), /SecretInCommand.*not accepted/, flag);
    }
    assert.equal(engine.calls.length, 0);
    for (const line of h.logs) assert.ok(!line.includes('hunter2hunter2'));
  });

  it('errors are ephemeral with the TCE code; an engine crash is reported and counted, not swallowed', async () => {
    const bad = await h.command('cvm show nosuch', ALICE);
    const answer = await lastResponse(bad.responseUrl);
    assert.equal(answer.response_type, 'ephemeral');
    assert.match(textOf(answer.blocks), /:x: \*InvalidInstanceId\.NotFound\*: instance nosuch was not found/);
    assert.match(textOf(answer.blocks), /Nothing was sent to the cloud/);

    const boom = await h.command('boom', ALICE);
    assert.match(textOf((await lastResponse(boom.responseUrl)).blocks), /engine exploded/);
    assert.equal(h.bot.metrics.errors.get({ where: 'engine' }), 1);
  });

  it('App Home lists the approvals waiting for the viewer, their requests, and the regions', async () => {
    await h.command('cvm terminate web-1', ALICE);
    await h.standin.waitFor(() => h.standin.callsTo('chat.postMessage').length === 1);
    await h.event({ type: 'app_home_opened', user: 'UAPPROVER', channel: 'D0HOME', tab: 'home', event_ts: '1' });
    const publish = await h.standin.waitFor(() => h.standin.callsTo('views.publish')[0], 5000, 'views.publish');
    assert.equal(publish.args.user_id, 'UAPPROVER');
    const view = publish.args.view as { type: string; blocks: unknown[] };
    assert.equal(view.type, 'home');
    assertValidBlocks(view.blocks, 'home');
    const text = textOf(view.blocks);
    assert.match(text, /Terminate 1 instance in ap-guangzhou: web-1/);
    assert.match(text, /`ap-guangzhou` `ap-shanghai`/);
    assert.equal(elements(view.blocks, ACTION.approve).length, 1);

    // The requester sees it as their own request, not as waiting for them.
    await h.event({ type: 'app_home_opened', user: 'UALICE', channel: 'D0HOME', tab: 'home', event_ts: '2' });
    const mine = await h.standin.waitFor(() => h.standin.callsTo('views.publish')[1], 5000, 'second views.publish');
    const mineText = textOf((mine.args.view as { blocks: unknown[] }).blocks);
    assert.match(mineText, /Nothing is waiting for you/);
    assert.match(mineText, /\*pending\* · Terminate/);
  });

  it('Approve from App Home: runs, tells the approver in the app DM, updates the request and the Home tab', async () => {
    await h.command('cvm terminate web-2', ALICE);
    const message = await h.standin.waitFor(() =>
      [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
    );
    const approvalId = String(elements(message.blocks, ACTION.approve)[0]!.value);
    await h.click(ACTION.approve, approvalId, { user: 'UAPPROVER' }, { home: true });
    await h.standin.waitFor(() => /Approved and done/.test(message.text ?? ''), 5000, 'the request to show done');
    const publish = await h.standin.waitFor(
      () => h.standin.callsTo('views.publish')[0],
      5000,
      'the Home tab republished',
    );
    assert.equal(publish.args.user_id, 'UAPPROVER');
    assert.match(textOf((publish.args.view as { blocks: unknown[] }).blocks), /Nothing is waiting for you/);
    const dm = h.standin.callsTo('chat.postMessage').find((c) => c.args.channel === 'UAPPROVER');
    assert.match(String(dm?.args.text), /Terminate 1 instance.*done/);
    assert.equal(engine.executions.length, 1);
  });

  it('serves /healthz and Prometheus /metrics', async () => {
    await h.command('help', ALICE);
    await h.standin.waitFor(() => h.standin.callsTo('response').length === 1);
    const health = await fetch(`${h.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    assert.match(metrics, /tceops_slack_commands_total\{outcome="text",source="slash"\} 1/);
    assert.match(metrics, /# TYPE tceops_slack_ack_seconds histogram/);
    assert.match(metrics, /tceops_slack_ack_seconds_count\{status="200",transport="http"\} 1/);
  });
});
