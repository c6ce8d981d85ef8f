import '../support/setup.ts';
import assert from 'node:assert/strict';
import { decide } from '../../src/approvals/decide.ts';
import { approvalLook, finalText, typedApproval } from '../../src/approvals/present.ts';
import { inert } from '@tceops/core';
import {
  type ApprovalFeed,
  type ApprovalNode,
  type ApprovalsHooks,
  ApprovalsProvider,
  announceFinal,
} from '../../src/approvals/view.ts';
import type { ProgressFeed } from '../../src/actions/follow-stream.ts';
import type { ApprovalSummary, EnginePort } from '../../src/engine-port.ts';
import { windowPrompts } from '../../src/ui/prompts.ts';
import { fakeEngine, plan } from '../support/fake-engine.ts';
import { answer, resetStub, shown, type TreeItem } from '../support/vscode-stub.ts';

function approval(partial: Partial<ApprovalSummary> = {}): ApprovalSummary {
  return {
    id: 'apr-aaaa1111',
    state: 'pending',
    requester: 'me',
    plan: plan('cvm terminate ins-abcd1234', {
      summary: 'Terminate 1 instance in ap-guangzhou: web-1 (ins-abcd1234, RUNNING). This cannot be undone.',
      irreversible: true,
    }),
    approvers: [],
    needed: 1,
    eligible: ['*'],
    expiresAt: '2026-11-30T10:00:00Z',
    ...partial,
  };
}

/** An engine whose store holds `records`; tests change them as another approver would. */
function store(records: ApprovalSummary[]) {
  const { engine, calls } = fakeEngine(() => ({ kind: 'text', text: '' }));
  engine.listApprovals = async (filter = {}) =>
    records.filter(
      (r) => (!filter.state || r.state === filter.state) && (!filter.requester || r.requester === filter.requester),
    );
  return { engine, calls };
}

function provider(engine: EnginePort, finals: ApprovalSummary[] = []) {
  return new ApprovalsProvider({
    engine: async () => engine,
    connected: () => true,
    me: () => 'me',
    intervalMs: () => 1_000_000,
    log: () => {},
    onFinal: (a) => finals.push(a),
  });
}

/** The view signed in to a tceops server as `me` (the Slack user ID its whoami gave). */
function serverProvider(records: ApprovalSummary[], me: string) {
  return new ApprovalsProvider({
    engine: async () => store(records).engine,
    connected: () => true,
    me: () => me,
    viaServer: () => true,
    intervalMs: () => 1_000_000,
    log: () => {},
  });
}

const labelsOf = (p: ApprovalsProvider, nodes: ApprovalNode[]) =>
  nodes.map((n) => (p.getTreeItem(n) as unknown as TreeItem).label);

