/** Regions, zones and instance types; placement groups; launch templates; price inquiries. */
import assert from 'node:assert/strict';
import { DEFAULT_DURATIONS_MS } from '../../../src/index.ts';
import { errorCode, type Harness, startHarness } from '../../helpers.ts';

describe('CVM geography, placement groups, launch templates, prices', () => {
  let h: Harness;
  // A clock that moves only when a test moves it: a slow request on a busy machine cannot finish a transition
  // that the test means to observe half-way.
  let now = Date.now();
  before(async () => {
    h = await startHarness({ now: () => now, timeScale: 1 });
  });
  after(async () => {
    await h.close();
  });

  it('instance types per zone, filtered by zone and family (one value per filter)', async () => {
    const r = await h.raw('cvm', 'DescribeInstanceTypeConfigs', {
      Filters: [
        { Name: 'zone', Values: ['ap-guangzhou-3'] },
        { Name: 'instance-family', Values: ['M5'] },
      ],
    });
    const set = r.InstanceTypeConfigSet as { Zone: string; InstanceFamily: string; CPU: number }[];
    assert.ok(set.length > 0);
    assert.ok(set.every((t) => t.Zone === 'ap-guangzhou-3' && t.InstanceFamily === 'M5'));
    assert.equal(
      errorCode(await h.raw('cvm', 'DescribeInstanceTypeConfigs', { Filters: [{ Name: 'zone', Values: ['a', 'b'] }] })),
      'InvalidFilterValue.LimitExceeded',
    );
  });

  it('placement groups: create, join with an instance, refuse deleting a non-empty one', async () => {
    const created = await h.raw('cvm', 'CreateDisasterRecoverGroup', { Name: 'spread-test', Type: 'SW' });
    const groupId = created.DisasterRecoverGroupId as string;
    assert.match(groupId, /^ps-/);
    const instance = (
      (await h.raw('cvm', 'DescribeInstances', { Limit: 1 })).InstanceSet as { InstanceId: string }[]
    )[0]!;
    assert.equal(
      errorCode(
        await h.raw('cvm', 'ModifyInstancesDisasterRecoverGroup', {
          InstanceIds: [instance.InstanceId],
          DisasterRecoverGroupId: groupId,
        }),
      ),
      undefined,
    );
    const described = await h.raw('cvm', 'DescribeDisasterRecoverGroups', { DisasterRecoverGroupIds: [groupId] });
    const group = (described.DisasterRecoverGroupSet as { InstanceIds: string[]; CurrentNum: number }[])[0]!;
    assert.deepEqual(group.InstanceIds, [instance.InstanceId]);
    assert.equal(group.CurrentNum, 1);
    assert.equal(
      errorCode(await h.raw('cvm', 'DeleteDisasterRecoverGroups', { DisasterRecoverGroupIds: [groupId] })),
      'ResourceInUse',
    );
    await h.raw('cvm', 'RemoveInstancesDisasterRecoverGroup', {
      InstanceDisasterMapList: [{ InstanceId: instance.InstanceId, DisasterIds: [groupId] }],
    });
    assert.equal(
      errorCode(await h.raw('cvm', 'DeleteDisasterRecoverGroups', { DisasterRecoverGroupIds: [groupId] })),
      undefined,
    );
  });

  it('launch templates are versioned and never keep a password', async () => {
    const base = { Placement: { Zone: 'ap-guangzhou-1' }, ImageId: 'img-9qabwvbn', InstanceType: 'S5.SMALL2' };
    const created = await h.raw('cvm', 'CreateLaunchTemplate', {
      ...base,
      LaunchTemplateName: 'web-template',
      LoginSettings: { Password: 'Tce0ps-Emulator' },
    });
    assert.equal(errorCode(created), undefined, JSON.stringify(created.Error));
    const id = created.LaunchTemplateId as string;
    await h.raw('cvm', 'ModifyLaunchTemplate', {
      ...base,
      LaunchTemplateId: id,
      InstanceType: 'S5.MEDIUM4',
      InstanceCount: 1,
    });
    const info = await h.raw('cvm', 'DescribeLaunchTemplatesInfo', { LaunchTemplateIds: [id] });
    const template = (info.LaunchTemplateSet as Record<string, unknown>[])[0]!;
    assert.equal(template.LatestVersionNumber, 2);
    assert.equal(template.DefaultVersionNumber, 1);
    assert.ok(!JSON.stringify(info).includes('Tce0ps-Emulator'));
    assert.equal(
      errorCode(await h.raw('cvm', 'ModifyLaunchTemplateName', { LaunchTemplateId: id, LaunchTemplateName: 'x' })),
      'InvalidParameterValue.InvalidLaunchTemplateName',
    );
    assert.equal(errorCode(await h.raw('cvm', 'DeleteLaunchTemplate', { LaunchTemplateId: id })), undefined);
    assert.equal(
      errorCode(await h.raw('cvm', 'DeleteLaunchTemplate', { LaunchTemplateId: id })),
      'InvalidParameterValue.LaunchTemplateNotFound',
    );
  });

  it('prices follow the type and the count', async () => {
    const ask = async (InstanceType: string, InstanceCount: number) =>
      (
        (
          await h.raw('cvm', 'InquiryPriceRunInstances', {
            Placement: { Zone: 'ap-guangzhou-1' },
            ImageId: 'img-9qabwvbn',
            InstanceType,
            InstanceCount,
          })
        ).Price as { InstancePrice: { UnitPrice: number } }
      ).InstancePrice.UnitPrice;
    const small = await ask('S5.SMALL2', 1);
    assert.ok(small > 0);
    assert.ok((await ask('S5.LARGE8', 1)) > small);
    assert.ok(Math.abs((await ask('S5.SMALL2', 3)) - small * 3) < 0.02);
  });

  it('the console address is one-time and its token is not the RequestId (which audit logs keep)', async () => {
    const list = await h.raw('cvm', 'DescribeInstances', {
      Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }],
      Limit: 1,
    });
    const [running] = list.InstanceSet as { InstanceId: string }[];
    const first = await h.raw('cvm', 'DescribeInstanceVncUrl', { InstanceId: running!.InstanceId });
    const second = await h.raw('cvm', 'DescribeInstanceVncUrl', { InstanceId: running!.InstanceId });
    const token = (answer: Record<string, unknown>) => new URL(String(answer.InstanceVncUrl)).searchParams.get('token');
    assert.match(String(token(first)), /^[0-9a-f]{32}$/);
    assert.notEqual(token(first), token(second));
    assert.ok(!String(first.InstanceVncUrl).includes(String(first.RequestId)));
  });

  it('VPC address change: stop, change, start; a used address is refused; bandwidth changes at once', async () => {
    const list = await h.raw('cvm', 'DescribeInstances', {
      Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }],
      Limit: 2,
    });
    const [target, other] = list.InstanceSet as { InstanceId: string; PrivateIpAddresses: string[] }[];
    const taken = await h.raw('cvm', 'ModifyInstancesVpcAttribute', {
      InstanceIds: [target!.InstanceId],
      VirtualPrivateCloud: {
        VpcId: 'vpc-gz7k2m1q',
        SubnetId: 'subnet-gz4d8e2a',
        PrivateIpAddresses: other!.PrivateIpAddresses,
      },
    });
    assert.equal(errorCode(taken), 'VpcIpIsUsed');
    const outside = await h.raw('cvm', 'ModifyInstancesVpcAttribute', {
      InstanceIds: [target!.InstanceId],
      VirtualPrivateCloud: { VpcId: 'vpc-gz7k2m1q', SubnetId: 'subnet-gz4d8e2a', PrivateIpAddresses: ['192.168.0.5'] },
    });
    assert.equal(errorCode(outside), 'VpcAddrNotInSubNet');
    const moved = await h.raw('cvm', 'ModifyInstancesVpcAttribute', {
      InstanceIds: [target!.InstanceId],
      VirtualPrivateCloud: { VpcId: 'vpc-gz7k2m1q', SubnetId: 'subnet-gz4d8e2a', PrivateIpAddresses: ['10.0.250.250'] },
    });
    assert.equal(errorCode(moved), undefined, JSON.stringify(moved.Error));
    const after = (await h.raw('cvm', 'DescribeInstances', { InstanceIds: [target!.InstanceId] })).InstanceSet as {
      InstanceState: string;
      PrivateIpAddresses: string[];
      LatestOperation: string;
    }[];
    assert.deepEqual(after[0]!.PrivateIpAddresses, ['10.0.250.250']);
    assert.equal(after[0]!.InstanceState, 'STOPPING');
    assert.equal(after[0]!.LatestOperation, 'ModifyInstancesVpcAttribute');
    const state = async () =>
      (
        (await h.raw('cvm', 'DescribeInstances', { InstanceIds: [target!.InstanceId] })).InstanceSet as {
          InstanceState: string;
        }[]
      )[0]!.InstanceState;
    now += DEFAULT_DURATIONS_MS.instanceModify - 1;
    assert.equal(await state(), 'STOPPING');
    now += 1;
    assert.equal(await state(), 'RUNNING');
    const bandwidth = await h.raw('cvm', 'ResetInstancesInternetMaxBandwidth', {
      InstanceIds: [other!.InstanceId],
      InternetAccessible: { InternetMaxBandwidthOut: 50 },
    });
    assert.equal(errorCode(bandwidth), undefined, JSON.stringify(bandwidth.Error));
    const widened = (await h.raw('cvm', 'DescribeInstances', { InstanceIds: [other!.InstanceId] })).InstanceSet as {
      InternetAccessible: { InternetMaxBandwidthOut: number };
      PublicIpAddresses: string[];
    }[];
    assert.equal(widened[0]!.InternetAccessible.InternetMaxBandwidthOut, 50);
    assert.equal(widened[0]!.PublicIpAddresses.length, 1);
  });

  it('undocumented-as-stateful actions answer: reads with an empty result, writes with UnsupportedOperation', async () => {
    const reads = await h.raw('cvm', 'DescribeInstanceUsbInfo', { VmUuids: ['6f3d0000-0a1b-4c2d-8e3f-000000000000'] });
    assert.equal(errorCode(reads), undefined, JSON.stringify(reads.Error));
    const write = await h.raw('cvm', 'ImportImage', {
      Architecture: 'x86_64',
      OsType: 'CentOS',
      OsVersion: '7',
      ImageUrl: 'https://example.invalid/a.qcow2',
      ImageName: 'imported',
    });
    assert.equal(errorCode(write), 'UnsupportedOperation');
    assert.match(String((write.Error as { Message: string }).Message), /not emulated/);
  });
});
