/**
 * Changing an instance in place: resize (ResetInstancesType), grow the system disk (ResizeInstanceDisks), rename
 * (ModifyInstancesAttribute), renew (RenewInstances, prepaid only), and open its console (DescribeInstanceVncUrl,
 * a sensitive read: the URL logs anyone in, so it is shown to the requester only).
 * What TCE allows (the resize targets, the denied actions) and what it costs are asked by the plan's verdict and
 * price steps (verdict.ts, price.ts); what can be known from the instance itself is refused here, before any plan.
 */
import type { TceClient } from '../../api/client.ts';
import { InputError, RefusedError } from '../../api/errors.ts';
import type { CommandSpec, ParsedCommand } from '../spec.ts';
import type { Outcome } from '../types.ts';
import { describeInstances, type Instance } from './instances.ts';

const INSTANCE_ARG = {
  name: 'instance',
  description: 'instance ID (ins-...) or name',
  id: 'instance' as const,
  byName: true,
};

const FORCE_STOP = {
  'force-stop': {
    type: 'boolean' as const,
    description: 'let TCE stop a running instance for the change (and start it again)',
  },
};

function label(instance: Instance): string {
  return `${instance.InstanceName ?? instance.InstanceId} (${instance.InstanceId}, ${instance.InstanceState})`;
}

async function one(client: TceClient, region: string, id: string): Promise<Instance> {
  const [instance] = await describeInstances(client, region, [id]);
  if (!instance) throw new InputError(`instance ${id} was not found in ${region}`, 'InvalidInstanceId.NotFound');
  return instance;
}

/** A running instance changes only when the requester lets TCE stop it (the docs' ForceStop). */
function needStoppedOrForce(instance: Instance, command: ParsedCommand, what: string): void {
  if (instance.InstanceState === 'RUNNING' && command.flags['force-stop'] !== true) {
    throw new RefusedError(
      `${instance.InstanceName ?? instance.InstanceId} is RUNNING: ${what} needs it stopped`,
      'UnsupportedOperation.InstanceStateRunning',
      `stop it first ("cvm stop ${instance.InstanceId}"), or add --force-stop to let TCE stop and start it`,
    );
  }
}

async function consoleUrl(command: ParsedCommand, client: TceClient, region: string): Promise<Outcome> {
  const id = command.args.instance![0]!;
  const response = await client.call<{ InstanceVncUrl?: string; RequestId: string }>(
    'cvm',
    'DescribeInstanceVncUrl',
    { InstanceId: id },
    { region },
  );
  return {
    kind: 'detail',
    title: `Console of ${id} (valid for a short time; anyone with this address is logged in — do not share it)`,
    item: { InstanceId: id, InstanceVncUrl: response.InstanceVncUrl ?? '' },
    requestIds: [response.RequestId],
    private: true,
  };
}

