/**
 * Keeps the messages that show a running thing up to date: approval requests through every state, and posted
 * results while the waiters follow their targets. Fed by the engine's onApprovalChange and onProgress, and by
 * the handlers (a click tells us where an approval's message is even if another process posted it).
 * Updates go through LatestWins, so a slow or retried chat.update never lets an older state overwrite a newer one.
 */
import type { webApi } from '@slack/bolt';
import { FINAL_STATES, renderApproval, renderFinalNotice } from './blocks/approval.ts';
import { type Block, boundMessage } from './blocks/common.ts';
import { renderResult } from './blocks/result.ts';
import type { ApprovalState, ApprovalSummary, PlanSummary, ProgressEvent, TargetResult } from './core.ts';
import type { Log } from './logger.ts';
import type { SlackMetrics } from './metrics.ts';
import { withFallback } from './fallback.ts';
import { Pacer } from './pace.ts';
import { BoundedMap, LatestWins } from './serial.ts';

export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * Shared key-value storage (core's Store has these methods). With it, where an approval's message is survives a
 * restart and is known to every replica, so whichever process sees a change (an expiry, a click) can update it,
 * and the requester's thread notice is posted once across replicas.
 */
export interface KeyValue {
  getValue(key: string): Promise<unknown>;
  setValue(key: string, value: unknown): Promise<void>;
  setValueIfAbsent(key: string, value: unknown): Promise<boolean>;
  deleteValue(key: string): Promise<void>;
}

const refKey = (approvalId: string) => `slack:approval-message:${approvalId}`;
const noticeKey = (approvalId: string) => `slack:approval-notice:${approvalId}`;

function isRef(value: unknown): value is MessageRef {
  return typeof (value as MessageRef | undefined)?.channel === 'string' && typeof (value as MessageRef).ts === 'string';
}

interface TrackedApproval {
  ref?: MessageRef;
  latest: ApprovalSummary;
  notified: boolean;
}

interface TrackedResult {
  ref: MessageRef;
  plan: PlanSummary;
  results: TargetResult[];
  requestIds: string[];
  by?: string;
}

const RANK: Record<ApprovalState, number> = {
  pending: 0,
  approved: 1,
  executing: 2,
  succeeded: 3,
  failed: 3,
  denied: 3,
  expired: 3,
  cancelled: 3,
  stale: 3,
};

const KEEP = 2000;

export class Tracker {
  private readonly approvals = new BoundedMap<string, TrackedApproval>(KEEP);
  private readonly results = new BoundedMap<string, TrackedResult>(KEEP);
  private readonly progress = new BoundedMap<string, Map<string, ProgressEvent>>(KEEP);
  private readonly approvalByPlan = new BoundedMap<string, string>(KEEP);
  /** Results of executions answered here, for "All N results" (approvals' results are in the engine's store). */
  private readonly finished = new BoundedMap<string, { plan: PlanSummary; results: TargetResult[] }>(KEEP);
  private readonly updates: LatestWins;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Log,
    private readonly metrics: SlackMetrics,
    private readonly kv?: KeyValue,
    private readonly pace: Pacer = new Pacer({ kv }),
  ) {
    this.updates = new LatestWins((error, key) => {
      metrics.errors.inc({ where: 'render' });
      log.error('could not render a message update', {
        key,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    });
  }

  /** A new approval request was posted at `ref`. */
  async trackApproval(approval: ApprovalSummary, ref: MessageRef): Promise<void> {
    await this.kv
      ?.setValue(refKey(approval.id), ref)
      .catch((error: unknown) =>
        this.log.warn('could not store where an approval message is', { error: asError(error) }),
      );
    const known = this.approvals.get(approval.id);
    this.approvals.set(approval.id, {
      ref,
      latest: known && newer(known.latest, approval) ? known.latest : approval,
      notified: known?.notified ?? false,
    });
    this.approvalByPlan.set(approval.plan.hash, approval.id);
    // Something may have changed between the post and now (a fast approver): render what is newest.
    if (known && JSON.stringify(known.latest) !== JSON.stringify(approval)) void this.renderApprovalSoon(approval.id);
  }

  /** Where an approval's message is, learnt from a click on it. */
  rememberApprovalMessage(approvalId: string, ref: MessageRef): void {
    const known = this.approvals.get(approvalId);
    if (known && !known.ref) known.ref = ref;
  }

  /** Whether the approval's request message exists (here or, through the store, posted by another replica). */
  async knows(approvalId: string): Promise<boolean> {
    if (this.approvals.get(approvalId)?.ref) return true;
    return isRef(await this.kv?.getValue(refKey(approvalId)).catch(() => undefined));
  }

  /** The newest state this process has seen for an approval. */
  stateOf(approvalId: string): ApprovalState | undefined {
    return this.approvals.get(approvalId)?.latest.state;
  }

  /** The engine (or a handler with fresher news) reports an approval's state. */
  async approvalChanged(approval: ApprovalSummary, ref?: MessageRef): Promise<void> {
    if (!ref && !this.approvals.get(approval.id)?.ref && this.kv) {
      const stored = await this.kv.getValue(refKey(approval.id)).catch(() => undefined);
      if (isRef(stored)) ref = stored;
    }
    const known = this.approvals.get(approval.id);
    if (known && (!newer(approval, known.latest) || JSON.stringify(approval) === JSON.stringify(known.latest))) {
      if (ref && !known.ref) known.ref = ref;
      return;
    }
    if (!known || known.latest.state !== approval.state) this.metrics.approvals.inc({ state: approval.state });
    this.approvals.set(approval.id, { ref: known?.ref ?? ref, latest: approval, notified: known?.notified ?? false });
    this.approvalByPlan.set(approval.plan.hash, approval.id);
    return this.renderApprovalSoon(approval.id);
  }

  keepResults(plan: PlanSummary, results: TargetResult[]): void {
    this.finished.set(plan.hash, { plan, results });
  }

  resultsOf(planHash: string): { plan: PlanSummary; results: TargetResult[] } | undefined {
    return this.finished.get(planHash);
  }

  trackResult(ref: MessageRef, plan: PlanSummary, results: TargetResult[], requestIds: string[], by?: string): void {
    this.results.set(plan.hash, { ref, plan, results, requestIds, by });
    if (this.progress.has(plan.hash)) void this.renderResultSoon(plan.hash);
  }

  progressed(event: ProgressEvent): Promise<void> {
    let byTarget = this.progress.get(event.planHash);
    if (!byTarget) {
      byTarget = new Map();
      this.progress.set(event.planHash, byTarget);
    }
    byTarget.set(event.targetId, event);
    const approvalId = this.approvalByPlan.get(event.planHash);
    if (approvalId) return this.renderApprovalSoon(approvalId);
    if (this.results.has(event.planHash)) return this.renderResultSoon(event.planHash);
    return Promise.resolve();
  }

  /** Resolves once every scheduled message update has been sent (or has given up). */
  idle(): Promise<void> {
    return this.updates.idle();
  }

  private progressOf(planHash: string): ProgressEvent[] {
    return [...(this.progress.get(planHash)?.values() ?? [])];
  }

  private renderApprovalSoon(approvalId: string): Promise<void> {
    return this.updates.schedule(`approval:${approvalId}`, async () => {
      if (!this.approvals.get(approvalId)?.ref) return;
      // The turn first, then the state as it is by then: newer events meanwhile are in this one update.
      await this.pace.update();
      const tracked = this.approvals.get(approvalId);
      if (!tracked?.ref) return;
      const a = tracked.latest;
      const message = renderApproval(a, this.progressOf(a.plan.hash));
      await this.update(tracked.ref, message.text, message.blocks);
      if (FINAL_STATES.includes(a.state) && !tracked.notified) {
        tracked.notified = true;
        // One notice per approval, also when several replicas see the final state.
        const first = this.kv
          ? await this.kv.setValueIfAbsent(noticeKey(a.id), { state: a.state }).catch(() => true)
          : true;
        if (!first) return;
        await this.post({ channel: tracked.ref.channel, thread_ts: tracked.ref.ts, text: renderFinalNotice(a) });
      }
    });
  }

  private renderResultSoon(planHash: string): Promise<void> {
    return this.updates.schedule(`result:${planHash}`, async () => {
      if (!this.results.has(planHash)) return;
      await this.pace.update();
      const tracked = this.results.get(planHash);
      if (!tracked) return;
      const message = renderResult(
        tracked.plan,
        tracked.results,
        tracked.requestIds,
        this.progressOf(planHash),
        tracked.by,
        `result:${planHash}`,
      );
      await this.update(tracked.ref, message.text, message.blocks);
    });
  }

  /**
   * Callers wait for a turn within chat.update's tier (app-wide) before they render; meanwhile newer states
   * coalesce (LatestWins), so what is sent is the newest, and the last state always lands.
   */
  private async update(ref: MessageRef, text: string, blocks: Block[]): Promise<void> {
    const message = boundMessage({ text, blocks });
    try {
      // The client retries 5xx and rate limits itself (retryConfig); only a final failure lands here.
      await withFallback(
        { log: this.log, metrics: this.metrics },
        message,
        (m) => this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...m, blocks: m.blocks as never }),
        'chat.update',
      );
    } catch (error) {
      this.metrics.errors.inc({ where: 'chat.update' });
      this.log.error('could not update a message', { channel: ref.channel, ts: ref.ts, error });
    }
  }

  private async post(args: { channel: string; thread_ts: string; text: string }): Promise<void> {
    try {
      await this.pace.post(args.channel);
      await this.client.chat.postMessage(args);
    } catch (error) {
      this.metrics.errors.inc({ where: 'chat.postMessage' });
      this.log.error('could not post a thread reply', { channel: args.channel, error });
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Is `a` at least as far along as `b`? A final state never goes back; approvals only accumulate. */
function newer(a: ApprovalSummary, b: ApprovalSummary): boolean {
  if (RANK[a.state] !== RANK[b.state]) return RANK[a.state] > RANK[b.state];
  if (RANK[a.state] === 3) return a.state === b.state && (a.results?.length ?? 0) >= (b.results?.length ?? 0);
  return a.approvers.length >= b.approvers.length;
}
