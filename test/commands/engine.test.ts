/**
 * The command pipeline end to end against the emulator: plans, the built-in policy, confirmations, approvals,
 * staleness, waiters and the audit log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TceClient } from '../../packages/core/src/api/client.ts';
import type { CommandContext, Engine, ProgressEvent } from '../../packages/core/src/commands/types.ts';
import { verifyAudit } from '../../packages/core/src/audit/log.ts';
import { loadPolicy } from '../../packages/core/src/policy/load.ts';
import type { Store } from '../../packages/core/src/store/types.ts';
import { type Cloud, expectKind, startCloud } from '../support/cloud.ts';

const alice: CommandContext = { actor: { id: 'alice' }, surface: 'console' };
const bob: CommandContext = { actor: { id: 'bob' }, surface: 'console' };

describe('command engine on the emulator', function () {
  this.timeout(60_000);
  let cloud: Cloud;
  let client: TceClient;
  let store: Store;
  let engine: Engine;
  let events: ProgressEvent[];

  async function instance(name: string) {
    const r = await client.call<{ InstanceSet: { InstanceId: string; InstanceState: string }[] }>(
      'cvm',
      'DescribeInstances',
      {
        Filters: [{ Name: 'instance-name', Values: [name] }],
      },
    );
    return r.InstanceSet.find(() => true);
  }

  async function instanceIn(state: string, exclude: string[] = []) {
    const r = await client.call<{
      InstanceSet: {
        InstanceId: string;
        InstanceName: string;
        InstanceState: string;
        Tags?: { Key: string; Value: string }[];
      }[];
    }>('cvm', 'DescribeInstances', { Filters: [{ Name: 'instance-state', Values: [state] }], Limit: 100 });
    const found = r.InstanceSet.find(
      (i) =>
        !exclude.includes(i.InstanceId) && !(i.Tags ?? []).some((t) => t.Key === 'env' && t.Value === 'production'),
    );
    assert.ok(found, `the demo seed has a non-production ${state} instance`);
    return found;
  }

  beforeEach(async () => {
    cloud = await startCloud();
    ({ client, store, engine } = cloud);
    events = [];
    engine.onProgress((e) => events.push(e));
  });
  afterEach(() => cloud.close());

  it('lists instances filtered by state, and shows one by name', async () => {
    const table = expectKind(await engine.run('cvm instances --state RUNNING --limit 100', alice), 'table');
    assert.ok(table.view.rows.length > 0);
    assert.ok(table.view.states!.every((s) => s === 'RUNNING'));
    const name = table.view.rows[0]!.name!;
    const detail = expectKind(await engine.run(['cvm', 'show', name], alice), 'detail');
    assert.equal((detail.item as { InstanceName: string }).InstanceName, name);
  });

  it('stop: asks the requester to confirm, refuses anyone else, then stops and follows it to STOPPED', async () => {
    const target = await instanceIn('RUNNING');
    const confirm = expectKind(await engine.run(`cvm stop ${target.InstanceName}`, alice), 'confirm');
    assert.equal(confirm.level, 'click');
    assert.match(confirm.plan.summary, new RegExp(`Stop 1 instance in ap-guangzhou: ${target.InstanceName}`));
    assert.equal(
      (await instance(target.InstanceName))!.InstanceState,
      'RUNNING',
      'nothing runs before the confirmation',
    );
    expectKind(await engine.confirm(confirm.planId, bob), 'error');
    const result = expectKind(await engine.confirm(confirm.planId, alice), 'result');
    assert.deepEqual(
      result.results.map((r) => [r.id, r.ok]),
      [[target.InstanceId, true]],
    );
    assert.ok(result.requestIds.length === 1);
    await engine.idle();
    assert.equal((await instance(target.InstanceName))!.InstanceState, 'STOPPED');
    assert.ok(events.some((e) => e.targetId === target.InstanceId && e.state === 'STOPPED' && e.done));
    expectKind(await engine.confirm(confirm.planId, alice), 'error'); // a confirmation runs once
  });

  it('terminate: waits for someone else’s approval, then runs exactly the approved plan', async () => {
    const target = await instanceIn('STOPPED');
    const queued = expectKind(await engine.run(`cvm terminate ${target.InstanceId}`, alice), 'approval');
    assert.equal(queued.approval.state, 'pending');
    assert.match(queued.approval.plan.summary, /This cannot be undone/);
    const own = expectKind(await engine.approve(queued.approval.id, alice), 'error');
    assert.match(own.error.message, /someone else must approve/);
    const ran = expectKind(await engine.approve(queued.approval.id, bob), 'result');
    assert.ok(ran.results.every((r) => r.ok));
    await engine.idle();
    assert.equal(await instance(target.InstanceName), undefined, 'the instance is gone');
    const [record] = await engine.listApprovals({ state: 'succeeded' });
    assert.equal(record!.id, queued.approval.id);
    expectKind(await engine.approve(queued.approval.id, bob), 'error');
  });

  it('approvals come a page at a time, with the next offset, and the total on the last page', async () => {
    const target = await instanceIn('STOPPED');
    for (let i = 0; i < 25; i++) expectKind(await engine.run(`cvm terminate ${target.InstanceId}`, alice), 'approval');
    const first = expectKind(await engine.run('approvals', alice), 'table').view;
    assert.equal(first.rows.length, 20);
    assert.equal(first.nextOffset, 20);
    const last = expectKind(await engine.run('approvals --offset 20', alice), 'table').view;
    assert.equal(last.rows.length, 5);
    assert.equal(last.total, 25);
    assert.equal(last.nextOffset, undefined);
    assert.deepEqual(new Set([...first.ids!, ...last.ids!]).size, 25, 'no request twice, none left out');
    expectKind(await engine.run('approvals --limit 0', alice), 'error');
  });

  it('an approval goes stale when its targets change before it runs', async () => {
    const target = await instanceIn('STOPPED');
    const queued = expectKind(await engine.run(`cvm terminate ${target.InstanceId}`, alice), 'approval');
    cloud.outside.add((await client.call('cvm', 'StartInstances', { InstanceIds: [target.InstanceId] })).RequestId);
    const after = expectKind(await engine.approve(queued.approval.id, bob), 'approval');
    assert.equal(after.approval.state, 'stale');
    assert.match(after.approval.reason ?? '', /state/);
    assert.ok((await instance(target.InstanceName)) !== undefined, 'nothing was terminated');
  });

  it('refuses an action the target’s state does not allow, and changes nothing', async () => {
    const target = await instanceIn('RUNNING');
    const refused = expectKind(await engine.run(`cvm start ${target.InstanceId}`, alice), 'error');
    assert.equal(refused.error.exitCode, 1);
    assert.match(refused.error.message, /start needs STOPPED/);
  });

  it('--dry-run shows the plan and the decision, and changes nothing', async () => {
    const target = await instanceIn('RUNNING');
    const dry = expectKind(await engine.run(`cvm reboot ${target.InstanceId} --dry-run`, alice), 'dry-run');
    assert.match(dry.decision, /confirm/);
    assert.equal((await engine.listApprovals()).length, 0);
    assert.equal((await instance(target.InstanceName))!.InstanceState, 'RUNNING');
  });

  it('names a migration job plan once: "Start 1 migration job in …", not "Start migration job 1 migration job"', async () => {
    const jobs = await client.call<{ MigrationJobs: { JobId: string; Status: string }[] }>(
      'csm',
      'DescribeMigrationJobs',
      {
        Limit: 50,
      },
    );
    const job = jobs.MigrationJobs.find((j) => ['PENDING', 'FAILED', 'STOPPED'].includes(j.Status));
    assert.ok(job, 'a startable migration job in the seed');
    const dry = expectKind(await engine.run(`csm start ${job.JobId} --dry-run`, alice), 'dry-run');
    assert.match(dry.plan.summary, /^Start 1 migration job in [a-z-]+: /);
    assert.doesNotMatch(dry.plan.summary, /migration job \d+ migration job/);
  });

  it('--yes answers a confirmation but never replaces an approval', async () => {
    const running = await instanceIn('RUNNING');
    const stopped = expectKind(await engine.run(`cvm stop ${running.InstanceId} --yes`, alice), 'result');
    assert.ok(stopped.results[0]!.ok);
    const other = await instanceIn('STOPPED', [running.InstanceId]);
    expectKind(await engine.run(`cvm terminate ${other.InstanceId} --yes`, alice), 'approval');
  });

  it('a typed confirmation needs exactly the IDs', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tceops-policy-')), 'policy.yaml');
    writeFileSync(
      file,
      'version: 1\nrules:\n  - name: terminate-by-typing\n    match: { risk: [destructive] }\n    confirm: typed\n',
    );
    const typed = cloud.open(loadPolicy(file));
    try {
      const target = await instanceIn('STOPPED');
      const ask = expectKind(await typed.run(`cvm terminate ${target.InstanceId}`, alice), 'confirm');
      assert.equal(ask.level, 'typed');
      assert.equal(ask.expected, target.InstanceId);
      expectKind(await typed.confirm(ask.planId, alice, { typed: 'ins-00000000' }), 'error');
      expectKind(await typed.confirm(ask.planId, alice, { typed: target.InstanceId }), 'result');
      await typed.idle();
    } finally {
      await typed.close();
    }
  });

  it('reset password: the password is asked for privately and never lands in the plan or the audit log', async () => {
    const target = await instanceIn('STOPPED');
    const secret = expectKind(await engine.run(`cvm reset-password ${target.InstanceId}`, alice), 'secret');
    assert.equal(secret.field, 'Password');
    const result = expectKind(await engine.confirm(secret.planId, alice, { password: 'Sup3r-Secret!pw' }), 'result');
    assert.ok(result.results[0]!.ok, JSON.stringify(result.results));
    const lines = await store.readAuditLines();
    assert.ok(lines.length > 0);
    assert.ok(!lines.some((l) => l.text.includes('Sup3r-Secret!pw')));
  });

  it('records every step in a hash chain that verifies', async () => {
    const target = await instanceIn('RUNNING');
    await engine.run(`cvm stop ${target.InstanceId} --yes`, alice);
    await engine.run('cvm instances', alice);
    const verification = await verifyAudit(store);
    assert.ok(verification.ok, JSON.stringify(verification.problems));
    const kinds = new Set((await store.readAuditLines()).map((l) => JSON.parse(l.text).kind));
    for (const kind of ['request', 'decision', 'execution', 'result']) assert.ok(kinds.has(kind), kind);
  });
});
