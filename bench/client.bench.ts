/**
 * Time per call: the tceops client against the official SDK's CommonClient, same loopback server, same requests.
 * The server is a bare node:http answering a fixed DescribeInstances page. Target: at most 0.8× the SDK's time.
 * Run: npx tsx bench/client.bench.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createClient } from '../packages/core/src/api/client.ts';
import { type Measure, measure, report } from './lib.ts';

const require = createRequire(import.meta.url);
const { CommonClient } = require('tencentcloud-sdk-nodejs-common');

const page = JSON.stringify({
  Response: {
    TotalCount: 20,
    InstanceSet: Array.from({ length: 20 }, (_, i) => ({
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

export async function runClientBench(calls = 2000): Promise<{ ratio: number }> {
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
  const params = { Limit: 20, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] };

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

  // Alternate rounds so that noise from other work on the machine hits both sides alike; report the medians.
  const rounds = 5;
  const perRound = Math.ceil(calls / rounds);
  const sdkRounds: Measure[] = [];
  const ourRounds: Measure[] = [];
  for (let r = 0; r < rounds; r++) {
    sdkRounds.push(
      await measure('official SDK CommonClient.request', perRound, () => sdk.request('DescribeInstances', params)),
    );
    ourRounds.push(
      await measure('tceops client.call (validated, keep-alive)', perRound, () =>
        ours.call('cvm', 'DescribeInstances', params),
      ),
    );
  }
  const median = (rows: Measure[]) => [...rows].sort((a, b) => a.perOpUs - b.perOpUs)[Math.floor(rows.length / 2)]!;
  const sdkResult = median(sdkRounds);
  const ourResult = median(ourRounds);
  ours.close();
  server.closeAllConnections();
  server.close();
  report(
    `Time per call, median of ${rounds} alternating rounds of ${perRound} sequential DescribeInstances on loopback`,
    [sdkResult, ourResult],
  );
  const ratio = ourResult.perOpUs / sdkResult.perOpUs;
  console.log(`tceops takes ${ratio.toFixed(2)}× the SDK's time per call (target ≤ 0.8×)`);
  return { ratio };
}

if (import.meta.url === `file://${process.argv[1]}`) await runClientBench();
