/**
 * CVM instances: list, show, start, stop, reboot, terminate, reset password, reinstall.
 */
import type { TceClient } from '../../api/client.ts';
import { instance } from '../../kinds/instance.ts';
import { InputError } from '../../api/errors.ts';
import { listAll } from '../../api/paginate.ts';
import { compileGlob, hasWildcard } from '../../glob.ts';
import type { CommandSpec, FlagSpec, ParsedCommand } from '../spec.ts';
import type { TableView } from '../types.ts';
import { parseTagFlags, tagsOf } from './common.ts';

export interface Instance {
  InstanceId: string;
  InstanceName?: string;
  InstanceState?: string;
  InstanceType?: string;
  Placement?: { Zone?: string };
  PrivateIpAddresses?: string[];
  PublicIpAddresses?: string[] | null;
  Tags?: { Key: string; Value: string }[];
  LatestOperation?: string;
  LatestOperationState?: string;
  [key: string]: unknown;
}

/** States an instance passes through on its way somewhere else: polled until they settle (kinds/instance.ts). */
export const TRANSITIONAL_STATES: readonly string[] = instance.transitional;

/** Which state each instance command needs, per the docs (start: STOPPED only, and so on), keyed by its words. */
export const ALLOWED_FROM: Record<string, string[]> = Object.fromEntries(
  instance.verbs.filter((v) => v.from).map((v) => [v.command.replace(/^cvm /, ''), [...v.from!]]),
);

export function actionsAllowed(state: string | undefined): string[] {
  return Object.entries(ALLOWED_FROM)
    .filter(([, states]) => state !== undefined && states.includes(state))
    .map(([verb]) => verb);
}

export async function describeInstances(
  client: TceClient,
  region: string,
  ids: string[],
  signal?: AbortSignal,
): Promise<Instance[]> {
  const found: Instance[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const response = await client.call<{ InstanceSet: Instance[] }>(
      'cvm',
      'DescribeInstances',
      { InstanceIds: ids.slice(i, i + 100), Limit: 100 },
      { region, signal },
    );
    found.push(...(response.InstanceSet ?? []));
  }
  return found;
}

export function instanceRows(items: Instance[], requestIds: string[], total?: number): TableView {
  return {
    kind: 'instance',
    title: 'Instances',
    columns: [
      { key: 'state', title: 'State' },
      { key: 'name', title: 'Name' },
      { key: 'id', title: 'ID' },
      { key: 'type', title: 'Type' },
      { key: 'zone', title: 'Zone' },
      { key: 'privateIp', title: 'Private IP' },
      { key: 'publicIp', title: 'Public IP' },
    ],
    rows: items.map((i) => ({
      state: i.InstanceState ?? '',
      name: i.InstanceName ?? '',
      id: i.InstanceId,
      type: i.InstanceType ?? '',
      zone: i.Placement?.Zone ?? '',
      privateIp: (i.PrivateIpAddresses ?? []).join(','),
      publicIp: (i.PublicIpAddresses ?? []).join(','),
    })),
    items,
    states: items.map((i) => i.InstanceState ?? ''),
    ids: items.map((i) => i.InstanceId),
    total,
    requestIds,
  };
}

const INSTANCE_ARG = {
  name: 'instance',
  description: 'instance ID (ins-...) or name',
  id: 'instance' as const,
  byName: true,
};
const INSTANCES_ARG = { ...INSTANCE_ARG, variadic: true, description: 'one or more instance IDs or names' };

/** What a list of instances may be narrowed by: every surface's instance list goes through listInstances. */
export interface InstanceQuery {
  state?: string;
  zone?: string;
  /** An exact name, or a pattern with * and ? (matched here: the API matches names exactly). */
  name?: string;
  tags?: [key: string, value: string][];
  offset?: number;
  limit?: number;
  signal?: AbortSignal;
}

export interface InstancePage {
  items: Instance[];
  total?: number;
  /** Where the next page starts, when there is one. */
  nextOffset?: number;
  requestIds: string[];
}

