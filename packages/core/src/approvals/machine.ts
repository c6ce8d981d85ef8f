/**
 * The approval state machine, as pure functions from a record to its next version. Each checks who may do what
 * and refuses with a RefusedError that says why; an illegal transition is refused the same way, so a bug can
 * never move a request somewhere it should not be.
 *
 *   pending ──approve×N──▶ approved ──CAS──▶ executing ──▶ succeeded | failed
 *      │                      │
 *      ├─▶ denied             ├─▶ expired (ttl), cancelled (requester), stale (the world changed),
 *      │                      │   failed (could not be run; nothing reached the cloud)
 *      └─▶ expired, cancelled, stale
 */
import { randomBytes } from 'node:crypto';
import { RefusedError } from '../api/errors.ts';
import { planHashHolds } from '../plan/hash.ts';
import type { Plan } from '../plan/types.ts';
import { isMember, samePerson, toPrincipal } from '../policy/roles.ts';
import type { Decision, Principal, Surface } from '../policy/types.ts';
import type { ApprovalRecord, ApprovalState, ExecutionResult, Lease } from './types.ts';
import { TERMINAL_STATES } from './types.ts';

const NEXT: Record<ApprovalState, readonly ApprovalState[]> = {
  pending: ['pending', 'approved', 'denied', 'expired', 'cancelled', 'stale'],
  // approved → failed: it could not be run (the cloud unreachable twice) and nothing reached the cloud.
  approved: ['executing', 'expired', 'cancelled', 'stale', 'failed'],
  executing: ['executing', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
  denied: [],
  expired: [],
  cancelled: [],
  stale: [],
};

export function canTransition(from: ApprovalState, to: ApprovalState): boolean {
  return NEXT[from].includes(to);
}

export function isTerminal(state: ApprovalState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** The next version of a record, in state `to`; refuses a transition the machine does not have. */
export function transition(
  record: ApprovalRecord,
  to: ApprovalState,
  patch: Partial<ApprovalRecord>,
  now: Date,
): ApprovalRecord {
  if (!canTransition(record.state, to)) {
    throw new RefusedError(
      `approval ${record.id} is ${record.state}${record.reason ? ` (${record.reason})` : ''}; it cannot become ${to}`,
      'InvalidApprovalState',
    );
  }
  return { ...record, ...patch, state: to, version: record.version + 1, updatedAt: now.toISOString() };
}

// Letters and digits that cannot be misread for each other (no 0/o, 1/l/i).
const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newApprovalId(): string {
  const bytes = randomBytes(8);
  return `apr-${[...bytes].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
}

/** Parameters that carry secrets: never stored in a request, collected from the requester at execution. */
const SECRET_PARAM = /password|secret|token|privatekey/i;

function secretParams(plan: Plan): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key: string) => {
    if (SECRET_PARAM.test(key) && value !== undefined && value !== null && value !== '') found.add(key);
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? key : k);
  };
  for (const call of plan.calls) walk(call.params, '');
  return [...found];
}

export interface NewApproval {
  plan: Plan;
  decision: Decision;
  requester: string | Principal;
  surface: Surface;
  channel?: string;
  now?: Date;
  id?: string;
}

export function newApproval(input: NewApproval): ApprovalRecord {
  const { plan, decision } = input;
  if (decision.kind !== 'approve')
    throw new RefusedError(
      `the policy decided ${decision.kind}, not approve: there is nothing to ask approval for`,
      'InvalidApprovalState',
    );
  if (!planHashHolds(plan)) throw new RefusedError('the plan does not match its hash; build it again', 'PlanChanged');
  const secrets = secretParams(plan);
  if (secrets.length) {
    throw new RefusedError(
      `the plan carries ${secrets.join(', ')}; secrets are never stored in an approval request`,
      'InvalidParameter',
      'leave the secret out of the plan and collect it from the requester when the approved plan runs',
    );
  }
  const now = input.now ?? new Date();
  return {
    id: input.id ?? newApprovalId(),
    version: 1,
    state: 'pending',
    plan,
    requester: toPrincipal(input.requester),
    surface: input.surface,
    ...(input.channel ? { channel: input.channel } : {}),
    rule: decision.rule,
    needed: decision.count,
    approverRoles: decision.approvers,
    eligible: decision.eligible,
    selfApproval: decision.selfApproval,
    ttl: decision.ttl,
    approvals: [],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + decision.ttlMs).toISOString(),
    meta: {},
  };
}

export function isExpired(record: ApprovalRecord, now: Date): boolean {
  return (record.state === 'pending' || record.state === 'approved') && now.getTime() >= Date.parse(record.expiresAt);
}

function who(p: Principal): string {
  return p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id;
}

/** Why this actor may not decide on this request, or undefined when they may. */
export function approvalRefusal(record: ApprovalRecord, actor: string | Principal): string | undefined {
  const principal = toPrincipal(actor);
  if (!record.selfApproval && samePerson(principal, record.requester))
    return 'you asked for it; someone else must approve';
  if (!isMember(record.eligible, principal)) {
    const roles = record.approverRoles.length ? record.approverRoles.join(' or ') : 'the approvers';
    return `only ${roles} may decide (${record.eligible.join(', ')})`;
  }
  return undefined;
}

function refuseUnlessOpen(record: ApprovalRecord, now: Date): void {
  if (isExpired(record, now))
    throw new RefusedError(`approval ${record.id} expired at ${record.expiresAt}`, 'ApprovalExpired');
  if (record.state !== 'pending') {
    const detail =
      record.state === 'approved' || record.state === 'executing' || record.state === 'succeeded'
        ? `already approved by ${record.approvals.map((a) => a.name ?? a.by).join(', ')}`
        : `it is ${record.state}${record.reason ? `: ${record.reason}` : ''}`;
    throw new RefusedError(`approval ${record.id} is closed: ${detail}`, 'ApprovalClosed');
  }
}

/** One more approval; the request becomes approved when it has as many distinct approvers as it needs. */
export function withApproval(
  record: ApprovalRecord,
  actor: string | Principal,
  now: Date,
  surface?: Surface,
): ApprovalRecord {
  refuseUnlessOpen(record, now);
  const principal = toPrincipal(actor);
  const refusal = approvalRefusal(record, principal);
  if (refusal)
    throw new RefusedError(`${who(principal)} cannot approve ${record.id}: ${refusal}`, 'UnauthorizedOperation');
  if (record.approvals.some((a) => samePerson({ id: a.by, org: a.org }, principal))) {
    throw new RefusedError(
      `${who(principal)} already approved ${record.id}; it needs ${record.needed - record.approvals.length} more from someone else`,
      'AlreadyApproved',
    );
  }
  const approvals = [
    ...record.approvals,
    {
      by: principal.id,
      ...(principal.name ? { name: principal.name } : {}),
      ...(principal.org ? { org: principal.org } : {}),
      at: now.toISOString(),
      ...(surface ? { surface } : {}),
    },
  ];
  return transition(record, approvals.length >= record.needed ? 'approved' : 'pending', { approvals }, now);
}

export function withDenial(
  record: ApprovalRecord,
  actor: string | Principal,
  now: Date,
  reason?: string,
): ApprovalRecord {
  refuseUnlessOpen(record, now);
  const principal = toPrincipal(actor);
  if (samePerson(principal, record.requester)) {
    throw new RefusedError(
      `${who(principal)} asked for ${record.id}; to withdraw it, cancel it instead`,
      'UnauthorizedOperation',
    );
  }
  const refusal = approvalRefusal(record, principal);
  if (refusal)
    throw new RefusedError(`${who(principal)} cannot deny ${record.id}: ${refusal}`, 'UnauthorizedOperation');
  const text = reason?.trim() ? reason.trim() : undefined;
  return transition(
    record,
    'denied',
    {
      closedBy: {
        by: principal.id,
        ...(principal.name ? { name: principal.name } : {}),
        at: now.toISOString(),
        ...(text ? { reason: text } : {}),
      },
      reason: `denied by ${who(principal)}${text ? `: ${text}` : ''}`,
    },
    now,
  );
}

/** The requester withdraws a request that has not started running. */
export function withCancel(record: ApprovalRecord, actor: string | Principal, now: Date): ApprovalRecord {
  const principal = toPrincipal(actor);
  if (!samePerson(principal, record.requester)) {
    throw new RefusedError(
      `only the requester (${who(record.requester)}) may cancel ${record.id}; approvers deny instead`,
      'UnauthorizedOperation',
    );
  }
  return transition(
    record,
    'cancelled',
    { closedBy: { by: principal.id, at: now.toISOString() }, reason: `cancelled by ${who(principal)}` },
    now,
  );
}

export function withExpiry(record: ApprovalRecord, now: Date): ApprovalRecord {
  if (!isExpired(record, now))
    throw new RefusedError(`approval ${record.id} does not expire until ${record.expiresAt}`, 'InvalidApprovalState');
  return transition(
    record,
    'expired',
    { reason: `not ${record.state === 'pending' ? 'approved' : 'run'} within ${record.ttl}` },
    now,
  );
}

export function withStale(record: ApprovalRecord, changes: string[], now: Date): ApprovalRecord {
  const detail = changes.length
    ? changes.slice(0, 5).join('; ') + (changes.length > 5 ? `; and ${changes.length - 5} more` : '')
    : 'the plan changed';
  return transition(
    record,
    'stale',
    { reason: `the targets changed since it was approved (${detail}); ask again` },
    now,
  );
}

export function withExecuting(record: ApprovalRecord, lease: Lease, now: Date): ApprovalRecord {
  return transition(record, 'executing', { lease, startedAt: now.toISOString() }, now);
}

/** Extend the running process's claim; refused if another process holds it. */
export function withLeaseRenewed(record: ApprovalRecord, owner: string, until: Date, now: Date): ApprovalRecord {
  if (record.state !== 'executing' || record.lease?.owner !== owner) {
    throw new RefusedError(`approval ${record.id} is no longer run by ${owner}`, 'InvalidApprovalState');
  }
  return transition(record, 'executing', { lease: { ...record.lease, until: until.toISOString() } }, now);
}

export function withResult(
  record: ApprovalRecord,
  result: ExecutionResult,
  now: Date,
  reason?: string,
): ApprovalRecord {
  return transition(
    record,
    result.ok ? 'succeeded' : 'failed',
    {
      result,
      finishedAt: now.toISOString(),
      ...(result.ok ? {} : { reason: reason ?? result.error ?? 'some calls failed' }),
    },
    now,
  );
}

/** An approved request that could not be run at all: nothing reached the cloud. */
export function withRunFailure(record: ApprovalRecord, reason: string, now: Date): ApprovalRecord {
  return transition(
    record,
    'failed',
    { finishedAt: now.toISOString(), reason, result: { ok: false, requestIds: [], error: reason } },
    now,
  );
}