describe('vscode approvals: the view', () => {
  beforeEach(resetStub);

  it('lists my pending requests and the ones I may decide, not others', async () => {
    const records = [
      approval(),
      approval({ id: 'apr-bbbb2222', requester: 'bob' }),
      approval({ id: 'apr-cccc3333', requester: 'bob', eligible: ['carol'] }),
    ];
    const p = provider(store(records).engine);
    await p.reload();
    const [mine, decide] = p.getChildren();
    assert.deepEqual(labelsOf(p, [mine!, decide!]), ['My requests (1 open)', 'Waiting for my decision (1)']);
    assert.deepEqual(
      p.getChildren(mine).map((n) => n.type === 'approval' && n.approval.id),
      ['apr-aaaa1111'],
    );
    const [row] = p.getChildren(decide);
    const item = p.getTreeItem(row!) as unknown as TreeItem;
    assert.equal(item.label, 'Terminate 1 instance in ap-guangzhou: name-of-ins-abcd1234');
    assert.equal(item.description, 'PENDING · 0/1 approved · apr-bbbb2222');
    assert.equal(item.contextValue, 'tceops.approval.pending.decide');
    p.dispose();
  });

  it('keeps a request raised here until it ends, then shows its final state and announces it once', async () => {
    const records = [approval()];
    const finals: ApprovalSummary[] = [];
    const p = provider(store(records).engine, finals);
    p.track(records[0]!);
    await p.reload();
    // Approved and run elsewhere (Slack, the terminal): it leaves the pending list but stays here.
    records[0] = { ...records[0]!, state: 'succeeded', approvers: ['alice'] };
    await p.reload();
    await p.reload();
    const [mine] = p.getChildren();
    const [row] = p.getChildren(mine);
    assert.equal((p.getTreeItem(row!) as unknown as TreeItem).description, 'SUCCEEDED · apr-aaaa1111');
    assert.equal((p.getTreeItem(row!) as unknown as TreeItem).contextValue, 'tceops.approval.succeeded.mine');
    assert.deepEqual(
      finals.map((a) => a.state),
      ['succeeded'],
    );
    assert.equal(
      finalText(finals[0]!),
      'Request apr-aaaa1111 (Terminate 1 instance in ap-guangzhou) SUCCEEDED, approved by alice.',
    );
    p.dismiss('apr-aaaa1111');
    assert.equal(p.getChildren(p.getChildren()[0]).at(0)?.type, 'message');
    p.dispose();
  });

  it('through a tceops server, lists every pending request not mine for a decision (the server decides who may)', async () => {
    const records = [
      approval({ requester: 'U0123SLACK', eligible: ['oncall'] }),
      approval({ id: 'apr-mine0001', requester: 'UALICE' }),
      // Mine, raised elsewhere (the terminal, Slack): the server said who I am, so it is not offered to me to decide.
      approval({ id: 'apr-mine0002', requester: 'UALICE' }),
    ];
    const p = serverProvider(records, 'UALICE');
    p.track(records[1]!);
    await p.reload();
    assert.deepEqual(
      p.listed().decide.map((a) => a.id),
      ['apr-aaaa1111'],
    );
    assert.deepEqual(
      p.listed().mine.map((a) => a.id),
      ['apr-mine0001', 'apr-mine0002'],
    );
    const [mine, decide] = p.getChildren();
    assert.deepEqual(labelsOf(p, [mine!, decide!]), ['My requests (2 open)', 'Waiting for my decision (1)']);
    assert.deepEqual(
      p.getChildren(mine).map((n) => (p.getTreeItem(n) as unknown as TreeItem).contextValue),
      ['tceops.approval.pending.mine', 'tceops.approval.pending.mine'],
      'my rows offer Cancel, not Approve',
    );
    p.dispose();
  });

  it('through a tceops server, my own request written another way (case, full-width) is still mine, never to decide', async () => {
    const records = [
      approval({ id: 'apr-case0001', requester: 'ualice' }),
      approval({ id: 'apr-wide0001', requester: 'ＵＡＬＩＣＥ' }),
      approval({ id: 'apr-bob00001', requester: 'UBOB' }),
    ];
    const p = serverProvider(records, 'UALICE');
    await p.reload();
    assert.deepEqual(
      p.listed().decide.map((a) => a.id),
      ['apr-bob00001'],
    );
    assert.deepEqual(
      p.listed().mine.map((a) => a.id),
      ['apr-case0001', 'apr-wide0001'],
    );
    p.dispose();
  });

  /** The view through a server whose approvals stream the test drives; counts the list reads. */
  function streamed(
    records: ApprovalSummary[],
    finals: ApprovalSummary[] = [],
    intervalMs = 20,
    hooks: Partial<ApprovalsHooks> = {},
  ) {
    const { engine } = store(records);
    let reads = 0;
    const list = engine.listApprovals;
    engine.listApprovals = (filter) => {
      reads++;
      return list(filter);
    };
    const feeds: ApprovalFeed[] = [];
    let stops = 0;
    const p = new ApprovalsProvider({
      engine: async () => engine,
      connected: () => true,
      me: () => 'UALICE',
      viaServer: () => true,
      intervalMs: () => intervalMs,
      backstopMs: 1_000_000,
      follow: (feed) => {
        feeds.push(feed);
        return { stop: () => void stops++ };
      },
      log: () => {},
      onFinal: (a) => finals.push(a),
      ...hooks,
    });
    return { p, feeds, reads: () => reads, stops: () => stops };
  }
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('through a tceops server: hears my request decided on the stream, not by polling; announces it once', async () => {
    const mine = approval({ id: 'apr-mine0001', requester: 'UALICE' });
    const finals: ApprovalSummary[] = [];
    const { p, feeds, reads } = streamed([mine], finals);
    p.track(mine);
    assert.equal(feeds.length, 1, 'a request to follow opens the stream');
    feeds[0]!.onReady(false);
    await pause(100);
    const afterReady = reads();
    assert.ok(afterReady <= 2, `read once to catch up (${afterReady})`);
    await pause(200);
    assert.equal(reads(), afterReady, 'no list read every 20 ms while the stream is live');
    feeds[0]!.onApproval({ ...mine, state: 'succeeded', approvers: ['UBOB'] });
    feeds[0]!.onApproval({ ...mine, state: 'succeeded', approvers: ['UBOB'] });
    assert.deepEqual(
      finals.map((a) => a.state),
      ['succeeded'],
      'announced once',
    );
    assert.equal(p.listed().mine[0]!.state, 'succeeded');
    assert.equal(reads(), afterReady, 'learned without reading the list');
    p.dispose();
  });

  /** A view through a server whose stream carries runs (`progress`), recording the runs it hands over. */
  function withRuns(mine: ApprovalSummary, progress: boolean) {
    const runs: { approval: ApprovalSummary; feed: ProgressFeed; seen: string[] }[] = [];
    const finals: [string, boolean][] = [];
    const view = streamed([mine], [], 1_000_000, {
      onRun: (approval, feed) => {
        const seen: string[] = [];
        feed.follow(approval.plan.hash, (e) =>
          seen.push(`${e.targetId} ${e.state}${e.targetId ? '' : ` ${e.message}`}`),
        );
        runs.push({ approval, feed, seen });
        return true;
      },
      onFinal: (a, followed) => finals.push([a.state, followed]),
    });
    view.p.track(mine);
    view.feeds[0]!.onReady(progress);
    return { ...view, runs, finals };
  }
  const event = (planHash: string, targetId: string, state: string) => ({
    planHash,
    targetId,
    state,
    done: false,
    message: `${targetId} is ${state}`,
  });
  const idleNow = async (feed: ProgressFeed) => {
    let idle = false;
    void feed.idle().then(() => {
      idle = true;
    });
    await pause(5);
    return idle;
  };

  it('through a tceops server: my approved request’s run is handed over from "executing" with its progress, until "followed"', async () => {
    const mine = approval({ id: 'apr-mine0002', requester: 'UALICE' });
    const theirs = approval({ id: 'apr-bob00002', requester: 'UBOB', plan: plan('cvm stop ins-bob00002') });
    const { p, feeds, runs, finals } = withRuns(mine, true);
    feeds[0]!.onProgress!(event(mine.plan.hash, 'ins-abcd1234', 'RUNNING')); // before its run: not taken
    feeds[0]!.onApproval({ ...theirs, state: 'executing' }); // a hostile server's: never taken
    feeds[0]!.onApproval({ ...mine, state: 'executing' });
    feeds[0]!.onApproval({ ...mine, state: 'executing' });
    assert.deepEqual(
      runs.map((r) => r.approval.id),
      ['apr-mine0002'],
      'one run handed over, mine',
    );
    feeds[0]!.onProgress!(event(mine.plan.hash, 'ins-abcd1234', 'SHUTDOWN'));
    feeds[0]!.onProgress!(event(theirs.plan.hash, 'ins-bob00002', 'STOPPING'));
    feeds[0]!.onApproval({ ...mine, state: 'succeeded' });
    assert.deepEqual(finals, [['succeeded', true]], 'ended, and followed on the stream (no polling of its targets)');
    assert.equal(await idleNow(runs[0]!.feed), false, 'still followed until the server says so');
    feeds[0]!.onFollowed!(theirs.plan.hash);
    assert.equal(await idleNow(runs[0]!.feed), false, 'another run’s end is not this one’s');
    feeds[0]!.onFollowed!(mine.plan.hash);
    assert.equal(await idleNow(runs[0]!.feed), true);
    feeds[0]!.onProgress!(event(mine.plan.hash, 'ins-abcd1234', 'LATE'));
    assert.deepEqual(runs[0]!.seen, ['ins-abcd1234 SHUTDOWN']);
    p.dispose();
  });

  it('through a tceops server that streams no runs (an older one): none handed over, its end followed as before', async () => {
    const mine = approval({ id: 'apr-mine0003', requester: 'UALICE' });
    const { p, feeds, runs, finals } = withRuns(mine, false);
    feeds[0]!.onApproval({ ...mine, state: 'executing' });
    feeds[0]!.onApproval({ ...mine, state: 'succeeded' });
    assert.equal(runs.length, 0);
    assert.deepEqual(finals, [['succeeded', false]]);
    p.dispose();
  });

  it('the stream breaks while a run is followed: its follower hears the progress stopped, and why', async () => {
    const mine = approval({ id: 'apr-mine0004', requester: 'UALICE' });
    const { p, feeds, runs } = withRuns(mine, true);
    feeds[0]!.onApproval({ ...mine, state: 'executing' });
    feeds[0]!.onEnd('no word from the server for 45 s', false);
    assert.equal(await idleNow(runs[0]!.feed), true);
    assert.deepEqual(runs[0]!.seen, [" UNKNOWN the server's progress stopped (no word from the server for 45 s)"]);
    p.dispose();
  });

  it('through a tceops server: someone else\'s request is never taken from the stream; "changed" reads the list once', async () => {
    const theirs = approval({ id: 'apr-bob00001', requester: 'UBOB' });
    const { p, feeds, reads } = streamed([]);
    p.setVisible(true);
    feeds[0]!.onReady(false);
    await pause(50);
    // A hostile or mistaken server sends another user's request whole: not listed.
    feeds[0]!.onApproval(theirs);
    assert.deepEqual(p.listed(), { mine: [], decide: [] });
    const before = reads();
    feeds[0]!.onChanged();
    await pause(50);
    assert.equal(reads(), before + 1);
    p.dispose();
  });

  it('through a tceops server without the stream (an older one, or it broke): polls as before, and not in a tight loop', async () => {
    const mine = approval({ id: 'apr-mine0001', requester: 'UALICE' });
    const { p, feeds, reads, stops } = streamed([mine]);
    p.track(mine);
    feeds[0]!.onEnd('the server does not stream approvals', true);
    await pause(300);
    assert.ok(reads() >= 5, `polled every 20 ms (${reads()})`);
    assert.equal(feeds.length, 1, 'an older server is not asked again');
    p.dismiss(mine.id);
    await p.restart();
    p.track(mine);
    assert.equal(feeds.length, 2, 'a new connection tries the stream again');
    feeds[1]!.onEnd('the server closed the stream', false);
    await pause(100);
    assert.ok(feeds.length <= 7, `reopened at most once a round, not at once (${feeds.length})`);
    p.dispose();
    assert.ok(stops() >= 1);
  });

  it('a hostile request from the server is shown inert: the row, and the notice that it ended', async () => {
    const hostile = approval({
      id: 'apr-evil0001',
      requester: 'UALICE',
      state: 'denied',
      reason: '[open](command:workbench.action.quit) $(alert) \u001b[2J\u202e',
      plan: plan('cvm terminate ins-abcd1234', { summary: 'Terminate\u202e [x](command:evil) 1 instance' }),
    });
    const item = approvalLook(hostile, true);
    assert.equal(inert(item.label), item.label, item.label);
    announceFinal(hostile);
    const notice = shown.at(-1)!.message;
    assert.equal(inert(notice), notice, notice);
    assert.ok(!notice.includes(']('), notice);
    assert.ok(notice.includes('\\$(alert)'), notice);
  });

  it('says so when the store cannot be read', async () => {
    const p = new ApprovalsProvider({
      engine: async () => Promise.reject(new Error('store unreachable')),
      connected: () => true,
      me: () => 'me',
      intervalMs: () => 1_000_000,
      log: () => {},
    });
    await p.reload();
    assert.match(
      String((p.getTreeItem(p.getChildren()[0]!) as unknown as TreeItem).label),
      /Could not read approvals: store unreachable/,
    );
    p.dispose();
  });

  it('approves a destructive plan only when its target IDs are typed; a wrong text approves nothing', async () => {
    const { engine, calls } = store([]);
    const approved: string[] = [];
    engine.approve = async (id) => {
      approved.push(id);
      return { kind: 'approval', approval: approval({ state: 'approved', approvers: ['me'] }) };
    };
    const deps = {
      engine: async () => engine,
      ctx: { actor: { id: 'me' }, surface: 'vscode' as const },
      ui: windowPrompts(),
      log: { line() {}, show() {}, dispose() {}, recent: () => [] },
    };
    const a = approval({ requester: 'bob' });
    assert.equal(typedApproval(a), 'ins-abcd1234');
    answer('ins-abcd123');
    assert.equal(await decide('approve', a, deps), undefined);
    assert.deepEqual(approved, []);
    answer('ins-abcd1234');
    const outcome = await decide('approve', a, deps);
    assert.equal(outcome?.kind, 'approval');
    assert.deepEqual(approved, ['apr-aaaa1111']);
    assert.match(shown.at(-1)!.message, /apr-aaaa1111 is now APPROVED \(1\/1 approved\)/);
    assert.equal(calls.length, 0);
  });

  it('denies with a reason, and shows the engine refusing an approver who may not decide', async () => {
    const { engine } = store([]);
    const denied: (string | undefined)[] = [];
    engine.deny = async (_id, _ctx, reason) => {
      denied.push(reason);
      return { kind: 'approval', approval: approval({ state: 'denied', reason }) };
    };
    engine.approve = async () => ({
      kind: 'error',
      error: {
        message: 'me cannot approve apr-aaaa1111: you asked for it; someone else must approve',
        code: 'UnauthorizedOperation',
      },
    });
    const deps = {
      engine: async () => engine,
      ctx: { actor: { id: 'me' }, surface: 'vscode' as const },
      ui: windowPrompts(),
      log: { line() {}, show() {}, dispose() {}, recent: () => [] },
    };
    answer('not during the freeze');
    await decide('deny', approval({ requester: 'bob' }), deps);
    assert.deepEqual(denied, ['not during the freeze']);
    answer('Approve');
    await decide('approve', approval({ plan: plan('cvm stop ins-abcd1234') }), deps);
    assert.match(
      shown.at(-1)!.message,
      /^Could not approve apr-aaaa1111: UnauthorizedOperation: .*someone else must approve/,
    );
    assert.equal(shown.at(-1)!.kind, 'error');
  });

  it("shows a hostile server's answer to a decision inert: no control characters, icons or links", async () => {
    const { engine } = store([]);
    engine.approve = async () => ({
      kind: 'error',
      error: {
        message: 'refused \u001b[2J$(alert) [click here](https://evil.example) \u202eesrever',
        code: 'Unauthorized\u0007Operation',
      },
    });
    const deps = {
      engine: async () => engine,
      ctx: { actor: { id: 'me' }, surface: 'vscode' as const },
      ui: windowPrompts(),
      log: { line() {}, show() {}, dispose() {}, recent: () => [] },
    };
    answer('Approve');
    await decide(
      'approve',
      approval({ id: 'apr-\u001b]8;;https://evil.example\u0007x', plan: plan('cvm stop ins-abcd1234') }),
      deps,
    );
    const message = shown.at(-1)!.message;
    assert.match(message, /^Could not approve apr-/);
    const unsafe = [...message].filter((c) => c < ' ' || c === '\u007f' || c === '\u202e');
    assert.deepEqual(unsafe, [], 'no control or bidi characters');
    assert.doesNotMatch(message, /(^|[^\\])\$\(|\]\(/, 'no icon or link syntax');
  });

  it('looks: state in words, the whole plan in the tooltip, an accessible label', () => {
    const look = approvalLook(
      approval({ state: 'failed', results: [{ id: 'ins-abcd1234', ok: false, code: 'OperationDenied' }] }),
      true,
    );
    assert.equal(look.icon, 'error');
    assert.match(look.tooltip, /Failed: `ins-abcd1234` OperationDenied/);
    assert.match(look.accessibility, /^Approval request apr-aaaa1111, FAILED: Terminate/);
  });
});
