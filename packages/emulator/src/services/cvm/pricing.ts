/**
 * Price inquiries and renewal, all from the price list (price-list.ts), so an inquiry agrees with what
 * DescribeZoneInstanceConfigInfos shows for the same type and zone. No money changes hands here.
 */
import { fail } from '../../failure.ts';
import { findInstanceType } from '../../geography.ts';
import type { Instance, Stored } from '../../state.ts';
import type { Call, Handlers } from '../types.ts';
import { checkRun, instancesFor } from './instances.ts';
import { bandwidthHourly, diskHourly, hourlyItem, prepaidItem, sellableType, typeHourly } from './price-list.ts';

/** The periods a prepaid purchase or renewal may take, in months (the docs' InvalidPeriod). */
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36];

function checkPeriod(period: number | undefined): number {
  const months = period ?? 1;
  if (!PERIODS.includes(months))
    fail('InvalidPeriod', `Period is ${months}; it must be one of ${PERIODS.join(', ')} (months)`);
  return months;
}

/** One instance's hourly price as it stands: type in its zone plus its disks. */
function instanceHourly(call: Call, stored: Stored<Instance>, typeName = stored.item.InstanceType): number {
  const item = stored.item;
  const type = findInstanceType(typeName);
  const disks = [item.SystemDisk, ...item.DataDisks].reduce(
    (sum, d) => sum + diskHourly(call.state, d.DiskType, d.DiskSize),
    0,
  );
  return typeHourly(call.state, item.Placement.Zone, type) + disks;
}

function inquiryPriceRunInstances(call: Call) {
  const p = call.params as {
    Placement: { Zone: string };
    InstanceType?: string;
    InstanceChargePrepaid?: { Period: number };
    SystemDisk?: { DiskSize?: number; DiskType?: string };
    DataDisks?: { DiskSize?: number; DiskType?: string }[];
    InternetAccessible?: { InternetMaxBandwidthOut?: number; PublicIpAssigned?: boolean };
  };
  const { type, count, chargeType } = checkRun(call, call.params as unknown as Parameters<typeof checkRun>[1]);
  sellableType(p.Placement.Zone, type.InstanceType);
  // RunInstances' documented default system disk: LOCAL_BASIC, 50 GB (000:20290-20292).
  const system = diskHourly(call.state, p.SystemDisk?.DiskType ?? 'LOCAL_BASIC', p.SystemDisk?.DiskSize ?? 50);
  const data = (p.DataDisks ?? []).reduce((sum, d) => sum + diskHourly(call.state, d.DiskType, d.DiskSize ?? 50), 0);
  const perHour = (typeHourly(call.state, p.Placement.Zone, type) + system + data) * count;
  const mbps =
    p.InternetAccessible?.PublicIpAssigned === false ? 0 : (p.InternetAccessible?.InternetMaxBandwidthOut ?? 0);
  const InstancePrice =
    chargeType === 'PREPAID' ? prepaidItem(perHour, checkPeriod(p.InstanceChargePrepaid?.Period)) : hourlyItem(perHour);
  return { Price: { InstancePrice, BandwidthPrice: hourlyItem(bandwidthHourly(call.state, mbps) * count) } };
}

/** The price after the change: pay-as-you-go answers the type's new hourly price, prepaid the upgrade for the rest
 * of the term. */
function inquiryPriceResetInstancesType(call: Call) {
  const p = call.params as { InstanceIds: string[]; InstanceType: string };
  const found = instancesFor(call, p.InstanceIds, 'ResetInstancesType', true);
  let perHour = 0;
  let upgrade = 0;
  for (const stored of found) {
    const type = sellableType(stored.item.Placement.Zone, p.InstanceType);
    if (type.InstanceFamily !== stored.item.InstanceFamily)
      fail('InvalidParameterValue', `the type can only change within the ${stored.item.InstanceFamily} family`);
    // The type's price alone, as DescribeZoneInstanceConfigInfos lists it: disks do not change with the type.
    const zone = stored.item.Placement.Zone;
    const after = typeHourly(call.state, zone, type);
    if (stored.item.InstanceChargeType === 'PREPAID') {
      const left = Math.max(0, (Date.parse(stored.item.ExpiredTime ?? '') || call.now) - call.now) / 3_600_000;
      const before = typeHourly(call.state, zone, findInstanceType(stored.item.InstanceType));
      upgrade += Math.max(0, after - before) * left;
    } else perHour += after;
  }
  const prepaid = found.every((s) => s.item.InstanceChargeType === 'PREPAID');
  return {
    Price: {
      InstancePrice: prepaid ? prepaidItem(upgrade / 720, 1) : hourlyItem(perHour),
    },
  };
}

