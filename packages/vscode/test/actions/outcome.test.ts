import '../support/setup.ts';
import assert from 'node:assert/strict';
import { errorOutcome, type SettleContext, settle, slashCommand } from '../../src/actions/outcome.ts';
import type { CommandContext, Outcome } from '../../src/engine-port.ts';
import type { Log } from '../../src/log.ts';
import { windowPrompts } from '../../src/ui/prompts.ts';
import { fakeEngine, plan } from '../support/fake-engine.ts';
import { answer, clipboard, resetStub, shown, unusedAnswers } from '../support/vscode-stub.ts';

const ctx: CommandContext = { actor: { id: 'alice' }, surface: 'vscode', region: 'ap-guangzhou' };

function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { lines, line: (t) => lines.push(t), show() {}, dispose() {}, recent: () => lines };
}

function context(
  engine: ReturnType<typeof fakeEngine>['engine'],
  title = 'Stop',
  log = memoryLog(),
): SettleContext & { log: ReturnType<typeof memoryLog> } {
  return { engine, ctx, ui: windowPrompts(), log, title, progress: (_title, work) => work() };
}

const stopPlan = plan('cvm stop ins-abcd1234 --stop-type SOFT');
const terminatePlan = plan('cvm terminate ins-abcd1234', {
  action: 'TerminateInstances',
  risk: 'destructive',
  irreversible: true,
  summary: 'Terminate 1 instance in ap-guangzhou: web-1 (RUNNING).',
});

/** Let the notifications' .then() handlers run. */
const settleUi = () => new Promise((r) => setImmediate(r));

