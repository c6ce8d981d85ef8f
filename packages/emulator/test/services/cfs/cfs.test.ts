/** CFS through both API versions over one state: file systems, permission groups and rules, policies, service. */
import assert from 'node:assert/strict';
import { errorCode, eventually, type Harness, startHarness } from '../../helpers.ts';

const V2018 = { version: '2018-04-16' };
const V2019 = { version: '2019-07-19' };

describe('CFS 2018-04-16 and 2019-07-19', () => {
  let h: Harness;
  beforeEach(async () => {
    // Creation takes 1 s here, so "still creating" holds on a loaded machine (the default 100 ms raced).
    h = await startHarness({ timeScale: 0.02, durations: { fileSystemCreate: 1000 } });
  });
  afterEach(async () => {
    await h.close();
  });

  const fileSystems = async (params: Record<string, unknown> = {}) =>
    (await h.raw('cfs', 'DescribeCfsFileSystems', params, V2019)).FileSystems as {
      FileSystemId: string;
      LifeCycleState: string;
      FsName: string;
      PGroup: { PGroupId: string };
    }[];

  it('creates a file system: creating, then available, with a mount target; deletes it: deleting, then gone', async () => {
    const groups = (await h.raw('cfs', 'DescribeCfsPGroups', {}, V2019)).PGroupList as { PGroupId: string }[];
    const params = {
      Zone: 'ap-guangzhou-3',
      NetInterface: 'VPC',
      PGroupId: groups[0]!.PGroupId,
      VpcId: 'vpc-gz7k2m1q',
      SubnetId: 'subnet-gz4d8e2a',
      FsName: 'new-share',
    };
    const created = await h.raw('cfs', 'CreateCfsFileSystem', params, V2019);
    assert.equal(errorCode(created), undefined, JSON.stringify(created.Error));
    const id = created.FileSystemId as string;
    assert.match(id, /^cfs-[a-z0-9]{8}$/);
    assert.equal(created.LifeCycleState, 'creating');
    assert.equal((await h.raw('cfs', 'DescribeMountTargets', { FileSystemId: id }, V2019)).NumberOfMountTargets, 0);
    assert.equal(
      errorCode(await h.raw('cfs', 'DeleteCfsFileSystem', { FileSystemId: id }, V2019)),
      'InvalidParameterValue.InvalidFsStatus',
    );
    await eventually(
      async () => (await fileSystems({ FileSystemId: id }))[0]?.LifeCycleState === 'available',
      'available',
    );
    const mounts = await h.raw('cfs', 'QueryMountTarget', { FileSystemId: id }, V2018);
    assert.equal(mounts.NumberOfMountTargets, 1);
    assert.equal(errorCode(await h.raw('cfs', 'DeleteCfsFileSystem', { FileSystemId: id }, V2019)), undefined);
    assert.equal((await fileSystems({ FileSystemId: id }))[0]?.LifeCycleState, 'deleting');
    await eventually(async () => (await fileSystems({ FileSystemId: id })).length === 0, 'the file system to go');
    const noVpc = await h.raw('cfs', 'CreateCfsFileSystem', { ...params, VpcId: undefined }, V2019);
    assert.equal(errorCode(noVpc), 'InvalidParameterValue.MissingVpcidOrUnvpcid');
    assert.equal(
      errorCode(await h.raw('cfs', 'CreateCfsFileSystem', { ...params, Zone: undefined }, V2019)),
      'MissingParameter',
    );
  });

  it('rules: 2018 defaults rw/no_root_squash in lower case, 2019 defaults RO/root_squash', async () => {
    const group = await h.raw('cfs', 'CreateCfsPGroup', { Name: 'versions', DescInfo: 'both' }, V2019);
    const pgroupId = group.PGroupId as string;
    const old = await h.raw(
      'cfs',
      'CreateCfsRule',
      { PGroupId: pgroupId, AuthClientIp: '10.0.0.0/24', Priority: 5 },
      V2018,
    );
    assert.equal(errorCode(old), undefined, JSON.stringify(old.Error));
    assert.equal(old.RWPermission, 'rw');
    assert.equal(old.UserPermission, 'no_root_squash');
    const current = await h.raw(
      'cfs',
      'CreateCfsRule',
      { PGroupId: pgroupId, AuthClientIp: '10.0.1.7', Priority: 1 },
      V2019,
    );
    assert.equal(current.RWPermission, 'RO');
    assert.equal(current.UserPermission, 'root_squash');
    // Both versions see both rules, in priority order, each in its own case.
    const rules2018 = (await h.raw('cfs', 'QueryCfsRule', { PGroupId: pgroupId }, V2018)).RuleList as {
      RWPermission: string;
      Priority: number;
    }[];
    assert.deepEqual(
      rules2018.map((r) => [r.Priority, r.RWPermission]),
      [
        [1, 'ro'],
        [5, 'rw'],
      ],
    );
    const rules2019 = (await h.raw('cfs', 'DescribeCfsRules', { PGroupId: pgroupId }, V2019)).RuleList as {
      RWPermission: string;
    }[];
    assert.deepEqual(
      rules2019.map((r) => r.RWPermission),
      ['RO', 'RW'],
    );
    const duplicate = await h.raw(
      'cfs',
      'CreateCfsRule',
      { PGroupId: pgroupId, AuthClientIp: '10.0.1.7', Priority: 9 },
      V2019,
    );
    assert.equal(errorCode(duplicate), 'InvalidParameterValue.DuplicatedRuleAuthClientIp');
    const badIp = await h.raw(
      'cfs',
      'CreateCfsRule',
      { PGroupId: pgroupId, AuthClientIp: '10.0.300.1', Priority: 9 },
      V2019,
    );
    assert.equal(errorCode(badIp), 'InvalidParameterValue.InvalidAuthClientIp');
    const updated = await h.raw(
      'cfs',
      'UpdateCfsRule',
      { PGroupId: pgroupId, RuleId: current.RuleId, RWPermission: 'RW' },
      V2019,
    );
    assert.equal(updated.RWPermission, 'RW');
    assert.equal(
      errorCode(await h.raw('cfs', 'DeleteCfsRule', { PGroupId: pgroupId, RuleId: current.RuleId }, V2019)),
      undefined,
    );
    assert.equal(
      errorCode(await h.raw('cfs', 'DeleteCfsRule', { PGroupId: pgroupId, RuleId: current.RuleId }, V2019)),
      'ResourceNotFound.RuleNotFound',
    );
  });

  it('a permission group in use cannot be deleted; rebinding frees it', async () => {
    const [fs] = await fileSystems();
    const inUse = fs!.PGroup.PGroupId;
    assert.equal(
      errorCode(await h.raw('cfs', 'DeleteCfsPGroup', { PGroupId: inUse }, V2019)),
      'FailedOperation.PgroupInUse',
    );
    const spare = (await h.raw('cfs', 'CreateCfsPGroup', { Name: 'spare' }, V2019)).PGroupId as string;
    assert.equal(
      errorCode(await h.raw('cfs', 'CreateCfsPGroup', { Name: 'spare' }, V2019)),
      'InvalidParameterValue.DuplicatedPgroupName',
    );
    const users = (await fileSystems()).filter((f) => f.PGroup.PGroupId === inUse);
    for (const user of users) {
      await h.raw('cfs', 'UpdateCfsFileSystemPGroup', { FileSystemId: user.FileSystemId, PGroupId: spare }, V2019);
    }
    assert.equal(errorCode(await h.raw('cfs', 'DeleteCfsPGroup', { PGroupId: inUse }, V2019)), undefined);
  });

  it('size limits: 2019 takes 0 (no limit), 2018 does not', async () => {
    const [fs] = await fileSystems();
    assert.equal(
      errorCode(
        await h.raw('cfs', 'UpdateCfsFileSystemSizeLimit', { FileSystemId: fs!.FileSystemId, FsLimit: 0 }, V2019),
      ),
      undefined,
    );
    const old = await h.raw(
      'cfs',
      'UpdateCfsFileSystemSizeLimit',
      { FileSystemId: fs!.FileSystemId, FsLimit: 0 },
      V2018,
    );
    assert.match(String(errorCode(old)), /^InvalidParameterValue/);
  });

  it('snapshot policies bind to file systems and report them', async () => {
    const created = await h.raw(
      'cfs',
      'CreateAutoSnapshotPolicy',
      { PolicyName: 'nightly', DayOfWeek: '1,3,5', Hour: '3', AliveDays: 14 },
      V2019,
    );
    const policyId = created.AutoSnapshotPolicyId as string;
    const [fs] = await fileSystems();
    await h.raw(
      'cfs',
      'BindAutoSnapshotPolicy',
      { AutoSnapshotPolicyId: policyId, FileSystemIds: fs!.FileSystemId },
      V2019,
    );
    const described = await h.raw('cfs', 'DescribeAutoSnapshotPolicies', { AutoSnapshotPolicyId: policyId }, V2019);
    const policy = (
      described.AutoSnapshotPolicies as { FileSystemNums: number; FileSystems: { FileSystemId: string }[] }[]
    )[0]!;
    assert.equal(policy.FileSystemNums, 1);
    assert.equal(policy.FileSystems[0]!.FileSystemId, fs!.FileSystemId);
    assert.equal(
      errorCode(await h.raw('cfs', 'CreateAutoSnapshotPolicy', { DayOfWeek: 'monday', Hour: '3' }, V2019)),
      'InvalidParameterValue',
    );
  });

  it('service status: none until SignUpCfsService, then creating, then created', async () => {
    await h.close();
    h = await startHarness({ seed: 'empty', timeScale: 0.02 });
    assert.equal((await h.raw('cfs', 'DescribeCfsServiceStatus', {}, V2019)).CfsServiceStatus, 'none');
    const group = (await h.raw('cfs', 'CreateCfsPGroup', { Name: 'first' }, V2019)).PGroupId;
    const refused = await h.raw(
      'cfs',
      'CreateCfsFileSystem',
      { Zone: 'ap-guangzhou-1', NetInterface: 'BASIC', PGroupId: group, FsName: 'first' },
      V2019,
    );
    assert.equal(errorCode(refused), 'UnsupportedOperation');
    assert.equal((await h.raw('cfs', 'SignUpCfsService', {}, V2019)).CfsServiceStatus, 'creating');
    await eventually(
      async () => (await h.raw('cfs', 'QueryCfsServiceStatus', {}, V2018)).CfsServiceStatus === 'created',
      'created',
    );
  });
});
