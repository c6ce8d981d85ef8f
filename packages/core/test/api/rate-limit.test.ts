import assert from 'node:assert/strict';
import { createRateLimiter } from '../../src/api/rate-limit.ts';

describe('api/rate-limit', () => {
  it('lets at most N requests start in any one-second window', async () => {
    const limiter = createRateLimiter();
    const starts: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 25 }, () => limiter.acquire('k', 10).then(() => starts.push(Date.now() - t0))),
    );
    starts.sort((a, b) => a - b);
    for (let i = 10; i < starts.length; i++)
      assert.ok(starts[i]! - starts[i - 10]! >= 1000, `start ${i} came too early`);
    assert.ok(starts[24]! < 2400, `the last start took ${starts[24]} ms`);
  });

  it('keeps keys apart and stops waiting when aborted', async () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 2; i++) await limiter.acquire('a', 2);
    const t0 = Date.now();
    await limiter.acquire('b', 2);
    assert.ok(Date.now() - t0 < 50);
    const controller = new AbortController();
    const waiting = limiter.acquire('a', 2, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
  });
});
