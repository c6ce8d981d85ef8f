/**
 * Structured logs: one JSON object per line, every line passed through core's `redact` so that tokens, keys and
 * passwords never reach the log even when they hide inside an error message. Bolt's own log calls go through the
 * same writer.
 */
import type { Logger as BoltLogger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { inertJson, redact } from './core.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Log {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds these fields to every line. */
  child(fields: Record<string, unknown>): Log;
}

export interface LogOptions {
  level?: Level;
  /** Where lines go; stdout by default. Tests capture them here. */
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
}

export function createLog(options: LogOptions = {}): Log {
  const threshold = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = options.fields ?? {};
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < threshold) return;
    const record = { time: new Date().toISOString(), level, msg, ...base, ...normalise(fields) };
    // JSON escapes controls but leaves bidi and C1 characters raw: escape those too, for whoever reads the log.
    write(redact(inertJson(JSON.stringify(record))));
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLog({ ...options, fields: { ...base, ...fields } }),
  };
}

/** Errors do not survive JSON.stringify: keep their name, code and message. */
function normalise(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return fields;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = value instanceof Error ? describeError(value) : value;
  return out;
}

export function describeError(error: Error): Record<string, unknown> {
  const coded = error as Error & { code?: unknown; requestId?: unknown; data?: { error?: unknown } };
  return {
    name: error.name,
    message: error.message,
    ...(coded.code !== undefined ? { code: coded.code } : {}),
    ...(coded.requestId ? { requestId: coded.requestId } : {}),
    ...(coded.data?.error ? { slackError: coded.data.error } : {}),
  };
}

/** Bolt's Logger interface over ours. Bolt logs strings and sometimes objects; join them into one message. */
export function boltLogger(log: Log, level: Level = 'info'): BoltLogger {
  let current = level;
  const scoped = createLevelFilter(log, () => current);
  let name = 'bolt';
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' ');
  return {
    debug: (...parts) => scoped('debug', text(parts), name),
    info: (...parts) => scoped('info', text(parts), name),
    warn: (...parts) => scoped('warn', text(parts), name),
    error: (...parts) => scoped('error', text(parts), name),
    setLevel: (l) => {
      current = fromBoltLevel(l);
    },
    getLevel: () => toBoltLevel(current),
    setName: (n) => {
      name = n;
    },
  };
}

function createLevelFilter(log: Log, threshold: () => Level) {
  return (level: Level, msg: string, component: string) => {
    if (RANK[level] >= RANK[threshold()]) log[level](msg, { component });
  };
}

function safeJson(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function fromBoltLevel(level: LogLevel): Level {
  return level === LogLevel.DEBUG
    ? 'debug'
    : level === LogLevel.WARN
      ? 'warn'
      : level === LogLevel.ERROR
        ? 'error'
        : 'info';
}

function toBoltLevel(level: Level): LogLevel {
  return { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
}
