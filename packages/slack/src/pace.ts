/**
 * Keeping within Slack's rate tiers, across every replica of the bot: chat.postMessage about one message per
 * second per channel, chat.update (Tier 3) about 50 a minute for the whole app. A caller takes a turn and waits
 * for it. Turns are time slots: slot n of a budget starts at n × interval, and each slot is given to one caller —
 * in one process by a counter, across replicas by claiming the slot's key in the shared store with
 * setValueIfAbsent (one winner, as core's Store promises). So in any span of k intervals at most k + 1 calls go
 * out per budget, whichever replicas make them; and one process never sends two closer than one interval, even
 * when it wakes late. The store gets one small key per message sent, deleted by the replica that claimed it once
 * its turn is a minute past (at its next claim): by then every replica asks only for later turns.
 * Message updates are also coalesced (serial.ts LatestWins): waiting for a turn costs no state, the newest wins.
 */
import type { KeyValue } from './tracker.ts';
import { BoundedMap } from './serial.ts';

/** Slack's documented rates (Rate limits: "Posting messages: 1 per second"; chat.update is Tier 3, 50+ per minute). */
export const SLACK_RATES = { postIntervalMs: 1000, updateIntervalMs: 60_000 / 50 } as const;

export interface PaceOptions {
  /** Shared by the replicas; without it, only this process is paced. */
  kv?: KeyValue;
  postIntervalMs?: number;
  updateIntervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A store that fails must not stop the bot: it is told here, and this process paces on its own. */
  onStoreError?: (error: unknown) => void;
}

/** How far ahead a caller looks for a free slot before giving up on the store (then it goes by its own count). */
const MAX_PROBES = 1000;

/**
 * How long a claimed turn's key outlives its turn. Replicas ask for turns from their own clock's present on, so a
 * past turn is asked for again only by a replica whose clock is behind by more than this.
 */
export const TURN_KEY_LIFE_MS = 60_000;

export class Pacer {
  /** The next slot this process has not given out yet, per budget. */
  private readonly next = new BoundedMap<string, number>(5000);
  /** When this process last sent, per budget: a process that wakes late (busy) still spaces its own sends. */
  private readonly last = new BoundedMap<string, number>(5000);
  private readonly postIntervalMs: number;
  private readonly updateIntervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** The turns this process claimed in the store, oldest first, with when each key may go. */
  private readonly claimed: { key: string; until: number }[] = [];
  /** Deletions run one at a time, off the posting path. */
  private forgetting: Promise<void> = Promise.resolve();

  constructor(private readonly options: PaceOptions = {}) {
    this.postIntervalMs = options.postIntervalMs ?? SLACK_RATES.postIntervalMs;
    this.updateIntervalMs = options.updateIntervalMs ?? SLACK_RATES.updateIntervalMs;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Wait for this channel's next posting turn. */
  post(channel: string): Promise<number> {
    return this.take(`post:${channel}`, this.postIntervalMs);
  }

  /** About how long a post to this channel would wait now (this process's queue; other replicas add to it). */
  postDelay(channel: string): number {
    const next = this.next.get(`post:${channel}`);
    return next === undefined ? 0 : Math.max(0, next * this.postIntervalMs - this.now());
  }

  /** Wait for the app's next chat.update turn. */
  update(): Promise<number> {
    return this.take('update', this.updateIntervalMs);
  }

  /** Resolves at the start of the slot given to this caller; returns that time. */
  async take(budget: string, interval: number): Promise<number> {
    // Taken synchronously, so callers in this process never ask the store for the same slot.
    let slot = Math.max(Math.floor(this.now() / interval), this.next.get(budget) ?? 0);
    this.next.set(budget, slot + 1);
    if (this.options.kv) slot = await this.claim(budget, slot, interval);
    const at = Math.max(slot * interval, (this.last.get(budget) ?? Number.NEGATIVE_INFINITY) + interval);
    this.last.set(budget, at);
    const wait = at - this.now();
    if (wait > 0) await this.sleep(wait);
    return at;
  }

  /** The first slot from `slot` on that no replica has claimed yet. */
  private async claim(budget: string, slot: number, interval: number): Promise<number> {
    const kv = this.options.kv!;
    for (let probe = 0; probe < MAX_PROBES; probe++, slot++) {
      let won: boolean;
      const key = `slack:pace:${budget}:${slot}`;
      try {
        won = await kv.setValueIfAbsent(key, { at: this.now() });
      } catch (error) {
        this.options.onStoreError?.(error);
        return slot;
      }
      if (won) {
        if (slot + 1 > (this.next.get(budget) ?? 0)) this.next.set(budget, slot + 1);
        this.claimed.push({ key, until: slot * interval + interval + TURN_KEY_LIFE_MS });
        this.forgetPastTurns(kv);
        return slot;
      }
    }
    return slot;
  }

  /** Deletes this process's claimed keys whose turns are long past. (A replica that dies leaves its last minute's.) */
  private forgetPastTurns(kv: KeyValue): void {
    const now = this.now();
    while (this.claimed.length && this.claimed[0]!.until <= now) {
      const { key } = this.claimed.shift()!;
      this.forgetting = this.forgetting
        .then(() => kv.deleteValue(key))
        .catch((error: unknown) => this.options.onStoreError?.(error));
    }
  }

  /** Resolves once the deletions asked for so far are done (tests, and a clean stop). */
  forgotten(): Promise<void> {
    return this.forgetting;
  }
}
