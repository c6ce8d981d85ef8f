/**
 * How each kind of resource looks in the tree: label, description, icon and colour, the `contextValue` the
 * menus' `when` clauses match, and a Markdown tooltip. Plain data out, so it is tested without VS Code.
 */
import { instance } from '@tceops/core/kinds/instance.ts';
import type { Item } from '../data/source.ts';
import { inert } from '@tceops/core/inert.ts';

export type ResourceKind = 'instance' | 'image' | 'keypair' | 'filesystem' | 'mountTarget' | 'pgroup' | 'rule' | 'job';

export interface Look {
  label: string;
  description: string;
  /** A codicon name, e.g. `vm-running`; `~spin` animates it. */
  icon: string;
  /** A theme colour ID, e.g. `charts.green`. */
  color?: string;
  contextValue: string;
  tooltip: string;
  expandable: boolean;
  /** What a screen reader says for the row: name, kind, ID and state in words (the icon alone says nothing). */
  accessibility: string;
}

/** Instance states that move on by themselves: the tree polls these until they settle (core's kinds/instance.ts). */
export const TRANSITIONAL_STATES: readonly string[] = instance.transitional;

export function isTransitional(state: string | undefined): boolean {
  return state !== undefined && TRANSITIONAL_STATES.includes(state);
}

const INSTANCE_ICONS: Record<string, { icon: string; color: string }> = {
  RUNNING: { icon: 'vm-running', color: 'charts.green' },
  STOPPED: { icon: 'vm-outline', color: 'disabledForeground' },
  PENDING: { icon: 'loading~spin', color: 'charts.blue' },
  STARTING: { icon: 'loading~spin', color: 'charts.green' },
  STOPPING: { icon: 'loading~spin', color: 'charts.yellow' },
  REBOOTING: { icon: 'loading~spin', color: 'charts.yellow' },
  SHUTDOWN: { icon: 'circle-slash', color: 'charts.orange' },
  TERMINATING: { icon: 'loading~spin', color: 'charts.red' },
  LAUNCH_FAILED: { icon: 'error', color: 'charts.red' },
};

/** The state part of a contextValue: lower case, anything odd replaced, so `when` regexes stay simple. */
export function stateToken(state: unknown): string {
  const text = typeof state === 'string' && state ? state : 'unknown';
  return text.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The ID field of each kind. */
export const ID_FIELD: Record<ResourceKind, string> = {
  instance: 'InstanceId',
  image: 'ImageId',
  keypair: 'KeyId',
  filesystem: 'FileSystemId',
  mountTarget: 'MountTargetId',
  pgroup: 'PGroupId',
  rule: 'RuleId',
  job: 'JobId',
};

export function idOf(kind: ResourceKind, item: Item): string {
  return String(item[ID_FIELD[kind]] ?? '');
}

/** A value from the cloud as tree text: control, bidi and zero-width characters shown, never acted on. */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join(', ');
  return inert(String(value));
}

/** Markdown-escape a value from the cloud: names may hold anything. */
export function md(value: unknown): string {
  return text(value).replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function tagsOf(item: Item): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of (item.Tags as { Key: string; Value: string }[] | null | undefined) ?? []) tags[tag.Key] = tag.Value;
  return tags;
}

/** A Markdown tooltip: a bold title, then one line per non-empty field. */
function tooltip(title: string, fields: [string, unknown][]): string {
  const lines = fields.filter(([, v]) => text(v) !== '').map(([k, v]) => `${k}: \`${text(v).replace(/`/g, "'")}\``);
  return [`**${md(title)}**`, '', ...lines.map((line) => `${line}  `)].join('\n');
}

/**
 * What a row keeps of an instance: the fields its row, tooltip, actions and SSH read. A DescribeInstances item has
 * some 60 fields (disks, network, billing…); kept for 5,000 rows they cost the extension host about 10 MB. Show
 * Details reads the instance again, whole.
 */
export function compactInstance(item: Item): Item {
  const kept: Item = {};
  for (const field of ROW_FIELDS) if (item[field] !== undefined) kept[field] = item[field];
  const zone = (item.Placement as { Zone?: unknown } | undefined)?.Zone;
  if (zone !== undefined) kept.Placement = { Zone: zone };
  const keyIds = (item.LoginSettings as { KeyIds?: unknown } | undefined)?.KeyIds;
  if (keyIds !== undefined) kept.LoginSettings = { KeyIds: keyIds };
  return kept;
}

const ROW_FIELDS = [
  'InstanceId',
  'InstanceName',
  'InstanceState',
  'InstanceType',
  'PrivateIpAddresses',
  'PublicIpAddresses',
  'OsName',
  'CPU',
  'Memory',
  'CreatedTime',
  'LatestOperation',
  'LatestOperationState',
  'Tags',
];

