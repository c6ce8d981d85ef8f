import assert from 'node:assert/strict';
import { RefusedError } from '../../src/api/errors.ts';
import {
  canTransition,
  isExpired,
  newApproval,
  newApprovalId,
  transition,
  withApproval,
  withCancel,
  withDenial,
  withExecuting,
  withExpiry,
  withResult,
} from '../../src/approvals/machine.ts';
import type { ApprovalRecord, ApprovalState } from '../../src/approvals/types.ts';
import { buildPlan } from '../../src/plan/summary.ts';
import { approvalDecision, sreApprovals, terminatePlan } from './fixtures.ts';

const T0 = new Date('2026-05-01T10:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

function request(policy = sreApprovals(2)): ApprovalRecord {
  const plan = terminatePlan();
  return newApproval({
    plan,
    decision: approvalDecision(plan, policy),
    requester: { id: 'U0ALICE', name: 'alice' },
    surface: 'slack',
    channel: 'C0OPS',
    now: T0,
  });
}

function refused(code: string, pattern?: RegExp) {
  return (e: unknown) => e instanceof RefusedError && e.code === code && (!pattern || pattern.test(e.message));
}

describe('approvals/machine', () => {
  it('a new request is pending at version 1 with the policy\u2019s terms', () => {
    const r = request();
    assert.equal(r.state, 'pending');
    assert.equal(r.version, 1);
    assert.equal(r.needed, 2);
    assert.deepEqual(r.approverRoles, ['sre']);
    assert.equal(r.expiresAt, '2026-05-01T10:30:00.000Z');
    assert.match(r.id, /^apr-[a-z2-9]{8}$/);
    assert.notEqual(newApprovalId(), newApprovalId());
  });

  it('refuses a plan carrying a secret, an altered plan, or a decision that is not approve', () => {
    const plan = terminatePlan();
    const decision = approvalDecision(plan);
    const withPassword = buildPlan({
      ...plan,
      calls: [
        { ...plan.calls[0]!, params: { InstanceIds: ['ins-00000001'], LoginSettings: { Password: 'Hunter2!x' } } },
      ],
    });
    assert.throws(
      () => newApproval({ plan: withPassword, decision, requester: 'alice', surface: 'cli' }),
      /carries Password; secrets are never stored/,
    );
    const altered = { ...plan, calls: [{ ...plan.calls[0]!, params: { InstanceIds: ['ins-99999999'] } }] };
    assert.throws(
      () => newApproval({ plan: altered, decision, requester: 'alice', surface: 'cli' }),
      refused('PlanChanged'),
    );
    assert.throws(
      () =>
        newApproval({ plan, decision: { ...decision, kind: 'allow' } as never, requester: 'alice', surface: 'cli' }),
      /nothing to ask approval for/,
    );
  });

  it('the requester cannot approve their own request, in any form of their ID', () => {
    const r = request();
    for (const variant of ['U0ALICE', 'u0alice', '\uff35\uff10\uff21\uff2c\uff29\uff23\uff25' /* fullwidth */]) {
      assert.throws(() => withApproval(r, variant, later(1)), refused('UnauthorizedOperation', /you asked for it/));
    }
    // Spaces, zero-width and control characters make no second person: they are refused as identities.
    for (const variant of [' U0ALICE', 'U0ALICE ', 'U0\u200bALICE', 'U0ALICE\u200d', '\ufeffU0ALICE', 'U0ALICE\n']) {
      assert.throws(() => withApproval(r, variant, later(1)), /refused actor/);
    }
  });

  it('a name decides nothing: a user named like a role member is not one', () => {
    const r = { ...request(), requester: { id: 'U0BOB' } };
    // The policy lists "alice" and sre1..12 as names; a Slack user who calls themselves "sre1" is still UMALLORY.
    assert.throws(
      () => withApproval(r, { id: 'UMALLORY', name: 'sre1' }, later(1)),
      refused('UnauthorizedOperation', /only sre may decide/),
    );
    // …and a user named like the requester is not the requester either (cancel is refused).
    assert.throws(() => withCancel(r, { id: 'UMALLORY', name: 'U0BOB' }, later(1)), refused('UnauthorizedOperation'));
  });

  it('unless the rule allows it', () => {
    const r = { ...request(sreApprovals(1, true)), requester: { id: 'alice' } };
    assert.equal(withApproval(r, { id: 'Alice' }, later(1)).state, 'approved');
  });

  it('only eligible people approve; each counts once; N distinct approvals approve', () => {
    const r = request();
    assert.throws(() => withApproval(r, 'mallory', later(1)), refused('UnauthorizedOperation', /only sre may decide/));
    const one = withApproval(r, 'sre1', later(1), 'slack');
    assert.equal(one.state, 'pending');
    assert.equal(one.version, 2);
    assert.throws(() => withApproval(one, 'SRE1', later(2)), refused('AlreadyApproved', /needs 1 more/));
    const two = withApproval(one, 'sre2', later(2));
    assert.equal(two.state, 'approved');
    assert.deepEqual(
      two.approvals.map((a) => a.by),
      ['sre1', 'sre2'],
    );
    assert.throws(
      () => withApproval(two, 'sre3', later(3)),
      refused('ApprovalClosed', /already approved by sre1, sre2/),
    );
  });

  it('anyone but the requester approves under the built-in policy', () => {
    const plan = terminatePlan();
    const r = newApproval({ plan, decision: approvalDecision(plan), requester: 'alice', surface: 'cli', now: T0 });
    assert.equal(withApproval(r, { id: 'U0BOB', groups: [] }, later(1)).state, 'approved');
  });

  it('deny: an approver closes it with a reason; the requester must cancel instead', () => {
    const r = request();
    assert.throws(() => withDenial(r, 'U0ALICE', later(1)), /cancel it instead/);
    assert.throws(() => withDenial(r, 'mallory', later(1)), /only sre may decide/);
    const denied = withDenial(r, 'sre4', later(1), ' not during the freeze ');
    assert.equal(denied.state, 'denied');
    assert.equal(denied.reason, 'denied by sre4: not during the freeze');
    assert.throws(() => withApproval(denied, 'sre1', later(2)), refused('ApprovalClosed', /it is denied/));
  });

  it('cancel: only the requester, and not once it runs', () => {
    const r = request();
    assert.throws(() => withCancel(r, 'sre1', later(1)), /only the requester/);
    assert.equal(withCancel(r, { id: 'U0ALICE' }, later(1)).state, 'cancelled');
    const running = withExecuting(
      withApproval(withApproval(r, 'sre1', later(1)), 'sre2', later(2)),
      { owner: 'x', host: 'h', pid: 1, until: later(60_000).toISOString() },
      later(3),
    );
    assert.throws(
      () => withCancel(running, 'U0ALICE', later(4)),
      refused('InvalidApprovalState', /executing; it cannot become cancelled/),
    );
  });

  it('expires after its ttl, and cannot be approved then', () => {
    const r = request();
    assert.equal(isExpired(r, later(30 * 60_000 - 1)), false);
    assert.equal(isExpired(r, later(30 * 60_000)), true);
    assert.throws(() => withApproval(r, 'sre1', later(30 * 60_000)), refused('ApprovalExpired'));
    assert.throws(() => withExpiry(r, later(1)), /does not expire until/);
    const expired = withExpiry(r, later(31 * 60_000));
    assert.equal(expired.state, 'expired');
    assert.equal(expired.reason, 'not approved within 30m');
  });

  it('a result ends an execution as succeeded or failed', () => {
    const approved = withApproval(withApproval(request(), 'sre1', later(1)), 'sre2', later(2));
    const running = withExecuting(
      approved,
      { owner: 'x', host: 'h', pid: 1, until: later(60_000).toISOString() },
      later(3),
    );
    assert.equal(withResult(running, { ok: true, requestIds: ['r1'] }, later(4)).state, 'succeeded');
    const failed = withResult(running, { ok: false, requestIds: ['r2'], error: 'InvalidInstanceState' }, later(4));
    assert.equal(failed.state, 'failed');
    assert.equal(failed.reason, 'InvalidInstanceState');
  });

  it('every transition outside the machine is refused', () => {
    const states: ApprovalState[] = [
      'pending',
      'approved',
      'executing',
      'succeeded',
      'failed',
      'denied',
      'expired',
      'cancelled',
      'stale',
    ];
    const legal = new Set([
      'pending>pending',
      'pending>approved',
      'pending>denied',
      'pending>expired',
      'pending>cancelled',
      'pending>stale',
      'approved>executing',
      'approved>expired',
      'approved>cancelled',
      'approved>stale',
      'approved>failed',
      'executing>executing',
      'executing>succeeded',
      'executing>failed',
    ]);
    let refusedCount = 0;
    for (const from of states) {
      for (const to of states) {
        const r = { ...request(), state: from };
        const ok = legal.has(`${from}>${to}`);
        assert.equal(canTransition(from, to), ok, `${from} → ${to}`);
        if (ok) assert.equal(transition(r, to, {}, later(1)).state, to);
        else {
          assert.throws(() => transition(r, to, {}, later(1)), refused('InvalidApprovalState'));
          refusedCount++;
        }
      }
    }
    assert.equal(refusedCount, states.length * states.length - legal.size);
  });
});
