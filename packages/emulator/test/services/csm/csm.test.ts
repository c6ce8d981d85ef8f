/** CSM: source servers and migration jobs whose state moves on by itself. */
import assert from 'node:assert/strict';
import { errorCode, eventually, type Harness, startHarness } from '../../helpers.ts';

const DISK = { Device: '/dev/vda', Size: 60 };

interface Job {
  JobId: string;
  Name: string;
  Status: string;
  Progress: number;
  SourceServerId: string;
}

describe('CSM source servers and migration jobs', () => {
  let h: Harness;
  beforeEach(async () => {
    // migrationJob lasts 20 s by default: 400 ms here.
    h = await startHarness({ timeScale: 0.02 });
  });
  afterEach(async () => {
    await h.close();
  });

  const jobs = async (filters: { Name: string; Values: string[] }[] = []) =>
    (await h.raw('csm', 'DescribeMigrationJobs', { Filters: filters, Limit: 50 })).MigrationJobs as Job[];
  const job = async (id: string) => (await jobs([{ Name: 'job-id', Values: [id] }]))[0];
  const server = async (id: string) =>
    (
      (await h.raw('csm', 'DescribeSourceServers', { Filters: [{ Name: 'source-server-id', Values: [id] }] }))
        .SourceServers as { Status: string }[]
    )[0];

  it('the demo has a running job that reaches SUCCESS (Progress 100) by itself, leaving an image, freeing its server', async () => {
    const [running] = await jobs([{ Name: 'status', Values: ['RUNNING'] }]);
    assert.ok(running, 'a running job in the demo');
    assert.equal((await server(running.SourceServerId))!.Status, 'MIGRATING');
    await eventually(async () => (await job(running.JobId))!.Status === 'SUCCESS', 'SUCCESS');
    const done = (await job(running.JobId)) as Job & { ImageId: string; ImageName: string; TargetRegion: string };
    assert.equal(done.Progress, 100);
    const images = await h.raw('cvm', 'DescribeImages', { ImageIds: [done.ImageId] }, { region: done.TargetRegion });
    assert.equal((images.ImageSet as { ImageName: string }[])[0]?.ImageName, done.ImageName, 'the migrated image');
    assert.equal((await server(running.SourceServerId))!.Status, 'ONLINE');
  });

  it('register a server, create a job, start, stop, delete', async () => {
    const registered = await h.raw('csm', 'CreateSourceServer', {
      ClientVersion: 'v2.1.5',
      SystemInfo: {},
      ServerInfo: { ProcessorNum: 4, Ip: '192.168.1.9', Memory: 8192 },
      SystemDiskInfo: { Device: '/dev/vda', Size: 60 },
      Architecture: 'x86_64',
      OsType: 'CentOS 7',
      Identifier: 'host-abc-123',
      Name: 'idc-app-09',
    });
    assert.equal(errorCode(registered), undefined, JSON.stringify(registered.Error));
    const serverId = registered.SourceServerId as string;
    const again = await h.raw('csm', 'CreateSourceServer', {
      ClientVersion: 'v2.1.5',
      SystemInfo: {},
      ServerInfo: {},
      SystemDiskInfo: { Device: '/dev/vda', Size: 60 },
      Architecture: 'x86_64',
      OsType: 'CentOS 7',
      Identifier: 'host-abc-123',
    });
    assert.equal(errorCode(again), 'InvalidParameterValue.SourceServerExist');
    const created = await h.raw('csm', 'CreateMigrationJob', {
      SourceServerId: serverId,
      SystemDiskInfo: { Device: '/dev/vda', Size: 60 },
      Mode: 0,
      TargetRegion: 'ap-shanghai',
      Name: 'app-09-move',
    });
    assert.equal(errorCode(created), undefined, JSON.stringify(created.Error));
    const jobId = created.JobId as string;
    assert.equal((await job(jobId))!.Status, 'PENDING');
    assert.equal(
      errorCode(await h.raw('csm', 'StopMigrationJob', { JobId: jobId })),
      'FailedOperation.MigrateJobStatusNotSupport',
    );
    assert.equal(errorCode(await h.raw('csm', 'StartMigrationJob', { JobId: jobId })), undefined);
    assert.equal((await server(serverId))!.Status, 'MIGRATING');
    assert.equal(
      errorCode(await h.raw('csm', 'DeleteSourceServer', { SourceServerId: serverId })),
      'FailedOperation.SourceServerRelatedUnFinishedJob',
    );
    assert.equal(errorCode(await h.raw('csm', 'StopMigrationJob', { JobId: jobId })), undefined);
    assert.equal((await job(jobId))!.Status, 'STOPPING');
    await eventually(async () => (await job(jobId))!.Status === 'STOPPED', 'STOPPED');
    assert.equal((await server(serverId))!.Status, 'ONLINE');
    const denied = await h.raw('csm', 'DescribeMigrationJobDeniedActions', { JobIds: [jobId] });
    const actions = (denied.JobDeniedActionSet as { DeniedActions: { Action: string }[] }[])[0]!.DeniedActions.map(
      (d) => d.Action,
    );
    assert.deepEqual(actions, ['StopMigrationJob']);
    assert.equal(errorCode(await h.raw('csm', 'DeleteMigrationJob', { JobId: jobId })), undefined);
    await eventually(async () => (await job(jobId)) === undefined, 'the job to go');
    assert.equal(errorCode(await h.raw('csm', 'DeleteSourceServer', { SourceServerId: serverId })), undefined);
  });

  it('an offline server takes no job; names are unique; Limit is at most 50', async () => {
    const servers = (
      await h.raw('csm', 'DescribeSourceServers', { Filters: [{ Name: 'status', Values: ['OFFLINE'] }] })
    ).SourceServers as { SourceServerId: string }[];
    const offline = servers[0]!.SourceServerId;
    const refused = await h.raw('csm', 'CreateMigrationJob', {
      SourceServerId: offline,
      SystemDiskInfo: DISK,
      Mode: 0,
      TargetRegion: 'ap-shanghai',
    });
    assert.equal(errorCode(refused), 'ResourceNotFound.InvalidLiveMigrateOnlineSourceServerId');
    const [existing] = await jobs();
    const online = (await h.raw('csm', 'DescribeSourceServers', { Filters: [{ Name: 'status', Values: ['ONLINE'] }] }))
      .SourceServers as { SourceServerId: string }[];
    const clash = await h.raw('csm', 'CreateMigrationJob', {
      SourceServerId: online[0]!.SourceServerId,
      SystemDiskInfo: DISK,
      Mode: 0,
      TargetRegion: 'ap-shanghai',
      Name: existing!.Name,
    });
    assert.equal(errorCode(clash), 'InvalidParameterValue.MigrateJobNameExist');
    assert.equal(errorCode(await h.raw('csm', 'DescribeMigrationJobs', { Limit: 51 })), 'InvalidParameterValue');
  });
});
