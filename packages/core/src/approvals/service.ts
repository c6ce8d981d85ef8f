/**
 * Approvals over a store: each step reads the latest version, applies the state machine and writes with a
 * compare-and-set, retrying when someone else wrote first. Every step is also an audit record.
 */
import { hostname } from 'node:os';
import { RefusedError, TceopsError } from '../api/errors.ts';
import { appendAudit } from '../audit/log.ts';
import type { AuditEntry } from '../audit/types.ts';
import { planDifferences, planHash, planHashHolds } from '../plan/hash.ts';
import type { Plan } from '../plan/types.ts';
import { samePerson, toPrincipal } from '../policy/roles.ts';
import type { Principal, Surface } from '../policy/types.ts';
import { processAlive } from '../store/lock.ts';
import type { Store } from '../store/types.ts';
import {
  approvalRefusal,
  isExpired,
  type NewApproval,
  newApproval,
  withApproval,
  withCancel,
  withDenial,
  withExecuting,
  withExpiry,
  withLeaseRenewed,
  withResult,
  withRunFailure,
  withStale,
} from './machine.ts';
import type { ApprovalRecord, ExecutionResult, Lease } from './types.ts';

/** Who acts, and from where: recorded in the audit log. */
export interface ActingContext {
  actor: string | Principal;
  surface: Surface;
}

const SYSTEM = 'tceops';
const MAX_ATTEMPTS = 200;

function actorId(actor: string | Principal): string {
  return toPrincipal(actor).id;
}

function auditOf(
  record: ApprovalRecord,
  entry: Omit<AuditEntry, 'approvalId' | 'planHash' | 'command' | 'risk' | 'region'>,
): AuditEntry {
  return {
    ...entry,
    approvalId: record.id,
    planHash: record.plan.hash,
    command: record.plan.command,
    risk: record.plan.risk,
    region: record.plan.region,
  };
}

export async function requireApproval(store: Store, id: string): Promise<ApprovalRecord> {
  const record = await store.getApproval(id);
  if (!record) throw new RefusedError(`no approval request ${id}`, 'ResourceNotFound', 'list them with "approvals"');
  return record;
}

/**
 * Read, change, compare-and-set; again from the newest version when another writer got there first. `change`
 * returns undefined to leave the record as it is; a refusal it throws goes to the caller.
 */
export async function updateApproval(
  store: Store,
  id: string,
  change: (record: ApprovalRecord) => ApprovalRecord | undefined,
): Promise<{ record: ApprovalRecord; changed: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await requireApproval(store, id);
    const next = change(current);
    if (!next) return { record: current, changed: false };
    if (await store.compareAndSetApproval(next, current.version)) return { record: next, changed: true };
    // Someone else wrote first: a short random pause spreads out the retries of many contenders.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt * 2)));
  }
  throw new Error(`approval ${id}: gave up after ${MAX_ATTEMPTS} conflicting writes`);
}

/** Persist a new request for a plan the policy sent to approval. */
export async function requestApproval(store: Store, input: NewApproval): Promise<ApprovalRecord> {
  const record = newApproval(input);
  await store.createApproval(record);
  await appendAudit(
    store,
    auditOf(record, {
      kind: 'request',
      actor: record.requester.id,
      surface: record.surface,
      event: 'request',
      result: 'pending',
      detail: `${record.plan.summary} Needs ${record.needed} approval${record.needed === 1 ? '' : 's'} (rule "${record.rule}") by ${record.expiresAt}.`,
      data: { eligible: record.eligible, targets: record.plan.targets.map((t) => t.id) },
    }),
  );
  return record;
}

/** Mark a pending or approved request expired if its time is up; true when this call did it. */
async function expireIfDue(store: Store, record: ApprovalRecord, now: Date): Promise<ApprovalRecord | undefined> {
  if (!isExpired(record, now)) return undefined;
  const { record: next, changed } = await updateApproval(store, record.id, (r) =>
    isExpired(r, now) ? withExpiry(r, now) : undefined,
  );
  if (changed)
    await appendAudit(
      store,
      auditOf(next, { kind: 'approval', actor: SYSTEM, event: 'expire', result: 'expired', detail: next.reason }),
    );
  return next;
}

