import '../support/setup.ts';
import assert from 'node:assert/strict';
import type { Item } from '../../src/data/source.ts';
import type { ResourceNode } from '../../src/tree/nodes.ts';
import { PollingSet } from '../../src/tree/polling.ts';

function node(id: string, state: string, region = 'ap-guangzhou'): ResourceNode {
  return {
    type: 'resource',
    key: `k/${region}/${id}`,
    kind: 'instance',
    region,
    id,
    item: { InstanceId: id, InstanceState: state },
  };
}

/** A cloud whose instances move through the states given, one step per DescribeInstances. */
function scripted(steps: Record<string, string[]>) {
  const calls: { region: string; ids: string[] }[] = [];
  return {
    calls,
    async fetch(region: string, ids: string[]): Promise<Item[]> {
      calls.push({ region, ids });
      return ids
        .filter((id) => steps[id]!.length > 0)
        .map((id) => ({ InstanceId: id, InstanceState: steps[id]!.length > 1 ? steps[id]!.shift() : steps[id]![0] }));
    },
  };
}

function manualTimer() {
  const pending: (() => void)[] = [];
  return {
    pending,
    setTimer: (callback: () => void) => {
      pending.push(callback);
      return pending.length;
    },
    clearTimer: () => {
      pending.length = 0;
    },
  };
}

