/**
 * The emulated price list and what each zone sells. One place answers both, so DescribeZoneInstanceConfigInfos,
 * DescribeInstanceTypeConfigs, DescribeInstancesModification, RunInstances and every InquiryPrice* agree.
 *
 * Deterministic: a type's hourly price (geography.ts) × the zone's factor (zone N costs 5% more than zone N-1),
 * prepaid months at 720 hours with 30% off, cloud disks per GB-hour by disk type, public bandwidth per Mbps-hour.
 * `state.priceFactor` scales everything (a price rise between a request and its approval, for tests and demos).
 */
import { fail } from '../../failure.ts';
import { findInstanceType, INSTANCE_TYPES, type InstanceType } from '../../geography.ts';
import type { EmulatorState } from '../../state.ts';

export const HOURS_PER_MONTH = 720;
/** Prepaid months cost this share of the same hours pay-as-you-go. */
export const PREPAID_SHARE = 0.7;
const DISK_PER_GB_HOUR: Record<string, number> = {
  LOCAL_BASIC: 0.0002,
  LOCAL_SSD: 0.0006,
  CLOUD_BASIC: 0.0003,
  CLOUD_PREMIUM: 0.0005,
  CLOUD_SSD: 0.0012,
};
const BANDWIDTH_PER_MBPS_HOUR = 0.063;

export const round = (n: number) => Math.round(n * 10000) / 10000;

function zoneNumber(zone: string): number {
  const n = Number(zone.split('-').pop());
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * Why a zone does not sell a type, or undefined when it does: zone 1 of every region sells no memory-optimised
 * M5, zone 3 no compute-optimised C5 (so "not offered in this zone" can be seen and tested).
 */
export function notSoldReason(zone: string, type: InstanceType): string | undefined {
  const n = zoneNumber(zone);
  if (n === 1 && type.InstanceFamily === 'M5') return `${zone} sells no M5 (memory-optimised) instances`;
  if (n === 3 && type.InstanceFamily === 'C5') return `${zone} sells no C5 (compute-optimised) instances`;
  return undefined;
}

export function typesSoldIn(zone: string): InstanceType[] {
  return INSTANCE_TYPES.filter((t) => notSoldReason(zone, t) === undefined);
}

/** RunInstances and its price: the type must exist and be sold in the zone. */
export function sellableType(zone: string, name: string): InstanceType {
  const type = findInstanceType(name);
  const why = notSoldReason(zone, type);
  if (why)
    fail(
      'ResourceInsufficient.ZoneSoldOutForSpecifiedInstance',
      `${name} is not sold in ${zone}: ${why}; sold there: ${typesSoldIn(zone)
        .map((t) => t.InstanceType)
        .join(', ')}`,
    );
  return type;
}

function factor(state: EmulatorState): number {
  const f = (state as { priceFactor?: number }).priceFactor;
  return typeof f === 'number' && f > 0 ? f : 1;
}

/** Hourly pay-as-you-go price of a type in a zone, in yuan. */
export function typeHourly(state: EmulatorState, zone: string, type: InstanceType): number {
  return round(type.price * (1 + (zoneNumber(zone) - 1) * 0.05) * factor(state));
}

export function diskHourly(state: EmulatorState, diskType: string | undefined, sizeGb: number): number {
  const rate = DISK_PER_GB_HOUR[diskType ?? 'CLOUD_PREMIUM'];
  if (rate === undefined)
    fail(
      'InvalidParameterValue',
      `disk type ${diskType} is not sold; types: ${Object.keys(DISK_PER_GB_HOUR).join(', ')}`,
    );
  return round(rate * sizeGb * factor(state));
}

export function bandwidthHourly(state: EmulatorState, mbps: number): number {
  return round(BANDWIDTH_PER_MBPS_HOUR * mbps * factor(state));
}

/** An ItemPrice for pay-as-you-go: the hourly figure. */
export function hourlyItem(perHour: number) {
  return { UnitPrice: round(perHour), ChargeUnit: 'HOUR', UnitPriceDiscount: round(perHour), Discount: 100 };
}

/** An ItemPrice for prepaid: the whole period, paid up front (70 = 7折, as the docs write discounts). */
export function prepaidItem(perHour: number, months: number) {
  const original = perHour * HOURS_PER_MONTH * months;
  return {
    OriginalPrice: round(original),
    DiscountPrice: round(original * PREPAID_SHARE),
    Discount: PREPAID_SHARE * 100,
  };
}
