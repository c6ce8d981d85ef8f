/**
 * What recording reads costs (`auditReads: true`): the same reads through two engines on one emulator, each with
 * its own sealed file store — the policy's default (a read leaves its request line) as the baseline, and
 * `auditReads: true` (a read record in its place, written once the answer is back). Rounds alternate between the
 * two; median and range of the per-read time, the ratio, and how many bytes each read adds to the log. Rate
 * limits are off, so what is measured is the pipeline and the log, not the pacing.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPolicy, createClient, createEngine, type Engine, openStore, type Store } from '@tceops/core';
import { DEMO_CREDENTIALS, startEmulator } from '@tceops/emulator';

const ROUNDS = 5;
const PER_ROUND = 30;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[], unit: string, digits = 2) =>
  `median ${median(xs).toFixed(digits)} ${unit} (range ${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

interface Side {
  engine: Engine;
  store: Store;
  log: string;
  ms: number[];
  bytes: number[];
}

async function side(policyText: string, client: ReturnType<typeof createClient>): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'tceops-bench-reads-'));
  const store = await openStore(`file:${dir}`, { key: { key: Buffer.from('r'.repeat(64)), source: 'bench' } });
  const { policy } = checkPolicy(policyText, 'bench.yaml');
  const engine = createEngine({ client, store, policy: policy!, expireEveryMs: 0, wait: false });
  return { engine, store, log: join(dir, 'audit.jsonl'), ms: [], bytes: [] };
}

async function round(s: Side, words: string[]): Promise<void> {
  const ctx = { actor: { id: 'U012ABCDEF' }, surface: 'slack' as const, channel: 'C0OPS' };
  const size = () => {
    try {
      return statSync(s.log).size;
    } catch {
      return 0;
    }
  };
  const before = size();
  const t0 = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    const outcome = await s.engine.run(words, ctx);
    if (outcome.kind !== 'table' && outcome.kind !== 'detail')
      throw new Error(`expected an answer, got ${outcome.kind}`);
  }
  s.ms.push((performance.now() - t0) / PER_ROUND);
  s.bytes.push((size() - before) / PER_ROUND);
}

export async function runAuditReadsBench(): Promise<void> {
  // No rate limits on either side: the documented 20–40 calls a second per action would pace both runs in steps of
  // 25–50 ms and hide the record's cost in the pacing.
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo', rateLimits: false });
  const client = createClient({
    rateLimit: false,
    endpoint: emulator.url,
    region: 'ap-guangzhou',
    credentials: { ...DEMO_CREDENTIALS, source: 'bench' },
  });
  const id = (
    (await client.call('cvm', 'DescribeInstances', { Limit: 1 })) as { InstanceSet: { InstanceId: string }[] }
  ).InstanceSet[0]!.InstanceId;
  const off = await side('version: 1\n', client);
  const on = await side('version: 1\nauditReads: true\n', client);
  try {
    for (const [title, words] of [
      ['cvm instances --limit 20', ['cvm', 'instances', '--limit', '20']],
      [`call cvm DescribeInstances --InstanceIds.0 ${id}`, ['call', 'cvm', 'DescribeInstances', '--InstanceIds.0', id]],
    ] as const) {
      for (const s of [off, on]) {
        s.ms = [];
        s.bytes = [];
        await round(s, [...words]); // warm-up
        s.ms = [];
        s.bytes = [];
      }
      for (let r = 0; r < ROUNDS; r++) for (const s of r % 2 ? [on, off] : [off, on]) await round(s, [...words]);
      console.log(`\n## Recording reads: ${title}, per read (sealed file store, fsync'd)`);
      console.log(`auditReads off (baseline)      ${fmt(off.ms, 'ms')}, log +${fmt(off.bytes, 'bytes', 0)}`);
      console.log(`auditReads: true               ${fmt(on.ms, 'ms')}, log +${fmt(on.bytes, 'bytes', 0)}`);
      console.log(
        `ratio (on / off)               ${(median(on.ms) / median(off.ms)).toFixed(2)}x time, ${(median(on.bytes) / median(off.bytes)).toFixed(2)}x bytes`,
      );
    }
  } finally {
    for (const s of [off, on]) {
      await s.engine.close();
      await s.store.close();
      rmSync(join(s.log, '..'), { recursive: true, force: true });
    }
    client.close();
    await emulator.stop();
  }
}
