/**
 * CFS file systems made and grown: `cfs create` (CreateCfsFileSystem), `cfs resize` (UpdateCfsFileSystemSizeLimit)
 * and `cfs mount-targets` (DescribeMountTargets: the addresses and paths clients mount). The CFS docs have no
 * price inquiry, so these plans say their price is unavailable and why (price.ts).
 */
import { InputError } from '../../api/errors.ts';
import { checkId } from '../../catalog/ids.ts';
import type { CommandSpec } from '../spec.ts';
import type { TableView } from '../types.ts';
import { parseTagFlags } from './common.ts';
import { CFS_VERSION } from './filesystems.ts';

const FS_ARG = { name: 'filesystem', description: 'file system ID (cfs-...)', id: 'filesystem' as const };
/** FsLimit's documented range in GB (2019-07-19: 0 means no limit). */
const MAX_LIMIT_GB = 1073741824;

interface MountInfo {
  FileSystemId?: string;
  MountTargetId?: string;
  IpAddress?: string;
  FSID?: string;
  LifeCycleState?: string;
  NetworkInterface?: string;
  VpcId?: string;
  SubnetId?: string;
}

/** What a client types to mount, per the CFS guide: NFSv4 `<ip>:/`, NFSv3 `<ip>:/<FSID>`, SMB `//<ip>/<FSID>`. */
export function mountPaths(target: MountInfo, protocol: string | undefined): string {
  const ip = target.IpAddress ?? '';
  if (!ip) return '';
  if (protocol === 'CIFS') return `//${ip}/${target.FSID ?? ''}`;
  return `${ip}:/ (NFSv4), ${ip}:/${target.FSID ?? ''} (NFSv3)`;
}

