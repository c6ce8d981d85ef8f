/**
 * PollingSet: the instances in a transitional state (STARTING, STOPPING, ...), polled together per region
 * until each settles. Everything else refreshes on demand, so an idle tree makes no calls.
 */
import type { Item } from '../data/source.ts';
import type { ResourceNode } from './nodes.ts';
import { isTransitional } from './present.ts';

export interface PollingOptions {
  /** Between rounds; a function is read before each round (a settings change applies at once). */
  intervalMs: number | (() => number);
  /** Give up on a node that has not settled after this long (a stuck instance must not be polled forever). */
  maxMs?: number;
  /** After an action, how long an unchanged state is still polled (default 15 s). */
  graceMs?: number;
  fetch(region: string, ids: string[], signal: AbortSignal): Promise<Item[]>;
  /** A node's fresh item, or undefined when it no longer exists (terminated). */
  onUpdate(node: ResourceNode, item: Item | undefined): void;
  onError?(error: unknown, region: string): void;
  onGiveUp?(node: ResourceNode): void;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface Watched {
  node: ResourceNode;
  since: number;
  /** Set by watch(): keep polling while the state is still this one, for up to `graceMs`. */
  from?: string;
}

export class PollingSet {
  private readonly nodes = new Map<string, Watched>();
  private timer: unknown;
  private running: Promise<void> | undefined;
  private controller = new AbortController();
  private disposed = false;

  constructor(private readonly options: PollingOptions) {}

  get size(): number {
    return this.nodes.size;
  }

  keys(): string[] {
    return [...this.nodes.keys()];
  }

  has(node: ResourceNode): boolean {
    return this.nodes.has(node.key);
  }

  /** Watch the node if its state is transitional; forget it otherwise. Returns whether it is watched. */
  track(node: ResourceNode): boolean {
    if (node.kind !== 'instance' || !isTransitional(node.item.InstanceState as string | undefined)) {
      this.nodes.delete(node.key);
      return false;
    }
    const known = this.nodes.get(node.key);
    this.nodes.set(node.key, { node, since: known?.since ?? this.now(), from: known?.from });
    this.schedule();
    return true;
  }

  /**
   * Watch a node an action was just sent to: the cloud may still show the old state for a moment, so polling
   * goes on while the state is unchanged, for up to `graceMs`.
   */
  watch(node: ResourceNode): void {
    this.nodes.set(node.key, { node, since: this.now(), from: String(node.item.InstanceState ?? '') });
    this.schedule();
  }

  forget(node: ResourceNode): void {
    this.nodes.delete(node.key);
  }

  /** One round: one DescribeInstances per region for every watched node. */
  async tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.poll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Forget every node and abort a round in flight; the set stays usable (a reconnect, a full refresh). */
  clear(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.stopTimer();
    this.nodes.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.controller.abort();
    this.stopTimer();
    this.nodes.clear();
  }

  private async poll(): Promise<void> {
    const signal = this.controller.signal;
    const byRegion = new Map<string, ResourceNode[]>();
    for (const { node } of this.nodes.values()) {
      const list = byRegion.get(node.region) ?? [];
      list.push(node);
      byRegion.set(node.region, list);
    }
    for (const [region, nodes] of byRegion) {
      let items: Item[];
      try {
        items = await this.options.fetch(
          region,
          nodes.map((n) => n.id),
          signal,
        );
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error, region);
        continue;
      }
      if (signal.aborted) return;
      const byId = new Map(items.map((item) => [String(item.InstanceId), item]));
      for (const node of nodes) {
        const item = byId.get(node.id);
        const entry = this.nodes.get(node.key);
        if (!entry) continue;
        this.options.onUpdate(node, item);
        const state = item?.InstanceState as string | undefined;
        const unchanged = entry.from !== undefined && state === entry.from;
        const inGrace = unchanged && this.now() - entry.since < (this.options.graceMs ?? 15_000);
        if (!item || (!isTransitional(state) && !inGrace)) {
          this.nodes.delete(node.key);
        } else if (this.options.maxMs !== undefined && this.now() - entry.since > this.options.maxMs) {
          this.nodes.delete(node.key);
          this.options.onGiveUp?.(node);
        }
      }
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private schedule(): void {
    if (this.disposed || this.timer !== undefined || this.nodes.size === 0) return;
    // Unref'd: a poll never keeps a process alive by itself (a test suite would otherwise never exit).
    const set = this.options.setTimer ?? ((callback, ms) => setTimeout(callback, ms).unref());
    this.timer = set(
      () => {
        this.timer = undefined;
        void this.tick().then(() => this.schedule());
      },
      typeof this.options.intervalMs === 'function' ? this.options.intervalMs() : this.options.intervalMs,
    );
  }

  private stopTimer(): void {
    if (this.timer === undefined) return;
    (this.options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout)))(this.timer);
    this.timer = undefined;
  }
}