export function instanceLook(item: Item): Look {
  const state = text(item.InstanceState) || 'UNKNOWN';
  const id = text(item.InstanceId);
  const name = text(item.InstanceName) || id;
  const privateIp = text((item.PrivateIpAddresses as string[] | undefined)?.[0]);
  const icon = INSTANCE_ICONS[state] ?? { icon: 'question', color: 'disabledForeground' };
  return {
    label: name,
    // The state in words as well as the icon: STOPPING is otherwise only a spinner.
    description: [id, state, text(item.InstanceType), privateIp].filter(Boolean).join(' · '),
    accessibility: `${name}, instance ${id}, ${state}${privateIp ? `, ${privateIp}` : ''}`,
    icon: icon.icon,
    color: icon.color,
    contextValue: `tceops.instance.${stateToken(state)}`,
    // Built only when asked for (a hover): the row itself never needs it.
    get tooltip() {
      const tags = Object.entries(tagsOf(item)).map(([k, v]) => `${k}=${v}`);
      const operation = item.LatestOperation
        ? `${text(item.LatestOperation)} (${text(item.LatestOperationState)})`
        : '';
      return tooltip(name, [
        ['State', state],
        ['ID', id],
        ['Type', item.InstanceType],
        ['Zone', (item.Placement as { Zone?: string } | undefined)?.Zone],
        ['Private IP', item.PrivateIpAddresses],
        ['Public IP', item.PublicIpAddresses],
        ['OS', item.OsName],
        ['CPU / memory', item.CPU !== undefined ? `${text(item.CPU)} vCPU / ${text(item.Memory)} GB` : ''],
        ['Created', item.CreatedTime],
        ['Last operation', operation],
        ['Tags', tags],
      ]);
    },
    expandable: false,
  };
}

export function imageLook(item: Item): Look {
  const id = text(item.ImageId);
  const name = text(item.ImageName) || id;
  const state = text(item.ImageState) || 'UNKNOWN';
  const type = text(item.ImageType) || 'unknown';
  const normal = state === 'NORMAL';
  return {
    label: name,
    description: [id, text(item.OsName), state === 'NORMAL' ? '' : state].filter(Boolean).join(' · '),
    accessibility: `${name}, image ${id}, ${state}`,
    icon: normal ? 'file-binary' : state === 'CREATING' ? 'loading~spin' : 'warning',
    color: normal ? undefined : state === 'CREATING' ? 'charts.blue' : 'charts.orange',
    contextValue: `tceops.image.${stateToken(type)}.${stateToken(state)}`,
    // Built only when asked for (a hover): the row itself never needs it.
    get tooltip() {
      return tooltip(name, [
        ['State', state],
        ['ID', id],
        ['Type', type],
        ['OS', item.OsName],
        ['Size', item.ImageSize !== undefined ? `${text(item.ImageSize)} GB` : ''],
        ['Created', item.CreatedTime],
        ['Description', item.ImageDescription],
      ]);
    },
    expandable: false,
  };
}

export function keyPairLook(item: Item): Look {
  const id = text(item.KeyId);
  const name = text(item.KeyName) || id;
  const used = (item.AssociatedInstanceIds as string[] | undefined) ?? [];
  return {
    label: name,
    description: [id, used.length ? `${used.length} instance${used.length === 1 ? '' : 's'}` : '']
      .filter(Boolean)
      .join(' · '),
    accessibility: `${name}, key pair ${id}, used by ${used.length} instance${used.length === 1 ? '' : 's'}`,
    icon: 'key',
    contextValue: 'tceops.keypair',
    // Built only when asked for (a hover): the row itself never needs it.
    get tooltip() {
      return tooltip(name, [
        ['ID', id],
        ['Instances', used],
        ['Created', item.CreatedTime],
        ['Description', item.Description],
      ]);
    },
    expandable: false,
  };
}

export function fileSystemLook(item: Item): Look {
  const id = text(item.FileSystemId);
  const name = text(item.FsName) || id;
  const state = text(item.LifeCycleState) || 'unknown';
  const ok = state.toLowerCase() === 'available';
  const busy = /ing$/i.test(state);
  const size = typeof item.SizeByte === 'number' ? `${(item.SizeByte / 2 ** 30).toFixed(1)} GiB used` : '';
  return {
    label: name,
    description: [id, text(item.Protocol), ok ? '' : state].filter(Boolean).join(' · '),
    accessibility: `${name}, file system ${id}, ${state}`,
    icon: busy ? 'loading~spin' : 'database',
    color: ok ? 'charts.green' : busy ? 'charts.yellow' : 'charts.orange',
    contextValue: `tceops.filesystem.${stateToken(state)}`,
    // Built only when asked for (a hover): the row itself never needs it.
    get tooltip() {
      return tooltip(name, [
        ['State', state],
        ['ID', id],
        ['Zone', item.Zone],
        ['Protocol', item.Protocol],
        ['Storage', item.StorageType],
        ['Used', size],
        ['Permission group', (item.PGroup as { PGroupId?: string } | undefined)?.PGroupId],
        ['Created', item.CreationTime],
      ]);
    },
    expandable: true,
  };
}

