/**
 * Price inquiries and renewal: prices come from the instance types' hourly price (geography.ts), disks at a
 * flat rate per GB, so clients get plausible, consistent numbers. No money changes hands here.
 */
import { fail } from '../../failure.ts';
import { findInstanceType } from '../../geography.ts';
import type { Call, Handlers } from '../types.ts';
import { checkRun, instancesFor } from './instances.ts';

const DISK_PER_GB_HOUR = 0.0005;
const HOURS_PER_MONTH = 720;
const round = (n: number) => Math.round(n * 100) / 100;

function hourly(unit: number) {
  return { UnitPrice: round(unit), ChargeUnit: 'HOUR', UnitPriceDiscount: round(unit), Discount: 100 };
}

function monthly(total: number) {
  return { OriginalPrice: round(total), DiscountPrice: round(total), Discount: 100 };
}

function inquiryPriceRunInstances(call: Call) {
  const p = call.params as { InstanceChargePrepaid?: { Period: number }; SystemDisk?: { DiskSize?: number } };
  const { type, count, chargeType } = checkRun(call, call.params as unknown as Parameters<typeof checkRun>[1]);
  const disk = (p.SystemDisk?.DiskSize ?? 50) * DISK_PER_GB_HOUR;
  const perHour = (type.price + disk) * count;
  const InstancePrice =
    chargeType === 'PREPAID'
      ? monthly(perHour * HOURS_PER_MONTH * (p.InstanceChargePrepaid?.Period ?? 1))
      : hourly(perHour);
  return { Price: { InstancePrice, BandwidthPrice: hourly(0.8) } };
}

function inquiryPriceResetInstancesType(call: Call) {
  const p = call.params as { InstanceIds: string[]; InstanceType: string };
  const [stored] = instancesFor(call, p.InstanceIds, 'ResetInstancesType', true);
  const type = findInstanceType(p.InstanceType);
  if (type.InstanceFamily !== stored!.item.InstanceFamily)
    fail('InvalidParameterValue', `the type can only change within the ${stored!.item.InstanceFamily} family`);
  return { Price: { InstancePrice: hourly(type.price) } };
}

function inquiryPriceResizeInstanceDisks(call: Call) {
  const p = call.params as { InstanceId: string; SystemDisk: { DiskSize?: number } };
  const [stored] = instancesFor(call, [p.InstanceId], 'ResizeInstanceDisks', true);
  const grow = (p.SystemDisk.DiskSize ?? 0) - stored!.item.SystemDisk.DiskSize;
  if (grow <= 0)
    fail('InvalidParameterValue', `disks only grow: the system disk is ${stored!.item.SystemDisk.DiskSize} GB`);
  return { Price: { InstancePrice: hourly(grow * DISK_PER_GB_HOUR) } };
}

function inquiryPriceResetInstance(call: Call) {
  const p = call.params as { InstanceId: string };
  instancesFor(call, [p.InstanceId], 'ResetInstance');
  return { Price: { InstancePrice: hourly(0) } };
}

function inquiryPriceRenewInstances(call: Call) {
  const p = call.params as { InstanceIds: string[]; InstanceChargePrepaid: { Period: number } };
  const found = instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute');
  const notPrepaid = found.filter((s) => s.item.InstanceChargeType !== 'PREPAID');
  if (notPrepaid.length)
    fail(
      'InvalidInstance.NotSupported',
      `${notPrepaid.map((s) => s.item.InstanceId).join(', ')} are not prepaid; only prepaid instances renew`,
    );
  const total = found.reduce((sum, s) => sum + findInstanceType(s.item.InstanceType).price, 0);
  return { Price: { InstancePrice: monthly(total * HOURS_PER_MONTH * p.InstanceChargePrepaid.Period) } };
}

function renewInstances(call: Call) {
  const p = call.params as { InstanceIds: string[] };
  const found = instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute');
  const notPrepaid = found.filter((s) => s.item.InstanceChargeType !== 'PREPAID');
  if (notPrepaid.length)
    fail(
      'InvalidInstance.NotSupported',
      `${notPrepaid.map((s) => s.item.InstanceId).join(', ')} are not prepaid; only prepaid instances renew`,
    );
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
  RenewInstances: renewInstances,
  ModifyInstancesRenewFlag: modifyInstancesRenewFlag,
  ModifyInstancesProject: modifyInstancesProject,
};
