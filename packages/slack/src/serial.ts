/**
 * One message, one writer at a time, latest state wins. Approval and progress events can arrive faster than
 * Slack accepts updates (or while an update is being retried); each key runs at most one update at a time, and
 * when more events came in meanwhile, it runs once more with whatever is newest, never an older state after a newer.
 */
export class LatestWins {
  private readonly slots = new Map<string, { again: boolean; done: Promise<void> }>();

  /** A failed update is reported here and the queue goes on: callers never see a rejected promise. */
  constructor(private readonly onError: (error: unknown, key: string) => void = () => {}) {}

  /** `task` must render from current state when it runs, not from state captured when it was scheduled. */
  schedule(key: string, task: () => Promise<void>): Promise<void> {
    const slot = this.slots.get(key);
    if (slot) {
      slot.again = true;
      return slot.done;
    }
    const fresh = { again: false, done: Promise.resolve() };
    fresh.done = (async () => {
      try {
        do {
          fresh.again = false;
          try {
            await task();
          } catch (error) {
            this.onError(error, key);
          }
        } while (fresh.again);
      } finally {
        this.slots.delete(key);
      }
    })();
    this.slots.set(key, fresh);
    return fresh.done;
  }

  /** Resolves when nothing is scheduled any more. */
  async idle(): Promise<void> {
    while (this.slots.size) await Promise.allSettled([...this.slots.values()].map((s) => s.done));
  }
}

/** A map that forgets its oldest entries past a size: per-message state must not grow without bound. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (super.has(key)) super.delete(key);
    super.set(key, value);
    while (this.size > this.limit) super.delete(this.keys().next().value as K);
    return this;
  }
}
