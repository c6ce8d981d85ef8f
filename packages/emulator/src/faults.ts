/**
 * Faults on demand, per service or action: an error code with a probability, added latency, or a dropped
 * connection. Set through POST /_tce/faults (JSON) or `--fault` flags, cleared with DELETE /_tce/faults.
 */

export interface FaultRule {
  id: string;
  /** cvm, cfs, csm; absent or "*" = every service. */
  service?: string;
  /** An action name; absent or "*" = every action. */
  action?: string;
  /** Answer with this TCE error code instead of doing the action. */
  error?: string;
  message?: string;
  /** Wait this long before answering. */
  latencyMs?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** Chance of the rule firing on a matching request, 0 to 1 (default 1). */
  probability?: number;
  /** Fire this many times, then retire (default: until cleared). */
  times?: number;
}

export interface FaultOutcome {
  latencyMs: number;
  drop: boolean;
  error?: { code: string; message: string };
}

export interface Faults {
  list(): FaultRule[];
  add(rule: FaultRule): FaultRule;
  remove(id: string): boolean;
  clear(): void;
  decide(service: string, action: string): FaultOutcome;
}

export function createFaults(random: () => number = Math.random): Faults {
  let rules: FaultRule[] = [];
  let counter = 0;
  return {
    list: () => rules.map((r) => ({ ...r })),
    add(rule) {
      const stored = { ...rule, id: rule.id || `fault-${++counter}` };
      rules.push(stored);
      return { ...stored };
    },
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length < before;
    },
    clear() {
      rules = [];
    },
    decide(service, action) {
      const outcome: FaultOutcome = { latencyMs: 0, drop: false };
      for (const rule of rules) {
        if (!matches(rule.service, service) || !matches(rule.action, action)) continue;
        if (rule.times !== undefined && rule.times <= 0) continue;
        if (random() >= (rule.probability ?? 1)) continue;
        if (rule.times !== undefined) rule.times -= 1;
        outcome.latencyMs += rule.latencyMs ?? 0;
        if (rule.drop) outcome.drop = true;
        if (rule.error && !outcome.error) {
          outcome.error = {
            code: rule.error,
            message: rule.message ?? `injected fault ${rule.id}: ${rule.error} for ${service}:${action}`,
          };
        }
      }
      rules = rules.filter((r) => r.times === undefined || r.times > 0);
      return outcome;
    },
  };
}

function matches(pattern: string | undefined, value: string): boolean {
  return pattern === undefined || pattern === '*' || pattern.toLowerCase() === value.toLowerCase();
}

/** A rule from JSON, checked field by field; the error says which field is wrong and what it takes. */
export function parseFaultRule(input: unknown): FaultRule {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new Error(
      'a fault is a JSON object, e.g. {"service":"cvm","action":"StopInstances","error":"InternalError"}',
    );
  const raw = input as Record<string, unknown>;
  const known = ['id', 'service', 'action', 'error', 'message', 'latencyMs', 'drop', 'probability', 'times'];
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`unknown fault field ${unknown.join(', ')}; fields: ${known.join(', ')}`);
  const text = (name: string): string | undefined => {
    const value = raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new Error(`fault field ${name} must be a non-empty string`);
    return value;
  };
  const number = (name: string, min: number, max: number): number | undefined => {
    const value = raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value >= min && value <= max))
      throw new Error(`fault field ${name} must be a number from ${min} to ${max}`);
    return value;
  };
  if (raw.drop !== undefined && typeof raw.drop !== 'boolean')
    throw new Error('fault field drop must be true or false');
  const rule: FaultRule = {
    id: text('id') ?? '',
    service: text('service'),
    action: text('action'),
    error: text('error'),
    message: text('message'),
    latencyMs: number('latencyMs', 0, 600_000),
    drop: raw.drop as boolean | undefined,
    probability: number('probability', 0, 1),
    times: number('times', 1, 1e9),
  };
  if (!rule.error && !rule.latencyMs && !rule.drop)
    throw new Error('a fault needs an effect: "error" (a TCE code), "latencyMs" or "drop": true');
  if (rule.times !== undefined && !Number.isInteger(rule.times)) throw new Error('fault field times must be whole');
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as FaultRule;
}

/**
 * A rule from a command-line flag: `TARGET=EFFECT`, where TARGET is `service:Action`, `service:*`, `Action` or
 * `*`, and EFFECT is an error code, `latency:MS` or `drop`, each optionally followed by `@probability`.
 * Examples: `cvm:StopInstances=InternalError@0.5`, `*=latency:200`, `cfs:*=drop@0.1`.
 */
export function parseFaultFlag(spec: string): FaultRule {
  const match = /^([^=]+)=([^@]+)(?:@([0-9.]+))?$/.exec(spec.trim());
  if (!match) {
    throw new Error(
      `--fault "${spec}": expected TARGET=EFFECT[@probability], e.g. cvm:StopInstances=InternalError@0.5, *=latency:200, cfs:*=drop`,
    );
  }
  const [, target, effect, probability] = match as unknown as [string, string, string, string | undefined];
  const [service, action] = target.includes(':') ? target.split(':', 2) : [undefined, target];
  const rule: Record<string, unknown> = { service, action };
  if (effect === 'drop') rule.drop = true;
  else if (effect.startsWith('latency:')) rule.latencyMs = Number(effect.slice('latency:'.length));
  else rule.error = effect;
  if (probability !== undefined) rule.probability = Number(probability);
  try {
    return parseFaultRule(Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)));
  } catch (error) {
    throw new Error(`--fault "${spec}": ${(error as Error).message}`);
  }
}
