/**
 * CFS and CSM through the real engine against the emulator: a file system created and followed to available, its
 * size limit, its mount targets, snapshot policies bound and unbound, and migration source servers listed
 * without their session tokens.
 */
import assert from 'node:assert/strict';
import type { TceClient } from '../../packages/core/src/api/client.ts';
import type { CommandContext, Engine } from '../../packages/core/src/commands/types.ts';
import { type Cloud, expectKind, startCloud } from '../support/cloud.ts';

const alice: CommandContext = { actor: { id: 'alice' }, surface: 'console' };
const V2019 = { version: '2019-07-19' };

describe('storage and migration commands on the emulator', function () {
  this.timeout(60_000);
  let cloud: Cloud;
  let client: TceClient;
  let engine: Engine;

  // As before, this suite checks what it shows, not the audit log.
  beforeEach(async () => {
    cloud = await startCloud({ audited: false });
    ({ client, engine } = cloud);
  });
  afterEach(() => cloud.close());

  async function pgroup(): Promise<string> {
    const r = await client.call<{ PGroupList: { PGroupId: string }[] }>('cfs', 'DescribeCfsPGroups', {}, V2019);
    return r.PGroupList[0]!.PGroupId;
  }

  async function fileSystem(id: string) {
    const r = await client.call<{ FileSystems: { LifeCycleState: string; SizeLimit?: number }[] }>(
      'cfs',
      'DescribeCfsFileSystems',
      { FileSystemId: id },
      V2019,
    );
    return r.FileSystems[0];
  }

  it('cfs create: the plan says why there is no price; confirmed, the new file system is followed to available', async () => {
    const group = await pgroup();
    const ask = expectKind(
      await engine.run(
        `cfs create --zone ap-guangzhou-3 --pgroup ${group} --name lc-share --vpc vpc-gz7k2m1q --subnet subnet-gz4d8e2a`,
        alice,
      ),
      'confirm',
    );
    assert.match(ask.plan.price!.unavailable!, /no price inquiry/);
    assert.match(ask.plan.summary, /^Create file system "lc-share" in ap-guangzhou: NFS, SD/);
    const done = expectKind(await engine.confirm(ask.planId, alice), 'result');
    const id = done.results[0]!.id;
    assert.match(id, /^cfs-/);
    await engine.idle();
    assert.equal((await fileSystem(id))!.LifeCycleState, 'available');
    const mounts = expectKind(await engine.run(`cfs mount-targets ${id}`, alice), 'table');
    assert.equal(mounts.view.rows.length, 1);
    assert.match(mounts.view.rows[0]!.mount!, /^10\.\d+\.\d+\.\d+:\/ \(NFSv4\), .*:\/[a-z0-9]+ \(NFSv3\)$/);
  });

  it('cfs create refuses what it cannot do before anything is sent: a size limit, no network, a bad group', async () => {
    for (const text of [
      'cfs create --zone ap-guangzhou-3 --pgroup pgroup-abcd1234 --name x --basic --size-limit 100',
      'cfs create --zone ap-guangzhou-3 --pgroup pgroup-abcd1234 --name x',
      'cfs create --zone ap-guangzhou-3 --pgroup group-1 --name x --basic',
      'cfs create --zone ap-guangzhou-3 --pgroup pgroup-abcd1234 --name x --basic --vpc vpc-gz7k2m1q',
      'cfs resize cfs-abcd1234 --limit -1',
    ]) {
      const refused = expectKind(await engine.run(text, alice), 'error');
      assert.equal(refused.error.exitCode, 2, `${text}: ${refused.error.message}`);
    }
  });

  it('cfs resize sets the size limit; snapshot policies are listed, bound and unbound one file system per call', async () => {
    const fss = await client.call<{
      FileSystems: { FileSystemId: string; Tags?: { TagKey: string; TagValue: string }[] }[];
    }>('cfs', 'DescribeCfsFileSystems', {}, V2019);
    const id = fss.FileSystems.find((f) => !(f.Tags ?? []).some((t) => t.TagValue === 'production'))?.FileSystemId;
    assert.ok(id, 'the seed has a non-production file system');
    expectKind(await engine.run(`cfs resize ${id} --limit 500 --yes`, alice), 'result');
    const created = await client.call<{ AutoSnapshotPolicyId: string }>(
      'cfs',
      'CreateAutoSnapshotPolicy',
      { PolicyName: 'nightly', DayOfWeek: '1,3,5', Hour: '2', AliveDays: 7 },
      V2019,
    );
    const policy = created.AutoSnapshotPolicyId;
    const list = expectKind(await engine.run('cfs snapshot-policies', alice), 'table');
    const row = list.view.rows.find((r) => r.id === policy)!;
    assert.deepEqual([row.days, row.keep], ['Mon,Wed,Fri', '7']);
    const bound = expectKind(await engine.run(`cfs snapshot-policy bind ${policy} ${id} --yes`, alice), 'result');
    assert.deepEqual(
      bound.results.map((r) => [r.id, r.ok]),
      [[id, true]],
    );
    const after = expectKind(await engine.run('cfs snapshot-policies', alice), 'table');
    assert.equal(after.view.rows.find((r) => r.id === policy)!.filesystems, '1');
    expectKind(await engine.run(`cfs snapshot-policy unbind ${policy} ${id} --yes`, alice), 'result');
    const bad = expectKind(await engine.run(`cfs snapshot-policy bind nightly ${id}`, alice), 'error');
    assert.equal(bad.error.exitCode, 2);
  });

  it('csm servers: listed with their state; a session token never reaches the view', async () => {
    const out = expectKind(await engine.run('csm servers', alice), 'table');
    assert.ok(out.view.rows.length > 0);
    assert.ok(out.view.items.every((i) => !('SessionToken' in i)));
    const online = expectKind(await engine.run('csm servers --status online', alice), 'table');
    assert.ok(online.view.states!.every((s) => s === 'ONLINE'));
  });
});
