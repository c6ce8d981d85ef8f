/**
 * What server mode costs a command: `cvm instances` through the server's API (HTTP, token check, JSON both
 * ways) against the same engine called in-process (the baseline), both on the emulator. Five rounds of 50
 * commands each; median and range of the per-command time, and the ratio. Then what sealing costs the records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendAudit,
  builtinPolicy,
  FileStore,
  createApiHandler,
  createClient,
  createEngine,
  createRemoteEngine,
  type Engine,
  openStore,
  Sessions,
} from '@tceops/core';
import type { ApprovalRecord } from '@tceops/core/approvals/types.ts';
import { DEMO_CREDENTIALS, startEmulator } from '@tceops/emulator';

const ROUNDS = 5;
const PER_ROUND = 50;

async function round(engine: Engine): Promise<number> {
  const ctx = { actor: { id: 'UBENCH' }, surface: 'cli' as const };
  const t0 = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    const outcome = await engine.run('cvm instances --limit 20', ctx);
    if (outcome.kind !== 'table') throw new Error(`expected a table, got ${outcome.kind}`);
  }
  return (performance.now() - t0) / PER_ROUND;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(2)} ms (range ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;

/** What sealing costs an audit append (the MAC, and the sealed head written beside it): plain store as baseline. */
async function sealingBench(): Promise<void> {
  const plain: number[] = [];
  const sealed: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [into, open] of [
      [plain, () => FileStore.open(mkdtempSync(join(tmpdir(), 'tceops-bench-plain-')))],
      [
        sealed,
        () =>
          openStore(`file:${mkdtempSync(join(tmpdir(), 'tceops-bench-sealed-'))}`, {
            key: { key: Buffer.from('s'.repeat(64)), source: 'bench' },
          }),
      ],
    ] as const) {
      const store = await open();
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) await appendAudit(store, { kind: 'request', actor: 'UBENCH', event: 'bench' });
      into.push((performance.now() - t0) / 100);
      await store.close();
    }
  }
  console.log('\n## Sealed records: one audit append (fsync\u2019d), per append');
  console.log(`plain file store (baseline)    ${fmt(plain)}`);
  console.log(`sealed (MAC + sealed head)     ${fmt(sealed)}`);
  console.log(`ratio (sealed / plain)         ${(median(sealed) / median(plain)).toFixed(2)}x`);
}

/** A request as stored: just the fields every reader checks. */
function benchApproval(id: string): ApprovalRecord {
  const at = new Date().toISOString();
  return {
    id,
    version: 1,
    state: 'pending',
    plan: { summary: 'bench', hash: 'h', region: 'ap-guangzhou', risk: 'destructive', targets: [], calls: [] },
    requester: { id: 'UBENCH' },
    surface: 'cli',
    rule: 'bench',
    needed: 1,
    approverRoles: [],
    eligible: ['*'],
    selfApproval: false,
    ttl: '1h',
    approvals: [],
    createdAt: at,
    updatedAt: at,
    expiresAt: at,
    meta: {},
  } as unknown as ApprovalRecord;
}

/**
 * What the approval chain costs: a write (create, then a compare-and-set), and opening a store of 2,000 writes and
 * reading one request (the chain walked once); the plain file store is the baseline.
 */
export async function chainBench(): Promise<void> {
  const write = { plain: [] as number[], sealed: [] as number[] };
  const open = { plain: [] as number[], sealed: [] as number[] };
  const key = { key: Buffer.from('c'.repeat(64)), source: 'bench' };
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of ['plain', 'sealed'] as const) {
      const dir = mkdtempSync(join(tmpdir(), `tceops-bench-chain-${kind}-`));
      const opened = () => (kind === 'plain' ? FileStore.open(dir) : openStore(`file:${dir}`, { key }));
      let store = await opened();
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) {
        const record = benchApproval(`apr-w${r}${i}`);
        await store.createApproval(record);
        await store.compareAndSetApproval({ ...record, version: 2, state: 'denied' }, 1);
      }
      write[kind].push((performance.now() - t0) / 100);
      for (let i = 0; i < 950; i++) {
        const record = benchApproval(`apr-o${r}${i}`);
        await store.createApproval(record);
        await store.compareAndSetApproval({ ...record, version: 2, state: 'denied' }, 1);
      }
      await store.close();
      const t1 = performance.now();
      store = await opened();
      if ((await store.getApproval(`apr-o${r}0`))?.state !== 'denied') throw new Error('bench: not read back');
      open[kind].push(performance.now() - t1);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('\n## Approval chain: one approval write (fsync\u2019d), per write');
  console.log(`plain file store (baseline)    ${fmt(write.plain)}`);
  console.log(`sealed, chained (+ head file)  ${fmt(write.sealed)}`);
  console.log(`ratio (sealed / plain)         ${(median(write.sealed) / median(write.plain)).toFixed(2)}x`);
  console.log('## Approval chain: open a store of 2,000 writes and read one request');
  console.log(`plain file store (baseline)    ${fmt(open.plain)}`);
  console.log(`sealed, chain walked           ${fmt(open.sealed)}`);
  console.log(`ratio (sealed / plain)         ${(median(open.sealed) / median(open.plain)).toFixed(2)}x`);
}

export async function runServerBench(): Promise<void> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  const dir = mkdtempSync(join(tmpdir(), 'tceops-bench-server-'));
  const store = await openStore(`file:${dir}`, { key: { key: Buffer.from('b'.repeat(64)), source: 'bench' } });
  const client = createClient({
    endpoint: emulator.url,
    region: 'ap-guangzhou',
    credentials: { ...DEMO_CREDENTIALS, source: 'bench' },
  });
  const local = createEngine({ client, store, policy: builtinPolicy(), expireEveryMs: 0, wait: false });
  const sessions = new Sessions({ store });
  const server = createServer(createApiHandler({ engine: local, sessions }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { token } = await sessions.issue({ id: 'UBENCH' }, 'bench');
  const remote = createRemoteEngine({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token });
  try {
    await round(local);
    await round(remote);
    const inProcess: number[] = [];
    const viaServer: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      inProcess.push(await round(local));
      viaServer.push(await round(remote));
    }
    console.log('\n## Server mode: cvm instances --limit 20, per command');
    console.log(`in-process engine (baseline)   ${fmt(inProcess)}`);
    console.log(`through the server's API       ${fmt(viaServer)}`);
    console.log(`ratio (server / in-process)    ${(median(viaServer) / median(inProcess)).toFixed(2)}x`);
  } finally {
    await new Promise((r) => server.close(r));
    await local.close();
    await store.close();
    client.close();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  await sealingBench();
  await chainBench();
}

if (import.meta.url === `file://${process.argv[1]}`) await runServerBench();