export const fileSystemLifecycleCommands: CommandSpec[] = [
  {
    path: ['cfs', 'create'],
    summary: 'Create a file system (CreateCfsFileSystem) in a zone, bound to a permission group',
    args: [],
    flags: {
      zone: { type: 'string', description: 'availability zone, e.g. ap-guangzhou-3' },
      protocol: { type: 'string', upper: true, choices: ['NFS', 'CIFS'], description: 'NFS (default) or CIFS' },
      pgroup: {
        type: 'string',
        description: 'permission group ID (pgroup-...); a group with no rules lets everyone in',
      },
      name: { type: 'string', description: 'file system name, at most 64 characters' },
      'storage-type': {
        type: 'string',
        upper: true,
        choices: ['SD', 'HP'],
        description: 'SD standard (default), HP performance',
      },
      vpc: { type: 'string', description: 'VPC ID (vpc-...) the mount target is in' },
      subnet: { type: 'string', description: 'subnet ID (subnet-...) of the mount target' },
      'mount-ip': { type: 'string', description: 'the mount target’s address (default: one from the subnet)' },
      basic: { type: 'boolean', description: 'on the basic network instead of a VPC' },
      tag: { type: 'string', repeatable: true, description: 'key=value; repeat for several' },
      'size-limit': { type: 'number', description: 'not taken by CreateCfsFileSystem: use "cfs resize" after' },
    },
    conflicts: [
      ['basic', 'vpc'],
      ['basic', 'subnet'],
    ],
    examples: [
      'cfs create --zone ap-guangzhou-3 --pgroup pgroup-abcd1234 --name shared --vpc vpc-gz7k2m1q --subnet subnet-gz4d8e2a',
      'cfs create --zone ap-guangzhou-3 --protocol CIFS --pgroup pgroup-abcd1234 --name office --basic',
    ],
    change: async (command, { region }) => {
      const f = command.flags as Record<string, string | number | boolean | string[] | undefined>;
      if (f['size-limit'] !== undefined)
        throw new InputError(
          'CreateCfsFileSystem takes no size limit: create the file system, then "cfs resize <cfs-…> --limit GB"',
          'InvalidParameter',
        );
      const missing = [!f.zone && '--zone', !f.pgroup && '--pgroup', !f.name && '--name'].filter(Boolean);
      if (!f.basic) missing.push(...[!f.vpc && '--vpc', !f.subnet && '--subnet'].filter(Boolean));
      if (missing.length)
        throw new InputError(
          `cfs create needs ${missing.join(', ')}`,
          'MissingParameter',
          'a file system is reached through a VPC and subnet (--vpc, --subnet) or the basic network (--basic)',
        );
      const pgroup = String(f.pgroup);
      if (!checkId('pgroup', pgroup))
        throw new InputError(`"${pgroup}" is not a permission group ID`, 'InvalidParameterValue', 'pgroup-abcd1234');
      const name = String(f.name);
      if (name.length > 64) throw new InputError('--name takes at most 64 characters', 'InvalidParameterValue');
      for (const [flag, prefix] of [
        ['vpc', 'vpc-'],
        ['subnet', 'subnet-'],
      ] as const) {
        if (f[flag] !== undefined && !/^[a-z]+-[a-z0-9]{8}$/.test(String(f[flag])))
          throw new InputError(`--${flag} "${f[flag]}" is not an ID like ${prefix}abcd1234`, 'InvalidParameterValue');
      }
      const mountIp = f['mount-ip'] as string | undefined;
      if (mountIp !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(mountIp))
        throw new InputError(`--mount-ip "${mountIp}" is not an IPv4 address`, 'InvalidParameterValue');
      const protocol = String(f.protocol ?? 'NFS');
      const tags = parseTagFlags(f.tag).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
      const params: Record<string, unknown> = {
        Zone: f.zone,
        Protocol: protocol,
        StorageType: f['storage-type'] ?? 'SD',
        NetInterface: f.basic ? 'BASIC' : 'VPC',
        PGroupId: pgroup,
        FsName: name,
        ...(f.basic ? {} : { VpcId: f.vpc, SubnetId: f.subnet }),
        ...(mountIp ? { MountIP: mountIp } : {}),
        ...(tags.length ? { ResourceTags: tags } : {}),
      };
      return {
        service: 'cfs',
        version: CFS_VERSION,
        action: 'CreateCfsFileSystem',
        targetKind: 'filesystem',
        targetIds: [],
        params,
        verb: 'Create',
        summary: `Create file system "${name}" in ${region}: ${protocol}, ${params.StorageType}, zone ${f.zone}, permission group ${pgroup}, ${f.basic ? 'basic network' : `${f.vpc}/${f.subnet}`}.`,
      };
    },
  },
  {
    path: ['cfs', 'resize'],
    summary: "Set a file system's size limit in GB (UpdateCfsFileSystemSizeLimit; 0 = no limit)",
    args: [FS_ARG],
    flags: { limit: { type: 'number', description: 'the limit in GB; 0 removes it' } },
    examples: ['cfs resize cfs-abcd1234 --limit 500', 'cfs resize cfs-abcd1234 --limit 0'],
    change: async (command) => {
      const limit = command.flags.limit as number | undefined;
      if (limit === undefined) throw new InputError('cfs resize needs --limit GB (0 = no limit)', 'MissingParameter');
      if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT_GB)
        throw new InputError(`--limit must be a whole number of GB from 0 to ${MAX_LIMIT_GB}`, 'InvalidParameterValue');
      return {
        service: 'cfs',
        version: CFS_VERSION,
        action: 'UpdateCfsFileSystemSizeLimit',
        targetKind: 'filesystem',
        targetIds: command.args.filesystem!,
        params: { FsLimit: limit },
        idParam: 'FileSystemId',
        idParamIsArray: false,
        verb: limit === 0 ? 'Remove the size limit of' : `Set a ${limit} GB size limit on`,
      };
    },
  },
  {
    path: ['cfs', 'mount-targets'],
    reads: ['cfs:DescribeCfsFileSystems', 'cfs:DescribeMountTargets'],
    summary: 'Where clients mount a file system: address, FSID, network, and the mount path',
    args: [FS_ARG],
    flags: {},
    examples: ['cfs mount-targets cfs-abcd1234'],
    async read(command, { client, region }): Promise<TableView> {
      const id = command.args.filesystem![0]!;
      const fs = await client.call<{ FileSystems?: { Protocol?: string }[] }>(
        'cfs',
        'DescribeCfsFileSystems',
        { FileSystemId: id },
        { region, version: CFS_VERSION },
      );
      const response = await client.call<{ MountTargets?: MountInfo[]; RequestId: string }>(
        'cfs',
        'DescribeMountTargets',
        { FileSystemId: id },
        { region, version: CFS_VERSION },
      );
      const protocol = fs.FileSystems?.[0]?.Protocol;
      const items = response.MountTargets ?? [];
      return {
        kind: 'filesystem',
        title: `Mount targets of ${id}`,
        columns: [
          { key: 'state', title: 'State' },
          { key: 'id', title: 'Mount target' },
          { key: 'ip', title: 'Address' },
          { key: 'fsid', title: 'FSID' },
          { key: 'network', title: 'Network' },
          { key: 'mount', title: 'Mount' },
        ],
        rows: items.map((t) => ({
          state: t.LifeCycleState ?? '',
          id: t.MountTargetId ?? '',
          ip: t.IpAddress ?? '',
          fsid: t.FSID ?? '',
          network: [t.NetworkInterface, t.VpcId, t.SubnetId].filter(Boolean).join(' '),
          mount: mountPaths(t, protocol),
        })),
        items: items as Record<string, unknown>[],
        ids: items.map((t) => t.MountTargetId ?? ''),
        states: items.map((t) => t.LifeCycleState ?? ''),
        total: items.length,
        requestIds: [response.RequestId],
      };
    },
  },
];
