/** CVM instances: states and transitions as the CVM docs give them (实例状态, and each action's 前提条件). */
import type { KindModule } from './types.ts';
import { inBatches, tagsOf } from './types.ts';

const LIVE = ['RUNNING', 'STOPPED'] as const;

export const instance: KindModule = {
  kind: 'instance',
  nouns: ['instance', 'instances'],
  states: [
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
  transitional: ['PENDING', 'STARTING', 'STOPPING', 'REBOOTING', 'SHUTDOWN', 'TERMINATING'],
  failed: ['LAUNCH_FAILED'],
  show: 'cvm show',
  verbs: [
    { command: 'cvm start', label: 'Start', action: 'StartInstances', from: ['STOPPED'], end: { states: ['RUNNING'] } },
    { command: 'cvm stop', label: 'Stop', action: 'StopInstances', from: ['RUNNING'], end: { states: ['STOPPED'] } },
    {
      command: 'cvm reboot',
      label: 'Reboot',
      action: 'RebootInstances',
      from: ['RUNNING'],
      end: { states: ['RUNNING'] },
    },
    { command: 'cvm reset-password', label: 'Reset password', action: 'ResetInstancesPassword', from: LIVE },
    {
      command: 'cvm reinstall',
      label: 'Reinstall',
      action: 'ResetInstance',
      from: LIVE,
      end: { states: ['RUNNING'] },
    },
    { command: 'cvm image create', label: 'Create image', action: 'CreateImage', from: LIVE },
    {
      command: 'cvm terminate',
      label: 'Terminate',
      action: 'TerminateInstances',
      from: ['RUNNING', 'STOPPED', 'LAUNCH_FAILED', 'SHUTDOWN'],
      end: { states: [], gone: true },
    },
    // These need more than a target (a type, a size, a name, a period): no menu item that would run them bare.
    {
      command: 'cvm resize',
      label: 'Resize',
      action: 'ResetInstancesType',
      end: { states: LIVE },
      menu: false,
    },
    {
      command: 'cvm disk resize',
      label: 'Resize disk',
      action: 'ResizeInstanceDisks',
      end: { states: LIVE },
      menu: false,
    },
    { command: 'cvm rename', label: 'Rename', action: 'ModifyInstancesAttribute', menu: false },
    { command: 'cvm renew', label: 'Renew', action: 'RenewInstances', menu: false },
  ],
  creates: { RunInstances: { states: ['RUNNING'] } },
  notFound: 'InvalidInstanceId.NotFound',
  describe: (client, region, ids) =>
    inBatches(ids, async (batch) => {
      const r = await client.call<{ InstanceSet: Record<string, unknown>[] }>(
        'cvm',
        'DescribeInstances',
        { InstanceIds: batch, Limit: 100 },
        { region },
      );
      return (r.InstanceSet ?? []).map((i) => ({
        kind: 'instance' as const,
        id: String(i.InstanceId),
        name: i.InstanceName as string | undefined,
        state: i.InstanceState as string | undefined,
        type: i.InstanceType as string | undefined,
        zone: (i.Placement as { Zone?: string } | undefined)?.Zone,
        tags: tagsOf(i as { Tags?: { Key: string; Value: string }[] }),
        raw: i,
      }));
    }),
};
