/**
 * CFS file systems (both versions): create (creating → available, with its mount target), describe, rename,
 * change size limit and permission group, delete (deleting → gone), mount targets, clients, by VPC.
 */
import { fail } from '../../failure.ts';
import { REGIONS } from '../../geography.ts';
import { GONE } from '../../state.ts';
import { schedule } from '../../transitions.ts';
import { page } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import {
  addFileSystem,
  fileSystemsIn,
  fileSystemView,
  mountTargetView,
  requireFileSystem,
  requireGroup,
  requireService,
  V2018,
} from './store.ts';
import { fileSystemNetwork, fileSystemZone } from './validate/create-file-system.ts';

const FS_PER_REGION = 100;

function checkName(name: string | undefined): void {
  if (name !== undefined && Buffer.byteLength(name) > 64)
    fail('InvalidParameterValue.FsNameLimitExceeded', 'FsName is longer than 64 bytes');
}

function createCfsFileSystem(call: Call) {
  const p = call.params as {
    Zone?: string;
    ZoneId?: number;
    NetInterface: string;
    PGroupId: string;
    Protocol?: string;
    StorageType?: string;
    VpcId?: string | number;
    UnVpcId?: string;
    SubnetId?: string | number;
    UnSubnetId?: string;
    MountIP?: string;
    FsName?: string;
    CreationToken?: string;
    ResourceTags?: { TagKey: string; TagValue: string }[];
  };
  requireService(call);
  const zone =
    fileSystemZone(call, p) ??
    fail('InvalidParameterValue.MissingZoneOrZoneId', 'give Zone (e.g. ap-guangzhou-3) or a ZoneId of this region');
  if (p.NetInterface !== 'VPC' && p.NetInterface !== 'BASIC')
    fail('InvalidParameterValue.InvalidNetInterface', `NetInterface must be VPC or BASIC, not "${p.NetInterface}"`);
  const protocol = p.Protocol ?? 'NFS';
  if (protocol !== 'NFS' && protocol !== 'CIFS')
    fail('InvalidParameterValue.InvalidProtocol', `Protocol must be NFS or CIFS, not "${protocol}"`);
  const storageType = p.StorageType ?? 'SD';
  if (!['SD', 'HP'].includes(storageType))
    fail('InvalidParameterValue.InvalidStorageType', `StorageType must be SD or HP, not "${storageType}"`);
  // 2018 needs VpcId or UnVpcId here (the catalog's rules say so for 2019, 002:5054-5058).
  if (p.NetInterface === 'VPC' && p.VpcId === undefined && !p.UnVpcId)
    fail('InvalidParameterValue.MissingVpcidOrUnvpcid', 'a VPC file system needs VpcId');
  if (p.NetInterface === 'VPC' && p.SubnetId === undefined && !p.UnSubnetId)
    fail('InvalidParameterValue.MissingSubnetidOrUnsubnetid', 'a VPC file system needs SubnetId');
  const { vpcId, subnetId } = fileSystemNetwork(call, p);
  requireGroup(call, p.PGroupId);
  checkName(p.FsName);
  if (fileSystemsIn(call).length >= FS_PER_REGION)
    fail('ResourceInsufficient.FileSystemLimitExceeded', `${call.region} already has ${FS_PER_REGION} file systems`);
  if (p.CreationToken) {
    const earlier = fileSystemsIn(call).find((s) => s.item.CreationToken === p.CreationToken);
    if (earlier) return created(call, earlier.item.FileSystemId);
  }
  const id = addFileSystem(call.state, call.region, {
    name: p.FsName ?? '',
    zone: zone.Zone,
    protocol,
    storageType,
    pgroupId: p.PGroupId,
    createdAt: call.now,
    state: 'creating',
    vpcId,
    subnetId,
    mountIp: p.MountIP,
    creationToken: p.CreationToken,
    tags: p.ResourceTags,
  });
  schedule(call.world, call.state.cfs.fileSystems[id]!, 'available', call.world.durations.fileSystemCreate);
  return created(call, id);
}

function created(call: Call, id: string) {
  const fs = call.state.cfs.fileSystems[id]!.item;
  return {
    CreationTime: fs.CreationTime,
    CreationToken: fs.CreationToken,
    FileSystemId: fs.FileSystemId,
    LifeCycleState: fs.LifeCycleState,
    SizeByte: fs.SizeByte,
    ZoneId: fs.ZoneId,
    FsName: fs.FsName,
    Encrypted: fs.Encrypted,
    ...(call.version === V2018 ? {} : { CfsId: fs.FileSystemId }),
  };
}

