/**
 * The tree's reads against the emulator: a name pattern is matched over every instance (the API matches names
 * exactly), and one listing serves a whole folder.
 */
import '../support/setup.ts';
import assert from 'node:assert/strict';
import { createClient, type TceClient } from '../../../core/src/index.ts';
import { DEMO_CREDENTIALS, type RunningEmulator, startEmulator } from '../../../emulator/src/index.ts';
import { createClientSource } from '../../src/data/source.ts';

const REGION = 'ap-guangzhou';

describe('vscode tree source: instances by name pattern', () => {
  let emulator: RunningEmulator;
  let client: TceClient;
  let calls: { action: string; params: Record<string, unknown> }[];

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'empty', syntheticInstances: 250, syntheticRegions: [REGION] });
    const real = createClient({
      endpoint: emulator.url,
      credentials: { ...DEMO_CREDENTIALS, source: 'test' },
      env: {},
    });
    client = real;
    calls = [];
    // Count what reaches the API.
    client = new Proxy(real, {
      get(target, key, receiver) {
        if (key !== 'call') return Reflect.get(target, key, receiver);
        return (service: string, action: string, params: Record<string, unknown>, options: unknown) => {
          calls.push({ action, params });
          return target.call(service, action, params, options as never);
        };
      },
    });
  });

  after(async () => {
    client.close();
    await emulator.stop();
  });

  beforeEach(() => {
    calls.length = 0;
  });

  it('reads every instance once and serves as many matches as asked (more than an API page)', async () => {
    const source = createClientSource(async () => client);
    const page = await source.list('instances', REGION, { offset: 0, limit: 500, filter: { name: 'NODE-001??' } });
    assert.equal(page.total, 100, 'node-00100 … node-00199, matched without regard to case');
    assert.equal(page.items.length, 100);
    assert.equal(page.nextOffset, undefined);
    assert.deepEqual(
      calls.map((c) => [c.action, c.params.Offset]),
      [
        ['DescribeInstances', 0],
        ['DescribeInstances', 100],
        ['DescribeInstances', 200],
      ],
      'one listing, with no name filter sent (the API would match it exactly)',
    );
    assert.ok(calls.every((c) => c.params.Filters === undefined));
  });

  it('pages through the matches: offset, limit, total and where the next page starts', async () => {
    const source = createClientSource(async () => client);
    const page = await source.list('instances', REGION, { offset: 50, limit: 20, filter: { name: 'node-001*' } });
    assert.deepEqual(
      page.items.map((i) => i.InstanceName),
      Array.from({ length: 20 }, (_, i) => `node-${String(150 + i).padStart(5, '0')}`),
    );
    assert.equal(page.total, 100);
    assert.equal(page.nextOffset, 70);
    const none = await source.list('instances', REGION, { offset: 0, limit: 500, filter: { name: 'db-*' } });
    assert.deepEqual([none.items, none.total, none.nextOffset], [[], 0, undefined]);
  });

  it('keeps the other filters in the listing, and refuses before reading when the policy does', async () => {
    const source = createClientSource(async () => client);
    await source.list('instances', REGION, { offset: 0, limit: 500, filter: { name: 'node-*', state: 'STOPPED' } });
    assert.deepEqual(calls[0]!.params.Filters, [{ Name: 'instance-state', Values: ['STOPPED'] }]);
    calls.length = 0;
    const denied = createClientSource(async () => {
      throw new Error('the policy does not allow this read');
    });
    await assert.rejects(
      denied.list('instances', REGION, { offset: 0, limit: 500, filter: { name: 'node-*' } }),
      /policy does not allow/,
    );
    assert.equal(calls.length, 0, 'nothing read');
  });
});