export async function approveRequest(
  store: Store,
  id: string,
  ctx: ActingContext,
  now: Date = new Date(),
): Promise<ApprovalRecord> {
  const expired = await expireIfDue(store, await requireApproval(store, id), now);
  if (expired) throw new RefusedError(`approval ${id} expired at ${expired.expiresAt}; ask again`, 'ApprovalExpired');
  const { record } = await updateApproval(store, id, (r) => withApproval(r, ctx.actor, now, ctx.surface));
  await appendAudit(
    store,
    auditOf(record, {
      kind: 'approval',
      actor: actorId(ctx.actor),
      surface: ctx.surface,
      event: 'approve',
      result: record.state,
      detail: `${record.approvals.length} of ${record.needed}`,
    }),
  );
  return record;
}

export async function denyRequest(
  store: Store,
  id: string,
  ctx: ActingContext,
  reason?: string,
  now: Date = new Date(),
): Promise<ApprovalRecord> {
  const expired = await expireIfDue(store, await requireApproval(store, id), now);
  if (expired) throw new RefusedError(`approval ${id} expired at ${expired.expiresAt}`, 'ApprovalExpired');
  const { record } = await updateApproval(store, id, (r) => withDenial(r, ctx.actor, now, reason));
  await appendAudit(
    store,
    auditOf(record, {
      kind: 'approval',
      actor: actorId(ctx.actor),
      surface: ctx.surface,
      event: 'deny',
      result: 'denied',
      detail: record.reason,
    }),
  );
  return record;
}

export async function cancelRequest(
  store: Store,
  id: string,
  ctx: ActingContext,
  now: Date = new Date(),
): Promise<ApprovalRecord> {
  const { record } = await updateApproval(store, id, (r) => withCancel(r, ctx.actor, now));
  await appendAudit(
    store,
    auditOf(record, {
      kind: 'approval',
      actor: actorId(ctx.actor),
      surface: ctx.surface,
      event: 'cancel',
      result: 'cancelled',
    }),
  );
  return record;
}

/** Expire every request whose time is up (a surface runs this now and then, and on start). */
export async function expireRequests(store: Store, now: Date = new Date()): Promise<ApprovalRecord[]> {
  const open = await store.listApprovals({ state: ['pending', 'approved'] });
  const expired: ApprovalRecord[] = [];
  for (const record of open) {
    const next = await expireIfDue(store, record, now);
    if (next?.state === 'expired') expired.push(next);
  }
  return expired;
}

/** Pending requests this person may decide on (App Home: "waiting for you"). */
export async function waitingFor(
  store: Store,
  actor: string | Principal,
  now: Date = new Date(),
): Promise<ApprovalRecord[]> {
  const pending = await store.listApprovals({ state: 'pending' });
  return pending.filter(
    (r) =>
      !isExpired(r, now) &&
      approvalRefusal(r, actor) === undefined &&
      !r.approvals.some((a) => samePerson({ id: a.by, org: a.org }, actor)),
  );
}

export interface ExecuteOptions {
  /** Build the plan again from the world as it is now (describe the targets afresh). */
  replan: (approved: Plan) => Promise<Plan>;
  /** Run the approved plan's calls; called at most once per request, across every process. */
  run: (plan: Plan, record: ApprovalRecord) => Promise<ExecutionResult>;
  /** Who triggers the run (the last approver, or "tceops"). */
  actor?: string | Principal;
  surface?: Surface;
  /** How long this process's claim lasts without renewal (default 60 s); renewed while `run` runs. */
  leaseMs?: number;
  now?: () => Date;
  /**
   * This is the retry of a request that could not be run before (a later decision, or reconcile): if it cannot run
   * now either, it fails with the reason instead of waiting approved until it expires.
   */
  lastAttempt?: boolean;
}

export type ExecuteOutcome =
  /** This call ran the plan; the record holds the result. */
  | { outcome: 'ran'; record: ApprovalRecord }
  /** The plan no longer holds; the request is now stale and nothing ran. */
  | { outcome: 'stale'; record: ApprovalRecord }
  | { outcome: 'expired'; record: ApprovalRecord }
  /** Still waiting for approvals. */
  | { outcome: 'pending'; record: ApprovalRecord }
  /** Another call (another click, process or retry) runs or ran it, or it ended otherwise: nothing was done. */
  | { outcome: 'not-run'; record: ApprovalRecord }
  /** The targets could not be looked at (the cloud unreachable): nothing ran; still approved, to be tried once more. */
  | { outcome: 'unreached'; record: ApprovalRecord; error: string }
  /** Could not be run on its last attempt: now failed, nothing reached the cloud. */
  | { outcome: 'failed'; record: ApprovalRecord };

