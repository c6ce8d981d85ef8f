/**
 * The emulator under load. Run: npx tsx bench/emulator.bench.ts
 * 1. 10,000 instances in ap-guangzhou, DescribeInstances pages of 100 over loopback: p50 and p99 (target p50 ≤ 5 ms).
 * 2. Requests per second, the emulator against a bare node:http server answering the same page (the ceiling).
 * 3. A full listing through the core client with the documented limit on both sides (20/s): time against the
 *    bound (pages ÷ limit per second, target ≤ 1.15×), and no RequestLimitExceeded reaching the caller.
 * 4. Persisting one change at 10,000 instances: the journal line against rewriting the whole file (before).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, listAll } from '../packages/core/src/index.ts';
import { signTc3 } from '../packages/core/src/api/sign/tc3.ts';
import { DEMO_CREDENTIALS, startEmulator } from '../packages/emulator/src/index.ts';
import { writeStateAtomically } from '../packages/emulator/src/persistence.ts';
import { percentile } from './lib.ts';

const INSTANCES = 10_000;
const PAGE = 100;

/** One signed DescribeInstances page request, as any TC3 client sends it. */
function pageRequest(port: number, agent: http.Agent, offset: number): Promise<string> {
  const payload = JSON.stringify({ Offset: offset, Limit: PAGE });
  const host = `127.0.0.1:${port}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const { authorization } = signTc3({
    ...DEMO_CREDENTIALS,
    service: 'cvm',
    timestamp,
    request: { method: 'POST', query: '', headers: { 'content-type': 'application/json', host }, payload },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: {
          'Content-Type': 'application/json',
          Host: host,
          Authorization: authorization,
          'X-TC-Action': 'DescribeInstances',
          'X-TC-Version': '2017-03-12',
          'X-TC-Region': 'ap-guangzhou',
          'X-TC-Timestamp': String(timestamp),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function latency(
  port: number,
  agent: http.Agent,
  pages: number,
): Promise<{ p50: number; p99: number; mean: number }> {
  const samples: number[] = [];
  for (let i = 0; i < pages + 50; i++) {
    const offset = (i % (INSTANCES / PAGE)) * PAGE;
    const t0 = performance.now();
    const body = await pageRequest(port, agent, offset);
    const ms = performance.now() - t0;
    if (i === 0 && !body.includes('"InstanceSet"')) throw new Error(`unexpected answer: ${body.slice(0, 200)}`);
    if (i >= 50) samples.push(ms);
  }
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

async function throughput(port: number, agent: http.Agent, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await pageRequest(port, agent, (i % (INSTANCES / PAGE)) * PAGE);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (total * 1000) / (performance.now() - t0);
}

export async function runEmulatorBench(): Promise<{
  p50: number;
  p99: number;
  rpsRatio: number;
  listingRatio: number;
  persistenceRatio: number;
}> {
  const emulator = await startEmulator({
    seed: 'empty',
    syntheticInstances: INSTANCES,
    syntheticRegions: ['ap-guangzhou'],
    rateLimits: false,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const { p50, p99, mean } = await latency(emulator.port, agent, 1000);
  console.log('\n## Emulator: DescribeInstances, 10,000 instances, pages of 100, loopback, one at a time');
  console.log(`p50 ${p50.toFixed(2)} ms   p99 ${p99.toFixed(2)} ms   mean ${mean.toFixed(2)} ms   (target p50 ≤ 5 ms)`);

  // The ceiling: node:http answering the very same page, after reading the same signed request.
  const samplePage = await pageRequest(emulator.port, agent, 0);
  const bare = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(samplePage),
      });
      res.end(samplePage);
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const barePort = (bare.address() as AddressInfo).port;
  const floor = await latency(barePort, agent, 1000);
  console.log(
    `the same page from bare node:http: p50 ${floor.p50.toFixed(2)} ms   p99 ${floor.p99.toFixed(2)} ms (the floor)`,
  );
  const rounds = 3;
  const emulatorRps: number[] = [];
  const bareRps: number[] = [];
  for (let round = 0; round < rounds; round++) {
    emulatorRps.push(await throughput(emulator.port, agent, 3000, 8));
    bareRps.push(await throughput(barePort, agent, 3000, 8));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rpsRatio = median(emulatorRps) / median(bareRps);
  console.log(
    `\n## Requests per second (8 concurrent, keep-alive, ${(samplePage.length / 1024).toFixed(0)} KB pages; medians of ${rounds} rounds)`,
  );
  console.log(
    `emulator ${median(emulatorRps).toFixed(0)} req/s   bare node:http ${median(bareRps).toFixed(0)} req/s   ratio ${rpsRatio.toFixed(2)}×`,
  );
  bare.close();
  agent.destroy();
  await emulator.stop();

  // Full listing under the documented limit, on both sides.
  const limited = await startEmulator({
    seed: 'empty',
    syntheticInstances: INSTANCES,
    syntheticRegions: ['ap-guangzhou'],
  });
  let retries = 0;
  const client = createClient({
    endpoint: limited.url,
    region: 'ap-guangzhou',
    credentials: { ...DEMO_CREDENTIALS, source: 'bench' },
    env: {},
    onEvent: (event) => {
      if (event.type === 'retry') retries += 1;
    },
  });
  const t0 = performance.now();
  const all = await listAll(
    client,
    'cvm',
    'DescribeInstances',
    {},
    { itemsKey: 'InstanceSet', region: 'ap-guangzhou' },
  );
  const seconds = (performance.now() - t0) / 1000;
  const pages = Math.ceil(INSTANCES / PAGE);
  // The bound: pages ÷ the documented limit per second.
  const bound = pages / 20;
  const listingRatio = seconds / bound;
  const refused = limited.requests().filter((r) => r.code === 'RequestLimitExceeded').length;
  console.log('\n## Full listing through the core client, documented limit enforced (DescribeInstances 20/s)');
  console.log(
    `${all.length} instances in ${pages} pages: ${seconds.toFixed(2)} s; bound ${bound.toFixed(2)} s; ratio ${listingRatio.toFixed(3)}× (target ≤ 1.15×); RequestLimitExceeded answered ${refused}, retried ${retries}`,
  );
  client.close();
  await limited.stop();
  const persistenceRatio = await persistence();
  return { p50, p99, rpsRatio, listingRatio, persistenceRatio };
}

