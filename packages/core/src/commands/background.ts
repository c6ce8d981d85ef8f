/**
 * What an engine does besides answering commands: on start, settle requests a dead process left executing; then,
 * now and then and before every decision, expire overdue requests and run approved ones that never ran (once —
 * if they cannot run then, they fail with the reason). Nothing here runs a plan twice: executeApproved's
 * compare-and-set decides who runs.
 */
import type { TceClient } from '../api/client.ts';
import { InputError } from '../api/errors.ts';
import { expireRequests, reconcile, type TargetsVerdict } from '../approvals/service.ts';
import type { ApprovalRecord } from '../approvals/types.ts';
import type { Plan } from '../plan/types.ts';
import type { Store } from '../store/types.ts';
import { describeTargets, type TargetKind } from './targets.ts';
import type { Outcome } from './types.ts';
import { END_STATES } from './waiters.ts';

export interface BackgroundOptions {
  store: Store;
  client: TceClient;
  now: () => Date;
  /** 0: no timer (a terminal command); the work still runs before decisions. */
  everyMs: number;
  onSettled: (record: ApprovalRecord) => void;
  /** Run an approved request that was not run: its last attempt. */
  runStranded: (record: ApprovalRecord) => Promise<Outcome>;
}

export interface Background {
  /** Settles at start: requests left executing are reconciled before the first command. */
  ready: Promise<void>;
  /** One round now; `except`: a request the caller decides on itself (its decision runs it, not this round). */
  tick(except?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Look at a plan's targets now: did its effect take place? (for requests whose run was interrupted) */
export function inspectTargets(client: TceClient): (plan: Plan) => Promise<TargetsVerdict> {
  return async (plan) => {
    const end = END_STATES[plan.calls[0]?.action ?? ''];
    if (!end || plan.targets.length === 0)
      return { outcome: 'unknown', detail: 'this action leaves nothing to inspect' };
    const seen: string[] = [];
    let reached = 0;
    for (const target of plan.targets) {
      try {
        const [now] = await describeTargets(client, plan.region, target.kind as TargetKind, [target.id]);
        seen.push(`${target.id} ${now?.state}`);
        if (now?.state && end.states.includes(now.state)) reached++;
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        seen.push(`${target.id} gone`);
        if (end.gone) reached++;
      }
    }
    return { outcome: reached === plan.targets.length ? 'succeeded' : 'unknown', detail: seen.join(', ') };
  };
}

export function startBackground(options: BackgroundOptions): Background {
  const { store, now } = options;
  const ready = reconcile(store, { inspectTargets: inspectTargets(options.client), now })
    .then((settled) => settled.forEach(options.onSettled))
    .catch(() => {});
  let current: Promise<void> | undefined;

  async function work(except?: string): Promise<void> {
    for (const record of await expireRequests(store, now())) options.onSettled(record);
    for (const record of await reconcile(store, { inspectTargets: inspectTargets(options.client), now }))
      options.onSettled(record);
    for (const record of await store.listApprovals({ state: 'approved' })) {
      if (record.id !== except) await options.runStranded(record).catch(() => {});
    }
  }

  // The timer's rounds never overlap; a decision runs its own round (executeApproved's compare-and-set keeps any
  // request from running twice, whoever gets there).
  async function tick(except?: string): Promise<void> {
    await current?.catch(() => {});
    await work(except).catch(() => {});
  }

  const timer =
    options.everyMs > 0
      ? setInterval(() => {
          current ??= work().finally(() => {
            current = undefined;
          });
        }, options.everyMs)
      : undefined;
  timer?.unref();

  return {
    ready,
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await ready;
      await current?.catch(() => {});
    },
  };
}