describe('vscode outcomes: the confirmation matches what the policy asks', () => {
  beforeEach(resetStub);
  afterEach(() => assert.deepEqual(unusedAnswers(), [], 'every queued answer was asked for'));

  it('confirm(click): a modal with the plan and the action as its button; pressing it executes the plan', async () => {
    const { engine, calls } = fakeEngine(
      () => ({ kind: 'text', text: '' }),
      () => ({
        kind: 'result',
        plan: stopPlan,
        results: [{ id: 'ins-abcd1234', ok: true, requestId: 'req-ins-abcd1234' }],
        requestIds: [],
      }),
    );
    const c = context(engine);
    answer('Stop');
    const settled = await settle({ kind: 'confirm', planId: 'p-1', plan: stopPlan, level: 'click' }, c);
    const modal = shown.find((s) => s.kind === 'warning')!;
    assert.equal(modal.message, stopPlan.summary);
    assert.equal(modal.options?.modal, true);
    assert.match(String(modal.options?.detail), /name-of-ins-abcd1234 \(ins-abcd1234\) — RUNNING/);
    assert.match(String(modal.options?.detail), /Command: cvm stop ins-abcd1234 --stop-type SOFT/);
    assert.deepEqual(modal.items, ['Stop']);
    assert.deepEqual(
      calls.map((x) => [x.method, x.planId, x.input]),
      [['confirm', 'p-1', undefined]],
    );
    assert.equal(settled.kind, 'done');
    assert.ok(
      c.log.lines.some((l) => /ok RequestId req-ins-abcd1234$/.test(l)),
      c.log.lines.join('\n'),
    );
    assert.ok(shown.some((s) => s.kind === 'info' && /Stop: .*ins-abcd1234.* — done\./.test(s.message)));
  });

  it('confirm(click) dismissed: nothing runs, and the log says it was cancelled', async () => {
    const { engine, calls } = fakeEngine(() => ({ kind: 'text', text: '' }));
    const c = context(engine);
    answer(undefined);
    const settled = await settle({ kind: 'confirm', planId: 'p-1', plan: stopPlan, level: 'click' }, c);
    assert.deepEqual(settled, { kind: 'cancelled' });
    assert.equal(calls.length, 0);
    assert.match(c.log.lines[0]!, /cancelled at the confirmation/);
  });

  it('confirm(typed): an input box that refuses anything but the expected ID', async () => {
    const { engine, calls } = fakeEngine(() => ({ kind: 'text', text: '' }));
    answer('ins-abcd123');
    const refused = await settle(
      { kind: 'confirm', planId: 'p-2', plan: terminatePlan, level: 'typed', expected: 'ins-abcd1234' },
      context(engine, 'Terminate'),
    );
    assert.deepEqual(refused, { kind: 'cancelled' });
    const box = shown.find((s) => s.kind === 'input')!;
    assert.equal(box.validation, 'Type ins-abcd1234 exactly to confirm');
    assert.match(String(box.options?.prompt), /This cannot be undone\. Type ins-abcd1234 to confirm\./);
    // The core's own summary already ends with the warning: it is said once.
    answer(undefined);
    await settle(
      {
        kind: 'confirm',
        planId: 'p-3',
        plan: { ...terminatePlan, summary: `${terminatePlan.summary} This cannot be undone.` },
        level: 'typed',
        expected: 'ins-abcd1234',
      },
      context(engine, 'Terminate'),
    );
    const again = shown.filter((s) => s.kind === 'input').at(-1)!;
    assert.equal(String(again.options?.prompt).match(/cannot be undone/g)?.length, 1, String(again.options?.prompt));
    assert.ok(!shown.some((s) => s.kind === 'warning'), 'no modal for a typed confirmation');
    assert.equal(calls.length, 0);

    answer('ins-abcd1234');
    const done = await settle(
      { kind: 'confirm', planId: 'p-2', plan: terminatePlan, level: 'typed', expected: 'ins-abcd1234' },
      context(engine, 'Terminate'),
    );
    assert.equal(done.kind, 'done');
    assert.deepEqual(calls[0]!.input, { typed: 'ins-abcd1234' });
  });

  it('secret: asks the password twice in password boxes, sends it only to confirm, never logs it', async () => {
    const { engine, calls } = fakeEngine(() => ({ kind: 'text', text: '' }));
    const c = context(engine, 'Reset password');
    const resetPlan = plan('cvm reset-password ins-abcd1234', { action: 'ResetInstancesPassword' });
    answer('Secret-Pass-123', 'Secret-Pass-123');
    const settled = await settle({ kind: 'secret', planId: 'p-3', plan: resetPlan, field: 'Password' }, c);
    assert.equal(settled.kind, 'done');
    const boxes = shown.filter((s) => s.kind === 'input');
    assert.equal(boxes.length, 2);
    assert.ok(boxes.every((b) => b.options?.password === true));
    assert.deepEqual(calls[0]!.input, { password: 'Secret-Pass-123' });
    assert.ok(!c.log.lines.join('\n').includes('Secret-Pass-123'));
    assert.ok(!shown.some((s) => s.message.includes('Secret-Pass-123')));
  });

  it('secret: a short password is refused, and differing passwords send nothing', async () => {
    const { engine, calls } = fakeEngine(() => ({ kind: 'text', text: '' }));
    const resetPlan = plan('cvm reset-password ins-abcd1234');
    answer('short');
    assert.deepEqual(
      await settle({ kind: 'secret', planId: 'p', plan: resetPlan, field: 'Password' }, context(engine)),
      { kind: 'cancelled' },
    );
    assert.equal(shown.find((s) => s.kind === 'input')!.validation, 'The password must be 8 to 30 characters long');
    answer('Long-enough-1', 'Long-enough-2');
    assert.deepEqual(
      await settle({ kind: 'secret', planId: 'p', plan: resetPlan, field: 'Password' }, context(engine)),
      { kind: 'cancelled' },
    );
    assert.equal(calls.length, 0);
  });

  it('approval: says it needs approval and copies the equivalent /tce command', async () => {
    const { engine } = fakeEngine(() => ({ kind: 'text', text: '' }));
    const c = context(engine, 'Terminate');
    answer('Copy /tce command');
    const settled = await settle(
      {
        kind: 'approval',
        approval: {
          id: 'apr-7',
          state: 'pending',
          requester: 'alice',
          plan: terminatePlan,
          approvers: [],
          needed: 1,
          eligible: ['@oncall'],
          expiresAt: '',
        },
      },
      c,
    );
    await settleUi();
    assert.deepEqual(settled, { kind: 'approval', id: 'apr-7' });
    const note = shown.find((s) => s.kind === 'info')!;
    assert.match(note.message, /needs one approval \(@oncall\): request apr-7 is pending in the Approvals view/);
    assert.match(note.message, /wherever tceops shares this store/);
    assert.deepEqual(note.items, ['Show Approvals', 'Copy /tce command']);
    assert.equal(clipboard.text, '/tce cvm terminate ins-abcd1234 --region ap-guangzhou');
    assert.ok(
      !shown.some((s) => s.kind === 'warning' || s.kind === 'input'),
      'no confirmation is asked for an approval',
    );
  });

  it('approval through a tceops server: says the server posted it in Slack, not that a store is shared', async () => {
    const { engine } = fakeEngine(() => ({ kind: 'text', text: '' }));
    const c = { ...context(engine, 'Terminate'), server: 'https://tceops.example.com' };
    const approval = {
      id: 'apr-8',
      state: 'pending',
      requester: 'UALICE',
      plan: terminatePlan,
      approvers: [],
      needed: 1,
      eligible: ['*'],
      expiresAt: '',
    };
    assert.deepEqual(await settle({ kind: 'approval', approval }, c), { kind: 'approval', id: 'apr-8' });
    const note = shown.find((s) => s.kind === 'info')!;
    assert.match(note.message, /request apr-8 is pending in the Approvals view .*the tceops server posted it in Slack/);
    assert.doesNotMatch(note.message, /store/);
  });

  it('error: a notification and a log line with the TCE code and RequestId', async () => {
    const { engine } = fakeEngine(() => ({ kind: 'text', text: '' }));
    const c = context(engine);
    await settle(
      {
        kind: 'error',
        error: {
          message: 'the instance is not running',
          code: 'UnsupportedOperation.InstanceStateStopped',
          requestId: 'r-42',
        },
      },
      c,
    );
    const note = shown.find((s) => s.kind === 'error')!;
    assert.equal(
      note.message,
      'UnsupportedOperation.InstanceStateStopped: the instance is not running (RequestId r-42)',
    );
    assert.deepEqual(note.items, ['Show Log']);
    assert.match(c.log.lines[0]!, /UnsupportedOperation\.InstanceStateStopped.*r-42/);
  });

  it('result with failures: the failed targets, with code and RequestId, in an error notification', async () => {
    const { engine } = fakeEngine(() => ({ kind: 'text', text: '' }));
    const two = plan('cvm stop ins-aaaaaaaa ins-bbbbbbbb --stop-type SOFT');
    const c = context(engine);
    await settle(
      {
        kind: 'result',
        plan: two,
        results: [
          { id: 'ins-aaaaaaaa', ok: true, requestId: 'r-1' },
          {
            id: 'ins-bbbbbbbb',
            ok: false,
            code: 'OperationDenied.InstanceOperationInProgress',
            message: 'busy',
            requestId: 'r-2',
          },
        ],
        requestIds: ['r-1', 'r-2'],
      },
      c,
    );
    assert.match(
      shown.find((s) => s.kind === 'info')!.message,
      /^Stop: name-of-ins-aaaaaaaa \(ins-aaaaaaaa\) — done\.$/,
    );
    assert.equal(
      shown.find((s) => s.kind === 'error')!.message,
      'Stop failed for name-of-ins-bbbbbbbb (ins-bbbbbbbb): OperationDenied.InstanceOperationInProgress: busy (RequestId r-2)',
    );
    assert.equal(c.log.lines.length, 2);
  });

  it('denied: says why, and runs nothing', async () => {
    const { engine, calls } = fakeEngine(() => ({ kind: 'text', text: '' }));
    const settled = await settle(
      { kind: 'denied', reason: 'production instances are stopped from Slack only' },
      context(engine),
    );
    assert.deepEqual(settled, { kind: 'denied', reason: 'production instances are stopped from Slack only' });
    assert.equal(shown[0]!.message, 'Not allowed: production instances are stopped from Slack only');
    assert.equal(calls.length, 0);
  });

  it('turns a thrown error into an error outcome that keeps its code and RequestId', () => {
    const thrown = Object.assign(new Error('cvm:StopInstances failed'), {
      code: 'AuthFailure',
      requestId: 'r-9',
      kind: 'api',
    });
    const outcome = errorOutcome(thrown) as Extract<Outcome, { kind: 'error' }>;
    assert.deepEqual(outcome.error, {
      message: 'cvm:StopInstances failed',
      code: 'AuthFailure',
      requestId: 'r-9',
      kind: 'api',
      hint: undefined,
    });
  });

  it('keeps a region the command already names', () => {
    assert.equal(
      slashCommand(plan('cvm stop ins-1 --region ap-beijing', { region: 'ap-beijing' })),
      '/tce cvm stop ins-1 --region ap-beijing',
    );
  });
});
