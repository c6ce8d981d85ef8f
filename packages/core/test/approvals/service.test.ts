import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, InputError, RefusedError, TransportError } from '../../src/api/errors.ts';
import {
  approveRequest,
  cancelRequest,
  denyRequest,
  executeApproved,
  expireRequests,
  reconcile,
  requestApproval,
  updateApproval,
  waitingFor,
} from '../../src/approvals/service.ts';
import type { ApprovalRecord } from '../../src/approvals/types.ts';
import { readAudit, verifyAudit } from '../../src/audit/log.ts';
import type { Plan } from '../../src/plan/types.ts';
import { FileStore } from '../../src/store/file.ts';
import { cvmPlan, instance } from '../plan/fixtures.ts';
import { approvalDecision, sreApprovals, terminatePlan } from './fixtures.ts';

describe('approvals/service', () => {
  let dir: string;
  let store: FileStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-approvals-'));
    store = await FileStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function approved(plan: Plan = terminatePlan()): Promise<ApprovalRecord> {
    const r = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'slack',
      channel: 'C0OPS',
    });
    return approveRequest(store, r.id, { actor: 'bob', surface: 'slack' });
  }

  it('request → refused self-approval → approval by another → run once → succeeded, every step audited', async () => {
    const plan = terminatePlan(['ins-00000001', 'ins-00000002']);
    const r = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'slack',
      channel: 'C0OPS',
    });
    await assert.rejects(approveRequest(store, r.id, { actor: 'alice', surface: 'slack' }), /you asked for it/);
    assert.equal((await store.getApproval(r.id))!.state, 'pending');
    const ok = await approveRequest(store, r.id, { actor: { id: 'U0BOB', name: 'bob' }, surface: 'slack' });
    assert.equal(ok.state, 'approved');
    let ran: Plan | undefined;
    const out = await executeApproved(store, r.id, {
      actor: 'U0BOB',
      surface: 'slack',
      replan: async (p) => p,
      run: async (p) => {
        ran = p;
        return { ok: true, requestIds: ['req-a'], targets: [{ id: 'ins-00000001', ok: true, requestId: 'req-a' }] };
      },
    });
    assert.equal(out.outcome, 'ran');
    assert.equal(ran?.hash, plan.hash);
    assert.equal(out.record.state, 'succeeded');
    assert.deepEqual(out.record.result?.requestIds, ['req-a']);
    const again = await executeApproved(store, r.id, {
      replan: async (p) => p,
      run: async () => assert.fail('ran twice'),
    });
    assert.equal(again.outcome, 'not-run');

    const trail = await readAudit(store, { approvalId: r.id });
    assert.deepEqual(
      trail.map((t) => `${t.kind}:${t.event}:${t.actor}`),
      ['request:request:alice', 'approval:approve:U0BOB', 'execution:start:U0BOB', 'result:finish:U0BOB'],
    );
    assert.ok(trail.every((t) => t.planHash === plan.hash && t.command === plan.command));
    assert.deepEqual(trail.at(-1)!.requestIds, ['req-a']);
    assert.equal((await verifyAudit(store)).ok, true);
  });

  it('a re-plan that differs makes it stale and runs nothing — not the old plan, not the new', async () => {
    const r = await approved();
    const out = await executeApproved(store, r.id, {
      replan: async () =>
        cvmPlan('Terminate', [instance('ins-00000001', { state: 'STOPPED', tags: { env: 'production' } })]),
      run: async () => assert.fail('must not run'),
    });
    assert.equal(out.outcome, 'stale');
    assert.equal(out.record.state, 'stale');
    assert.match(out.record.reason!, /ins-00000001 state RUNNING → STOPPED; ins-00000001 tags changed\); ask again/);
    const stale = await readAudit(store, { approvalId: r.id, kind: 'approval' });
    assert.equal(stale.at(-1)!.event, 'stale');
  });

  it('a target gone at re-plan (refused input) is stale; an unreachable cloud leaves it approved', async () => {
    const r = await approved();
    const unreached = await executeApproved(store, r.id, {
      replan: async () => {
        throw new TransportError('connect ECONNREFUSED', 'cvm', 'DescribeInstances');
      },
      run: async () => assert.fail('must not run'),
    });
    assert.equal(unreached.outcome, 'unreached');
    assert.match((unreached as { error: string }).error, /ECONNREFUSED[\s\S]*nothing reached the cloud/);
    assert.equal((await store.getApproval(r.id))!.state, 'approved');
    const out = await executeApproved(store, r.id, {
      replan: async () => {
        throw new InputError('instance ins-00000001 not found in ap-guangzhou', 'InvalidInstanceId.NotFound');
      },
      run: async () => assert.fail('must not run'),
    });
    assert.equal(out.outcome, 'stale');
    assert.match(out.record.reason!, /not found in ap-guangzhou/);
  });

  it('an approved request that cannot run on its last attempt fails with the reason, and nothing runs', async () => {
    const r = await approved();
    const out = await executeApproved(store, r.id, {
      replan: async () => {
        throw new TransportError('connect ECONNREFUSED', 'cvm', 'DescribeInstances');
      },
      run: async () => assert.fail('must not run'),
      lastAttempt: true,
    });
    assert.equal(out.outcome, 'failed');
    assert.equal(out.record.state, 'failed');
    assert.match(out.record.reason!, /ECONNREFUSED.*nothing reached the cloud/);
    const trail = await readAudit(store, { approvalId: r.id });
    assert.equal(trail.at(-1)!.result, 'failed');
  });

  it('a stored plan altered after approval is never run', async () => {
    const r = await approved();
    await updateApproval(store, r.id, (cur) => ({
      ...cur,
      version: cur.version + 1,
      plan: { ...cur.plan, calls: [{ ...cur.plan.calls[0]!, params: { InstanceIds: ['ins-99999999'] } }] },
    }));
    const out = await executeApproved(store, r.id, {
      replan: async (p) => p,
      run: async () => assert.fail('must not run'),
    });
    assert.equal(out.outcome, 'stale');
    assert.match(out.record.reason!, /stored plan does not match its hash/);
  });

  it('a failing run is recorded as failed with the RequestId', async () => {
    const r = await approved();
    const out = await executeApproved(store, r.id, {
      replan: async (p) => p,
      run: async () => {
        throw new ApiError('OperationDenied.InstanceOperationInProgress', 'busy', 'req-x', 'cvm', 'TerminateInstances');
      },
    });
    assert.equal(out.record.state, 'failed');
    assert.deepEqual(out.record.result?.requestIds, ['req-x']);
    assert.match(out.record.reason!, /OperationDenied\.InstanceOperationInProgress/);
  });

  it('pending or approved past the ttl expires, and cannot be approved or run', async () => {
    const plan = terminatePlan();
    const t0 = new Date('2026-05-01T10:00:00Z');
    const r = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan, sreApprovals(2)),
      requester: 'alice',
      surface: 'slack',
      now: t0,
    });
    const late = new Date(t0.getTime() + 31 * 60_000);
    await assert.rejects(
      approveRequest(store, r.id, { actor: 'sre1', surface: 'slack' }, late),
      (e: unknown) => e instanceof RefusedError && e.code === 'ApprovalExpired',
    );
    assert.equal((await store.getApproval(r.id))!.state, 'expired');
    assert.equal((await store.getApproval(r.id))!.reason, 'not approved within 30m');

    const r2 = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'slack',
      now: t0,
    });
    await approveRequest(store, r2.id, { actor: 'bob', surface: 'slack' }, new Date(t0.getTime() + 60_000));
    const out = await executeApproved(store, r2.id, {
      replan: async (p) => p,
      run: async () => assert.fail('must not run'),
      now: () => new Date(t0.getTime() + 2 * 3_600_000),
    });
    assert.equal(out.outcome, 'expired');
    assert.equal(out.record.reason, 'not run within 1h');
  });

  it('expireRequests sweeps only what is due', async () => {
    const plan = terminatePlan();
    const t0 = new Date('2026-05-01T10:00:00Z');
    const due = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'cli',
      now: t0,
    });
    const fresh = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'cli',
      now: new Date(t0.getTime() + 50 * 60_000),
    });
    const swept = await expireRequests(store, new Date(t0.getTime() + 61 * 60_000));
    assert.deepEqual(
      swept.map((s) => s.id),
      [due.id],
    );
    assert.equal((await store.getApproval(fresh.id))!.state, 'pending');
    assert.equal((await readAudit(store, { approvalId: due.id })).at(-1)!.actor, 'tceops');
  });

  it('deny and cancel close the request; waitingFor lists what each person may decide', async () => {
    const policy = sreApprovals(2);
    const plan = terminatePlan();
    const a = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan, policy),
      requester: 'alice',
      surface: 'slack',
    });
    const b = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan, policy),
      requester: 'sre1',
      surface: 'slack',
    });
    assert.deepEqual(
      (await waitingFor(store, 'alice')).map((r) => r.id),
      [b.id],
    );
    assert.deepEqual(
      (await waitingFor(store, 'mallory')).map((r) => r.id),
      [],
    );
    await approveRequest(store, a.id, { actor: 'sre2', surface: 'slack' });
    assert.deepEqual((await waitingFor(store, 'sre2')).map((r) => r.id).sort(), [b.id]);
    const denied = await denyRequest(store, a.id, { actor: 'sre3', surface: 'slack' }, 'freeze');
    assert.equal(denied.state, 'denied');
    await assert.rejects(cancelRequest(store, b.id, { actor: 'alice', surface: 'cli' }), /only the requester/);
    assert.equal((await cancelRequest(store, b.id, { actor: 'sre1', surface: 'cli' })).state, 'cancelled');
    assert.deepEqual(await waitingFor(store, 'alice'), []);
  });

  it('a long run renews its claim, so a reconcile meanwhile leaves it alone', async () => {
    const r = await approved();
    let during: ApprovalRecord[] | undefined;
    let leaseSeen: string | undefined;
    const out = await executeApproved(store, r.id, {
      leaseMs: 60,
      replan: async (p) => p,
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        // Past three lease lengths: without renewal the lease would have lapsed, and a lapsed lease is all
        // reconcile needs to settle a run (the owner is reported alive here, so only the lease is tested).
        during = await reconcile(store, {
          inspectTargets: async () => assert.fail('must not inspect'),
          ownerAlive: () => true,
        });
        leaseSeen = (await store.getApproval(r.id))!.lease?.until;
        return { ok: true, requestIds: ['req-long'] };
      },
    });
    assert.deepEqual(during, []);
    assert.ok(leaseSeen && Date.parse(leaseSeen) > Date.parse(r.updatedAt) + 150, `lease ${leaseSeen}`);
    assert.equal(out.record.state, 'succeeded');
  });

  describe('reconcile after a crash', () => {
    async function stuck(owner: { host: string; pid: number; untilMs: number }): Promise<ApprovalRecord> {
      const r = await approved();
      const { record } = await updateApproval(store, r.id, (cur) => ({
        ...cur,
        version: cur.version + 1,
        state: 'executing',
        lease: {
          owner: 'crashed',
          host: owner.host,
          pid: owner.pid,
          until: new Date(Date.now() + owner.untilMs).toISOString(),
        },
      }));
      return record;
    }

    it('settles from the targets when the owner is gone, and never runs anything', async () => {
      const gone = await stuck({ host: hostname(), pid: 2 ** 22 + 12345, untilMs: 60_000 });
      const settled = await reconcile(store, {
        inspectTargets: async () => ({ outcome: 'succeeded', detail: 'ins-00000001 gone' }),
      });
      assert.deepEqual(
        settled.map((s) => s.id),
        [gone.id],
      );
      const after = (await store.getApproval(gone.id))!;
      assert.equal(after.state, 'succeeded');
      const last = (await readAudit(store, { approvalId: gone.id })).at(-1)!;
      assert.equal(last.event, 'reconcile');
      assert.match(last.detail!, /reconciled after a restart: ins-00000001 gone/);
    });

    it('an unknown outcome becomes failed with a reason to check the targets', async () => {
      const gone = await stuck({ host: 'elsewhere', pid: 1, untilMs: -1_000 });
      await reconcile(store, {
        inspectTargets: async () => {
          throw new TransportError('timeout', 'cvm', 'DescribeInstances');
        },
      });
      const after = (await store.getApproval(gone.id))!;
      assert.equal(after.state, 'failed');
      assert.match(
        after.reason!,
        /stopped renewing its claim .* the outcome is unknown: the targets could not be inspected: cvm:DescribeInstances: timeout\. Check the targets/,
      );
    });

    it('leaves a run whose owner lives and whose lease holds', async () => {
      const live = await stuck({ host: hostname(), pid: process.pid, untilMs: 60_000 });
      const settled = await reconcile(store, { inspectTargets: async () => assert.fail('must not inspect') });
      assert.deepEqual(settled, []);
      assert.equal((await store.getApproval(live.id))!.state, 'executing');
    });
  });
});
