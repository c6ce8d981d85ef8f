/**
 * Pacing at Slack's real rates, on a virtual clock: one message per second per channel and 50 chat.update calls a
 * minute, across replicas sharing a store, with message updates coalesced so the last state lands.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../core/src/store/open.ts';
import type { Store } from '../../core/src/store/types.ts';
import { testPostgres } from '../../../test/postgres.ts';
import { Pacer, SLACK_RATES, TURN_KEY_LIFE_MS } from '../src/pace.ts';
import { createLog } from '../src/logger.ts';
import { createMetrics } from '../src/metrics.ts';
import { type KeyValue, Tracker } from '../src/tracker.ts';
import { approval, plan, progress } from '../../../test/slack/scenarios.ts';
import { memoryKeyValue } from '../../../test/support/memory-store.ts';

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
    /** Time passes with nobody waiting for it. */
    async advance(ms: number) {
      now += ms;
    },
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

  it('ten minutes of posts from two replicas: turns past a minute are deleted, and no turn is ever given twice', async () => {
    const clock = virtualClock();
    const kv = memoryKeyValue();
    const claims: string[] = [];
    const counting = {
      ...kv,
      setValueIfAbsent: async (key: string, value: unknown) => {
        const won = await kv.setValueIfAbsent(key, value);
        if (won) claims.push(key);
        return won;
      },
    };
    const replicas = [new Pacer({ kv: counting, ...clock }), new Pacer({ kv: counting, ...clock })];
    const sent: number[] = [];
    let most = 0;
    // Two posts every 3 s (one from each replica, at the same moment), for ten minutes.
    for (let second = 0; second < 600; second += 3) {
      const both = replicas.map((r) => r.post('C0CHAN').then(() => sent.push(clock.now())));
      await clock.run();
      await Promise.all(both);
      await Promise.all(replicas.map((r) => r.forgotten()));
      most = Math.max(most, kv.data.size);
      await clock.advance(3000 - (clock.now() % 3000));
    }
    assert.equal(sent.length, 400);
    assert.equal(new Set(claims).size, claims.length, 'no turn claimed twice, deleted or not');
    sent.sort((a, b) => a - b);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 1]! >= 1000, `posts ${i - 1} and ${i}`);
    // Only about the last minute's turns are kept (2 every 3 s), not all 400.
    const perMinute = (2 * TURN_KEY_LIFE_MS) / 3000;
    assert.ok(most <= perMinute + 4, `${most} keys at most`);
    for (const key of kv.data.keys()) {
      const slot = Number(key.split(':').at(-1));
      assert.ok((slot + 1) * 1000 + TURN_KEY_LIFE_MS > clock.now() - 3000, `${key} is past its life`);
    }
  });

  it('a store that cannot delete does not stop posting, and says so', async () => {
    const clock = virtualClock();
    const kv = memoryKeyValue();
    const errors: unknown[] = [];
    const failing = {
      ...kv,
      deleteValue: async () => {
        throw new Error('delete refused');
      },
    };
    const pacer = new Pacer({ kv: failing, ...clock, onStoreError: (e) => errors.push(e) });
    const sent: number[] = [];
    for (let i = 0; i < 70; i++) {
      const post = pacer.post('C0CHAN').then(() => sent.push(clock.now()));
      await clock.run();
      await post;
      await clock.advance(1000);
    }
    await pacer.forgotten();
    assert.equal(sent.length, 70);
    assert.ok(errors.length >= 5 && errors.every((e) => /delete refused/.test(String(e))), `${errors.length} errors`);
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
      deleteValue: async () => {},
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

  describe('on the real stores, sealed: past turns leave the store', () => {
    const KEY = { key: Buffer.from('p'.repeat(64)), source: 'test' };

    /** Three virtual minutes of posts, one every 2 s alternating replicas; the pacing keys the store holds after. */
    async function paceOn(stores: [Store, Store], paceKeys: () => Promise<number>) {
      const clock = virtualClock();
      await clock.advance(1_000_000_000);
      const replicas = stores.map((kv) => new Pacer({ kv, ...clock }));
      let most = 0;
      for (let i = 0; i < 90; i++) {
        const post = replicas[i % 2]!.post('C0CHAN');
        await clock.run();
        await post;
        await replicas[i % 2]!.forgotten();
        if (i % 10 === 9) most = Math.max(most, await paceKeys());
        await clock.advance(2000);
      }
      return most;
    }

    it('file store', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tceops-pace-'));
      const stores: [Store, Store] = [
        await openStore(`file:${dir}`, { key: KEY }),
        await openStore(`file:${dir}`, { key: KEY }),
      ];
      try {
        let keys = 0;
        const most = await paceOn(stores, async () => {
          keys = 0;
          for (let slot = 999_000; slot < 1_000_200; slot++)
            if ((await stores[0].getValue(`slack:pace:post:C0CHAN:${slot}`)) !== undefined) keys++;
          return keys;
        });
        // One post every 2 s, kept a minute past its turn: about 31, never the 90 posted.
        assert.ok(most > 20 && most <= 32, `${most} keys at most`);
      } finally {
        for (const store of stores) await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('PostgreSQL', async function () {
      const server = await testPostgres();
      if (!server.url) {
        if (process.env.CI) assert.fail(server.missing);
        return this.skip();
      }
      const schema = `p_${randomBytes(6).toString('hex')}`;
      const url = new URL(server.url);
      url.searchParams.set('schema', schema);
      const admin = new pg.Pool({ connectionString: server.url, max: 1 });
      admin.on('error', () => {});
      const stores: [Store, Store] = [
        await openStore(url.toString(), { key: KEY }),
        await openStore(url.toString(), { key: KEY }),
      ];
      try {
        const most = await paceOn(stores, async () => {
          const rows = await admin.query(
            `SELECT count(*)::int AS n FROM "${schema}".tceops_kv WHERE key LIKE 'slack:pace:%'`,
          );
          return rows.rows[0].n as number;
        });
        assert.ok(most > 20 && most <= 32, `${most} rows at most`);
      } finally {
        for (const store of stores) await store.close();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      }
    });
  });
});
