/**
 * The real command pipeline for end-to-end tests: core's createEngine with the built-in policy, a store, and the
 * TCE emulator (packages/emulator) on loopback — or, while the emulator is not in the tree, the small CVM
 * endpoint in mini-cvm.ts. Core is loaded dynamically, so a tree where it cannot load skips these tests with the
 * reason (and fails them under CI, as the store tests do).
 */
import type { Engine } from '../../packages/slack/src/core.ts';
import type { KeyValue } from '../../packages/slack/src/tracker.ts';

export interface RealStore extends KeyValue {
  getApproval(id: string): Promise<{ state: string; plan: { hash: string } } | undefined>;
  close(): Promise<void>;
}

export interface RealPipeline {
  engine: Engine;
  store: RealStore;
  /** Calls the emulator as any TCE client would. */
  call(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Audit records of this kind for a plan. */
  audit(kind: string, planHash: string): Promise<unknown[]>;
  close(): Promise<void>;
}

interface Emulator {
  url: string;
  stop(): Promise<void>;
}

// Variable specifiers: the type checker must not require packages that may not exist yet.
const CORE = '@tceops/core';
const EMULATOR = '@tceops/emulator';

/** Why the real pipeline cannot be loaded here, or undefined when it can. */
export async function realPipelineMissing(): Promise<string | undefined> {
  try {
    await import(CORE);
    return undefined;
  } catch (error) {
    return `${CORE} cannot be loaded (${(error as Error).message.split('\n')[0]})`;
  }
}

/** For a suite's before(): where something it needs is missing, skip it with the reason; under CI, fail instead. */
export function skipOrFail(suite: Mocha.Context, missing: string | undefined, need: string): void {
  if (!missing) return;
  if (process.env.CI) throw new Error(`${need}: ${missing}`);
  suite.skip();
}

async function emulatorModule(): Promise<
  { startEmulator(o: object): Promise<Emulator>; DEMO_CREDENTIALS: object } | undefined
> {
  try {
    return await import(EMULATOR);
  } catch {
    return undefined;
  }
}

/** The project's emulator with its demo seed when it is in the tree, else the mini CVM. */
export async function startEmulator(): Promise<
  Emulator & { kind: 'emulator' | 'mini-cvm'; calls?: Map<string, number>; slow?: Map<string, number> }
> {
  const emulator = await emulatorModule();
  if (emulator) {
    const started = await emulator.startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
    return { kind: 'emulator', url: started.url, stop: () => started.stop() };
  }
  const mini = await (await import('./mini-cvm.ts')).startMiniCvm();
  // The mini CVM counts every action it served: "ran once" can be checked on the cloud side too.
  return { kind: 'mini-cvm', url: mini.url, stop: () => mini.stop(), calls: mini.calls, slow: mini.slow };
}

export async function openRealPipeline(options: {
  store: string;
  emulatorUrl: string;
  waitIntervalMs?: number;
}): Promise<RealPipeline> {
  const core = await import(CORE);
  const DEMO_CREDENTIALS = (await emulatorModule())?.DEMO_CREDENTIALS ?? {
    secretId: 'AKIDminicvm',
    secretKey: 'mini-cvm-key',
  };
  const client = core.createClient({
    endpoint: options.emulatorUrl,
    region: 'ap-guangzhou',
    credentials: { ...DEMO_CREDENTIALS, source: 'the test emulator' },
  });
  const store = await core.openStore(options.store);
  const engine: Engine = core.createEngine({
    client,
    store,
    policy: core.builtinPolicy(),
    waitIntervalMs: options.waitIntervalMs ?? 50,
    waitTimeoutMs: 15_000,
    expireEveryMs: 0,
  });
  return {
    engine,
    store,
    call: (action, params) => client.call('cvm', action, params, { region: 'ap-guangzhou' }),
    audit: async (kind, planHash) =>
      ((await core.readAudit(store)) as { kind: string; planHash?: string }[]).filter(
        (r) => r.kind === kind && r.planHash === planHash,
      ),
    async close() {
      await engine.idle();
      await engine.close();
      await store.close();
      client.close?.();
    },
  };
}

/** A running instance of the demo seed without a production tag (one approval, not two). */
export async function pickInstance(pipeline: RealPipeline, state: string): Promise<{ id: string; name: string }> {
  const response = (await pipeline.call('DescribeInstances', { Limit: 100 })) as {
    InstanceSet: {
      InstanceId: string;
      InstanceName: string;
      InstanceState: string;
      Tags?: { Key: string; Value: string }[];
    }[];
  };
  const found = response.InstanceSet.find(
    (i) => i.InstanceState === state && !(i.Tags ?? []).some((t) => /prod/i.test(`${t.Key}=${t.Value}`)),
  );
  if (!found) throw new Error(`the demo seed has no ${state} instance without a production tag`);
  return { id: found.InstanceId, name: found.InstanceName };
}

export async function instanceState(pipeline: RealPipeline, id: string): Promise<string> {
  const response = (await pipeline.call('DescribeInstances', { InstanceIds: [id] })) as {
    InstanceSet: { InstanceState: string }[];
  };
  return response.InstanceSet[0]?.InstanceState ?? 'GONE';
}

/** Polls an async condition until it holds. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
