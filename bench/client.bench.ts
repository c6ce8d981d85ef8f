/**
 * Time per call: the tceops client against the official SDK's CommonClient, same loopback server, same requests,
 * on a 20-row page with one filter and a 50-row page with two. The server is a bare node:http answering a fixed
 * DescribeInstances page, in this process: its work is in every contender's time alike. Target: at most 0.6× the
 * SDK's time. Run: npx tsx bench/client.bench.ts [calls per round]; with --rows, the 50-row request over pages of
 * 0, 20, 50 and 100 rows, to see what a call costs per row and what it costs whatever the page.
 *
 * Contenders: the SDK; tceops as a long-lived process runs it (node:http for the first calls, then undici's pool);
 * tceops held to node:http (what a one-shot command's few calls use); and a bare keep-alive node:http POST with
 * JSON.parse (nothing signed or checked) as the floor. Rounds alternate the contenders, in a rotating order, so that
 * other work on the machine hits all alike; each round gives a ratio, and the median and range of those are printed,
 * for wall time and for CPU time (the process's, so the server's share is in it too). On a loaded machine the CPU
 * ratio is the steadier one: wall time there also counts waiting for a core.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { createClient } from '../packages/core/src/api/client.ts';

const require = createRequire(import.meta.url);
const { CommonClient } = require('tencentcloud-sdk-nodejs-common');

const TARGET = 0.6;

function pageOf(rows: number): string {
  return JSON.stringify({
    Response: {
      TotalCount: rows,
      InstanceSet: Array.from({ length: rows }, (_, i) => ({
        InstanceId: `ins-${String(i).padStart(8, '0')}`,
        InstanceName: `web-${i}`,
        InstanceState: 'RUNNING',
        InstanceType: 'S5.MEDIUM4',
        PrivateIpAddresses: [`10.0.0.${i}`],
        Placement: { Zone: 'ap-guangzhou-3' },
        Tags: [{ Key: 'env', Value: 'dev' }],
      })),
      RequestId: '00000000-0000-4000-8000-000000000000',
    },
  });
}

const CASES = [
  {
    shape: '20-row page, 1 filter',
    rows: 20,
    params: { Limit: 20, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] },
  },
  {
    shape: '50-row page, 2 filters',
    rows: 50,
    params: {
      Limit: 50,
      Filters: [
        { Name: 'zone', Values: ['ap-guangzhou-3'] },
        { Name: 'instance-state', Values: ['RUNNING'] },
      ],
    },
  },
];

interface Block {
  wallUs: number;
  cpuUs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function block(calls: number, fn: () => Promise<unknown>): Promise<Block> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  const wallUs = ((performance.now() - t0) * 1000) / calls;
  const cpu = process.cpuUsage(cpu0);
  return { wallUs, cpuUs: (cpu.user + cpu.system) / calls };
}

export interface ClientBenchResult {
  /** The worse of the page shapes' median wall-time ratios (long-lived tceops against the SDK). */
  ratio: number;
  ratios: number[];
}

export async function runClientBench(callsPerRound = 300, rounds = 9): Promise<ClientBenchResult> {
  console.log(`\n## Client time per call against the official SDK (loopback; load average at start: ${load()})`);
  const pages: PageRatios[] = [];
  for (const { shape, rows, params } of CASES) pages.push(await benchPage(shape, rows, params, callsPerRound, rounds));
  console.log(
    `\nload average at the end: ${load()}. Ratio to the SDK per page shape (median of rounds; target ≤ ${TARGET}×):`,
  );
  for (const p of pages) {
    const verdict = p.pooledWall <= TARGET ? 'met' : 'not met';
    console.log(
      `  ${p.shape.padEnd(24)} long-lived ${p.pooledWall.toFixed(2)}× wall, ${p.pooledCpu.toFixed(2)}× CPU (${verdict}); ` +
        `one-shot path ${p.nodeWall.toFixed(2)}× wall, ${p.nodeCpu.toFixed(2)}× CPU`,
    );
  }
  const ratios = pages.map((p) => p.pooledWall);
  return { ratio: Math.max(...ratios), ratios };
}

interface PageRatios {
  shape: string;
  pooledWall: number;
  pooledCpu: number;
  nodeWall: number;
  nodeCpu: number;
}

