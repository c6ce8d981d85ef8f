/**
 * startEmulator: the library entry. Loads the state file (or a seed), listens, and keeps the file up to date;
 * stop() closes the server and flushes the state, so a clean stop loses nothing.
 */
import type { RequestRecord } from './api.ts';
import { type Credential, DEMO_CREDENTIALS } from './auth.ts';
import { type Durations, resolveDurations } from './clock.ts';
import { createFaults, type FaultRule, type Faults, parseFaultFlag, parseFaultRule } from './faults.ts';
import { findRegion, REGIONS } from './geography.ts';
import { createPersister, loadState, type Persister } from './persistence.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createState, type SeedName } from './seed.ts';
import { listen } from './server.ts';
import { invalidateLists } from './services/common.ts';
import { strayHandlers } from './services/index.ts';
import type { EmulatorState } from './state.ts';
import type { World } from './world.ts';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default: the inspection endpoints have no authentication. */
  host?: string;
  /** Where the state lives between runs; none keeps it in memory only. */
  stateFile?: string;
  /** What a new state starts with (ignored when the state file exists). Default "demo". */
  seed?: SeedName;
  /** Extra synthetic instances (node-00001, ...) on top of the seed, for load tests. */
  syntheticInstances?: number;
  /** Where the synthetic instances go (default: spread over every region). */
  syntheticRegions?: string[];
  /** Key pairs accepted; default DEMO_CREDENTIALS. */
  credentials?: Credential[];
  /** "off" accepts unsigned and wrongly signed requests. Default "strict". */
  auth?: 'strict' | 'off';
  /** The documented per-action limits; default true. */
  rateLimits?: boolean;
  /** Multiplies every transition's duration: 0 makes them instant, 0.01 a hundred times faster. Default 1. */
  timeScale?: number;
  /** Individual durations in ms, overriding the scaled defaults. */
  durations?: Partial<Durations>;
  /** Fault rules active from the start: objects or `--fault` strings. */
  faults?: (FaultRule | string)[];
  /** How many recent requests /_tce/requests keeps. Default 500. */
  keepRequests?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export interface RunningEmulator {
  url: string;
  host: string;
  port: number;
  /** The live state (replaced by reset). */
  readonly state: EmulatorState;
  faults: Faults;
  requests(): RequestRecord[];
  reset(seed?: SeedName, syntheticInstances?: number): void;
  /** Write the state file now. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const stray = strayHandlers();
  if (stray.length) throw new Error(`emulator handlers for undocumented actions: ${stray.join(', ')}`);
  const now = options.now ?? Date.now;
  const durations = resolveDurations(options.timeScale ?? 1, options.durations);
  const credentials = options.credentials?.length ? options.credentials : [{ ...DEMO_CREDENTIALS }];
  for (const c of credentials) {
    if (!c.secretId || !c.secretKey) throw new Error('every credential needs a secretId and a secretKey');
  }
  const seed = options.seed ?? 'demo';
  if (seed !== 'demo' && seed !== 'empty') throw new Error(`seed must be "demo" or "empty", not "${seed}"`);
  for (const region of options.syntheticRegions ?? []) {
    if (!findRegion(region))
      throw new Error(`syntheticRegions: no region ${region}; regions: ${REGIONS.map((r) => r.Region).join(', ')}`);
  }
  const loaded = options.stateFile ? await loadState(options.stateFile) : undefined;

  let persister: Persister | undefined;
  const world: World = {
    state:
      loaded ??
      createState(seed, now(), durations, {
        count: options.syntheticInstances ?? 0,
        regions: options.syntheticRegions,
      }),
    durations,
    now,
    // Pending transitions from a file are settled on the first request.
    nextDue: Number.NEGATIVE_INFINITY,
    changed: () => persister?.changed(),
  };
  if (options.stateFile) {
    persister = createPersister(options.stateFile, () => world.state);
    // A new file is written at once, so the seed survives a kill.
    if (!loaded) {
      persister.changed();
      await persister.flush();
    }
  }

  const faults = createFaults();
  for (const fault of options.faults ?? [])
    faults.add(typeof fault === 'string' ? parseFaultFlag(fault) : parseFaultRule(fault));
  const limiter = createRateLimiter();
  const keep = options.keepRequests ?? 500;
  const recent: RequestRecord[] = [];
  let served = 0;
  const startedAt = Date.now();

  const reset = (to: SeedName = 'demo', synthetic = 0) => {
    world.state = createState(to, now(), durations, { count: synthetic });
    world.nextDue = Number.NEGATIVE_INFINITY;
    invalidateLists();
    limiter.reset();
    world.changed();
  };

  const listening = await listen(
    {
      api: {
        world,
        faults,
        limiter,
        options: { auth: options.auth ?? 'strict', credentials, rateLimits: options.rateLimits ?? true },
      },
      inspect: {
        state: () => world.state,
        faults,
        requests: () => recent,
        startedAt,
        served: () => served,
        persistence: () => ({ file: options.stateFile, ...persister?.lastWrite() }),
        reset,
      },
      onRequest(record) {
        served += 1;
        recent.push(record);
        if (recent.length > keep) recent.splice(0, recent.length - keep);
      },
    },
    options.port ?? 0,
    options.host ?? '127.0.0.1',
  );

  const shownHost = listening.host.includes(':') ? `[${listening.host}]` : listening.host;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${listening.port}`,
    host: listening.host,
    port: listening.port,
    get state() {
      return world.state;
    },
    faults,
    requests: () => [...recent],
    reset,
    flush: async () => {
      await persister?.flush();
    },
    stop() {
      stopped ??= (async () => {
        await listening.close();
        // A clean stop leaves the whole state in one file (no journal to replay).
        await persister?.flush({ compact: true });
      })();
      return stopped;
    },
  };
}
