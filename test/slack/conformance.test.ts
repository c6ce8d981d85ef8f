/**
 * Issue 11's scenarios end to end, over HTTP against the Slack stand-in, which refuses (as Slack would) and reports
 * every payload outside Slack's documented limits: empty lists, 10,000 instances, hostile names, 100 targets with
 * 20 tags each, a 50,000-character error, 200 pending approvals, and 200 requests in a burst across two replicas.
 * Any violation fails the test (the stand-in's hook); the checks here are about what the user sees.
 */
import assert from 'node:assert/strict';
import { ACTION } from '../../packages/slack/src/blocks/ids.ts';
import type { ApprovalSummary, Outcome, ProgressEvent } from '../../packages/slack/src/core.ts';
import { injectionProblems, textsOf } from './block-kit-check.ts';
import { createFakeEngine, type FakeEngine } from './fake-engine.ts';
import { memoryKeyValue } from '../support/memory-store.ts';
import { elements, type Harness, startHarness, textOf } from './harness.ts';
import {
  approval,
  approvalsView,
  failed,
  HOSTILE,
  hostileName,
  instancesView,
  LONG_ERROR,
  plan,
  progress,
} from './scenarios.ts';
import { type Call, type SlackStandin, startSlackStandin } from './slack-standin.ts';

const ALICE = { user: 'UALICE', channel: 'C0CHAN' };
const APPROVER = { user: 'UAPPROVER', channel: 'C0CHAN' };

interface ScenarioEngine extends FakeEngine {
  /** Outcomes for exact command texts, before the scripted engine's own. */
  script: Map<string, () => Outcome>;
  /** What listApprovals answers, when set. */
  pending?: ApprovalSummary[];
  confirmed: Map<string, Outcome>;
  emitProgress(event: ProgressEvent): void;
}

function scenarioEngine(): ScenarioEngine {
  const base = createFakeEngine();
  const progressListeners = new Set<(e: ProgressEvent) => void>();
  const engine: ScenarioEngine = Object.assign(Object.create(base) as FakeEngine, {
    script: new Map<string, () => Outcome>(),
    confirmed: new Map<string, Outcome>(),
    pending: undefined as ApprovalSummary[] | undefined,
    async run(input: string | string[], ctx: Parameters<FakeEngine['run']>[1], options?: { dryRun?: boolean }) {
      const text = Array.isArray(input) ? input.join(' ') : input;
      const scripted = engine.script.get(text);
      return scripted ? scripted() : base.run(input, ctx, options);
    },
    async confirm(planId: string, ctx: Parameters<FakeEngine['confirm']>[1], input?: { typed?: string }) {
      return engine.confirmed.get(planId) ?? base.confirm(planId, ctx, input);
    },
    async listApprovals(filter: { state?: string; requester?: string } = {}) {
      if (!engine.pending) return base.listApprovals(filter as never);
      return engine.pending.filter(
        (a) => (!filter.state || a.state === filter.state) && (!filter.requester || a.requester === filter.requester),
      );
    },
    onProgress(listener: (e: ProgressEvent) => void) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    emitProgress(event: ProgressEvent) {
      for (const l of progressListeners) l(event);
    },
  }) as ScenarioEngine;
  return engine;
}

/** Every mrkdwn string of every call made so far that lets a hostile string through. */
function injections(calls: readonly Call[]): string[] {
  return calls.flatMap((c) =>
    textsOf(c.method === 'views.publish' || c.method === 'views.open' ? c.args.view : c.args).mrkdwn.flatMap((t) =>
      injectionProblems(t, HOSTILE).map((p) => `${c.method}: ${p}`),
    ),
  );
}

