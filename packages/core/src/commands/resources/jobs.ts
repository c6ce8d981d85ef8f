/** CSM migration jobs. */
import type { CommandSpec } from '../spec.ts';
import { listView, PAGE_FLAGS, pageParams } from './common.ts';

interface Job {
  JobId: string;
  Name?: string;
  Status?: string;
  SourceServerId?: string;
  TargetRegion?: string;
  Progress?: number;
  InstanceId?: string;
}

export const jobCommands: CommandSpec[] = [
  {
    path: ['csm', 'jobs'],
    reads: ['csm:DescribeMigrationJobs'],
    summary: 'List migration jobs',
    args: [],
    flags: {
      status: { type: 'string', upper: true, description: 'PENDING, RUNNING, SUCCESS, FAILED, STOPPING, STOPPED, ...' },
      ...PAGE_FLAGS,
    },
    examples: ['csm jobs', 'csm jobs --status RUNNING'],
    read: (command, { client, region }) =>
      listView<Job>(
        {
          service: 'csm',
          action: 'DescribeMigrationJobs',
          itemsKey: 'MigrationJobs',
          kind: 'job',
          title: 'Migration jobs',
          columns: [
            { key: 'state', title: 'Status', value: (j) => j.Status },
            { key: 'name', title: 'Name', value: (j) => j.Name },
            { key: 'id', title: 'ID', value: (j) => j.JobId },
            { key: 'source', title: 'Source server', value: (j) => j.SourceServerId },
            { key: 'progress', title: 'Progress %', value: (j) => j.Progress },
            { key: 'target', title: 'Target', value: (j) => j.InstanceId },
          ],
          id: (j) => j.JobId,
          state: (j) => j.Status,
        },
        client,
        region,
        {
          ...pageParams(command.flags, 50),
          ...(command.flags.status ? { Filters: [{ Name: 'status', Values: [String(command.flags.status)] }] } : {}),
        },
      ),
  },
  ...(['start', 'stop'] as const).map(
    (verb): CommandSpec => ({
      path: ['csm', verb],
      summary: verb === 'start' ? 'Start a migration job' : 'Stop a running migration job',
      args: [{ name: 'job', description: 'migration job ID', id: 'job' }],
      flags: {},
      examples: [`csm ${verb} job-abcd1234`],
      change: async (command) => ({
        service: 'csm',
        action: verb === 'start' ? 'StartMigrationJob' : 'StopMigrationJob',
        targetKind: 'job',
        targetIds: command.args.job!,
        params: {},
        idParam: 'JobId',
        idParamIsArray: false,
        // The summary adds the noun: "Start 1 migration job in …" (not "Start migration job 1 migration job").
        verb: verb === 'start' ? 'Start' : 'Stop',
      }),
    }),
  ),
];