export const modifyCommands: CommandSpec[] = [
  {
    path: ['cvm', 'resize'],
    summary:
      'Change the instance type (ResetInstancesType): TCE says which types are allowed; the price difference is shown',
    args: [INSTANCE_ARG],
    flags: {
      type: { type: 'string', description: 'the new instance type, e.g. S5.LARGE8' },
      ...FORCE_STOP,
    },
    examples: ['cvm resize web-1 --type S5.LARGE8', 'cvm resize web-1 --type S5.LARGE8 --force-stop'],
    async change(command, { client, region }) {
      const type = command.flags.type as string | undefined;
      if (!type) throw new InputError('cvm resize needs --type, e.g. --type S5.LARGE8', 'MissingParameter');
      const id = command.args.instance![0]!;
      const instance = await one(client, region, id);
      if (instance.InstanceType === type)
        throw new InputError(`${instance.InstanceName ?? id} is already ${type}`, 'InvalidParameterValue');
      needStoppedOrForce(instance, command, 'changing the type');
      return {
        service: 'cvm',
        action: 'ResetInstancesType',
        targetKind: 'instance',
        targetIds: [id],
        params: { InstanceType: type, ...(command.flags['force-stop'] ? { ForceStop: true } : {}) },
        idParam: 'InstanceIds',
        idParamIsArray: true,
        verb: 'Resize',
        summary: `Resize ${label(instance)} in ${region} from ${instance.InstanceType} to ${type}${command.flags['force-stop'] ? ', stopping and starting it' : ''}.`,
      };
    },
  },
  {
    path: ['cvm', 'disk', 'resize'],
    summary: 'Grow the system disk (ResizeInstanceDisks); disks only grow, in steps of 10 GB',
    args: [INSTANCE_ARG],
    flags: {
      size: { type: 'number', description: 'the new size in GB' },
      ...FORCE_STOP,
    },
    examples: ['cvm disk resize web-1 --size 100'],
    async change(command, { client, region }) {
      const size = command.flags.size as number | undefined;
      if (size === undefined) throw new InputError('cvm disk resize needs --size GB', 'MissingParameter');
      if (!Number.isInteger(size) || size < 20 || size > 1024)
        throw new InputError('--size must be a whole number of GB from 20 to 1024', 'InvalidParameterValue.Range');
      const id = command.args.instance![0]!;
      const instance = await one(client, region, id);
      const current = (instance.SystemDisk as { DiskSize?: number } | undefined)?.DiskSize ?? 0;
      if (size <= current)
        throw new InputError(
          `the system disk of ${instance.InstanceName ?? id} is ${current} GB: disks only grow`,
          'InvalidParameterValue',
        );
      needStoppedOrForce(instance, command, 'resizing the disk');
      return {
        service: 'cvm',
        action: 'ResizeInstanceDisks',
        targetKind: 'instance',
        targetIds: [id],
        params: { SystemDisk: { DiskSize: size }, ...(command.flags['force-stop'] ? { ForceStop: true } : {}) },
        idParam: 'InstanceId',
        idParamIsArray: false,
        verb: 'Grow the system disk of',
        summary: `Grow the system disk of ${label(instance)} in ${region} from ${current} GB to ${size} GB${command.flags['force-stop'] ? ', stopping and starting it' : ''}.`,
      };
    },
  },
  {
    path: ['cvm', 'rename'],
    summary: 'Rename an instance (ModifyInstancesAttribute)',
    args: [INSTANCE_ARG, { name: 'name', description: 'the new name, at most 60 characters' }],
    flags: {},
    examples: ['cvm rename ins-abcd1234 web-1', 'cvm rename web-old web-new'],
    change: async (command) => {
      const name = command.args.name![0]!;
      if (name.length > 60) throw new InputError('a name takes at most 60 characters', 'InvalidInstanceName.TooLong');
      return {
        service: 'cvm',
        action: 'ModifyInstancesAttribute',
        targetKind: 'instance',
        targetIds: command.args.instance!,
        params: { InstanceName: name },
        idParam: 'InstanceIds',
        idParamIsArray: true,
        verb: `Rename (to "${name}")`,
      };
    },
  },
  {
    path: ['cvm', 'renew'],
    summary: 'Renew prepaid instances for a month (RenewInstances), priced first',
    args: [{ ...INSTANCE_ARG, variadic: true, description: 'one or more prepaid instance IDs or names' }],
    flags: {
      period: { type: 'number', description: 'months; TCE renews one month per call (RenewInstances takes no period)' },
    },
    examples: ['cvm renew db-1', 'cvm renew db-1 db-2 --period 1'],
    async change(command, { client, region }) {
      const period = command.flags.period as number | undefined;
      if (period !== undefined && period !== 1)
        throw new InputError(
          'RenewInstances takes no period in the TCE docs: a renewal is one month; renew again for more',
          'InvalidPeriod',
        );
      const ids = command.args.instance!;
      const found = await describeInstances(client, region, ids);
      const notPrepaid = found.filter((i) => i.InstanceChargeType !== 'PREPAID');
      if (notPrepaid.length)
        throw new RefusedError(
          `only prepaid instances renew: ${notPrepaid.map((i) => `${i.InstanceName ?? i.InstanceId} is ${i.InstanceChargeType}`).join(', ')}`,
          'InvalidInstance.NotSupported',
          'pay-as-you-go instances have nothing to renew',
        );
      return {
        service: 'cvm',
        action: 'RenewInstances',
        targetKind: 'instance',
        targetIds: ids,
        params: {},
        idParam: 'InstanceIds',
        idParamIsArray: true,
        verb: 'Renew (1 month)',
      };
    },
  },
  {
    path: ['cvm', 'console'],
    reads: ['cvm:DescribeInstanceVncUrl'],
    summary: "Open an instance's console: a one-time VNC address, shown only to you",
    args: [INSTANCE_ARG],
    flags: {},
    examples: ['cvm console web-1'],
    read: (command, { client, region }) => consoleUrl(command, client, region),
  },
];