function leaseFor(owner: string, ms: number, now: Date): Lease {
  return { owner, host: hostname(), pid: process.pid, until: new Date(now.getTime() + ms).toISOString() };
}

/**
 * Run an approved request exactly once. The plan is built again first: if its hash moved, the request becomes
 * stale and nothing runs. Otherwise approved → executing is a compare-and-set, so of any number of concurrent
 * callers exactly one runs the plan — the plan as approved, never the new one.
 */
export async function executeApproved(store: Store, id: string, options: ExecuteOptions): Promise<ExecuteOutcome> {
  const clock = options.now ?? (() => new Date());
  const actor = options.actor ? actorId(options.actor) : SYSTEM;
  const leaseMs = options.leaseMs ?? 60_000;
  const owner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;

  let record = await requireApproval(store, id);
  if (record.state === 'pending')
    return {
      outcome: isExpired(record, clock()) ? 'expired' : 'pending',
      record: (await expireIfDue(store, record, clock())) ?? record,
    };
  if (record.state !== 'approved') return { outcome: 'not-run', record };
  const expired = await expireIfDue(store, record, clock());
  if (expired) return { outcome: expired.state === 'expired' ? 'expired' : 'not-run', record: expired };

  if (!planHashHolds(record.plan)) {
    // The stored plan was altered after approval: never run it.
    const { record: failed } = await updateApproval(store, id, (r) =>
      r.state === 'approved' ? withStale(r, ['the stored plan does not match its hash'], clock()) : undefined,
    );
    await appendAudit(
      store,
      auditOf(failed, { kind: 'approval', actor: SYSTEM, event: 'stale', result: failed.state, detail: failed.reason }),
    );
    return { outcome: failed.state === 'stale' ? 'stale' : 'not-run', record: failed };
  }

  let fresh: Plan | undefined;
  let changes: string[];
  try {
    fresh = await options.replan(record.plan);
    changes = planHash(fresh) === record.plan.hash ? [] : planDifferences(record.plan, fresh);
    if (fresh && planHash(fresh) !== record.plan.hash && changes.length === 0) changes = ['the plan changed'];
  } catch (error) {
    // A target that is gone or refused by name is a changed world, not a passing fault: the approval is stale.
    // Anything else (the cloud unreachable) leaves the request approved, to be tried once more — then it fails.
    if (!(error instanceof TceopsError && error.kind === 'input')) {
      const message = error instanceof Error ? error.message : String(error);
      return unreached(store, record, message, actor, options, clock);
    }
    changes = [error.message.split('\n')[0]!];
  }
  if (changes.length) {
    const { record: stale, changed } = await updateApproval(store, id, (r) =>
      r.state === 'approved' ? withStale(r, changes, clock()) : undefined,
    );
    if (changed) {
      await appendAudit(
        store,
        auditOf(stale, {
          kind: 'approval',
          actor: SYSTEM,
          event: 'stale',
          result: 'stale',
          detail: stale.reason,
          ...(fresh ? { data: { newHash: planHash(fresh) } } : {}),
        }),
      );
    }
    return { outcome: changed ? 'stale' : 'not-run', record: stale };
  }

  // The one compare-and-set that decides who runs it.
  const claimed = await updateApproval(store, id, (r) =>
    r.state === 'approved' ? withExecuting(r, leaseFor(owner, leaseMs, clock()), clock()) : undefined,
  );
  if (!claimed.changed) return { outcome: 'not-run', record: claimed.record };
  record = claimed.record;
  await appendAudit(
    store,
    auditOf(record, {
      kind: 'execution',
      actor,
      surface: options.surface,
      event: 'start',
      result: 'executing',
      data: { owner },
    }),
  );

  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = updateApproval(store, id, (r) =>
        r.state === 'executing' && r.lease?.owner === owner
          ? withLeaseRenewed(r, owner, new Date(clock().getTime() + leaseMs), clock())
          : undefined,
      ).catch(() => {});
    },
    Math.max(10, Math.floor(leaseMs / 3)),
  );
  let result: ExecutionResult;
  try {
    result = await options.run(record.plan, record);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const requestId =
      error instanceof TceopsError && 'requestId' in error
        ? String((error as { requestId: unknown }).requestId)
        : undefined;
    result = { ok: false, requestIds: requestId ? [requestId] : [], error: message };
  } finally {
    clearInterval(timer);
    await renewing;
  }
  const finished = await updateApproval(store, id, (r) =>
    r.state === 'executing' && r.lease?.owner === owner ? withResult(r, result, clock()) : undefined,
  );
  await appendAudit(
    store,
    auditOf(finished.record, {
      kind: 'result',
      actor,
      surface: options.surface,
      event: 'finish',
      result: result.ok ? 'ok' : 'failed',
      requestIds: result.requestIds,
      ...(result.error ? { detail: result.error } : {}),
      ...(result.targets ? { data: { targets: result.targets } } : {}),
    }),
  );
  return { outcome: 'ran', record: finished.record };
}