/** One page of instances: the filters, paging and name patterns of `cvm instances`, the VS Code tree and the rest. */
/** The DescribeInstances filters for a query (a name pattern is matched after reading, so it is left out). */
export function instanceFilters(query: InstanceQuery): Record<string, unknown> {
  const filters: { Name: string; Values: string[] }[] = [];
  if (query.state) filters.push({ Name: 'instance-state', Values: [query.state] });
  if (query.zone) filters.push({ Name: 'zone', Values: [query.zone] });
  if (query.name !== undefined && !hasWildcard(query.name))
    filters.push({ Name: 'instance-name', Values: [query.name] });
  for (const [key, value] of query.tags ?? []) filters.push({ Name: `tag:${key}`, Values: [value] });
  return filters.length ? { Filters: filters } : {};
}

export async function listInstances(client: TceClient, region: string, query: InstanceQuery): Promise<InstancePage> {
  const glob = query.name !== undefined && hasWildcard(query.name);
  const params = instanceFilters(query);
  const offset = query.offset ?? 0;
  // DescribeInstances answers at most 100 per page.
  const limit = Math.min(query.limit ?? 20, 100);
  if (!glob) {
    const response = await client.call<{ InstanceSet: Instance[]; TotalCount: number }>(
      'cvm',
      'DescribeInstances',
      { ...params, Offset: offset, Limit: limit },
      { region, signal: query.signal },
    );
    const items = response.InstanceSet ?? [];
    const next = offset + items.length;
    return {
      items,
      total: response.TotalCount,
      requestIds: [response.RequestId],
      ...(items.length && next < (response.TotalCount ?? 0) ? { nextOffset: next } : {}),
    };
  }
  // A pattern needs every name.
  const all = await listAll<Instance>(client, 'cvm', 'DescribeInstances', params, {
    itemsKey: 'InstanceSet',
    region,
    signal: query.signal,
  });
  const matches = compileGlob(query.name!, { caseInsensitive: true });
  const matched = all.filter((i) => matches(i.InstanceName ?? ''));
  const items = matched.slice(offset, offset + limit);
  return {
    items,
    total: matched.length,
    requestIds: [],
    ...(offset + items.length < matched.length ? { nextOffset: offset + items.length } : {}),
  };
}

async function list(
  command: ParsedCommand,
  { client, region }: { client: TceClient; region: string },
): Promise<TableView> {
  const { state, zone, name, limit, offset } = command.flags as Record<string, string | number | undefined>;
  const page = await listInstances(client, region, {
    state: state === undefined ? undefined : String(state),
    zone: zone === undefined ? undefined : String(zone),
    name: name === undefined ? undefined : String(name),
    tags: parseTagFlags(command.flags.tag),
    offset: Number(offset ?? 0),
    limit: Number(limit ?? 20),
  });
  const view = instanceRows(page.items, page.requestIds, page.total);
  if (page.nextOffset !== undefined) view.nextOffset = page.nextOffset;
  return view;
}

const STOP_TYPES = ['SOFT', 'HARD', 'SOFT_FIRST'] as const;

const STOP_TYPE_FLAG: Record<string, FlagSpec> = {
  'stop-type': {
    type: 'string',
    choices: STOP_TYPES,
    upper: true,
    description: 'SOFT, HARD or SOFT_FIRST (default SOFT)',
  },
};

/** Start, stop, reboot, terminate: one batched call over many instances, with --stop-type passed on if given. */
function batchVerb(
  word: string,
  summary: string,
  action: string,
  verb: (flags: ParsedCommand['flags']) => string,
  flags: Record<string, FlagSpec>,
  examples: string[],
): CommandSpec {
  return {
    path: ['cvm', word],
    summary,
    args: [INSTANCES_ARG],
    flags,
    examples,
    change: async (command) => ({
      service: 'cvm',
      action,
      targetKind: 'instance',
      targetIds: command.args.instance!,
      params: command.flags['stop-type'] ? { StopType: command.flags['stop-type'] } : {},
      idParam: 'InstanceIds',
      idParamIsArray: true,
      verb: verb(command.flags),
    }),
  };
}

