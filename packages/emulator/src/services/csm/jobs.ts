/**
 * CSM migration jobs. Status moves PENDING → (StartMigrationJob) RUNNING → SUCCESS after the configured time;
 * StopMigrationJob: RUNNING → STOPPING → STOPPED; DeleteMigrationJob: DELETING → gone. A running job's Progress
 * grows with time; its source server is MIGRATING meanwhile. Jobs need an ONLINE source server.
 * The transit-instance actions keep one transit instance per job; lighthouse live migration is not emulated.
 */
import { isoTime } from '../../clock.ts';
import { ApiFailure, fail } from '../../failure.ts';
import { findRegion } from '../../geography.ts';
import { GONE, type MigrationJob, nextId, type Stored } from '../../state.ts';
import { schedule } from '../../transitions.ts';
import { applyFilters, type Filter, inRegion, page } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { requireServer, UNFINISHED } from './servers.ts';
import { addMigrationJob, jobView } from './store.ts';

/** The states each job operation starts from. */
const ALLOWED: Record<string, string[]> = {
  StartMigrationJob: ['PENDING', 'STOPPED', 'FAILED'],
  StopMigrationJob: ['RUNNING'],
  DeleteMigrationJob: ['PENDING', 'STOPPED', 'FAILED', 'SUCCESS'],
  ModifyMigrationJob: ['PENDING', 'STOPPED', 'FAILED'],
};

function requireJob(call: Call, id: string): Stored<MigrationJob> {
  const stored = call.state.csm.jobs[id];
  if (!stored || stored.region !== call.region)
    fail('FailedOperation.JobIdNotExist', `no migration job ${id} in ${call.region}`);
  return stored;
}

function refusal(job: MigrationJob, action: string): ApiFailure | undefined {
  const allowed = ALLOWED[action];
  if (allowed && !allowed.includes(job.Status))
    return new ApiFailure(
      'FailedOperation.MigrateJobStatusNotSupport',
      `${job.JobId} is ${job.Status}; ${action} needs ${allowed.join(' or ')}`,
    );
  return undefined;
}

function requireAllowed(call: Call, id: string, action: string): Stored<MigrationJob> {
  const stored = requireJob(call, id);
  const refused = refusal(stored.item, action);
  if (refused) throw refused;
  return stored;
}

function checkName(call: Call, name: string | undefined, except?: string): void {
  if (name === undefined) return;
  if (name.length > 60) fail('InvalidParameterValue.TooLong', 'Name is longer than 60 characters');
  if (Object.values(call.state.csm.jobs).some((j) => j.item.Name === name && j.item.JobId !== except))
    fail('InvalidParameterValue.MigrateJobNameExist', `a migration job named "${name}" exists`);
}

function checkTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) || Number.isNaN(ms))
    fail('InvalidParameterValue.InvalidTimeFormat', `${name} must be UTC "YYYY-MM-DDThh:mm:ssZ", not "${value}"`);
  return ms;
}

