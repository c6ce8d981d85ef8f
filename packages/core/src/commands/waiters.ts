/**
 * Follow targets until they reach their end state (or disappear), emitting a progress event whenever one changes.
 * Surfaces render the events; the waiter itself only polls.
 */
import type { TceClient } from '../api/client.ts';
import { InputError } from '../api/errors.ts';
import { sleep } from '../api/rate-limit.ts';
import { endStates, KINDS } from '../kinds/index.ts';
import { describeTargets, type TargetKind } from './targets.ts';
import type { ProgressEvent } from './types.ts';

export interface WaitOptions {
  states: string[];
  /** Done when the target no longer exists (terminate, delete). */
  gone?: boolean;
  intervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Where each action leaves its targets, for the waiter to follow: from the resource kinds (kinds/). */
export const END_STATES: Record<string, { states: string[]; gone?: boolean; kind?: TargetKind }> = endStates();

export async function waitForTargets(
  client: TceClient,
  region: string,
  kind: TargetKind,
  ids: string[],
  planHash: string,
  options: WaitOptions,
  emit: (event: ProgressEvent) => void,
): Promise<Record<string, string>> {
  const interval = options.intervalMs ?? 2000;
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  const last: Record<string, string> = {};
  const pending = new Set(ids);
  while (pending.size > 0) {
    const current = new Map<string, string>();
    for (const id of pending) {
      try {
        const [target] = await describeTargets(client, region, kind, [id]);
        // An operation that leaves the state as it was (a stopped instance resized) is done when TCE says so:
        // until then the end state is shown with the operation still running.
        const state = target?.state ?? 'UNKNOWN';
        const operating = target?.raw.LatestOperationState === 'OPERATING' && options.states.includes(state);
        current.set(id, operating ? `${state} (${String(target?.raw.LatestOperation)} running)` : state);
      } catch (error) {
        // Not found any more: for terminate and delete, that is the end state. Anything else is a real failure.
        if (!(error instanceof InputError && /NotFound/.test(error.code))) throw error;
        current.set(id, 'GONE');
      }
    }
    for (const [id, state] of current) {
      const done = state === 'GONE' ? true : options.states.includes(state) || KINDS[kind].failed.includes(state);
      if (last[id] !== state) {
        last[id] = state;
        const message = state === 'GONE' ? `${id} is gone` : `${id} is ${state}`;
        emit({ planHash, targetId: id, state, done, message });
      }
      if (done) pending.delete(id);
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      for (const id of pending)
        emit({
          planHash,
          targetId: id,
          state: last[id] ?? 'UNKNOWN',
          done: true,
          message: `${id}: stopped waiting, still ${last[id]}`,
        });
      break;
    }
    await sleep(interval, options.signal);
  }
  return last;
}
