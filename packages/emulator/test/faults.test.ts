/** Faults (/_tce/faults and flags) and the documented rate limits. */
import assert from 'node:assert/strict';
import net from 'node:net';
import { createClient } from '@tceops/core';
import { createFaults, parseFaultFlag, parseFaultRule } from '../src/faults.ts';
import { DEMO_CREDENTIALS } from '../src/index.ts';
import { errorCode, type Harness, startHarness } from './helpers.ts';

describe('emulator faults and rate limits', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${h.emulator.url}${path}`, { method, body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

  it('injects an error code for one action only, a given number of times', async () => {
    h = await startHarness();
    const added = await post('/_tce/faults', {
      service: 'cvm',
      action: 'DescribeZones',
      error: 'InternalError',
      times: 2,
    });
    assert.equal(added.status, 200);
    assert.equal(errorCode(await h.raw('cvm', 'DescribeZones', {})), 'InternalError');
    assert.equal(errorCode(await h.raw('cvm', 'DescribeRegions', {})), undefined, 'other actions untouched');
    assert.equal(errorCode(await h.raw('cvm', 'DescribeZones', {})), 'InternalError');
    assert.equal(errorCode(await h.raw('cvm', 'DescribeZones', {})), undefined, 'retired after two');
  });

  it('adds latency and drops connections; DELETE clears', async () => {
    h = await startHarness({ faults: ['cvm:DescribeZones=latency:150'] });
    const t0 = performance.now();
    await h.raw('cvm', 'DescribeZones', {});
    assert.ok(performance.now() - t0 >= 140);
    await post('/_tce/faults', { action: 'DescribeRegions', drop: true });
    await assert.rejects(h.raw('cvm', 'DescribeRegions', {}));
    const cleared = await post('/_tce/faults', {}, 'DELETE');
    assert.deepEqual(cleared.body.faults, []);
    assert.equal(errorCode(await h.raw('cvm', 'DescribeRegions', {})), undefined);
  });

  it('applies a probability', () => {
    let n = 0;
    const values = [0.1, 0.9, 0.4, 0.6];
    const faults = createFaults(() => values[n++ % values.length]!);
    faults.add(parseFaultFlag('*=RequestLimitExceeded@0.5'));
    const fired = values.map(() => faults.decide('cvm', 'DescribeInstances').error?.code);
    assert.deepEqual(fired, ['RequestLimitExceeded', undefined, 'RequestLimitExceeded', undefined]);
  });

  it('refuses malformed rules with the reason', async () => {
    assert.throws(() => parseFaultRule({ service: 'cvm' }), /needs an effect/);
    assert.throws(() => parseFaultRule({ error: 'X', probability: 2 }), /probability must be a number from 0 to 1/);
    assert.throws(() => parseFaultFlag('cvm:StopInstances'), /expected TARGET=EFFECT/);
    h = await startHarness();
    const refused = await post('/_tce/faults', { colour: 'red' });
    assert.equal(refused.status, 400);
    assert.match(String(refused.body.error), /unknown fault field colour/);
  });

  it('enforces the documented limit per action and SecretId: 20/s for DescribeInstances', async () => {
    // A clock that stands still: all 25 fall in one window however slowly a loaded machine sends them.
    let now = Date.now();
    h = await startHarness({ rateLimits: true, now: () => now });
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => h.raw('cvm', 'DescribeInstances', { Limit: 1 })),
    );
    const limited = answers.filter((a) => errorCode(a) === 'RequestLimitExceeded').length;
    assert.equal(limited, 5);
    // Another action has its own budget.
    assert.equal(errorCode(await h.raw('cvm', 'DescribeZones', {})), undefined);
    now += 999;
    assert.equal(errorCode(await h.raw('cvm', 'DescribeInstances', { Limit: 1 })), 'RequestLimitExceeded');
    now += 1;
    assert.equal(errorCode(await h.raw('cvm', 'DescribeInstances', { Limit: 1 })), undefined, 'the window moved on');
  });

  it('a new client (another terminal command) on a window others just filled gets through by its default retries', async () => {
    // As scripts run one command after another: each process paces only itself, so the next one can meet a full
    // window. Its retries must outlast the window however fast it was filled: here all at one instant. The
    // emulator's clock stands still until the client's first refusal, then runs at real speed.
    const frozenAt = Date.now();
    let runningSince: number | undefined;
    h = await startHarness({
      rateLimits: true,
      now: () => (runningSince === undefined ? frozenAt : frozenAt + Date.now() - runningSince),
    });
    await Promise.all(Array.from({ length: 20 }, () => h.raw('cvm', 'DescribeInstances', { Limit: 1 })));
    const fresh = createClient({
      endpoint: h.emulator.url,
      region: 'ap-guangzhou',
      credentials: { ...DEMO_CREDENTIALS, source: 'test' },
      env: {},
      onEvent: (event) => {
        if (event.type === 'retry') runningSince ??= Date.now();
      },
    });
    try {
      const answer = await fresh.call('cvm', 'DescribeInstances', { Limit: 1 });
      assert.equal(typeof answer.TotalCount, 'number');
    } finally {
      fresh.close();
    }
    const codes = h.emulator
      .requests()
      .filter((r) => r.action === 'DescribeInstances')
      .map((r) => r.code);
    assert.deepEqual(codes.slice(0, 21), [...Array(20).fill('OK'), 'RequestLimitExceeded'], codes.join(' '));
    assert.equal(codes.at(-1), 'OK');
  });

  it('inspection endpoints: health, requests without secrets, coverage, reset', async () => {
    h = await startHarness();
    await h.raw('cvm', 'ResetInstancesPassword', { InstanceIds: ['ins-zzzzzzzz'], Password: 'Secret-Pass-123' });
    const health = (await (await fetch(`${h.emulator.url}/_tce/health`)).json()) as {
      status: string;
      counts: Record<string, number>;
    };
    assert.equal(health.status, 'ok');
    assert.ok(health.counts.instances! >= 30);
    const requestsText = await (await fetch(`${h.emulator.url}/_tce/requests`)).text();
    assert.match(requestsText, /ResetInstancesPassword/);
    assert.ok(!requestsText.includes('Secret-Pass-123'));
    assert.ok(!requestsText.includes('tceops-emulator-secret'));
    const coverage = (await (await fetch(`${h.emulator.url}/_tce/coverage`)).json()) as {
      summary: Record<string, number>;
      actions: { action: string; status: string }[];
    };
    assert.ok(coverage.summary.emulated! > 100);
    assert.equal(coverage.actions.find((a) => a.action === 'StopInstances')?.status, 'emulated');
    const reset = await post('/_tce/reset', { seed: 'empty', instances: 7 });
    assert.equal((reset.body.counts as Record<string, number>).instances, 7);
    const bad = await post('/_tce/reset', { seed: 'huge' });
    assert.equal(bad.status, 400);
  });

  it('a raw TCP client that sends garbage gets an HTTP error, not a crash', async () => {
    h = await startHarness();
    const socket = net.connect(h.emulator.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    socket.write('NOT HTTP\r\n\r\n');
    await new Promise((r) => socket.once('close', r));
    assert.match(answer, /^HTTP\/1\.1 400/);
    assert.equal(errorCode(await h.raw('cvm', 'DescribeZones', {})), undefined);
  });
});
