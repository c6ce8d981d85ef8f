/** Regions, zones, instance types and families: the deployment's fixed geography (geography.ts). */
import { FAMILY_NAMES, REGIONS, regionOf } from '../../geography.ts';
import { applyFilters, type Filter } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { hourlyItem, prepaidItem, typeHourly, typesSoldIn } from './price-list.ts';

function describeRegions() {
  const set = REGIONS.map((r) => ({ Region: r.Region, RegionName: r.RegionName, RegionState: 'AVAILABLE' }));
  return { TotalCount: set.length, RegionSet: set };
}

function describeZones(call: Call) {
  const set = regionOf(call.region).zones.map((z) => ({ ...z, ZoneState: 'AVAILABLE' }));
  return { TotalCount: set.length, ZoneSet: set };
}

/** The types each zone of the region sells (price-list.ts). */
function typesByZone(region: string) {
  return regionOf(region).zones.flatMap((zone) => typesSoldIn(zone.Zone).map((type) => ({ zone: zone.Zone, type })));
}

const CHARGE_TYPES = ['POSTPAID_BY_HOUR', 'PREPAID'];

function describeInstanceTypeConfigs(call: Call) {
  const p = call.params as { Filters?: Filter[] };
  const rows = applyFilters(
    typesByZone(call.region),
    p.Filters,
    {
      zone: (r) => r.zone,
      'instance-family': (r) => r.type.InstanceFamily,
      'instance-type': (r) => r.type.InstanceType,
    },
    { maxValues: 1 },
  );
  return {
    InstanceTypeConfigSet: rows.map(({ zone, type }) => ({
      Zone: zone,
      InstanceType: type.InstanceType,
      InstanceFamily: type.InstanceFamily,
      GPU: 0,
      CPU: type.CPU,
      Memory: type.Memory,
      FPGA: 0,
    })),
  };
}

function describeZoneInstanceConfigInfos(call: Call) {
  const p = call.params as { Filters?: Filter[] };
  // One row per type, zone and charge type, priced as InquiryPriceRunInstances prices it (prepaid: one month).
  const rows = applyFilters(
    typesByZone(call.region).flatMap((r) => CHARGE_TYPES.map((chargeType) => ({ ...r, chargeType }))),
    p.Filters,
    {
      zone: (r) => r.zone,
      'instance-family': (r) => r.type.InstanceFamily,
      'instance-type': (r) => r.type.InstanceType,
      'instance-charge-type': (r) => r.chargeType,
    },
  );
  return {
    InstanceTypeQuotaSet: rows.map(({ zone, type, chargeType }) => ({
      Zone: zone,
      InstanceType: type.InstanceType,
      InstanceChargeType: chargeType,
      NetworkCard: 0,
      Externals: {},
      Cpu: type.CPU,
      Memory: type.Memory,
      InstanceFamily: type.InstanceFamily,
      TypeName: type.TypeName,
      LocalDiskTypeList: [],
      Status: 'SELL',
      Price:
        chargeType === 'PREPAID'
          ? prepaidItem(typeHourly(call.state, zone, type), 1)
          : hourlyItem(typeHourly(call.state, zone, type)),
      SoldOutReason: '',
      InstanceBandwidth: Math.max(1.5, type.CPU * 1.5),
      // In units of 10,000 packets per second (万PPS, 000:20006).
      InstancePps: type.CPU * 10,
      StorageBlockAmount: 0,
      CpuType: 'Intel Xeon Cascade Lake 8255C',
      Gpu: 0,
      Fpga: 0,
      Remark: '',
    })),
  };
}

function describeInstanceFamilyConfigs() {
  return {
    InstanceFamilyConfigSet: Object.entries(FAMILY_NAMES).map(([family, name]) => ({
      InstanceFamily: family,
      InstanceFamilyName: name,
    })),
  };
}

function getRecycleInfo() {
  // Terminated instances leave at once here: there is no recycle bin.
  return { RecycleTime: '0' };
}

export const regionHandlers: Handlers = {
  DescribeRegions: describeRegions,
  DescribeZones: describeZones,
  DescribeInstanceTypeConfigs: describeInstanceTypeConfigs,
  DescribeZoneInstanceConfigInfos: describeZoneInstanceConfigInfos,
  DescribeInstanceFamilyConfigs: describeInstanceFamilyConfigs,
  GetRecycleInfo: getRecycleInfo,
};