function createMigrationJob(call: Call) {
  const p = call.params as {
    SourceServerId: string;
    Mode: number;
    TargetRegion: string;
    Name?: string;
    Description?: string;
    TargetType?: string;
    InstanceId?: string;
    ImageName?: string;
    RunMode?: string;
    StartTime?: string;
    IncrementalMigration?: number;
    IncrementalTime?: string;
    VpcId?: string;
    SubnetId?: string;
    MigrationConfigInfo?: { Checksum?: boolean; BandwidthLimit?: string };
  };
  const server = requireServer(call, p.SourceServerId).item;
  if (server.Status !== 'ONLINE')
    fail(
      'ResourceNotFound.InvalidLiveMigrateOnlineSourceServerId',
      `${p.SourceServerId} is ${server.Status}; it must be ONLINE`,
    );
  if (!findRegion(p.TargetRegion)) fail('InvalidParameterValue.InvalidRegionNotFound', `no region ${p.TargetRegion}`);
  // Mode: the docs give [0,2], 0-3 and 0/2/3; 0 to 3 is accepted (README).
  if (p.Mode < 0 || p.Mode > 3) fail('InvalidParameterValue', `Mode must be 0 to 3, not ${p.Mode}`);
  const targetType = p.TargetType ?? 'Image';
  if (targetType === 'Instance') {
    if (!p.InstanceId) fail('MissingParameter', 'InstanceId is required when TargetType is Instance');
    const target = call.state.cvm.instances[p.InstanceId];
    if (!target || target.region !== p.TargetRegion)
      fail('ResourceNotFound.InvalidInstanceIdNotFound', `no instance ${p.InstanceId} in ${p.TargetRegion}`);
    // The target must be RUNNING or STOPPED (000:5255).
    if (!['RUNNING', 'STOPPED'].includes(target.item.InstanceState))
      fail(
        `UnsupportedOperation.InstanceState${cap(target.item.InstanceState)}`,
        `${p.InstanceId} is ${target.item.InstanceState}; it must be RUNNING or STOPPED`,
      );
  }
  checkName(call, p.Name);
  const runMode = p.RunMode ?? 'Delayed';
  const start = checkTime('StartTime', p.StartTime);
  if (runMode === 'Timed') {
    if (start === undefined) fail('MissingParameter', 'StartTime is required when RunMode is Timed');
    if (start < call.now) fail('InvalidParameterValue.InvalidTimeFormat', 'StartTime must not be in the past');
  }
  if (p.IncrementalMigration === 1) {
    const until = checkTime('IncrementalTime', p.IncrementalTime);
    if (until !== undefined && until - call.now < 3600_000)
      fail('InvalidParameterValue.IncrementalTimeLessThanOneHour', 'the incremental window is at least one hour');
    if (until !== undefined && until - call.now > 7 * 86400_000)
      fail('InvalidParameterValue.IncrementalTimeGreaterThanSevenDays', 'the incremental window is at most seven days');
  }
  const stored = addMigrationJob(call.state, call.region, {
    name: p.Name ?? `job-${server.Name}`,
    serverId: p.SourceServerId,
    status: 'PENDING',
    targetRegion: p.TargetRegion,
    targetType,
    createdAt: call.now,
    mode: p.Mode,
    runMode,
    instanceId: p.InstanceId,
    description: p.Description,
  });
  if (p.ImageName) stored.item.ImageName = p.ImageName;
  stored.item.StartTime = p.StartTime ?? '';
  if (p.IncrementalMigration !== undefined) stored.item.IncrementalMigration = p.IncrementalMigration;
  if (p.IncrementalTime !== undefined) stored.item.IncrementalTime = p.IncrementalTime;
  if (p.MigrationConfigInfo) stored.item.MigrationConfigInfo = p.MigrationConfigInfo;
  // Immediate jobs start now (Timed ones are not started by the emulator's clock: start them by hand).
  if (runMode === 'Immediate') begin(call, stored);
  return { JobId: stored.item.JobId };
}

