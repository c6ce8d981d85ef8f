/** The demo seed: deterministic, shaped like a real deployment; transitions follow the (injected) clock. */
import assert from 'node:assert/strict';
import { resolveDurations } from '../src/clock.ts';
import { stringifyJson } from '../src/core.ts';
import { DEMO_BIG_DEVICE_ID } from '../src/index.ts';
import { createState } from '../src/seed.ts';
import { errorCode, type Harness, startHarness } from './helpers.ts';

describe('emulator demo seed and clock', () => {
  const durations = resolveDurations(1);

  it('is the same on every start (only running jobs follow the clock)', () => {
    const a = createState('demo', 1_000_000, durations);
    const b = createState('demo', 1_000_000, durations);
    assert.equal(stringifyJson(a), stringifyJson(b));
    const later = createState('demo', 2_000_000, durations);
    assert.deepEqual(Object.keys(later.cvm.instances), Object.keys(a.cvm.instances));
  });

  it('looks like a deployment: regions, zones, named instances in varied states, production tags, big integers', () => {
    const state = createState('demo', Date.now(), durations);
    const instances = Object.values(state.cvm.instances);
    assert.ok(instances.length >= 30);
    assert.deepEqual([...new Set(instances.map((s) => s.region))].sort(), [
      'ap-beijing',
      'ap-guangzhou',
      'ap-shanghai',
    ]);
    assert.ok(new Set(instances.map((s) => s.item.Placement.Zone)).size >= 6);
    const states = new Set(instances.map((s) => s.item.InstanceState));
    for (const expected of ['RUNNING', 'STOPPED', 'LAUNCH_FAILED']) assert.ok(states.has(expected), expected);
    const names = instances.map((s) => s.item.InstanceName);
    for (const name of ['web-1', 'db-2', 'bastion-1', 'win-1']) assert.ok(names.includes(name), name);
    assert.equal(new Set(names).size, names.length, 'names are unique');
    assert.ok(instances.some((s) => s.item.Tags.some((t) => t.Key === 'env' && t.Value === 'production')));
    assert.ok(instances.some((s) => s.item.Tags.some((t) => t.Key === 'env' && t.Value === 'dev')));
    assert.ok(instances.some((s) => s.item.DeviceId === DEMO_BIG_DEVICE_ID));
    assert.ok(DEMO_BIG_DEVICE_ID > BigInt(Number.MAX_SAFE_INTEGER));
    const ips = instances.flatMap((s) => s.item.PrivateIpAddresses);
    assert.equal(new Set(ips).size, ips.length, 'private IPs are unique');
    assert.ok(Object.keys(state.cvm.keyPairs).length >= 3);
    assert.ok(Object.values(state.cvm.images).some((s) => s.item.SharedWith.length > 0));
    assert.ok(Object.keys(state.cfs.fileSystems).length >= 3);
    assert.ok(Object.keys(state.cfs.rules).length >= 3);
    assert.ok(Object.values(state.csm.jobs).some((s) => s.item.Status === 'RUNNING'));
  });

  it('the empty seed has the public images and nothing of the account', () => {
    const state = createState('empty', Date.now(), durations);
    assert.equal(Object.keys(state.cvm.instances).length, 0);
    assert.equal(Object.keys(state.cvm.keyPairs).length, 0);
    assert.ok(Object.values(state.cvm.images).every((s) => s.item.ImageType === 'PUBLIC_IMAGE'));
  });

  describe('with an injected clock', () => {
    let h: Harness;
    let now = Date.now();
    beforeEach(async () => {
      now = Date.now();
      h = await startHarness({ now: () => now, timeScale: 1 });
    });
    afterEach(async () => {
      await h.close();
    });

    it('a transition completes exactly when its duration has passed on that clock', async () => {
      const list = await h.raw('cvm', 'DescribeInstances', {
        Filters: [{ Name: 'instance-state', Values: ['STOPPED'] }],
      });
      const id = (list.InstanceSet as { InstanceId: string }[])[0]!.InstanceId;
      assert.equal(errorCode(await h.raw('cvm', 'StartInstances', { InstanceIds: [id] })), undefined);
      const state = async () =>
        (
          (await h.raw('cvm', 'DescribeInstancesStatus', { InstanceIds: [id] })).InstanceStatusSet as {
            InstanceState: string;
          }[]
        )[0]!.InstanceState;
      now += 2999;
      assert.equal(await state(), 'STARTING');
      now += 1;
      assert.equal(await state(), 'RUNNING');
    });
  });
});
