/**
 * What the emulated deployment offers, the same for every seed: regions and zones, instance types, public images.
 * Names follow the docs' examples (ap-guangzhou, ap-guangzhou-3 "广州三区", 华南地区(广州)).
 */
import { fail } from './failure.ts';

export interface Zone {
  Zone: string;
  ZoneName: string;
  ZoneId: string;
}

export interface Region {
  Region: string;
  RegionName: string;
  zones: Zone[];
  /** Second octet of the region's private network (10.N.0.0/16) and its default VPC, subnet and security group. */
  network: number;
  vpcId: string;
  subnetId: string;
  securityGroupId: string;
}

const NUMERALS = ['一', '二', '三', '四', '五', '六'];

function zones(region: string, city: string, regionNumber: number, numbers: number[]): Zone[] {
  return numbers.map((n) => ({
    Zone: `${region}-${n}`,
    ZoneName: `${city}${NUMERALS[n - 1]}区`,
    ZoneId: String(regionNumber * 100000 + n),
  }));
}

export const REGIONS: Region[] = [
  {
    Region: 'ap-guangzhou',
    RegionName: '华南地区(广州)',
    zones: zones('ap-guangzhou', '广州', 1, [1, 2, 3]),
    network: 0,
    vpcId: 'vpc-gz7k2m1q',
    subnetId: 'subnet-gz4d8e2a',
    securityGroupId: 'sg-gz5h3k9w',
  },
  {
    Region: 'ap-shanghai',
    RegionName: '华东地区(上海)',
    zones: zones('ap-shanghai', '上海', 2, [1, 2]),
    network: 1,
    vpcId: 'vpc-sh2p9x4c',
    subnetId: 'subnet-sh8r1t6b',
    securityGroupId: 'sg-sh3n7v2e',
  },
  {
    Region: 'ap-beijing',
    RegionName: '华北地区(北京)',
    zones: zones('ap-beijing', '北京', 8, [1, 2, 3]),
    network: 2,
    vpcId: 'vpc-bj6w3q8z',
    subnetId: 'subnet-bj1y5u7m',
    securityGroupId: 'sg-bj9c4f1d',
  },
];

export function regionOf(name: string): Region {
  return findRegion(name) ?? fail('UnsupportedRegion', `region ${name} does not exist here`);
}

export function findRegion(name: string): Region | undefined {
  return REGIONS.find((r) => r.Region === name);
}

/** The zone, which must be in the request's region (InvalidZone.MismatchRegion otherwise). */
export function zoneIn(region: string, zone: string): Zone {
  const found = findRegion(region)?.zones.find((z) => z.Zone === zone);
  if (found) return found;
  const elsewhere = REGIONS.find((r) => r.zones.some((z) => z.Zone === zone));
  if (elsewhere) fail('InvalidZone.MismatchRegion', `zone ${zone} is in ${elsewhere.Region}, not in ${region}`);
  // CVM documents InvalidZone.MismatchRegion as "指定的 zone 不存在" (000:18182).
  const names = findRegion(region)?.zones.map((z) => z.Zone) ?? [];
  return fail('InvalidZone.MismatchRegion', `no zone ${zone} in ${region}; its zones are ${names.join(', ')}`);
}

export interface InstanceType {
  InstanceType: string;
  InstanceFamily: string;
  TypeName: string;
  CPU: number;
  Memory: number;
  /** Hourly price in yuan, for the InquiryPrice* answers. */
  price: number;
}

const FAMILIES: Record<string, string> = { S1: '标准型S1', S5: '标准型S5', M5: '内存型M5', C5: '计算型C5' };

export const INSTANCE_TYPES: InstanceType[] = (
  [
    // RunInstances' default type (000:18134).
    ['S1.SMALL1', 1, 1, 0.06],
    ['S5.SMALL2', 1, 2, 0.1],
    ['S5.MEDIUM4', 2, 4, 0.2],
    ['S5.LARGE8', 4, 8, 0.4],
    ['S5.2XLARGE16', 8, 16, 0.8],
    ['S5.4XLARGE32', 16, 32, 1.6],
    ['M5.MEDIUM16', 2, 16, 0.35],
    ['M5.LARGE32', 4, 32, 0.7],
    ['M5.2XLARGE64', 8, 64, 1.4],
    ['C5.LARGE8', 4, 8, 0.45],
    ['C5.2XLARGE16', 8, 16, 0.9],
  ] as const
).map(([InstanceType, CPU, Memory, price]) => {
  const family = InstanceType.split('.')[0]!;
  return { InstanceType, InstanceFamily: family, TypeName: FAMILIES[family]!, CPU, Memory, price };
});

export const FAMILY_NAMES = FAMILIES;

export function findInstanceType(name: string): InstanceType {
  const found = INSTANCE_TYPES.find((t) => t.InstanceType === name);
  if (found) return found;
  return fail(
    'InvalidParameterValue',
    `instance type ${name} is not sold here; types: ${INSTANCE_TYPES.map((t) => t.InstanceType).join(', ')}`,
  );
}

export interface PublicImage {
  ImageId: string;
  ImageName: string;
  OsName: string;
  Platform: string;
  ImageSize: number;
}

/** Public images exist in every region with the same IDs. */
export const PUBLIC_IMAGES: PublicImage[] = [
  {
    ImageId: 'img-9qabwvbn',
    ImageName: 'CentOS 7.9 64位',
    OsName: 'CentOS 7.9 64位',
    Platform: 'CentOS',
    ImageSize: 20,
  },
  {
    ImageId: 'img-22trbn9x',
    ImageName: 'Ubuntu Server 20.04 LTS 64位',
    OsName: 'Ubuntu Server 20.04 LTS 64位',
    Platform: 'Ubuntu',
    ImageSize: 20,
  },
  {
    ImageId: 'img-eb30mz89',
    ImageName: 'TencentOS Server 3.1 (TK4)',
    OsName: 'TencentOS Server 3.1 (TK4)',
    Platform: 'TencentOS',
    ImageSize: 20,
  },
  {
    ImageId: 'img-9id7emv7',
    ImageName: 'Windows Server 2019 数据中心版 64位中文版',
    OsName: 'Windows Server 2019 数据中心版 64位中文版',
    Platform: 'Windows',
    ImageSize: 50,
  },
];

/** The region-less marker public images carry in the state. */
export const ALL_REGIONS = '*';

/** The account the demo deployment belongs to (image sharing refuses sharing with oneself). */
export const OWN_ACCOUNT_ID = '100000000001';
