import assert from 'node:assert/strict';
import { BoundedMap, LatestWins } from '../src/serial.ts';

describe('LatestWins', () => {
  it('runs one update at a time per key, and ends on the newest state, never an older one', async () => {
    const queue = new LatestWins();
    let state = 0;
    const seen: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      const snapshot = state;
      await new Promise((r) => setTimeout(r, 5));
      seen.push(snapshot);
      running--;
    };
    for (let i = 1; i <= 10; i++) {
      state = i;
      void queue.schedule('k', task);
      await new Promise((r) => setTimeout(r, 1));
    }
    await queue.idle();
    assert.equal(maxRunning, 1);
    assert.equal(seen.at(-1), 10, 'the last update shows the newest state');
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      seen,
      'states only move forward',
    );
    assert.ok(seen.length < 10, `coalesced: ${seen.length} updates for 10 events`);
  });

  it('reports a failed update and keeps going', async () => {
    const failures: string[] = [];
    const queue = new LatestWins((error, key) => failures.push(`${key}: ${(error as Error).message}`));
    await queue.schedule('k', async () => Promise.reject(new Error('x')));
    assert.deepEqual(failures, ['k: x']);
    let ran = false;
    await queue.schedule('k', async () => {
      ran = true;
    });
    assert.ok(ran);
  });
});

describe('BoundedMap', () => {
  it('forgets the oldest entries past its limit', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 3).set('c', 4);
    assert.deepEqual([...m.keys()], ['a', 'c']);
  });
});
