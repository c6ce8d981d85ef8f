/**
 * CFS records and how each API version shows them. Shared by 2018-04-16 and 2019-07-19: the versions differ in
 * names (Query* vs Describe*), in the case of RWPermission (2018 rw/ro, 2019 RW/RO) and in defaults.
 */
import { fail } from '../../failure.ts';
import { regionOf, zoneIn } from '../../geography.ts';
import {
  type EmulatorState,
  type FileSystem,
  nextId,
  type PermissionGroup,
  type PermissionRule,
  type SnapshotPolicy,
  type Stored,
} from '../../state.ts';
import type { Call } from '../types.ts';

export const V2018 = '2018-04-16';

/** CFS prints times as "YYYY-MM-DD hh:mm:ss" (UTC here). */
export function cfsTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** RWPermission as each version shows it: 2018 rw/ro (its inputs), 2019 RW/RO (its inputs; README). */
export function rwOut(version: string, value: string): string {
  return version === V2018 ? value.toLowerCase() : value.toUpperCase();
}

export function addPermissionGroup(
  state: EmulatorState,
  region: string,
  spec: { name: string; description?: string; createdAt: number },
): string {
  const id = nextId(state, 'pgroup-');
  state.cfs.pgroups[id] = {
    region,
    item: { PGroupId: id, Name: spec.name, DescInfo: spec.description ?? '', CDate: cfsTime(spec.createdAt) },
  };
  return id;
}

export function addRule(
  state: EmulatorState,
  pgroupId: string,
  spec: Omit<PermissionRule, 'RuleId' | 'PGroupId'>,
): string {
  const id = nextId(state, 'rule-');
  const region = state.cfs.pgroups[pgroupId]!.region;
  state.cfs.rules[id] = { region, item: { RuleId: id, PGroupId: pgroupId, ...spec } };
  return id;
}

export function addFileSystem(
  state: EmulatorState,
  region: string,
  spec: {
    name: string;
    zone: string;
    protocol: string;
    storageType: string;
    pgroupId: string;
    sizeByte?: number;
    createdAt: number;
    state?: string;
    vpcId?: string;
    subnetId?: string;
    mountIp?: string;
    creationToken?: string;
    tags?: { TagKey: string; TagValue: string }[];
  },
): string {
  const id = nextId(state, 'cfs-');
  const network = regionOf(region).network;
  const zone = zoneIn(region, spec.zone);
  state.cfs.fileSystems[id] = {
    region,
    item: {
      FileSystemId: id,
      CreationTime: cfsTime(spec.createdAt),
      CreationToken: spec.creationToken ?? spec.name,
      FsName: spec.name,
      LifeCycleState: spec.state ?? 'available',
      // A new file system holds 32 MB (002:336).
      SizeByte: spec.sizeByte ?? 33_554_432,
      SizeLimit: 0,
      Zone: zone.Zone,
      ZoneId: Number(zone.ZoneId),
      Protocol: spec.protocol,
      StorageType: spec.storageType,
      PGroupId: spec.pgroupId,
      VpcId: spec.vpcId ?? regionOf(region).vpcId,
      SubnetId: spec.subnetId ?? regionOf(region).subnetId,
      IpAddress: spec.mountIp ?? `10.${network}.200.${(state.counter % 250) + 2}`,
      Encrypted: false,
      KmsKeyId: '',
      AutoSnapshotPolicyId: '',
      Tags: spec.tags ?? [],
    },
  };
  return id;
}

export function addSnapshotPolicy(
  state: EmulatorState,
  region: string,
  spec: { name: string; dayOfWeek: string; hour: string; aliveDays: number; createdAt: number },
): string {
  const id = nextId(state, 'asp-');
  state.cfs.snapshotPolicies[id] = {
    region,
    item: {
      AutoSnapshotPolicyId: id,
      PolicyName: spec.name,
      CreationTime: cfsTime(spec.createdAt),
      DayOfWeek: spec.dayOfWeek,
      Hour: spec.hour,
      AliveDays: spec.aliveDays,
      IsActive: 1,
    },
  };
  return id;
}