export const instanceCommands: CommandSpec[] = [
  {
    path: ['cvm', 'instances'],
    reads: ['cvm:DescribeInstances'],
    summary: 'List instances, filtered by state, zone, name (wildcards allowed) or tag',
    args: [],
    flags: {
      state: {
        type: 'string',
        description: 'instance state, e.g. RUNNING',
        upper: true,
        choices: [
          'PENDING',
          'LAUNCH_FAILED',
          'RUNNING',
          'STOPPED',
          'STARTING',
          'STOPPING',
          'REBOOTING',
          'SHUTDOWN',
          'TERMINATING',
        ],
      },
      zone: { type: 'string', description: 'availability zone, e.g. ap-guangzhou-3' },
      name: { type: 'string', description: 'instance name; * and ? match any text' },
      tag: { type: 'string', repeatable: true, description: 'key=value; repeat to require several' },
      limit: { type: 'number', description: 'rows per page (1-100, default 20)' },
      offset: { type: 'number', description: 'rows to skip' },
    },
    examples: ['cvm instances --state RUNNING', 'cvm instances --name "web-*" --tag env=production'],
    read: list,
  },
  {
    path: ['cvm', 'show'],
    reads: ['cvm:DescribeInstances'],
    summary: 'Show everything about one instance',
    args: [INSTANCE_ARG],
    flags: {},
    examples: ['cvm show web-1', 'cvm show ins-abcd1234'],
    async read(command, { client, region }) {
      const id = command.args.instance![0]!;
      const [instance] = await describeInstances(client, region, [id]);
      if (!instance) throw new InputError(`instance ${id} was not found in ${region}`, 'InvalidInstanceId.NotFound');
      return {
        kind: 'detail',
        title: `${instance.InstanceName ?? ''} (${instance.InstanceId})`,
        item: instance,
        requestIds: [],
      };
    },
  },
  batchVerb('start', 'Start stopped instances', 'StartInstances', () => 'Start', {}, ['cvm start web-1 web-2']),
  batchVerb(
    'stop',
    'Stop running instances (SOFT by default; HARD cuts the power)',
    'StopInstances',
    (flags) => (flags['stop-type'] === 'HARD' ? 'Force-stop' : 'Stop'),
    STOP_TYPE_FLAG,
    ['cvm stop web-1', 'cvm stop ins-abcd1234 --stop-type SOFT_FIRST'],
  ),
  batchVerb('reboot', 'Reboot running instances', 'RebootInstances', () => 'Reboot', STOP_TYPE_FLAG, [
    'cvm reboot web-1',
  ]),
  batchVerb(
    'terminate',
    'Terminate instances: their system disks and data are gone for good',
    'TerminateInstances',
    () => 'Terminate',
    {},
    ['cvm terminate web-9'],
  ),
  {
    path: ['cvm', 'reset-password'],
    summary: "Reset an instance's login password (asked privately, never in chat text)",
    args: [INSTANCE_ARG],
    flags: { 'user-name': { type: 'string', description: 'the account to reset (default root / Administrator)' } },
    examples: ['cvm reset-password web-1'],
    change: async (command) => ({
      service: 'cvm',
      action: 'ResetInstancesPassword',
      targetKind: 'instance',
      targetIds: command.args.instance!,
      // A running instance must be shut down for the reset (the docs' ForceStop); the plan says so.
      params: { ForceStop: true, ...(command.flags['user-name'] ? { UserName: command.flags['user-name'] } : {}) },
      idParam: 'InstanceIds',
      idParamIsArray: true,
      verb: 'Reset the password of',
      secret: 'Password',
    }),
  },
  {
    path: ['cvm', 'reinstall'],
    summary: 'Reinstall the system disk (formats it), optionally from another image',
    args: [INSTANCE_ARG],
    flags: { image: { type: 'string', description: 'image ID (img-...) to install instead of the current one' } },
    examples: ['cvm reinstall web-1', 'cvm reinstall web-1 --image img-abcd1234'],
    change: async (command) => ({
      service: 'cvm',
      action: 'ResetInstance',
      targetKind: 'instance',
      targetIds: command.args.instance!,
      params: command.flags.image ? { ImageId: command.flags.image } : {},
      idParam: 'InstanceId',
      idParamIsArray: false,
      verb: 'Reinstall',
    }),
  },
];

export { tagsOf };
