/**
 * CreateCfsFileSystem refusals that need the deployment (both versions document the same codes: 002:2611-2630,
 * 002:5100-5130): the zone, the VPC and subnet, the mount IP. The request-only rules (FsName or CreationToken,
 * VpcId or UnVpcId, MountIP's shape) are the catalog's.
 */
import { findRegion, REGIONS, type Zone } from '../../../geography.ts';
import { inSubnet } from '../../cvm/validate/run-instances.ts';
import { inRegion } from '../../common.ts';
import { refusal, refuse } from '../../refusals.ts';
import type { Call } from '../../types.ts';

const VERSIONS = [
  [
    '2018-04-16',
    { zone: '002:2622', mismatch: '002:2630', vpc: '002:2619', subnet: '002:2617', vip: '002:2618', ip: '002:2611' },
  ],
  [
    '2019-07-19',
    { zone: '002:5100', mismatch: '002:5116', vpc: '002:5130', subnet: '002:5127', vip: '002:5115', ip: '002:5124' },
  ],
] as const;

const R = Object.fromEntries(
  VERSIONS.map(([version, at]) => {
    const declare = (source: string, code: string, says: string) =>
      refusal({ source, service: 'cfs', version, action: 'CreateCfsFileSystem', code, says: `${says} (${version})` });
    return [
      version,
      {
        zone: declare(at.zone, 'InvalidParameterValue.InvalidZoneOrZoneId', 'the zone exists'),
        mismatch: declare(at.mismatch, 'InvalidParameterValue.ZoneIdRegionNotMatch', "the zone is the region's"),
        vpc: declare(at.vpc, 'InvalidParameterValue.InvalidVpcId', 'the VPC exists'),
        subnet: declare(at.subnet, 'InvalidParameterValue.InvalidSubnetId', 'the subnet exists'),
        vip: declare(at.vip, 'InvalidParameterValue.InvalidVip', 'the mount IP is free'),
        ip: declare(at.ip, 'InvalidParameterValue.InvalidMountTargetIp', 'the mount IP is in the subnet'),
      },
    ];
  }),
);

export interface FileSystemRequest {
  Zone?: string;
  ZoneId?: number;
  NetInterface: string;
  VpcId?: string | number;
  UnVpcId?: string;
  SubnetId?: string | number;
  UnSubnetId?: string;
  MountIP?: string;
}

/** The zone the request names (Zone, else ZoneId), which must exist and be in the call's region. */
export function fileSystemZone(call: Call, p: FileSystemRequest): Zone | undefined {
  const r = R[call.version]!;
  if (p.Zone === undefined && p.ZoneId === undefined) return undefined;
  const matches = (z: Zone) => (p.Zone !== undefined ? z.Zone === p.Zone : Number(z.ZoneId) === Number(p.ZoneId));
  const named = p.Zone ?? `ZoneId ${p.ZoneId}`;
  const own = findRegion(call.region)!.zones.find(matches);
  if (own) return own;
  const elsewhere = REGIONS.find((region) => region.zones.some(matches));
  if (elsewhere) refuse(r.mismatch, `${named} is in ${elsewhere.Region}, not in ${call.region}`);
  return refuse(
    r.zone,
    `no zone ${named}; ${call.region} has ${findRegion(call.region)!
      .zones.map((z) => z.Zone)
      .join(', ')}`,
  );
}

/** The VPC and subnet of a VPC file system: the region's (2018's numeric IDs stand for them); the mount IP free. */
export function fileSystemNetwork(call: Call, p: FileSystemRequest): { vpcId?: string; subnetId?: string } {
  if (p.NetInterface !== 'VPC') return {};
  const r = R[call.version]!;
  const region = findRegion(call.region)!;
  const vpc = p.UnVpcId ?? (p.VpcId === undefined ? undefined : String(p.VpcId));
  const subnet = p.UnSubnetId ?? (p.SubnetId === undefined ? undefined : String(p.SubnetId));
  const vpcId = vpc === undefined || /^\d+$/.test(vpc) ? region.vpcId : vpc;
  const subnetId = subnet === undefined || /^\d+$/.test(subnet) ? region.subnetId : subnet;
  if (vpcId !== region.vpcId) refuse(r.vpc, `no VPC ${vpcId} in ${call.region} (it has ${region.vpcId})`);
  if (subnetId !== region.subnetId) refuse(r.subnet, `no subnet ${subnetId} in ${vpcId} (it has ${region.subnetId})`);
  if (p.MountIP !== undefined) {
    if (!inSubnet(call.region, p.MountIP))
      refuse(r.ip, `${p.MountIP} is not in ${subnetId} (10.${region.network}.0.0/16)`);
    const taken =
      inRegion(call.state.cfs.fileSystems, call.region).some((s) => s.item.IpAddress === p.MountIP) ||
      inRegion(call.state.cvm.instances, call.region).some((s) => s.item.PrivateIpAddresses.includes(p.MountIP!));
    if (taken) refuse(r.vip, `${p.MountIP} is already in use in ${subnetId}`);
  }
  return { vpcId, subnetId };
}
