/**
 * Time per call: the tceops client against the official SDK's CommonClient, same loopback server, same requests,
 * on a 20-row page with one filter and a 50-row page with two. The server is a bare node:http answering a fixed
 * DescribeInstances page. Target: at most 0.6× the SDK's time. Run: npx tsx bench/client.bench.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createClient } from '../packages/core/src/api/client.ts';
import { type Measure, measure, report } from './lib.ts';

const require = createRequire(import.meta.url);
const { CommonClient } = require('tencentcloud-sdk-nodejs-common');

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
  { rows: 20, params: { Limit: 20, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] } },
  {
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

export async function runClientBench(calls = 2000): Promise<{ ratio: number; ratios: number[] }> {
  const ratios: number[] = [];
  for (const { rows, params } of CASES) ratios.push(await benchPage(calls, rows, params));
  return { ratio: Math.max(...ratios), ratios };
}

async function benchPage(calls: number, rows: number, params: Record<string, unknown>): Promise<number> {
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
  const ours = createClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-guangzhou',
    credentials: credential,
    rateLimit: false,
    env: {},
  });
  // For reference, the floor: a bare keep-alive node:http POST and JSON.parse, nothing signed or checked.
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

  // Alternate rounds so that noise from other work on the machine hits both sides alike; report the medians.
  const rounds = 5;
  const perRound = Math.ceil(calls / rounds);
  const sdkRounds: Measure[] = [];
  const ourRounds: Measure[] = [];
  const bareRounds: Measure[] = [];
  for (let r = 0; r < rounds; r++) {
    sdkRounds.push(
      await measure('official SDK CommonClient.request', perRound, () => sdk.request('DescribeInstances', params)),
    );
    ourRounds.push(
      await measure('tceops client.call (validated, keep-alive)', perRound, () =>
        ours.call('cvm', 'DescribeInstances', params),
      ),
    );
    bareRounds.push(await measure('bare node:http POST + JSON.parse (floor)', perRound, bare));
  }
  const median = (rows: Measure[]) => [...rows].sort((a, b) => a.perOpUs - b.perOpUs)[Math.floor(rows.length / 2)]!;
  const sdkResult = median(sdkRounds);
  const ourResult = median(ourRounds);
  ours.close();
  agent.destroy();
  server.closeAllConnections();
  server.close();
  report(
    `Time per call, ${rows}-row page, median of ${rounds} alternating rounds of ${perRound} sequential DescribeInstances on loopback`,
    [sdkResult, ourResult, median(bareRounds)],
  );
  const perRoundRatios = ourRounds.map((m, i) => m.perOpUs / sdkRounds[i]!.perOpUs);
  const ratio = ourResult.perOpUs / sdkResult.perOpUs;
  console.log(
    `tceops takes ${ratio.toFixed(2)}× the SDK's time per call on a ${rows}-row page (rounds ${Math.min(...perRoundRatios).toFixed(2)}–${Math.max(...perRoundRatios).toFixed(2)}; target ≤ 0.6×)`,
  );
  return ratio;
}

if (import.meta.url === `file://${process.argv[1]}`) await runClientBench();
