/** CVM instances over HTTP: lifecycle with timed transitions, wrong-state refusals, filters and paging. */
import assert from 'node:assert/strict';
import { errorCode, eventually, type Harness, startHarness } from '../../helpers.ts';

interface Instance {
  InstanceId: string;
  InstanceName: string;
  InstanceState: string;
  LatestOperation: string | null;
  LatestOperationState: string | null;
  Tags: { Key: string; Value: string }[];
  Placement: { Zone: string };
  InstanceType: string;
  SystemDisk: { DiskSize: number };
  StopChargingMode: string;
}

describe('CVM instances', () => {
  let h: Harness;
  // 50 ms per second of documented duration: transitions take 150-400 ms here.
  beforeEach(async () => {
    h = await startHarness({ timeScale: 0.05 });
  });
  afterEach(async () => {
    await h.close();
  });

  const list = async (params: Record<string, unknown> = {}, region = 'ap-guangzhou') => {
    const r = await h.raw('cvm', 'DescribeInstances', { Limit: 100, ...params }, { region });
    assert.equal(errorCode(r), undefined, JSON.stringify(r.Error));
    return r as unknown as { TotalCount: number; InstanceSet: Instance[] };
  };
  const one = async (id: string) => (await list({ InstanceIds: [id] })).InstanceSet[0];
  const withState = async (state: string) =>
    (await list({ Filters: [{ Name: 'instance-state', Values: [state] }] })).InstanceSet[0]!;

  it('stop: STOPPING at once with LatestOperation OPERATING, STOPPED after the transition, SUCCESS', async () => {
    const target = await withState('RUNNING');
    const r = await h.raw('cvm', 'StopInstances', { InstanceIds: [target.InstanceId], StoppedMode: 'STOP_CHARGING' });
    assert.equal(errorCode(r), undefined);
    const during = (await one(target.InstanceId))!;
    assert.equal(during.InstanceState, 'STOPPING');
    assert.equal(during.LatestOperation, 'StopInstances');
    assert.equal(during.LatestOperationState, 'OPERATING');
    await eventually(async () => (await one(target.InstanceId))!.InstanceState === 'STOPPED', 'STOPPED');
    const after = (await one(target.InstanceId))!;
    assert.equal(after.LatestOperationState, 'SUCCESS');
    assert.equal(after.StopChargingMode, 'STOP_CHARGING');
  });

  it('refuses operations in the wrong state with InvalidInstanceState and changes nothing', async () => {
    const running = await withState('RUNNING');
    const stopped = await withState('STOPPED');
    const start = await h.raw('cvm', 'StartInstances', { InstanceIds: [running.InstanceId] });
    assert.equal(errorCode(start), 'InvalidInstanceState');
    assert.match(String((start.Error as { Message: string }).Message), /RUNNING.*needs STOPPED/);
    // A batch with one wrong member is refused whole.
    const stop = await h.raw('cvm', 'StopInstances', { InstanceIds: [running.InstanceId, stopped.InstanceId] });
    assert.equal(errorCode(stop), 'InvalidInstanceState');
    assert.equal((await one(running.InstanceId))!.InstanceState, 'RUNNING');
  });

  it('running instances need ForceStop for a password reset, a resize or a type change', async () => {
    const running = await withState('RUNNING');
    const id = running.InstanceId;
    const reset = await h.raw('cvm', 'ResetInstancesPassword', { InstanceIds: [id], Password: 'Tce0ps-Emulator' });
    assert.equal(errorCode(reset), 'UnsupportedOperation.InstanceStateRunning');
    const weak = await h.raw('cvm', 'ResetInstancesPassword', {
      InstanceIds: [id],
      Password: 'short',
      ForceStop: true,
    });
    assert.equal(errorCode(weak), 'InvalidPassword');
    const forced = await h.raw('cvm', 'ResetInstancesPassword', {
      InstanceIds: [id],
      Password: 'Tce0ps-Emulator',
      ForceStop: true,
    });
    assert.equal(errorCode(forced), undefined);
    // While the operation runs, another one is refused.
    assert.equal(errorCode(await h.raw('cvm', 'RebootInstances', { InstanceIds: [id] })), 'InvalidInstanceState');
    await eventually(async () => (await one(id))!.LatestOperationState === 'SUCCESS', 'the reset to finish');
    assert.equal((await one(id))!.InstanceState, 'RUNNING');
    const grow = await h.raw('cvm', 'ResizeInstanceDisks', { InstanceId: id, SystemDisk: { DiskSize: 60 } });
    assert.equal(errorCode(grow), 'UnsupportedOperation.InstanceStateRunning');
    const shrink = await h.raw('cvm', 'ResizeInstanceDisks', {
      InstanceId: id,
      SystemDisk: { DiskSize: 20 },
      ForceStop: true,
    });
    assert.equal(errorCode(shrink), 'InvalidParameterValue');
  });

  it('run: PENDING then RUNNING, names with -n suffixes, tags, ClientToken makes a retry harmless', async () => {
    const params = {
      Placement: { Zone: 'ap-guangzhou-3' },
      ImageId: 'img-9qabwvbn',
      InstanceType: 'S5.MEDIUM4',
      InstanceCount: 2,
      InstanceName: 'batch',
      ClientToken: 'run-once-1',
      TagSpecification: [{ ResourceType: 'instance', Tags: [{ Key: 'env', Value: 'test' }] }],
      LoginSettings: { Password: 'Tce0ps-Emulator' },
    };
    const first = await h.raw('cvm', 'RunInstances', params);
    assert.equal(errorCode(first), undefined, JSON.stringify(first.Error));
    const ids = first.InstanceIdSet as string[];
    assert.equal(ids.length, 2);
    for (const id of ids) assert.match(id, /^ins-[a-z0-9]{8}$/);
    const again = await h.raw('cvm', 'RunInstances', params);
    assert.deepEqual(again.InstanceIdSet, ids);
    const created = await list({ InstanceIds: ids });
    assert.deepEqual(created.InstanceSet.map((i) => i.InstanceName).sort(), ['batch-1', 'batch-2']);
    assert.ok(created.InstanceSet.every((i) => i.InstanceState === 'PENDING'));
    assert.deepEqual(created.InstanceSet[0]!.Tags, [{ Key: 'env', Value: 'test' }]);
    await eventually(
      async () => (await list({ InstanceIds: ids })).InstanceSet.every((i) => i.InstanceState === 'RUNNING'),
      'RUNNING',
    );
    const badImage = await h.raw('cvm', 'RunInstances', { ...params, ClientToken: undefined, ImageId: 'img-00000000' });
    assert.equal(errorCode(badImage), 'InvalidImageId.NotFound');
    const wrongZone = await h.raw('cvm', 'RunInstances', {
      ...params,
      ClientToken: undefined,
      Placement: { Zone: 'ap-beijing-1' },
    });
    assert.equal(errorCode(wrongZone), 'InvalidZone.MismatchRegion');
  });

  it('terminate: TERMINATING, then gone from every list', async () => {
    const target = await withState('RUNNING');
    const before = (await list()).TotalCount;
    assert.equal(errorCode(await h.raw('cvm', 'TerminateInstances', { InstanceIds: [target.InstanceId] })), undefined);
    assert.equal((await one(target.InstanceId))!.InstanceState, 'TERMINATING');
    await eventually(async () => (await one(target.InstanceId)) === undefined, 'the instance to go');
    assert.equal((await list()).TotalCount, before - 1);
    assert.equal(
      errorCode(await h.raw('cvm', 'StartInstances', { InstanceIds: [target.InstanceId] })),
      'InvalidInstanceId.NotFound',
    );
  });

  it('reboot, reinstall and type change end RUNNING with the new settings', async () => {
    const target = await withState('RUNNING');
    const id = target.InstanceId;
    assert.equal(
      errorCode(await h.raw('cvm', 'RebootInstances', { InstanceIds: [id], ForceReboot: true, StopType: 'HARD' })),
      'InvalidParameter',
    );
    assert.equal(errorCode(await h.raw('cvm', 'RebootInstances', { InstanceIds: [id] })), undefined);
    assert.equal((await one(id))!.InstanceState, 'REBOOTING');
    await eventually(async () => (await one(id))!.InstanceState === 'RUNNING', 'RUNNING after reboot');
    assert.equal(
      errorCode(await h.raw('cvm', 'ResetInstance', { InstanceId: id, ImageId: 'img-22trbn9x' })),
      undefined,
    );
    await eventually(async () => (await one(id))!.LatestOperationState === 'SUCCESS', 'reinstall to finish');
    const reinstalled = (await list({ InstanceIds: [id] })).InstanceSet[0] as Instance & {
      ImageId: string;
      OsName: string;
    };
    assert.equal(reinstalled.ImageId, 'img-22trbn9x');
    assert.match(reinstalled.OsName, /Ubuntu/);
    const family = reinstalled.InstanceType.split('.')[0];
    const other = family === 'S5' ? 'M5.LARGE32' : 'S5.LARGE8';
    assert.equal(
      errorCode(await h.raw('cvm', 'ResetInstancesType', { InstanceIds: [id], InstanceType: other, ForceStop: true })),
      'InvalidParameterValue',
    );
  });

  it('filters AND together, values OR; tag:key; names; paging with TotalCount', async () => {
    const production = await list({ Filters: [{ Name: 'tag:env', Values: ['production'] }] });
    assert.ok(production.TotalCount > 0);
    assert.ok(production.InstanceSet.every((i) => i.Tags.some((t) => t.Key === 'env' && t.Value === 'production')));
    const both = await list({
      Filters: [
        { Name: 'tag:env', Values: ['production'] },
        { Name: 'instance-state', Values: ['RUNNING', 'STOPPED'] },
        { Name: 'zone', Values: ['ap-guangzhou-1', 'ap-guangzhou-2', 'ap-guangzhou-3'] },
      ],
    });
    assert.ok(both.TotalCount <= production.TotalCount);
    const web1 = await list({ Filters: [{ Name: 'instance-name', Values: ['web-1'] }] });
    assert.deepEqual(
      web1.InstanceSet.map((i) => i.InstanceName),
      ['web-1'],
    );
    const all = await list();
    const pages = [];
    for (let offset = 0; offset < all.TotalCount; offset += 3) {
      const page = await list({ Offset: offset, Limit: 3 });
      assert.equal(page.TotalCount, all.TotalCount);
      pages.push(...page.InstanceSet.map((i) => i.InstanceId));
    }
    assert.deepEqual(
      pages,
      all.InstanceSet.map((i) => i.InstanceId),
    );
    assert.equal(
      errorCode(await h.raw('cvm', 'DescribeInstances', { Filters: [{ Name: 'colour', Values: ['red'] }] })),
      'InvalidFilter',
    );
    assert.equal(
      errorCode(
        await h.raw('cvm', 'DescribeInstances', {
          InstanceIds: [all.InstanceSet[0]!.InstanceId],
          Filters: [{ Name: 'zone', Values: ['x'] }],
        }),
      ),
      'InvalidParameter',
    );
    const six = { Name: 'zone', Values: ['a', 'b', 'c', 'd', 'e', 'f'] };
    assert.equal(
      errorCode(await h.raw('cvm', 'DescribeInstances', { Filters: [six] })),
      'InvalidFilterValue.LimitExceeded',
    );
    const shanghai = await list({}, 'ap-shanghai');
    assert.ok(shanghai.InstanceSet.every((i) => i.Placement.Zone.startsWith('ap-shanghai-')));
  });

  it('denied actions follow the state: a running instance may not start, a stopped one may not stop', async () => {
    const running = await withState('RUNNING');
    const stopped = await withState('STOPPED');
    const r = await h.raw('cvm', 'DescribeInstancesDeniedActions', {
      InstanceIds: [running.InstanceId, stopped.InstanceId],
    });
    const set = r.InstanceDeniedActionSet as {
      InstanceId: string;
      DeniedActions: { Action: string; Code: string }[];
    }[];
    const denied = (id: string) => set.find((s) => s.InstanceId === id)!.DeniedActions.map((d) => d.Action);
    assert.ok(denied(running.InstanceId).includes('StartInstances'));
    assert.ok(!denied(running.InstanceId).includes('StopInstances'));
    assert.ok(denied(stopped.InstanceId).includes('StopInstances'));
    assert.ok(!denied(stopped.InstanceId).includes('StartInstances'));
  });

  it('renames and reports status', async () => {
    const target = await withState('STOPPED');
    const long = 'x'.repeat(61);
    assert.equal(
      errorCode(
        await h.raw('cvm', 'ModifyInstancesAttribute', { InstanceIds: [target.InstanceId], InstanceName: long }),
      ),
      'InvalidInstanceName.TooLong',
    );
    await h.raw('cvm', 'ModifyInstancesAttribute', { InstanceIds: [target.InstanceId], InstanceName: 'renamed-1' });
    assert.equal((await one(target.InstanceId))!.InstanceName, 'renamed-1');
    const status = await h.raw('cvm', 'DescribeInstancesStatus', { InstanceIds: [target.InstanceId] });
    assert.deepEqual(status.InstanceStatusSet, [{ InstanceId: target.InstanceId, InstanceState: 'STOPPED' }]);
  });
});