describe('vscode polling: only transitional instances, until they settle', () => {
  it('tracks transitional states and ignores settled ones', () => {
    const timer = manualTimer();
    const set = new PollingSet({ intervalMs: 1000, fetch: async () => [], onUpdate() {}, ...timer });
    assert.ok(set.track(node('ins-1', 'STOPPING')));
    assert.ok(!set.track(node('ins-2', 'RUNNING')));
    assert.ok(!set.track(node('ins-3', 'STOPPED')));
    for (const state of ['PENDING', 'STARTING', 'REBOOTING', 'SHUTDOWN', 'TERMINATING'])
      assert.ok(set.track(node(`ins-${state}`, state)));
    assert.equal(set.size, 6);
    assert.equal(timer.pending.length, 1, 'one timer for the whole set');
  });

  it('polls each region once per round, updates nodes, and drops those that settled', async () => {
    const cloud = scripted({
      'ins-1': ['STOPPING', 'STOPPED'],
      'ins-2': ['STARTING', 'STARTING', 'RUNNING'],
      'ins-3': ['REBOOTING', 'RUNNING'],
    });
    const updates: string[] = [];
    const set = new PollingSet({
      intervalMs: 1000,
      fetch: cloud.fetch,
      onUpdate: (n, item) => updates.push(`${n.id}:${item?.InstanceState}`),
      ...manualTimer(),
    });
    const nodes = [node('ins-1', 'STOPPING'), node('ins-2', 'STARTING'), node('ins-3', 'REBOOTING', 'ap-shanghai')];
    for (const n of nodes) set.track(n);
    await set.tick();
    assert.deepEqual(cloud.calls, [
      { region: 'ap-guangzhou', ids: ['ins-1', 'ins-2'] },
      { region: 'ap-shanghai', ids: ['ins-3'] },
    ]);
    await set.tick();
    assert.deepEqual(set.keys(), ['k/ap-guangzhou/ins-2']);
    await set.tick();
    assert.equal(set.size, 0);
    assert.deepEqual(updates, [
      'ins-1:STOPPING',
      'ins-2:STARTING',
      'ins-3:REBOOTING',
      'ins-1:STOPPED',
      'ins-2:STARTING',
      'ins-3:RUNNING',
      'ins-2:RUNNING',
    ]);
  });

  it('reports an instance that disappeared (terminated) and stops polling it', async () => {
    const gone: string[] = [];
    const set = new PollingSet({
      intervalMs: 1000,
      fetch: async () => [],
      onUpdate: (n, item) => item === undefined && gone.push(n.id),
      ...manualTimer(),
    });
    set.track(node('ins-9', 'TERMINATING'));
    await set.tick();
    assert.deepEqual(gone, ['ins-9']);
    assert.equal(set.size, 0);
  });

  it('after an action, keeps polling while the state has not changed yet, within the grace period', async () => {
    let now = 0;
    const cloud = scripted({ 'ins-1': ['RUNNING', 'RUNNING', 'STOPPING', 'STOPPED'] });
    const set = new PollingSet({
      intervalMs: 1000,
      graceMs: 10_000,
      now: () => now,
      fetch: cloud.fetch,
      onUpdate() {},
      ...manualTimer(),
    });
    set.watch(node('ins-1', 'RUNNING'));
    for (let round = 0; round < 3; round++) {
      now += 1000;
      await set.tick();
      assert.equal(set.size, 1, `still watched after round ${round + 1}`);
    }
    await set.tick();
    assert.equal(set.size, 0);
    assert.equal(cloud.calls.length, 4);
  });

  it('stops watching an unchanged node when the grace period is over', async () => {
    let now = 0;
    const set = new PollingSet({
      intervalMs: 1000,
      graceMs: 5000,
      now: () => now,
      fetch: async () => [{ InstanceId: 'ins-1', InstanceState: 'RUNNING' }],
      onUpdate() {},
      ...manualTimer(),
    });
    set.watch(node('ins-1', 'RUNNING'));
    now = 6000;
    await set.tick();
    assert.equal(set.size, 0);
  });

  it('gives up on an instance stuck in a transitional state', async () => {
    let now = 0;
    const stuck: string[] = [];
    const set = new PollingSet({
      intervalMs: 1000,
      maxMs: 60_000,
      now: () => now,
      fetch: async () => [{ InstanceId: 'ins-1', InstanceState: 'STOPPING' }],
      onUpdate() {},
      onGiveUp: (n) => stuck.push(n.id),
      ...manualTimer(),
    });
    set.track(node('ins-1', 'STOPPING'));
    now = 30_000;
    await set.tick();
    assert.equal(set.size, 1);
    now = 61_000;
    await set.tick();
    assert.deepEqual(stuck, ['ins-1']);
    assert.equal(set.size, 0);
  });

  it('keeps polling through a failed round and reports the error', async () => {
    const errors: string[] = [];
    let fail = true;
    const set = new PollingSet({
      intervalMs: 1000,
      fetch: async () => {
        if (fail) throw new Error('RequestLimitExceeded');
        return [{ InstanceId: 'ins-1', InstanceState: 'RUNNING' }];
      },
      onUpdate() {},
      onError: (e) => errors.push((e as Error).message),
      ...manualTimer(),
    });
    set.track(node('ins-1', 'STARTING'));
    await set.tick();
    assert.deepEqual(errors, ['RequestLimitExceeded']);
    assert.equal(set.size, 1);
    fail = false;
    await set.tick();
    assert.equal(set.size, 0);
  });

  it('stays usable after clear(), and drops a round that was in flight', async () => {
    const timer = manualTimer();
    let release!: () => void;
    const updates: string[] = [];
    const set = new PollingSet({
      intervalMs: 1000,
      fetch: async (_r, ids) => {
        await new Promise<void>((r) => (release = r));
        return ids.map((id) => ({ InstanceId: id, InstanceState: 'STOPPED' }));
      },
      onUpdate: (n) => updates.push(n.id),
      ...timer,
    });
    set.track(node('ins-1', 'STOPPING'));
    const round = set.tick();
    set.clear();
    release();
    await round;
    assert.deepEqual(updates, [], 'a cleared set ignores the answer of the round in flight');
    assert.equal(set.size, 0);
    assert.ok(set.track(node('ins-2', 'STARTING')), 'tracks again after clear');
    assert.equal(timer.pending.length, 1, 'and schedules a round');
    const next = set.tick();
    release();
    await next;
    assert.deepEqual(updates, ['ins-2']);
  });

  it('schedules the next round only after the previous one finished, and stops when empty', async () => {
    const timer = manualTimer();
    const cloud = scripted({ 'ins-1': ['STOPPING', 'STOPPED'] });
    const set = new PollingSet({ intervalMs: 1000, fetch: cloud.fetch, onUpdate() {}, ...timer });
    set.track(node('ins-1', 'STOPPING'));
    assert.equal(timer.pending.length, 1);
    timer.pending.shift()!();
    await new Promise((r) => setImmediate(r));
    assert.equal(timer.pending.length, 1, 'rescheduled: still STOPPING');
    timer.pending.shift()!();
    await new Promise((r) => setImmediate(r));
    assert.equal(timer.pending.length, 0, 'nothing left to poll, no timer');
    set.dispose();
  });
});
