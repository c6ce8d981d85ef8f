/** CFS file systems (API 2019-07-19), permission groups and their rules. */
import { InputError } from '../../api/errors.ts';
import type { CommandSpec } from '../spec.ts';
import { listView, PAGE_FLAGS, pageParams } from './common.ts';

import { CFS_VERSION } from '../../kinds/filesystem.ts';

export { CFS_VERSION };

interface FileSystem {
  FileSystemId: string;
  FsName?: string;
  LifeCycleState?: string;
  Zone?: string;
  Protocol?: string;
  StorageType?: string;
  SizeByte?: number;
  PGroup?: { PGroupId?: string; Name?: string };
}

interface PGroup {
  PGroupId: string;
  Name?: string;
  DescInfo?: string;
  BindCfsNum?: number;
}

interface Rule {
  RuleId: string;
  AuthClientIp?: string;
  RWPermission?: string;
  UserPermission?: string;
  Priority?: number;
}

const fileSystemList = {
  service: 'cfs',
  version: CFS_VERSION,
  action: 'DescribeCfsFileSystems',
  itemsKey: 'FileSystems',
  kind: 'filesystem' as const,
  title: 'File systems',
  columns: [
    { key: 'state', title: 'State', value: (f: FileSystem) => f.LifeCycleState },
    { key: 'name', title: 'Name', value: (f: FileSystem) => f.FsName },
    { key: 'id', title: 'ID', value: (f: FileSystem) => f.FileSystemId },
    { key: 'zone', title: 'Zone', value: (f: FileSystem) => f.Zone },
    { key: 'protocol', title: 'Protocol', value: (f: FileSystem) => f.Protocol },
    { key: 'type', title: 'Type', value: (f: FileSystem) => f.StorageType },
    { key: 'pgroup', title: 'Permission group', value: (f: FileSystem) => f.PGroup?.PGroupId },
  ],
  id: (f: FileSystem) => f.FileSystemId,
  state: (f: FileSystem) => f.LifeCycleState,
};

/** An IP, a CIDR block, or * for everyone — what CFS rules accept. */
export function checkClientIp(value: string): string {
  if (value === '*') return value;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value);
  const ok = match?.slice(1, 5).every((o) => Number(o) <= 255) && (match?.[5] === undefined || Number(match[5]) <= 32);
  if (!ok)
    throw new InputError(
      `--ip "${value}" must be an IPv4 address, a CIDR block such as 10.0.0.0/24, or *`,
      'InvalidParameterValue',
    );
  return value;
}