async function benchPage(
  shape: string,
  rows: number,
  params: Record<string, unknown>,
  calls: number,
  rounds: number,
): Promise<PageRatios> {
  const page = pageOf(rows);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(page);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const credential = { secretId: 'AKIDbenchmark', secretKey: 'bench-secret-key-0123456789' };

  const sdk = new CommonClient(`127.0.0.1:${port}`, '2017-03-12', {
    credential,
    region: 'ap-guangzhou',
    profile: { httpProfile: { protocol: 'http://', reqMethod: 'POST' } },
  });
  // Rate limiting off: this measures the cost of a call, not the documented pacing.
  const options = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-guangzhou',
    credentials: credential,
    rateLimit: false,
    env: {},
  };
  const pooled = createClient(options);
  const nodeOnly = createClient({ ...options, http: 'node' });
  const agent = new http.Agent({ keepAlive: true });
  const payload = JSON.stringify(params);
  const bare = () =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const contenders = [
    { name: 'official SDK CommonClient.request', run: () => sdk.request('DescribeInstances', params) },
    { name: 'tceops, long-lived (undici pool)', run: () => pooled.call('cvm', 'DescribeInstances', params) },
    { name: 'tceops, node:http (one-shot path)', run: () => nodeOnly.call('cvm', 'DescribeInstances', params) },
    { name: 'bare node:http + JSON.parse (floor)', run: bare },
  ];
  // Warm-up: JIT for everyone, and the long-lived client past the calls after which it moves to the pool.
  for (const c of contenders) await block(300, c.run);
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const c of contenders) await block(100, c.run);

  const results: Block[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      results[i]!.push(await block(calls, contenders[i]!.run));
    }
  }
  pooled.close();
  nodeOnly.close();
  agent.destroy();
  server.closeAllConnections();
  server.close();

  console.log(`\n### ${shape}: ${rounds} rounds of ${calls} sequential DescribeInstances per contender`);
  console.log(`${''.padEnd(38)} ${'wall µs/call'.padStart(13)} ${'CPU µs/call'.padStart(12)}`);
  contenders.forEach((c, i) => {
    const wall = median(results[i]!.map((b) => b.wallUs));
    const cpu = median(results[i]!.map((b) => b.cpuUs));
    console.log(`${c.name.padEnd(38)} ${wall.toFixed(1).padStart(13)} ${cpu.toFixed(1).padStart(12)}`);
  });
  const sdkRounds = results[0]!;
  const ratios = [1, 2].map((i) => {
    const wall = results[i]!.map((b, r) => b.wallUs / sdkRounds[r]!.wallUs);
    const cpu = results[i]!.map((b, r) => b.cpuUs / sdkRounds[r]!.cpuUs);
    console.log(
      `${shape}: ${contenders[i]!.name} takes ${median(wall).toFixed(2)}× the SDK's wall time per call ` +
        `(rounds ${range(wall)}), ${median(cpu).toFixed(2)}× its CPU time (${range(cpu)}); target ≤ ${TARGET}×`,
    );
    return { wall: median(wall), cpu: median(cpu) };
  });
  return {
    shape,
    pooledWall: ratios[0]!.wall,
    pooledCpu: ratios[0]!.cpu,
    nodeWall: ratios[1]!.wall,
    nodeCpu: ratios[1]!.cpu,
  };
}

/** The same request over growing pages: the ratio's trend shows the per-row costs apart from the fixed ones. */
export async function runRowsBench(callsPerRound = 300, rounds = 7): Promise<void> {
  console.log(`\n## Client time per call by page size (loopback; load average at start: ${load()})`);
  const results: PageRatios[] = [];
  for (const rows of [0, 20, 50, 100])
    results.push(await benchPage(`${rows}-row page`, rows, CASES[1]!.params, callsPerRound, rounds));
  console.log(`\nload average at the end: ${load()}. Long-lived tceops against the SDK, by page size:`);
  for (const r of results)
    console.log(`  ${r.shape.padEnd(14)} ${r.pooledWall.toFixed(2)}× wall, ${r.pooledCpu.toFixed(2)}× CPU`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const calls = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a))) || undefined;
  await (process.argv.includes('--rows') ? runRowsBench(calls) : runClientBench(calls));
}