describe('Slack conformance: issue 11 scenarios against the stand-in', function () {
  this.timeout(60_000);
  let h: Harness;
  let engine: ScenarioEngine;

  beforeEach(async () => {
    engine = scenarioEngine();
    h = await startHarness(engine);
  });
  afterEach(async () => {
    await h.close();
  });

  const answer = async (text: string, who = ALICE) => {
    const { responseUrl } = await h.command(text, who);
    return h.standin.waitFor(() => h.responses(responseUrl).at(-1), 10_000, `the answer to ${text}`);
  };

  it('empty lists: "Nothing found", sent once, accepted', async () => {
    engine.script.set('approvals', () => ({ kind: 'table', view: approvalsView([]) }));
    engine.script.set("cvm instances --name 'zzz*'", () => ({ kind: 'table', view: instancesView(0) }));
    for (const command of ['approvals', "cvm instances --name 'zzz*'"]) {
      const response = await answer(command);
      assert.match(textOf(response.blocks), /Nothing found/);
    }
    assert.equal(h.standin.callsTo('chat.postEphemeral').length, 0, 'no fallback: the first answer was accepted');
    assert.deepEqual(h.standin.violations, []);
  });

  it('10,000 instances with hostile 60-character names: pages, totals, nothing unescaped', async () => {
    engine.script.set('cvm instances', () => ({
      kind: 'table',
      view: instancesView(100, { total: 10_000, name: hostileName }),
    }));
    engine.script.set('cvm instances --limit 10000', () => ({
      kind: 'table',
      view: instancesView(10_000, { name: hostileName }),
    }));
    const page = await answer('cvm instances');
    assert.match(textOf(page.blocks), /Showing 1–\d+ of 10000/);
    assert.equal(elements(page.blocks, ACTION.page).length, 1);
    const all = await answer('cvm instances --limit 10000');
    const shown = Number(/Showing 1–(\d+) of 10000/.exec(textOf(all.blocks))?.[1]);
    assert.ok(shown > 40);
    assert.equal(elements(all.blocks, ACTION.page)[0]?.value, `cvm instances --limit 10000 --offset ${shown}`);
    assert.deepEqual(injections(h.standin.calls), []);
  });

  it('100 targets with 20 tags each: the request, all targets a page at a time, progress, 100 failures', async () => {
    const p = plan(100, 20, hostileName);
    const a = approval('apr-big', p);
    engine.pending = [a];
    engine.script.set('cvm terminate many', () => ({ kind: 'approval', approval: structuredClone(a) }));
    await h.command('cvm terminate many', ALICE);
    const posted = await h.standin.waitFor(
      () => [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      10_000,
      'the approval request',
    );
    const text = textOf(posted.blocks);
    assert.match(text, /…and \d+ more \(see all targets below\)/);
    assert.equal(elements(posted.blocks, ACTION.approve).length, 1, 'approvers can still decide');

    // "All 100 targets": privately, a page at a time, every target reachable.
    const [all] = elements(posted.blocks, ACTION.targets);
    const seen = new Set<string>();
    let click = await h.click(ACTION.targets, String(all!.value), APPROVER, { messageTs: posted.ts });
    for (let i = 0; i < 30; i++) {
      const page = await h.standin.waitFor(() => h.responses(click.responseUrl).at(-1), 5000, 'a targets page');
      for (const id of textOf(page.blocks).match(/ins-\d{8}/g) ?? []) seen.add(id);
      const [next] = elements(page.blocks, `${ACTION.targets}_next`);
      if (!next) break;
      click = await h.click(`${ACTION.targets}_next`, String(next.value), APPROVER, { ephemeral: true });
    }
    assert.equal(seen.size, 100, 'every target can be seen');

    // Running: 200 progress events in a burst, then 100 failures with 50,000-character messages.
    const updatesBefore = h.standin.callsTo('chat.update').length;
    engine.emitApproval({ ...a, state: 'executing', approvers: ['UAPPROVER'] });
    for (const e of [...progress(p, false), ...progress(p, true)]) engine.emitProgress(e);
    const done: ApprovalSummary = { ...a, state: 'failed', approvers: ['UAPPROVER'], results: failed(p) };
    engine.pending = [done];
    engine.emitApproval(done);
    const final = await h.standin.waitFor(
      () =>
        /failed/.test(posted.text ?? '') && /Progress: 100 of 100 settled/.test(textOf(posted.blocks))
          ? posted
          : undefined,
      10_000,
      'the final state',
    );
    await h.bot.tracker.idle();
    const updates = h.standin.callsTo('chat.update').length - updatesBefore;
    assert.ok(updates <= 10, `${updates} updates for 202 events: coalesced`);
    assert.match(textOf(final.blocks), /OperationDenied\.InstanceOperationInProgress/);
    assert.match(final.text!, /it failed/);
    // "All 100 results": every failure, each message far longer than in the request, a page at a time.
    const [results] = elements(final.blocks, ACTION.results);
    const failures = new Set<string>();
    let more = await h.click(ACTION.results, String(results!.value), APPROVER, { messageTs: final.ts });
    for (let i = 0; i < 30; i++) {
      const page = await h.standin.waitFor(() => h.responses(more.responseUrl).at(-1), 5000, 'a results page');
      for (const line of textOf(page.blocks).split('\n'))
        if (/^:x: `ins-\d{8}`/.test(line) && line.length > 1000) failures.add(line.slice(0, 20));
      const [next] = elements(page.blocks, `${ACTION.results}_next`);
      if (!next) break;
      more = await h.click(`${ACTION.results}_next`, String(next.value), APPROVER, { ephemeral: true });
    }
    assert.equal(failures.size, 100, 'every failure, with its message');
    assert.deepEqual(injections(h.standin.calls), []);
  });

  it('20 of 20 failed after a confirmation: says so, never "Done"', async () => {
    const p = plan(20, 0);
    engine.script.set('cvm stop twenty', () => ({ kind: 'confirm', planId: 'plan-20', plan: p, level: 'click' }));
    engine.confirmed.set('plan-20', { kind: 'result', plan: p, results: failed(p), requestIds: [] });
    await answer('cvm stop twenty');
    const { responseUrl } = await h.click(ACTION.confirm, 'plan-20', ALICE, { ephemeral: true });
    const notice = await h.standin.waitFor(
      () => h.responses(responseUrl).find((r) => /failed/.test(String(r.text))),
      10_000,
      'the notice',
    );
    assert.match(String(notice.text), /All 20 failed/);
    assert.doesNotMatch(String(notice.text), /Done/);
    const posted = [...h.standin.messages.values()].find((m) => /failed/.test(m.text ?? ''));
    assert.match(posted!.text!, /all 20 failed/);
    const lines = textOf(posted!.blocks)
      .split('\n')
      .filter((l) => /^:x: `ins-\d{8}`/.test(l));
    assert.equal(lines.length, 20, 'every failed target has its line, however long the messages');
  });

  it('a 50,000-character TCE error and cvm show with long JSON: accepted, bounded, fence closed', async () => {
    engine.script.set('cvm start broken', () => ({
      kind: 'error',
      error: Object.assign(new Error(LONG_ERROR), { code: 'InternalError', requestId: 'req-long' }) as never,
    }));
    engine.script.set('cvm show big', () => ({
      kind: 'detail',
      title: 'ins-00000001',
      item: {
        InstanceId: 'ins-00000001',
        Tags: Array.from({ length: 3000 }, (_, i) => ({ Key: `k${i}`, Value: '&<>' })),
      },
      requestIds: ['req-show'],
    }));
    const error = await answer('cvm start broken');
    assert.ok(String(error.text).length <= 4000);
    assert.match(String(error.text), /InternalError/);
    const detail = await answer('cvm show big');
    const json = textsOf(detail).mrkdwn.find((t) => t.startsWith('```'))!;
    assert.equal(json.split('```').length, 3);
  });

  it('200 pending approvals: Home shows totals and pages; /tce approvals pages', async () => {
    const list = Array.from({ length: 200 }, (_, i) =>
      approval(`apr-${String(i).padStart(3, '0')}`, plan(1, 20, hostileName), 'pending', i % 2 ? 'UALICE' : 'UBOB'),
    );
    engine.pending = list;
    engine.script.set('approvals', () => ({ kind: 'table', view: approvalsView(list) }));
    await h.event({ type: 'app_home_opened', user: 'UAPPROVER', channel: 'D0HOME', tab: 'home', event_ts: '1' });
    const first = await h.standin.waitFor(() => h.standin.callsTo('views.publish')[0], 5000, 'Home');
    const blocks = (first.args.view as { blocks: unknown[] }).blocks;
    assert.match(textOf(blocks), /Waiting for your approval \(200\)/);
    assert.match(textOf(blocks), /Showing 1–10 of 200/);
    const [next] = elements(blocks, `${ACTION.homePage}_waiting_next`);
    await h.click(`${ACTION.homePage}_waiting_next`, String(next!.value), APPROVER, { home: true });
    const second = await h.standin.waitFor(() => h.standin.callsTo('views.publish')[1], 5000, 'Home, page 2');
    assert.match(textOf((second.args.view as { blocks: unknown[] }).blocks), /Showing 11–20 of 200/);

    const table = await answer('approvals');
    const text = textOf(table.blocks);
    assert.match(text, /requested by <@UALICE>/);
    assert.match(text, /<!date\^\d+\^/);
    const shown = Number(/Showing 1–(\d+) of 200/.exec(text)?.[1]);
    assert.ok(shown >= 20 && shown < 200, `${shown} shown`);
    assert.equal(elements(table.blocks, ACTION.page)[0]?.value, `approvals --offset ${shown}`);
    assert.deepEqual(injections(h.standin.calls), []);
  });
});

describe('Slack conformance: 200 requests in a burst, two replicas, one channel', function () {
  this.timeout(60_000);
  const INTERVAL = 40;
  let standin: SlackStandin;
  let replicas: Harness[];
  const kv = memoryKeyValue();

  before(async () => {
    standin = await startSlackStandin();
    replicas = [
      await startHarness(createFakeEngine(), {
        standin,
        kv,
        pacing: { postIntervalMs: INTERVAL, updateIntervalMs: INTERVAL },
      }),
      await startHarness(createFakeEngine(), {
        standin,
        kv,
        pacing: { postIntervalMs: INTERVAL, updateIntervalMs: INTERVAL },
      }),
    ];
  });
  after(async () => {
    for (const r of replicas) await r.close();
    await standin.close();
  });

  it('posts them all, no two in one channel turn, whichever replica got them', async () => {
    for (let batch = 0; batch < 10; batch++)
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => replicas[(batch + i) % 2]!.command('cvm terminate web-1', ALICE)),
      );
    const posts = await standin.waitFor(
      () => {
        const list = standin
          .callsTo('chat.postMessage')
          .filter((c) => c.args.channel === 'C0CHAN' && !c.args.thread_ts);
        return list.length >= 200 ? list : undefined;
      },
      30_000,
      '200 approval requests',
    );
    assert.equal(posts.length, 200);
    // One turn (slot) per post, claimed in the shared store, none twice, whichever replica posted.
    const turns = [...kv.data.keys()]
      .filter((k) => k.startsWith('slack:pace:post:C0CHAN:'))
      .map((k) => Number(k.split(':').at(-1)));
    assert.equal(turns.length, 200);
    assert.ok(Math.max(...turns) - Math.min(...turns) >= 199);
    // Where Slack sees them: a post leaves no earlier than its turn starts, and the turns are 200 distinct slots, so
    // the k-th post to arrive comes no earlier than k intervals after the first turn, however late any single send
    // is on a loaded machine (lateness only moves arrivals later). This is Slack's limit over every span: at most
    // k + 1 posts in k intervals. (The exact spacing is checked on a virtual clock in packages/slack/test/pace.test.ts.)
    const first = Math.min(...turns) * INTERVAL;
    const at = posts.map((c) => c.at).sort((a, b) => a - b);
    // 2 ms: a timer may fire up to a millisecond before Date.now() reaches its due time.
    const early = at.map((t, k) => t - (first + k * INTERVAL)).filter((ms) => ms < -2);
    assert.deepEqual(early, [], 'posts that arrived before their turn');
    // Every requester was told where their request is.
    await standin.waitFor(
      () => standin.callsTo('response').filter((c) => /needs 1 approval/.test(JSON.stringify(c.args))).length >= 200,
      10_000,
      'the 200 pending notices',
    );
  });
});