export function fileSystemsIn(call: Call): Stored<FileSystem>[] {
  return Object.values(call.state.cfs.fileSystems).filter((s) => s.region === call.region);
}

export function groupsIn(call: Call): Stored<PermissionGroup>[] {
  return Object.values(call.state.cfs.pgroups).filter((s) => s.region === call.region);
}

export function rulesOf(call: Call, pgroupId: string): PermissionRule[] {
  return Object.values(call.state.cfs.rules)
    .map((s) => s.item)
    .filter((r) => r.PGroupId === pgroupId)
    .sort((a, b) => a.Priority - b.Priority);
}

export function policiesIn(call: Call): Stored<SnapshotPolicy>[] {
  return Object.values(call.state.cfs.snapshotPolicies).filter((s) => s.region === call.region);
}

export function requireFileSystem(call: Call, id: string): Stored<FileSystem> {
  const stored = call.state.cfs.fileSystems[id];
  if (!stored || stored.region !== call.region)
    fail('ResourceNotFound.FileSystemNotFound', `no file system ${id} in ${call.region}`);
  return stored;
}

export function requireGroup(call: Call, id: string): Stored<PermissionGroup> {
  const stored = call.state.cfs.pgroups[id];
  if (!stored || stored.region !== call.region)
    fail('ResourceNotFound.PgroupNotFound', `no permission group ${id} in ${call.region}`);
  return stored;
}

/** CFS works only once the service is signed up for in the region (SignUpCfsService). */
export function requireService(call: Call): void {
  const status = call.state.cfs.serviceStatus[call.region]?.item.Status ?? 'none';
  if (status !== 'created')
    fail('UnsupportedOperation', `the CFS service is "${status}" in ${call.region}; call SignUpCfsService first`);
}

export function fsId(id: string): string {
  return id.slice(-8);
}

export function fileSystemView(call: Call, fs: FileSystem): Record<string, unknown> {
  const group = call.state.cfs.pgroups[fs.PGroupId]?.item;
  const common = {
    CreationTime: fs.CreationTime,
    CreationToken: fs.CreationToken,
    FileSystemId: fs.FileSystemId,
    LifeCycleState: fs.LifeCycleState,
    SizeByte: fs.SizeByte,
    SizeLimit: fs.SizeLimit,
    ZoneId: fs.ZoneId,
    Zone: fs.Zone,
    Protocol: fs.Protocol,
    StorageType: fs.StorageType,
    StorageResourcePkg: '',
    BandwidthResourcePkg: '',
    PGroup: { PGroupId: fs.PGroupId, Name: group?.Name ?? '' },
    FsName: fs.FsName,
    Encrypted: fs.Encrypted,
    KmsKeyId: fs.KmsKeyId,
  };
  if (call.version === V2018) return common;
  return {
    ...common,
    // 160 TB, the documented ceiling (002:299), in GB.
    SizeLimitMax: 163840,
    VpcId: fs.VpcId,
    IpAddress: fs.IpAddress,
    AppId: 100000000001,
    Tags: fs.Tags,
    // Documented FileSystemInfo fields the emulator has no model for: resource pools, bandwidth caps, snapshots.
    AllocedSpace: fs.SizeByte,
    TagId: 0,
    TagName: '',
    SnapId: '',
    SnapStatus: '',
    BandwidthLimit: 0,
  };
}

export function mountTargetView(call: Call, fs: FileSystem): Record<string, unknown> {
  const group = call.state.cfs.pgroups[fs.PGroupId]?.item;
  return {
    FileSystemId: fs.FileSystemId,
    MountTargetId: `mount-${fsId(fs.FileSystemId)}`,
    IpAddress: fs.IpAddress,
    FSID: fsId(fs.FileSystemId),
    LifeCycleState: fs.LifeCycleState,
    NetworkInterface: 'VPC',
    VpcId: fs.VpcId,
    VpcName: 'Default-VPC',
    SubnetId: fs.SubnetId,
    SubnetName: 'Default-Subnet',
    ...(call.version === V2018 ? {} : { PGroupName: group?.Name ?? '' }),
  };
}