/** The hourly price of the instance with its system disk at the new size. */
function inquiryPriceResizeInstanceDisks(call: Call) {
  const p = call.params as { InstanceId: string; SystemDisk: { DiskSize?: number } };
  const [stored] = instancesFor(call, [p.InstanceId], 'ResizeInstanceDisks', true);
  const disk = stored!.item.SystemDisk;
  const size = p.SystemDisk.DiskSize ?? 0;
  if (size <= disk.DiskSize) fail('InvalidParameterValue', `disks only grow: the system disk is ${disk.DiskSize} GB`);
  const grow = diskHourly(call.state, disk.DiskType, size) - diskHourly(call.state, disk.DiskType, disk.DiskSize);
  return { Price: { InstancePrice: hourlyItem(instanceHourly(call, stored!) + grow) } };
}

/** Reinstalling costs nothing more: the same instance, the same price (images carry no charge here). */
function inquiryPriceResetInstance(call: Call) {
  const p = call.params as { InstanceId: string };
  const [stored] = instancesFor(call, [p.InstanceId], 'ResetInstance');
  return { Price: { InstancePrice: hourlyItem(instanceHourly(call, stored!)) } };
}

function onlyPrepaid(found: Stored<Instance>[]): void {
  const notPrepaid = found.filter((s) => s.item.InstanceChargeType !== 'PREPAID');
  if (notPrepaid.length)
    fail(
      'InvalidInstance.NotSupported',
      `${notPrepaid.map((s) => s.item.InstanceId).join(', ')} are not prepaid; only prepaid instances renew`,
    );
}

function inquiryPriceRenewInstances(call: Call) {
  const p = call.params as { InstanceIds: string[]; InstanceChargePrepaid: { Period: number } };
  const found = instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute');
  onlyPrepaid(found);
  const perHour = found.reduce((sum, s) => sum + instanceHourly(call, s), 0);
  return { Price: { InstancePrice: prepaidItem(perHour, checkPeriod(p.InstanceChargePrepaid.Period)) } };
}

/** The types one instance could change to, and whether it may (the docs' InquiryResourceResetInstancesType gives one
 * ResourceForInstanceType, unnamed: here the current type, as the resource the instance holds). */
function inquiryResourceResetInstancesType(call: Call) {
  const p = call.params as { InstanceIds: string[] };
  const [stored] = instancesFor(call, p.InstanceIds, 'ResetInstancesType', true);
  const item = stored!.item;
  return {
    InquiryResourceResetInstancesType: {
      InstanceType: item.InstanceType,
      CPU: item.CPU,
      Memory: item.Memory,
      Status: 'SELL',
    },
  };
}

function renewInstances(call: Call) {
  const p = call.params as { InstanceIds: string[] };
  const found = instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute');
  onlyPrepaid(found);
  // RenewInstances takes no period in the docs: one month, as the console's default renewal.
  for (const stored of found) {
    const from = Math.max(Date.parse(stored.item.ExpiredTime ?? '') || call.now, call.now);
    stored.item.ExpiredTime = `${new Date(from + 30 * 86400_000).toISOString().slice(0, 19)}Z`;
  }
  return {};
}

function modifyInstancesRenewFlag(call: Call) {
  const p = call.params as { InstanceIds: string[]; RenewFlag: string };
  for (const stored of instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute'))
    stored.item.RenewFlag = p.RenewFlag;
  return {};
}

function modifyInstancesProject(call: Call) {
  const p = call.params as { InstanceIds: string[]; ProjectId: string };
  if (!/^\d+$/.test(p.ProjectId)) fail('InvalidParameterValue', `ProjectId must be digits, not "${p.ProjectId}"`);
  for (const stored of instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute'))
    stored.item.Placement.ProjectId = Number(p.ProjectId);
  return {};
}

export const pricingHandlers: Handlers = {
  InquiryPriceRunInstances: inquiryPriceRunInstances,
  InquiryPriceResetInstancesType: inquiryPriceResetInstancesType,
  InquiryPriceResizeInstanceDisks: inquiryPriceResizeInstanceDisks,
  InquiryPriceResetInstance: inquiryPriceResetInstance,
  InquiryPriceRenewInstances: inquiryPriceRenewInstances,
  InquiryResourceResetInstancesType: inquiryResourceResetInstancesType,
  RenewInstances: renewInstances,
  ModifyInstancesRenewFlag: modifyInstancesRenewFlag,
  ModifyInstancesProject: modifyInstancesProject,
};