function cap(state: string): string {
  return state
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function begin(call: Call, stored: Stored<MigrationJob>): void {
  const server = requireServer(call, stored.item.SourceServerId).item;
  if (server.Status !== 'ONLINE')
    fail(
      'FailedOperation.SourceServerStatusNotSupport',
      `source server ${server.SourceServerId} is ${server.Status}; it must be ONLINE`,
    );
  server.Status = 'MIGRATING';
  stored.item.Status = 'RUNNING';
  stored.item.Progress = 0;
  stored.item.StartTime = isoTime(call.now);
  stored.item.EndTime = '';
  stored.item.UpdateTime = isoTime(call.now);
  stored.item.RunningSince = call.now;
  schedule(call.world, stored, 'SUCCESS', call.world.durations.migrationJob);
}

function describeMigrationJobs(call: Call) {
  const p = call.params as { Filters?: Filter[] };
  const jobs = applyFilters(inRegion(call.state.csm.jobs, call.region), p.Filters, {
    'source-server-id': (s) => s.item.SourceServerId,
    'job-name': (s) => s.item.Name,
    'job-id': (s) => s.item.JobId,
    status: (s) => s.item.Status,
    product: () => 'cvm',
  });
  return {
    MigrationJobs: page(jobs, call.params, { limit: 20, max: 50 }).map((s) => jobView(s, call.now)),
    TotalCount: jobs.length,
  };
}

function startMigrationJob(call: Call) {
  const p = call.params as { JobId: string };
  begin(call, requireAllowed(call, p.JobId, 'StartMigrationJob'));
  return {};
}

function stopMigrationJob(call: Call) {
  const p = call.params as { JobId: string };
  const stored = requireAllowed(call, p.JobId, 'StopMigrationJob');
  const view = jobView(stored, call.now);
  stored.item.Progress = Number(view.Progress);
  stored.item.Status = 'STOPPING';
  stored.item.UpdateTime = isoTime(call.now);
  schedule(call.world, stored, 'STOPPED', call.world.durations.migrationJobStop);
  return {};
}

function deleteMigrationJob(call: Call) {
  const p = call.params as { JobId: string };
  const stored = requireAllowed(call, p.JobId, 'DeleteMigrationJob');
  stored.item.Status = 'DELETING';
  schedule(call.world, stored, GONE, call.world.durations.migrationJobStop);
  return {};
}

function modifyMigrationJob(call: Call) {
  const p = call.params as {
    JobId: string;
    Name?: string;
    Description?: string;
    ImageName?: string;
    StartTime?: string;
  };
  const job = requireAllowed(call, p.JobId, 'ModifyMigrationJob').item;
  checkName(call, p.Name, p.JobId);
  checkTime('StartTime', p.StartTime);
  if (p.Name !== undefined) job.Name = p.Name;
  if (p.Description !== undefined) job.Description = p.Description;
  if (p.ImageName !== undefined) job.ImageName = p.ImageName;
  if (p.StartTime !== undefined) job.StartTime = p.StartTime;
  job.UpdateTime = isoTime(call.now);
  return {};
}

function describeMigrationJobDeniedActions(call: Call) {
  const p = call.params as { JobIds: string[] };
  return {
    JobDeniedActionSet: p.JobIds.map((id) => {
      const job = requireJob(call, id).item;
      const denied = Object.keys(ALLOWED)
        .map((action) => ({ action, refused: refusal(job, action) }))
        .filter((r) => r.refused)
        .map((r) => ({ Action: r.action, Code: r.refused!.code, Message: r.refused!.message }));
      return { JobId: id, DeniedActions: denied };
    }),
  };
}

function createTransitInstance(call: Call) {
  const p = call.params as { JobId: string };
  const job = requireJob(call, p.JobId).item;
  if (!UNFINISHED.includes(job.Status))
    fail(
      'FailedOperation.MigrateJobStatusNotSupport',
      `${p.JobId} is ${job.Status}; transit instances serve unfinished jobs`,
    );
  if (!job.TransitInstanceId) job.TransitInstanceId = nextId(call.state, 'ins-');
  return { InstanceId: job.TransitInstanceId };
}

function describeTransitInstance(call: Call) {
  const p = call.params as { JobId: string };
  const job = requireJob(call, p.JobId).item;
  if (!job.TransitInstanceId) return { InstanceSet: [] };
  return {
    InstanceSet: [
      {
        InstanceId: job.TransitInstanceId,
        CPU: 2,
        Memory: 4,
        InstanceType: 'S5.MEDIUM4',
        OsType: 'Linux',
        InstanceState: 'RUNNING',
        PublicIpAddresses: [],
        LatestOperation: 'CreateTransitInstance',
        LatestOperationState: 'SUCCESS',
        LatestOperationRequestId: '',
        // Named so no one deletes it by mistake (000:5256).
        Uuid: 'do_not_delete_csm_instance',
      },
    ],
  };
}

function terminateTransitInstance(call: Call) {
  const p = call.params as { JobId: string };
  requireJob(call, p.JobId).item.TransitInstanceId = '';
  return {};
}

function createImageForTransitInstance(call: Call) {
  const p = call.params as { JobId: string };
  const job = requireJob(call, p.JobId).item;
  if (!job.TransitInstanceId) fail('FailedOperation', `${p.JobId} has no transit instance; create one first`);
  if (!job.ImageId) job.ImageId = nextId(call.state, 'img-');
  return { ImageId: job.ImageId };
}

export const jobHandlers: Handlers = {
  CreateMigrationJob: createMigrationJob,
  DescribeMigrationJobs: describeMigrationJobs,
  StartMigrationJob: startMigrationJob,
  StopMigrationJob: stopMigrationJob,
  DeleteMigrationJob: deleteMigrationJob,
  ModifyMigrationJob: modifyMigrationJob,
  DescribeMigrationJobDeniedActions: describeMigrationJobDeniedActions,
  CreateTransitInstance: createTransitInstance,
  DescribeTransitInstance: describeTransitInstance,
  TerminateTransitInstance: terminateTransitInstance,
  CreateImageForTransitInstance: createImageForTransitInstance,
};
