/**
 * Prometheus metrics in the text exposition format, written by hand: six metric families do not justify a
 * dependency. Counters, one histogram and one gauge read when rendered; `render()` is what /metrics serves.
 */

type Labels = Record<string, string>;

const key = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k]!)}"`)
    .join(',');

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return lines.join('\n');
  }
}

export class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    this.buckets.forEach((le, i) => {
      if (value <= le) s.counts[i]! += 1;
    });
    s.sum += value;
    s.count += 1;
  }
  count(labels: Labels = {}): number {
    return this.series.get(key(labels))?.count ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const prefix = k ? `${k},` : '';
      this.buckets.forEach((le, i) => {
        lines.push(`${this.name}_bucket{${prefix}le="${le}"} ${s.counts[i]}`);
      });
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`);
      lines.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.count}`);
    }
    return lines.join('\n');
  }
}

/** A value read when the metrics are rendered (open streams: the API handler knows them, not this module). */
export class Gauge {
  private read: () => number = () => 0;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  /** Where the value comes from, once it exists. */
  from(read: () => number): void {
    this.read = read;
  }
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`].join('\n');
  }
}

export interface SlackMetrics {
  /** Slash commands, menu items and buttons handled, by what kind of outcome they came to. */
  commands: Counter;
  /** Time from a request's arrival to Slack's acknowledgement. */
  ackSeconds: Histogram;
  /** Approval state changes seen by this process. */
  approvals: Counter;
  /** Failures: Slack API calls that failed after their retries, engine exceptions, handler errors. */
  errors: Counter;
  /** Server mode: progress and approvals streams open now. */
  apiStreams: Gauge;
  /** Server mode: streams refused for a limit, by whose limit (user or server). */
  apiStreamsRefused: Counter;
  render(): string;
}

export function createMetrics(): SlackMetrics {
  const commands = new Counter('tceops_slack_commands_total', 'Commands received from Slack, by source and outcome.');
  const ackSeconds = new Histogram(
    'tceops_slack_ack_seconds',
    'Time from a request arriving to its acknowledgement being sent to Slack.',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3],
  );
  const approvals = new Counter('tceops_slack_approvals_total', 'Approval state changes seen, by new state.');
  const errors = new Counter('tceops_slack_errors_total', 'Errors, by where they happened.');
  const apiStreams = new Gauge('tceops_api_streams_open', 'Server mode: NDJSON streams open now.');
  const apiStreamsRefused = new Counter(
    'tceops_api_streams_refused_total',
    'Server mode: streams refused for a limit, by scope (user or server).',
  );
  const all = [commands, ackSeconds, approvals, errors, apiStreams, apiStreamsRefused];
  return {
    commands,
    ackSeconds,
    approvals,
    errors,
    apiStreams,
    apiStreamsRefused,
    render: () => `${all.map((m) => m.render()).join('\n')}\n`,
  };
}
