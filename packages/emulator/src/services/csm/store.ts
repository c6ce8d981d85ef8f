/** CSM records: source servers (registered by the go2cloud client) and their migration jobs. */
import { isoTime } from '../../clock.ts';
import { type EmulatorState, type MigrationJob, nextId, type Stored } from '../../state.ts';

export function addSourceServer(
  state: EmulatorState,
  region: string,
  spec: {
    name: string;
    status: string;
    os: string;
    ip: string;
    cpu: number;
    memoryGb: number;
    diskGb: number;
    createdAt: number;
    identifier?: string;
    architecture?: string;
  },
): string {
  const id = nextId(state, 'ss-');
  state.csm.sourceServers[id] = {
    region,
    item: {
      SourceServerId: id,
      Name: spec.name,
      Description: '',
      Status: spec.status,
      ClientVersion: 'v2.1.5',
      OsType: spec.os,
      Architecture: spec.architecture ?? 'x86_64',
      Identifier: spec.identifier ?? `go2cloud-${id.slice(3)}`,
      Platform: 'Linux',
      Product: 'cvm',
      ServerInfo: {
        ProcessorNum: spec.cpu,
        Ip: spec.ip,
        Mac: '52:54:00:12:34:56',
        Memory: spec.memoryGb * 1024,
        BootMode: 'BIOS',
      },
      SystemInfo: { OsType: spec.os, Hostname: spec.name },
      SystemDiskInfo: { Size: spec.diskGb, Partitions: [] },
      DataDisksInfo: [],
      CreateTime: isoTime(spec.createdAt),
      UpdateTime: isoTime(spec.createdAt),
    },
  };
  return id;
}

export function addMigrationJob(
  state: EmulatorState,
  region: string,
  spec: {
    name: string;
    serverId: string;
    status: string;
    targetRegion: string;
    targetType: string;
    createdAt: number;
    mode?: number;
    runMode?: string;
    instanceId?: string;
    description?: string;
  },
): Stored<MigrationJob> {
  const id = nextId(state, 'job-');
  const server = state.csm.sourceServers[spec.serverId]!.item;
  const stored: Stored<MigrationJob> = {
    region,
    item: {
      JobId: id,
      Name: spec.name,
      Description: spec.description ?? '',
      SourceServerId: spec.serverId,
      Status: spec.status,
      TargetType: spec.targetType,
      TargetRegion: spec.targetRegion,
      Mode: spec.mode ?? 0,
      RunMode: spec.runMode ?? 'Delayed',
      InstanceId: spec.instanceId ?? '',
      InstanceType: '',
      ImageId: '',
      ImageName: spec.targetType === 'Image' ? `${spec.name}-image` : '',
      VpcId: '',
      SubnetId: '',
      SecurityGroup: '',
      SystemDiskInfo: { ...server.SystemDiskInfo },
      DataDisksInfo: [],
      Progress: spec.status === 'SUCCESS' ? 100 : 0,
      StartTime: spec.status === 'PENDING' ? '' : isoTime(spec.createdAt + 600_000),
      EndTime: spec.status === 'SUCCESS' ? isoTime(spec.createdAt + 7_200_000) : '',
      CreateTime: isoTime(spec.createdAt),
      UpdateTime: isoTime(spec.createdAt),
      TransitInstanceId: '',
    },
  };
  state.csm.jobs[id] = stored;
  return stored;
}

/** Progress of a running job, from how much of its duration has passed. */
/** A job as DescribeMigrationJobs shows it: every documented MigrationJob field (000:14190-14240). */
export function jobView(stored: Stored<MigrationJob>, now: number): Record<string, unknown> {
  const { RunningSince, IncrementalMigration, IncrementalTime, MigrationConfigInfo, ...job } = stored.item;
  let remainingMinutes = 0;
  if (job.Status === 'RUNNING' && RunningSince !== undefined && stored.transition) {
    const span = Math.max(1, stored.transition.at - RunningSince);
    job.Progress = Math.min(99, Math.floor(((now - RunningSince) / span) * 100));
    remainingMinutes = Math.max(1, Math.ceil((stored.transition.at - now) / 60_000));
  }
  // Result values as documented: succ / normalFailed (000:14335).
  const result = job.Status === 'SUCCESS' ? 'succ' : job.Status === 'FAILED' ? 'normalFailed' : '';
  return {
    ...job,
    MigrationConfigInfo: { Checksum: false, BandwidthLimit: '', ...MigrationConfigInfo },
    MigrateResult: { State: '', Result: result, Desc: '' },
    MigrateResults: { State: '', Result: result, Desc: { ErrorMessage: '', ErrorId: '' } },
    IncrementalMigration: IncrementalMigration ?? 0,
    IncrementalTime: IncrementalTime ?? '',
    LastReportMessage: { Messages: [] },
    OneClickJobId: '',
    // Minutes, as a string (000:14230); LastSpeed is KB/s, unknown here.
    RemainingTimeEstimate: String(remainingMinutes),
    LastSpeed: '',
    ExcludePathList: '',
    UserIntentList: '',
    Product: 'cvm',
  };
}