/**
 * What one change costs to persist at 10,000 instances: the journal line the emulator appends, against rewriting
 * the whole state file atomically (what it did before, the baseline), in bytes and time; medians of several changes.
 */
async function persistence(changes = 7): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tceops-persist-bench-'));
  const file = join(dir, 'state.json');
  const emulator = await startEmulator({
    seed: 'empty',
    syntheticInstances: INSTANCES,
    syntheticRegions: ['ap-guangzhou'],
    rateLimits: false,
    timeScale: 0,
    stateFile: file,
  });
  const ids = Object.keys(emulator.state.cvm.instances);
  const journal: { ms: number; bytes: number }[] = [];
  const whole: { ms: number; bytes: number }[] = [];
  try {
    for (let i = 0; i < changes; i++) {
      const id = ids[(i * 997) % ids.length]!;
      await pageRequestFor(emulator.port, 'ModifyInstancesAttribute', {
        InstanceIds: [id],
        InstanceName: `bench-${i}`,
      });
      const before = existsSync(`${file}.journal`) ? statSync(`${file}.journal`).size : 0;
      let t0 = performance.now();
      await emulator.flush();
      journal.push({ ms: performance.now() - t0, bytes: statSync(`${file}.journal`).size - before });
      t0 = performance.now();
      const bytes = await writeStateAtomically(join(dir, 'whole.json'), emulator.state);
      whole.push({ ms: performance.now() - t0, bytes });
    }
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ms = (rows: { ms: number }[]) => rows.map((r) => r.ms);
  const ratio = median(ms(journal)) / median(ms(whole));
  console.log(
    `\n## Persisting one change at ${INSTANCES.toLocaleString('en')} instances (medians of ${changes} changes)`,
  );
  console.log(
    `journal line: ${median(journal.map((r) => r.bytes)).toLocaleString('en')} bytes, ${median(ms(journal)).toFixed(1)} ms (${Math.min(...ms(journal)).toFixed(1)}–${Math.max(...ms(journal)).toFixed(1)}); ` +
      `whole file rewritten atomically (before): ${median(whole.map((r) => r.bytes)).toLocaleString('en')} bytes, ${median(ms(whole)).toFixed(1)} ms (${Math.min(...ms(whole)).toFixed(1)}–${Math.max(...ms(whole)).toFixed(1)}); time ratio ${ratio.toFixed(2)}×`,
  );
  return ratio;
}

/** One signed request of any action (the bench's page request is DescribeInstances only). */
async function pageRequestFor(port: number, action: string, params: Record<string, unknown>): Promise<void> {
  const client = createClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-guangzhou',
    credentials: { ...DEMO_CREDENTIALS, source: 'bench' },
    rateLimit: false,
    env: {},
  });
  try {
    await client.call('cvm', action, params);
  } finally {
    client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === 'persistence') await persistence();
  else await runEmulatorBench();
}
