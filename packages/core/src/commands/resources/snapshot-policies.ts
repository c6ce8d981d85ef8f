/**
 * CFS automatic snapshot policies: list them, bind one to file systems, unbind it (BindAutoSnapshotPolicy /
 * UnbindAutoSnapshotPolicy take the file systems as one comma-separated string; one call per file system here, so
 * each gets its own result).
 */
import { InputError } from '../../api/errors.ts';
import type { CommandSpec, ParsedCommand } from '../spec.ts';
import { listView, PAGE_FLAGS, pageParams } from './common.ts';
import { CFS_VERSION } from './filesystems.ts';

interface Policy {
  AutoSnapshotPolicyId: string;
  PolicyName?: string;
  DayOfWeek?: string;
  Hour?: string;
  AliveDays?: number;
  IsActive?: number;
  Status?: string;
  FileSystemNums?: number;
  NextActiveTime?: string;
}

const POLICY_ID = /^asp-[a-z0-9]{8}$/;
const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function days(value: string | undefined): string {
  return (value ?? '')
    .split(',')
    .filter(Boolean)
    .map((d) => DAYS[Number(d)] ?? d)
    .join(',');
}

function policyArg(command: ParsedCommand): string {
  const id = command.args.policy![0]!;
  if (!POLICY_ID.test(id))
    throw new InputError(`"${id}" is not a snapshot policy ID`, 'InvalidParameterValue', 'they look like asp-abcd1234');
  return id;
}

function bindVerb(word: 'bind' | 'unbind', action: string): CommandSpec {
  return {
    path: ['cfs', 'snapshot-policy', word],
    summary: `${word === 'bind' ? 'Bind' : 'Unbind'} an automatic snapshot policy ${word === 'bind' ? 'to' : 'from'} file systems (${action})`,
    args: [
      { name: 'policy', description: 'snapshot policy ID (asp-...)' },
      { name: 'filesystem', description: 'one or more file system IDs (cfs-...)', id: 'filesystem', variadic: true },
    ],
    flags: {},
    examples: [`cfs snapshot-policy ${word} asp-abcd1234 cfs-abcd1234 cfs-efgh5678`],
    change: async (command) => {
      const policy = policyArg(command);
      return {
        service: 'cfs',
        version: CFS_VERSION,
        action,
        targetKind: 'filesystem',
        targetIds: command.args.filesystem!,
        params: { AutoSnapshotPolicyId: policy },
        idParam: 'FileSystemIds',
        idParamIsArray: false,
        verb: `${word === 'bind' ? 'Bind' : 'Unbind'} ${policy} ${word === 'bind' ? 'to' : 'from'}`,
      };
    },
  };
}

export const snapshotPolicyCommands: CommandSpec[] = [
  {
    path: ['cfs', 'snapshot-policies'],
    reads: ['cfs:DescribeAutoSnapshotPolicies'],
    summary: 'List automatic snapshot policies: schedule, retention, how many file systems use each',
    args: [],
    flags: { ...PAGE_FLAGS },
    examples: ['cfs snapshot-policies'],
    read: (command, { client, region }) =>
      listView<Policy>(
        {
          service: 'cfs',
          version: CFS_VERSION,
          action: 'DescribeAutoSnapshotPolicies',
          itemsKey: 'AutoSnapshotPolicies',
          kind: 'raw',
          title: 'Snapshot policies',
          columns: [
            { key: 'name', title: 'Name', value: (p) => p.PolicyName },
            { key: 'id', title: 'ID', value: (p) => p.AutoSnapshotPolicyId },
            { key: 'days', title: 'Days', value: (p) => days(p.DayOfWeek) },
            { key: 'hour', title: 'Hours', value: (p) => p.Hour },
            { key: 'keep', title: 'Kept (days)', value: (p) => p.AliveDays },
            { key: 'active', title: 'Active', value: (p) => (p.IsActive === 0 ? 'no' : 'yes') },
            { key: 'filesystems', title: 'File systems', value: (p) => p.FileSystemNums },
            { key: 'next', title: 'Next', value: (p) => p.NextActiveTime },
          ],
          id: (p) => p.AutoSnapshotPolicyId,
          state: (p) => p.Status,
        },
        client,
        region,
        pageParams(command.flags),
      ),
  },
  bindVerb('bind', 'BindAutoSnapshotPolicy'),
  bindVerb('unbind', 'UnbindAutoSnapshotPolicy'),
];