export function mountTargetLook(item: Item): Look {
  const id = text(item.MountTargetId);
  return {
    label: text(item.IpAddress) || id,
    description: [id, text(item.LifeCycleState)].filter(Boolean).join(' · '),
    accessibility: `mount target ${text(item.IpAddress)} ${id}, ${text(item.LifeCycleState) || 'state unknown'}`,
    icon: 'plug',
    contextValue: 'tceops.mountTarget',
    // Built only when asked for (a hover): the row itself never needs it.
    get tooltip() {
      return tooltip(`Mount target ${id}`, [
        ['IP', item.IpAddress],
        ['FSID', item.FSID],
        ['State', item.LifeCycleState],
        ['VPC', item.VpcId],
        ['Subnet', item.SubnetId],
      ]);
    },
    expandable: false,
  };
}

export function pgroupLook(item: Item): Look {
  const id = text(item.PGroupId);
  return {
    label: `Permission group: ${text(item.Name) || id}`,
    description: id,
    accessibility: `permission group ${text(item.Name) || id}, ${id}`,
    icon: 'shield',
    contextValue: 'tceops.pgroup',
    // Built only when asked for (a hover): the row itself never needs it.
    get tooltip() {
      return tooltip(text(item.Name) || id, [
        ['ID', id],
        ['Description', item.DescInfo],
      ]);
    },
    expandable: true,
  };
}

export function ruleLook(item: Item): Look {
  const id = text(item.RuleId);
  return {
    label: `${text(item.AuthClientIp)} → ${text(item.RWPermission) || 'RO'}`,
    description: [`priority ${text(item.Priority)}`, text(item.UserPermission), id].filter(Boolean).join(' · '),
    accessibility: `rule ${id}: ${text(item.AuthClientIp)} ${text(item.RWPermission) || 'RO'}, priority ${text(item.Priority)}`,
    icon: 'law',
    contextValue: 'tceops.rule',
    // Built only when asked for (a hover): the row itself never needs it.
    get tooltip() {
      return tooltip(`Rule ${id}`, [
        ['Client', item.AuthClientIp],
        ['Access', item.RWPermission],
        ['User mapping', item.UserPermission],
        ['Priority', item.Priority],
      ]);
    },
    expandable: false,
  };
}

const JOB_ICONS: Record<string, { icon: string; color?: string }> = {
  RUNNING: { icon: 'sync~spin', color: 'charts.blue' },
  SUCCESS: { icon: 'pass', color: 'charts.green' },
  FAILED: { icon: 'error', color: 'charts.red' },
  STOPPING: { icon: 'loading~spin', color: 'charts.yellow' },
  STOPPED: { icon: 'debug-stop', color: 'disabledForeground' },
  PENDING: { icon: 'clock' },
};

export function jobLook(item: Item): Look {
  const id = text(item.JobId);
  const state = text(item.Status) || 'UNKNOWN';
  const icon = JOB_ICONS[state] ?? { icon: 'question' };
  const progress = item.Progress !== undefined && item.Progress !== null ? `${text(item.Progress)}%` : '';
  return {
    label: text(item.Name) || id,
    description: [id, state, progress].filter(Boolean).join(' · '),
    accessibility: `${text(item.Name) || id}, migration job ${id}, ${state}${progress ? `, ${progress} done` : ''}`,
    icon: icon.icon,
    color: icon.color,
    contextValue: `tceops.job.${stateToken(state)}`,
    // Built only when asked for (a hover): the row itself never needs it.
    get tooltip() {
      return tooltip(text(item.Name) || id, [
        ['Status', state],
        ['ID', id],
        ['Progress', progress],
        ['Source server', item.SourceServerId],
        ['Target instance', item.InstanceId],
        ['Created', item.CreateTime],
      ]);
    },
    expandable: false,
  };
}

export const LOOKS: Record<ResourceKind, (item: Item) => Look> = {
  instance: instanceLook,
  image: imageLook,
  keypair: keyPairLook,
  filesystem: fileSystemLook,
  mountTarget: mountTargetLook,
  pgroup: pgroupLook,
  rule: ruleLook,
  job: jobLook,
};