function describeFileSystems(call: Call) {
  const p = call.params as { FileSystemId?: string; VpcId?: string; SubnetId?: string; CreationToken?: string };
  let items = fileSystemsIn(call).map((s) => s.item);
  // An unknown ID gives an empty list, as for instances: waiters read that as "gone".
  if (p.FileSystemId) items = items.filter((f) => f.FileSystemId === p.FileSystemId);
  if (p.VpcId) items = items.filter((f) => f.VpcId === p.VpcId);
  if (p.SubnetId) items = items.filter((f) => f.SubnetId === p.SubnetId);
  if (p.CreationToken) items = items.filter((f) => f.CreationToken === p.CreationToken);
  const views = items.map((f) => fileSystemView(call, f));
  if (call.version === V2018) return { FileSystems: views };
  return {
    FileSystems: page(views, call.params, { limit: Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    TotalCount: views.length,
  };
}

function updateName(call: Call) {
  const p = call.params as { FileSystemId: string; FsName?: string; CreationToken?: string };
  const fs = requireFileSystem(call, p.FileSystemId).item;
  checkName(p.FsName);
  if (p.FsName !== undefined) fs.FsName = p.FsName;
  if (p.CreationToken !== undefined) fs.CreationToken = p.CreationToken;
  return { CreationToken: fs.CreationToken, FileSystemId: fs.FileSystemId, FsName: fs.FsName };
}

function updateSizeLimit(call: Call) {
  const p = call.params as { FileSystemId: string; FsLimit: number };
  const fs = requireFileSystem(call, p.FileSystemId).item;
  // 2018: 1 to 1073741824 GB; 2019 also takes 0 for no limit (002:3327, 5641).
  const min = call.version === V2018 ? 1 : 0;
  if (p.FsLimit < min || p.FsLimit > 1073741824)
    fail('InvalidParameterValue.InvalidFsSizeLimit', `FsLimit must be ${min} to 1073741824 GB`);
  if (p.FsLimit !== 0 && p.FsLimit * 1024 ** 3 < fs.SizeByte)
    fail('InvalidParameterValue.FsSizeLimitExceeded', `${fs.FileSystemId} already holds more than ${p.FsLimit} GB`);
  fs.SizeLimit = p.FsLimit;
  return {};
}

function updatePGroup(call: Call) {
  const p = call.params as { FileSystemId: string; PGroupId: string };
  const fs = requireFileSystem(call, p.FileSystemId).item;
  requireGroup(call, p.PGroupId);
  fs.PGroupId = p.PGroupId;
  return { PGroupId: p.PGroupId, FileSystemId: fs.FileSystemId };
}

function deleteCfsFileSystem(call: Call) {
  const p = call.params as { FileSystemId: string };
  const stored = requireFileSystem(call, p.FileSystemId);
  if (stored.item.LifeCycleState !== 'available')
    fail(
      'InvalidParameterValue.InvalidFsStatus',
      `${p.FileSystemId} is ${stored.item.LifeCycleState}; only available file systems can be deleted`,
    );
  // Its own mount target goes with it (no API deletes mount targets).
  stored.item.LifeCycleState = 'deleting';
  schedule(call.world, stored, GONE, call.world.durations.fileSystemDelete);
  return {};
}

function mountTargets(call: Call) {
  const p = call.params as { FileSystemId: string };
  const fs = requireFileSystem(call, p.FileSystemId).item;
  const targets = fs.LifeCycleState === 'creating' ? [] : [mountTargetView(call, fs)];
  return { MountTargets: targets, NumberOfMountTargets: targets.length };
}

function queryMountTargetsWithRegion(call: Call) {
  return {
    MountTargetCollection: fileSystemsIn(call).map((s) => ({
      FileSystemId: s.item.FileSystemId,
      NumberOfMountTargets: 1,
      MountTargets: [{ VpcId: s.item.VpcId, IpAddress: s.item.IpAddress }],
    })),
  };
}

function describeCfsFileSystemsByVpc(call: Call) {
  const p = call.params as { VpcId: string; SubnetId?: string };
  const items = fileSystemsIn(call)
    .map((s) => s.item)
    .filter((f) => f.VpcId === p.VpcId && (!p.SubnetId || f.SubnetId === p.SubnetId));
  return {
    MountTargets: items.map((f) => {
      const target = mountTargetView(call, f);
      return {
        FileSystemId: f.FileSystemId,
        IpAddress: f.IpAddress,
        FSID: target.FSID,
        LifeCycleState: f.LifeCycleState,
        MountTargetId: target.MountTargetId,
        NetworkInterface: 'VPC',
        VpcId: f.VpcId,
        SubnetId: f.SubnetId,
        ZoneId: f.ZoneId,
      };
    }),
    TotalCount: items.length,
  };
}

function describeCfsFileSystemClients(call: Call) {
  const p = call.params as { FileSystemId: string };
  requireFileSystem(call, p.FileSystemId);
  // Clients show only with the CFS monitoring plug-in installed; the emulator has none.
  return { ClientList: [] };
}

/** Every region and zone sells both storage types over both protocols. */
function availableZones() {
  return REGIONS.map((r) => ({
    Region: r.Region,
    RegionName: r.Region,
    RegionStatus: 'AVAILABLE',
    RegionCnName: r.RegionName,
    Zones: r.zones.map((z) => ({
      Zone: z.Zone,
      ZoneId: Number(z.ZoneId),
      ZoneCnName: z.ZoneName,
      ZoneEnName: z.Zone,
      Types: ['SD', 'HP'].map((type) => ({
        Type: type,
        Protocols: ['NFS', 'CIFS'].map((protocol) => ({ Protocol: protocol, SaleStatus: 'sale_on' })),
      })),
    })),
  }));
}

export const fileSystemHandlers = {
  create: createCfsFileSystem,
  describe: describeFileSystems,
  updateName,
  updateSizeLimit,
  updatePGroup,
  delete: deleteCfsFileSystem,
  mountTargets,
  queryMountTargetsWithRegion,
  describeCfsFileSystemsByVpc,
  describeCfsFileSystemClients,
  availableZones: () => ({ RegionZones: availableZones() }),
} satisfies Handlers;