async function unreached(
  store: Store,
  record: ApprovalRecord,
  message: string,
  actor: string,
  options: ExecuteOptions,
  clock: () => Date,
): Promise<ExecuteOutcome> {
  const why = `could not look at the targets before running (${message.split('\n')[0]}); nothing reached the cloud`;
  if (!options.lastAttempt) {
    await appendAudit(
      store,
      auditOf(record, {
        kind: 'approval',
        actor,
        surface: options.surface,
        event: 'unreached',
        result: 'approved',
        detail: why,
      }),
    );
    return { outcome: 'unreached', record, error: why };
  }
  const { record: failed, changed } = await updateApproval(store, record.id, (r) =>
    r.state === 'approved' ? withRunFailure(r, `${why}; ask again when the cloud answers`, clock()) : undefined,
  );
  if (!changed) return { outcome: 'not-run', record: failed };
  await appendAudit(
    store,
    auditOf(failed, {
      kind: 'result',
      actor,
      surface: options.surface,
      event: 'finish',
      result: 'failed',
      detail: failed.reason,
    }),
  );
  return { outcome: 'failed', record: failed };
}

export interface TargetsVerdict {
  outcome: 'succeeded' | 'failed' | 'unknown';
  /** What was seen, in a few words: "ins-1 TERMINATED (gone), ins-2 RUNNING". */
  detail: string;
}

export interface ReconcileOptions {
  /** Look at the targets now and say whether the plan's effect took place. */
  inspectTargets: (plan: Plan, record: ApprovalRecord) => Promise<TargetsVerdict>;
  now?: () => Date;
  /** Whether the process holding a lease still runs (default: same host → pid check; other hosts → lease time). */
  ownerAlive?: (lease: Lease) => boolean;
}

function defaultOwnerAlive(lease: Lease): boolean {
  return lease.host === hostname() ? processAlive(lease.pid) : true;
}

/**
 * After a restart: requests left executing by a process that is gone (or whose lease ran out) are settled from
 * what the targets show. Nothing is run again: an unknown outcome becomes failed, with a reason that says to look.
 */
export async function reconcile(store: Store, options: ReconcileOptions): Promise<ApprovalRecord[]> {
  const clock = options.now ?? (() => new Date());
  const alive = options.ownerAlive ?? defaultOwnerAlive;
  const settled: ApprovalRecord[] = [];
  for (const record of await store.listApprovals({ state: 'executing' })) {
    const lease = record.lease;
    const expired = !lease || Date.parse(lease.until) <= clock().getTime();
    const ownerGone = lease ? !alive(lease) : true;
    if (!expired && !ownerGone) continue;
    let verdict: TargetsVerdict;
    try {
      verdict = await options.inspectTargets(record.plan, record);
    } catch (error) {
      verdict = { outcome: 'unknown', detail: `the targets could not be inspected: ${(error as Error).message}` };
    }
    const why = ownerGone
      ? `the process running it (${lease?.host ?? '?'} pid ${lease?.pid ?? '?'}) stopped`
      : `its run stopped renewing its claim at ${lease?.until}`;
    const result: ExecutionResult =
      verdict.outcome === 'succeeded'
        ? { ok: true, requestIds: [], error: undefined }
        : {
            ok: false,
            requestIds: [],
            error: `${why} before recording a result; ${verdict.outcome === 'failed' ? 'the targets show it did not complete' : 'the outcome is unknown'}: ${verdict.detail}. Check the targets before asking again.`,
          };
    const { record: next, changed } = await updateApproval(store, record.id, (r) =>
      r.state === 'executing' && r.lease?.owner === lease?.owner && r.version === record.version
        ? withResult(r, result, clock(), result.error)
        : undefined,
    );
    if (!changed) continue;
    await appendAudit(
      store,
      auditOf(next, {
        kind: 'result',
        actor: SYSTEM,
        event: 'reconcile',
        result: result.ok ? 'ok' : 'failed',
        detail: result.ok ? `reconciled after a restart: ${verdict.detail}` : result.error,
      }),
    );
    settled.push(next);
  }
  return settled;
}