describe('Slack conformance: a requester whose request waits for the channel is told so', function () {
  this.timeout(30_000);

  it('past 3 s of queue, a private "Queued … in about N s", then the usual notice once posted', async () => {
    // The queue is the subject, so the pacing runs on a clock that stands still: the n-th request finds n turns
    // ahead of it (n s), however long the machine takes, and its turn's wait passes at once.
    const now = Math.ceil(Date.now() / 1000) * 1000;
    const h = await startHarness(createFakeEngine(), {
      pacing: { postIntervalMs: 1000, updateIntervalMs: 5, now: () => now, sleep: () => Promise.resolve() },
    });
    try {
      const answers: string[][] = [];
      // One at a time, each answered before the next, so the n-th sees exactly n turns taken.
      for (let n = 0; n < 8; n++) {
        const { responseUrl } = await h.command('cvm terminate web-1', ALICE);
        answers.push(
          await h.standin.waitFor(
            () => {
              const texts = h.responses(responseUrl).map((r) => String(r.text));
              return texts.some((t) => /Approval requested/.test(t)) ? texts : undefined;
            },
            10_000,
            `the pending notice of request ${n + 1}`,
          ),
        );
      }
      const queued = answers.map((a) => a.find((t) => /Queued/.test(t)));
      assert.deepEqual(
        queued.map((t) => /in about (\d+) s/.exec(t ?? '')?.[1]),
        [undefined, undefined, undefined, undefined, '4', '5', '6', '7'],
        'told only past 3 s of queue, with the wait',
      );
      for (const a of answers.slice(4))
        assert.ok(
          a.findIndex((t) => /Queued/.test(t)) < a.findIndex((t) => /Approval requested/.test(t)),
          'the queue notice comes first',
        );
      assert.equal(h.standin.callsTo('chat.postMessage').length, 8, 'every request posted');
    } finally {
      await h.close();
    }
  });
});
