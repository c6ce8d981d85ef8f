/**
 * Pacing at Slack's real rates, on a virtual clock: one message per second per channel and 50 chat.update calls a
 * minute, across replicas sharing a store, with message updates coalesced so the last state lands.
 */
import assert from 'node:assert/strict';
import { Pacer, SLACK_RATES } from '../src/pace.ts';
import { createLog } from '../src/logger.ts';
import { createMetrics } from '../src/metrics.ts';
import { type KeyValue, Tracker } from '../src/tracker.ts';
import { approval, plan, progress } from '../../../test/slack/scenarios.ts';
import { memoryKeyValue } from '../../../test/slack/harness.ts';

/** A clock that only moves when every sleeper due has been woken: timers fire in order, instantly. */
function virtualClock() {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        timers.push({ at: now + ms, wake });
      }),
    /** Moves time forward until nothing sleeps any more, letting the woken callers run in between. */
    async run(late = 0) {
      for (;;) {
        for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
        if (!timers.length) return;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        now = Math.max(now, next.at + late);
        next.wake();
      }
    },
  };
}

describe('pacing within Slack rate tiers', () => {
  it("uses Slack's documented rates: 1 post per second per channel, chat.update 50 a minute", () => {
    assert.equal(SLACK_RATES.postIntervalMs, 1000);
    assert.equal(60_000 / SLACK_RATES.updateIntervalMs, 50);
  });

  it('200 posts to one channel from two replicas sharing a store: one per second, in 199 s', async () => {
    const clock = virtualClock();
    const kv = memoryKeyValue();
    const replicas = [new Pacer({ kv, ...clock }), new Pacer({ kv, ...clock })];
    const sent: number[] = [];
    const all = Array.from({ length: 200 }, (_, i) =>
      replicas[i % 2]!.post('C0CHAN').then(() => sent.push(clock.now())),
    );
    await clock.run();
    await Promise.all(all);
    sent.sort((a, b) => a - b);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 1]! >= 1000, `posts ${i - 1} and ${i}`);
    assert.equal(sent.at(-1)! - sent[0]!, 199_000);
    assert.equal(kv.data.size, 200, 'one claimed turn per post');
  });

  it('says how long a post to a channel would wait', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ ...clock });
    assert.equal(pacer.postDelay('C0CHAN'), 0);
    for (let i = 0; i < 10; i++) void pacer.post('C0CHAN');
    assert.equal(pacer.postDelay('C0CHAN'), 10_000);
    assert.equal(pacer.postDelay('C0OTHER'), 0);
    await clock.run();
  });

  it('channels do not wait for each other', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ ...clock });
    const at = await Promise.all([pacer.post('C1'), pacer.post('C2'), pacer.post('C3')]);
    assert.deepEqual(at, [0, 0, 0]);
  });

  it('300 updates from three replicas: never more than 50 in any minute', async () => {
    const clock = virtualClock();
    const kv = memoryKeyValue();
    const replicas = [0, 1, 2].map(() => new Pacer({ kv, ...clock }));
    const sent: number[] = [];
    const all = Array.from({ length: 300 }, (_, i) => replicas[i % 3]!.update().then(() => sent.push(clock.now())));
    await clock.run();
    await Promise.all(all);
    sent.sort((a, b) => a - b);
    let most = 0;
    for (let i = 0; i < sent.length; i++)
      most = Math.max(most, sent.filter((t) => t >= sent[i]! && t < sent[i]! + 60_000).length);
    assert.equal(most, 50);
  });

  it('a process that wakes late (busy) still keeps its own sends one interval apart', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ ...clock });
    const sent: number[] = [];
    const all = Array.from({ length: 20 }, () => pacer.post('C0CHAN').then(() => sent.push(clock.now())));
    await clock.run(700);
    await Promise.all(all);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 1]! >= 1000, `${sent[i]! - sent[i - 1]!} ms`);
  });

  it('a failing store does not stop posting: this process paces alone, and says so', async () => {
    const clock = virtualClock();
    const errors: unknown[] = [];
    const broken: KeyValue = {
      getValue: async () => undefined,
      setValue: async () => {},
      setValueIfAbsent: async () => {
        throw new Error('store down');
      },
    };
    const pacer = new Pacer({ kv: broken, ...clock, onStoreError: (e) => errors.push(e) });
    const sent: number[] = [];
    const all = Array.from({ length: 5 }, () => pacer.post('C0CHAN').then(() => sent.push(clock.now())));
    await clock.run();
    await Promise.all(all);
    assert.deepEqual(sent, [0, 1000, 2000, 3000, 4000]);
    assert.equal(errors.length, 5);
  });

  it('100 targets progressing: updates at chat.update pace, coalesced, and the last state lands', async () => {
    const clock = virtualClock();
    const updates: { at: number; text: string }[] = [];
    const client = {
      chat: {
        update: async (args: { text: string }) => {
          updates.push({ at: clock.now(), text: args.text });
          return { ok: true };
        },
        postMessage: async () => ({ ok: true }),
      },
    };
    const pacer = new Pacer({ ...clock });
    const tracker = new Tracker(client as never, createLog({ write: () => {} }), createMetrics(), undefined, pacer);
    const p = plan(100, 0);
    const a = approval('apr-1', p);
    await tracker.trackApproval(a, { channel: 'C0CHAN', ts: '1.0' });
    const events: Promise<void>[] = [tracker.approvalChanged({ ...a, state: 'executing', approvers: ['UBOB'] })];
    for (const e of [...progress(p, false), ...progress(p, true)]) events.push(tracker.progressed(e));
    events.push(tracker.approvalChanged({ ...a, state: 'succeeded', approvers: ['UBOB'], results: [] }));
    await clock.run();
    await Promise.all(events);
    await tracker.idle();
    assert.ok(updates.length <= 3, `${updates.length} updates for 202 events`);
    assert.match(updates.at(-1)!.text, /Approved and done/);
    for (let i = 1; i < updates.length; i++)
      assert.ok(updates[i]!.at - updates[i - 1]!.at >= SLACK_RATES.updateIntervalMs);
  });
});