export const fileSystemCommands: CommandSpec[] = [
  {
    path: ['cfs', 'filesystems'],
    reads: ['cfs:DescribeCfsFileSystems'],
    summary: 'List CFS file systems',
    args: [],
    flags: { ...PAGE_FLAGS },
    examples: ['cfs filesystems'],
    read: (command, { client, region }) =>
      listView<FileSystem>(fileSystemList, client, region, pageParams(command.flags)),
  },
  {
    path: ['cfs', 'show'],
    reads: ['cfs:DescribeCfsFileSystems', 'cfs:DescribeMountTargets'],
    summary: 'Show one file system and its mount targets',
    args: [{ name: 'filesystem', description: 'file system ID (cfs-...)', id: 'filesystem' }],
    flags: {},
    examples: ['cfs show cfs-abcd1234'],
    async read(command, { client, region }) {
      const id = command.args.filesystem![0]!;
      const fs = await client.call<{ FileSystems: FileSystem[] }>(
        'cfs',
        'DescribeCfsFileSystems',
        { FileSystemId: id },
        { region, version: CFS_VERSION },
      );
      const item = fs.FileSystems?.[0];
      if (!item)
        throw new InputError(`file system ${id} was not found in ${region}`, 'ResourceNotFound.FileSystemNotFound');
      const mounts = await client.call(
        'cfs',
        'DescribeMountTargets',
        { FileSystemId: id },
        { region, version: CFS_VERSION },
      );
      return {
        kind: 'detail',
        title: `${item.FsName ?? ''} (${id})`,
        item: { ...item, MountTargets: mounts.MountTargets ?? [] },
        requestIds: [fs.RequestId, mounts.RequestId],
      };
    },
  },
  {
    path: ['cfs', 'delete'],
    summary: 'Delete a file system and all its data',
    args: [{ name: 'filesystem', description: 'file system ID (cfs-...)', id: 'filesystem' }],
    flags: {},
    examples: ['cfs delete cfs-abcd1234'],
    change: async (command) => ({
      service: 'cfs',
      version: CFS_VERSION,
      action: 'DeleteCfsFileSystem',
      targetKind: 'filesystem',
      targetIds: command.args.filesystem!,
      params: {},
      idParam: 'FileSystemId',
      idParamIsArray: false,
      verb: 'Delete',
    }),
  },
  {
    path: ['cfs', 'pgroups'],
    reads: ['cfs:DescribeCfsPGroups'],
    summary: 'List permission groups',
    args: [],
    flags: { ...PAGE_FLAGS },
    examples: ['cfs pgroups'],
    read: (command, { client, region }) =>
      listView<PGroup>(
        {
          service: 'cfs',
          version: CFS_VERSION,
          action: 'DescribeCfsPGroups',
          itemsKey: 'PGroupList',
          kind: 'pgroup',
          title: 'Permission groups',
          columns: [
            { key: 'name', title: 'Name', value: (p) => p.Name },
            { key: 'id', title: 'ID', value: (p) => p.PGroupId },
            { key: 'filesystems', title: 'File systems', value: (p) => p.BindCfsNum },
            { key: 'description', title: 'Description', value: (p) => p.DescInfo },
          ],
          id: (p) => p.PGroupId,
        },
        client,
        region,
        pageParams(command.flags),
      ),
  },
  {
    path: ['cfs', 'rules'],
    reads: ['cfs:DescribeCfsRules'],
    summary: "List a permission group's rules (a group without rules lets every client in)",
    args: [{ name: 'pgroup', description: 'permission group ID (pgroup-...)', id: 'pgroup' }],
    flags: {},
    examples: ['cfs rules pgroup-abcd1234'],
    read: (command, { client, region }) =>
      listView<Rule>(
        {
          service: 'cfs',
          version: CFS_VERSION,
          action: 'DescribeCfsRules',
          itemsKey: 'RuleList',
          kind: 'rule',
          title: `Rules of ${command.args.pgroup![0]}`,
          columns: [
            { key: 'priority', title: 'Priority', value: (r) => r.Priority },
            { key: 'client', title: 'Client', value: (r) => r.AuthClientIp },
            { key: 'rw', title: 'Access', value: (r) => r.RWPermission },
            { key: 'user', title: 'User mapping', value: (r) => r.UserPermission },
            { key: 'id', title: 'ID', value: (r) => r.RuleId },
          ],
          id: (r) => r.RuleId,
        },
        client,
        region,
        { PGroupId: command.args.pgroup![0] },
      ),
  },
  {
    path: ['cfs', 'rule', 'add'],
    summary: 'Add a rule to a permission group',
    args: [{ name: 'pgroup', description: 'permission group ID (pgroup-...)', id: 'pgroup' }],
    flags: {
      ip: { type: 'string', description: 'client IP, CIDR block, or * (required)' },
      access: { type: 'string', upper: true, choices: ['RO', 'RW'], description: 'RO or RW (the API defaults to RO)' },
      'user-permission': {
        type: 'string',
        choices: ['all_squash', 'no_all_squash', 'root_squash', 'no_root_squash'],
        description: 'user mapping (the API defaults to root_squash)',
      },
      priority: { type: 'number', description: '1 (highest) to 100 (required)' },
    },
    examples: ['cfs rule add pgroup-abcd1234 --ip 10.0.0.0/24 --access RW --priority 10'],
    async change(command) {
      const { ip, access, priority } = command.flags;
      if (ip === undefined)
        throw new InputError('cfs rule add needs --ip', 'MissingParameter', 'e.g. --ip 10.0.0.0/24');
      if (priority === undefined) throw new InputError('cfs rule add needs --priority (1-100)', 'MissingParameter');
      if (!Number.isInteger(priority) || Number(priority) < 1 || Number(priority) > 100)
        throw new InputError('--priority must be a whole number from 1 to 100', 'InvalidParameterValue');
      return {
        service: 'cfs',
        version: CFS_VERSION,
        action: 'CreateCfsRule',
        targetKind: 'pgroup',
        targetIds: command.args.pgroup!,
        params: {
          AuthClientIp: checkClientIp(String(ip)),
          Priority: priority,
          ...(access ? { RWPermission: access } : {}),
          ...(command.flags['user-permission'] ? { UserPermission: command.flags['user-permission'] } : {}),
        },
        idParam: 'PGroupId',
        idParamIsArray: false,
        verb: `Allow ${ip} (${access ?? 'RO'}) in`,
      };
    },
  },
  {
    path: ['cfs', 'rule', 'delete'],
    summary: 'Delete a rule from a permission group',
    args: [
      { name: 'pgroup', description: 'permission group ID (pgroup-...)', id: 'pgroup' },
      { name: 'rule', description: 'rule ID (from "cfs rules")' },
    ],
    flags: {},
    examples: ['cfs rule delete pgroup-abcd1234 rule-abcd1234'],
    change: async (command) => ({
      service: 'cfs',
      version: CFS_VERSION,
      action: 'DeleteCfsRule',
      targetKind: 'pgroup',
      targetIds: command.args.pgroup!,
      params: { RuleId: command.args.rule![0] },
      idParam: 'PGroupId',
      idParamIsArray: false,
      verb: `Delete rule ${command.args.rule![0]} of`,
    }),
  },
];
