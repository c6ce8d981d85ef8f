/**
 * A command's progress on its own response: the outcome first, then only this plan's progress (never another
 * user's command's), heartbeats while the waiters run, and done when they end.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Engine, Outcome, ProgressEvent } from '../../src/commands/types.ts';
import { streamCommand } from '../../src/server/stream.ts';

describe('server progress stream', () => {
  it('sends the outcome, this plan’s progress only, heartbeats, then done', async () => {
    const listeners = new Set<(e: ProgressEvent) => void>();
    let finish!: () => void;
    const waiters = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const engine = {
      onProgress(listener: (e: ProgressEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      idle: (hash?: string) => (hash === 'mine' ? waiters : Promise.resolve()),
    } as unknown as Engine;
    const emit = (planHash: string, message: string, done = false) => {
      for (const l of listeners) l({ planHash, targetId: 'ins-1', state: 'X', done, message });
    };
    const outcome = { kind: 'result', plan: { hash: 'mine' }, results: [], requestIds: [] } as unknown as Outcome;
    const server = createServer(
      (_req, res) =>
        void streamCommand(
          res,
          engine,
          async () => {
            emit('mine', 'early'); // before the outcome is back: kept, sent after it
            return outcome;
          },
          { heartbeatMs: 20 },
        ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
      assert.equal(response.headers.get('x-accel-buffering'), 'no');
      setTimeout(() => emit('theirs', 'someone else’s instance'), 30);
      setTimeout(() => emit('mine', 'ins-1 is STOPPED', true), 60);
      setTimeout(finish, 100);
      const lines = (await response.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.deepEqual(lines[0], { outcome });
      assert.deepEqual(
        lines.filter((l) => l.progress).map((l) => l.progress.message),
        ['early', 'ins-1 is STOPPED'],
      );
      assert.ok(
        lines.some((l) => Object.keys(l).length === 0),
        'a heartbeat while waiting',
      );
      assert.deepEqual(lines.at(-1), { done: true });
      assert.equal(listeners.size, 0, 'unsubscribed');
    } finally {
      server.close();
    }
  });
});
