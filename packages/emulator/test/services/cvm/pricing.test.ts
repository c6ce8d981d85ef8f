/**
 * The price list: what each zone sells, deterministic prices by type, zone, charge type, disk and period, and the
 * same figure from the zone listing and the price inquiry; launches and resizes refused where a zone does not sell.
 */
import assert from 'node:assert/strict';
import { errorCode, eventually, type Harness, startHarness } from '../../helpers.ts';

type Item = { UnitPrice?: number; UnitPriceDiscount?: number; DiscountPrice?: number; OriginalPrice?: number };

describe('CVM price list', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const inquire = async (params: Record<string, unknown>) => {
    const r = await h.raw('cvm', 'InquiryPriceRunInstances', { ImageId: 'img-9qabwvbn', ...params });
    assert.equal(errorCode(r), undefined, JSON.stringify(r));
    return r.Price as { InstancePrice: Item; BandwidthPrice: Item };
  };

  it('zone 1 sells no M5, zone 3 no C5; the listing, the type configs and RunInstances agree', async () => {
    const list = async (zone: string) =>
      (
        (await h.raw('cvm', 'DescribeZoneInstanceConfigInfos', { Filters: [{ Name: 'zone', Values: [zone] }] }))
          .InstanceTypeQuotaSet as { InstanceType: string; InstanceFamily: string }[]
      ).map((r) => r.InstanceFamily);
    assert.ok(!(await list('ap-guangzhou-1')).includes('M5'));
    assert.ok(!(await list('ap-guangzhou-3')).includes('C5'));
    assert.deepEqual([...new Set(await list('ap-guangzhou-2'))].sort(), ['C5', 'M5', 'S1', 'S5']);
    const configs = await h.raw('cvm', 'DescribeInstanceTypeConfigs', {
      Filters: [{ Name: 'zone', Values: ['ap-guangzhou-1'] }],
    });
    assert.ok(!(configs.InstanceTypeConfigSet as { InstanceFamily: string }[]).some((t) => t.InstanceFamily === 'M5'));
    const run = await h.raw('cvm', 'RunInstances', {
      Placement: { Zone: 'ap-guangzhou-1' },
      ImageId: 'img-9qabwvbn',
      InstanceType: 'M5.LARGE32',
    });
    assert.equal(errorCode(run), 'ResourceInsufficient.ZoneSoldOutForSpecifiedInstance');
    assert.match((run.Error as { Message: string }).Message, /sold there: S1\.SMALL1, S5\.SMALL2/);
  });

  it('prices follow the zone, the charge type, the disks and the period, and match the listing', async () => {
    const zone1 = await inquire({ Placement: { Zone: 'ap-guangzhou-1' }, InstanceType: 'S5.LARGE8' });
    const zone3 = await inquire({ Placement: { Zone: 'ap-guangzhou-3' }, InstanceType: 'S5.LARGE8' });
    // 0.40/h list, +10% in zone 3; the default system disk, LOCAL_BASIC 50 GB (000:20290), adds 0.01/h.
    assert.equal(zone1.InstancePrice.UnitPriceDiscount, 0.41);
    assert.equal(zone3.InstancePrice.UnitPriceDiscount, 0.45);
    const listed = await h.raw('cvm', 'DescribeZoneInstanceConfigInfos', {
      Filters: [
        { Name: 'zone', Values: ['ap-guangzhou-3'] },
        { Name: 'instance-type', Values: ['S5.LARGE8'] },
        { Name: 'instance-charge-type', Values: ['POSTPAID_BY_HOUR'] },
      ],
    });
    const row = (listed.InstanceTypeQuotaSet as { Price: Item }[])[0]!;
    assert.equal(row.Price.UnitPrice, 0.44, 'the listing is the type alone, the inquiry adds the disk');
    const bigDisk = await inquire({
      Placement: { Zone: 'ap-guangzhou-1' },
      InstanceType: 'S5.LARGE8',
      SystemDisk: { DiskType: 'CLOUD_SSD', DiskSize: 100 },
      DataDisks: [{ DiskType: 'CLOUD_PREMIUM', DiskSize: 200 }],
    });
    assert.equal(bigDisk.InstancePrice.UnitPriceDiscount, 0.4 + 0.12 + 0.1);
    const prepaid = await inquire({
      Placement: { Zone: 'ap-guangzhou-1' },
      InstanceType: 'S5.LARGE8',
      InstanceChargeType: 'PREPAID',
      InstanceChargePrepaid: { Period: 12 },
    });
    assert.equal(prepaid.InstancePrice.OriginalPrice, 3542.4); // 0.41 × 720 × 12
    assert.equal(prepaid.InstancePrice.DiscountPrice, Math.round(0.41 * 720 * 12 * 0.7 * 10000) / 10000);
    const badPeriod = await h.raw('cvm', 'InquiryPriceRunInstances', {
      Placement: { Zone: 'ap-guangzhou-1' },
      ImageId: 'img-9qabwvbn',
      InstanceType: 'S5.LARGE8',
      InstanceChargeType: 'PREPAID',
      InstanceChargePrepaid: { Period: 13 },
    });
    assert.match(String(errorCode(badPeriod)), /^Invalid(Period|ParameterValue)/);
    const notSold = await h.raw('cvm', 'InquiryPriceRunInstances', {
      Placement: { Zone: 'ap-guangzhou-3' },
      ImageId: 'img-9qabwvbn',
      InstanceType: 'C5.LARGE8',
    });
    assert.equal(errorCode(notSold), 'ResourceInsufficient.ZoneSoldOutForSpecifiedInstance');
  });

  it('POST /_tce/prices scales every price; a bad factor is refused', async () => {
    const before = await inquire({ Placement: { Zone: 'ap-guangzhou-1' }, InstanceType: 'S5.SMALL2' });
    const set = await fetch(`${h.emulator.url}/_tce/prices`, { method: 'POST', body: '{"factor": 2}' });
    assert.equal(set.status, 200);
    const after = await inquire({ Placement: { Zone: 'ap-guangzhou-1' }, InstanceType: 'S5.SMALL2' });
    assert.equal(after.InstancePrice.UnitPriceDiscount, before.InstancePrice.UnitPriceDiscount! * 2);
    for (const body of ['{"factor": 0}', '{"factor": "2"}', '{}', 'not json'])
      assert.equal((await fetch(`${h.emulator.url}/_tce/prices`, { method: 'POST', body })).status, 400, body);
  });

  it('resize: DescribeInstancesModification allows the family only; the inquiry prices the new type; others refused', async () => {
    const launched = await h.raw('cvm', 'RunInstances', {
      Placement: { Zone: 'ap-guangzhou-2' },
      ImageId: 'img-9qabwvbn',
      InstanceType: 'S5.MEDIUM4',
    });
    const [id] = launched.InstanceIdSet as string[];
    await eventually(async () => {
      const r = await h.raw('cvm', 'DescribeInstances', { InstanceIds: [id] });
      return (r.InstanceSet as { InstanceState: string }[])[0]?.InstanceState === 'RUNNING';
    }, 'the instance runs');
    const rows = (await h.raw('cvm', 'DescribeInstancesModification', { InstanceIds: [id] }))
      .InstanceTypeConfigStatusSet as {
      Status: string;
      Message: string;
      InstanceTypeConfig: { InstanceType: string };
    }[];
    const status = Object.fromEntries(rows.map((r) => [r.InstanceTypeConfig.InstanceType, r.Status]));
    assert.equal(status['S5.LARGE8'], 'SELL');
    assert.equal(status['M5.LARGE32'], 'UNAVAILABLE');
    assert.match(rows.find((r) => r.Status === 'UNAVAILABLE')!.Message, /within the S5 family/);
    const price = await h.raw('cvm', 'InquiryPriceResetInstancesType', {
      InstanceIds: [id],
      InstanceType: 'S5.LARGE8',
    });
    assert.equal((price.Price as { InstancePrice: Item }).InstancePrice.UnitPriceDiscount, 0.42);
    const other = await h.raw('cvm', 'InquiryPriceResetInstancesType', {
      InstanceIds: [id],
      InstanceType: 'M5.LARGE32',
    });
    assert.equal(errorCode(other), 'InvalidParameterValue');
  });

  it('denied actions: a pending or stopped instance is denied what its state forbids, with the code it would get', async () => {
    const launched = await h.raw('cvm', 'RunInstances', {
      Placement: { Zone: 'ap-guangzhou-2' },
      ImageId: 'img-9qabwvbn',
      InstanceType: 'S5.MEDIUM4',
    });
    const [id] = launched.InstanceIdSet as string[];
    const denied = await h.raw('cvm', 'DescribeInstancesDeniedActions', { InstanceIds: [id] });
    const actions = (denied.InstanceDeniedActionSet as { DeniedActions: { Action: string; Code: string }[] }[])[0]!
      .DeniedActions;
    const resize = actions.find((a) => a.Action === 'ResetInstancesType');
    assert.equal(resize?.Code, 'InvalidInstanceState', 'a PENDING instance cannot change type');
    assert.ok(!actions.some((a) => a.Action === 'ModifyInstancesAttribute'), 'renaming is allowed while pending');
  });
});
