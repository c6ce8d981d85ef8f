/**
 * Slack acknowledgement latency: bursts of 50 concurrent signed /tce commands over HTTP to the Slack app
 * (Bolt's HTTPReceiver, signature check, our listener acking before any engine work), against a bare node:http
 * server that checks the same signature and answers 200. Each server runs in its own process, as in production;
 * this process plays Slack (it sends the commands and receives the answers). Slack gives 3 s; the target is
 * p99 ≤ 100 ms. Run alone: `npx tsx bench/slack.bench.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { form, postSigned, slashCommand } from '../test/slack/requests.ts';
import { type SlackStandin, startSlackStandin } from '../test/slack/slack-standin.ts';
import { percentile } from './lib.ts';

const SECRET = 'bench-signing-secret';
const CONCURRENCY = 50;
const ROUNDS = 40;
const WARMUP_BURSTS = 3;
/** Between bursts; 0 makes each burst land on the previous one's post-ack work (engine, answers). */
const PAUSE_MS = Number(process.env.SLACK_BENCH_PAUSE_MS ?? 100);

async function bursts(url: string, responseUrl: () => string): Promise<number[]> {
  const samples: number[] = [];
  const burst = async () => {
    const sent = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        postSigned(url, SECRET, form(slashCommand('cvm instances', { user: `U${i}` }, responseUrl()))),
      ),
    );
    for (const s of sent) {
      if (s.status !== 200) throw new Error(`HTTP ${s.status}`);
      samples.push(s.ms);
    }
  };
  for (let w = 0; w < WARMUP_BURSTS; w++) await burst(); // connections, JIT, lazily loaded code
  samples.length = 0;
  for (let r = 0; r < ROUNDS; r++) {
    await burst();
    if (PAUSE_MS) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS)); // bursts, not a flood
  }
  return samples;
}

async function startServer(kind: 'app' | 'bare', apiUrl: string): Promise<{ port: number; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./slack-bench-server.ts', import.meta.url));
  const profile = process.env.SLACK_BENCH_PROFILE_DIR
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.SLACK_BENCH_PROFILE_DIR]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script, kind, SECRET, apiUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { port, child };
}

function line(name: string, samples: number[]): string {
  const f = (p: number) => percentile(samples, p).toFixed(1).padStart(6);
  return `${name.padEnd(46)} p50 ${f(50)} ms  p90 ${f(90)} ms  p99 ${f(99)} ms  max ${f(100)} ms  (${samples.length} requests)`;
}

let serverSide = '';

/** The app's own view, from its /metrics histogram: the share of acks it sent within 25, 50 and 100 ms of arrival. */
async function serverAckShare(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const bucket = (le: string) =>
    Number(
      new RegExp(`tceops_slack_ack_seconds_bucket\\{status="200",transport="http",le="${le}"\\} (\\d+)`).exec(
        text,
      )?.[1],
    );
  const count = Number(/tceops_slack_ack_seconds_count\{status="200",transport="http"\} (\d+)/.exec(text)?.[1]);
  return ['0.025', '0.05', '0.1']
    .map((le) => `≤${Number(le) * 1000} ms: ${((100 * bucket(le)) / count).toFixed(1)}%`)
    .join(', ');
}

async function measureServer(kind: 'app' | 'bare', standin: SlackStandin): Promise<number[]> {
  const { port, child } = await startServer(kind, standin.apiUrl);
  try {
    const samples = await bursts(`http://127.0.0.1:${port}/slack/events`, () => standin.responseUrl());
    if (kind === 'app') {
      await standin.waitFor(
        () => standin.callsTo('response').length >= (ROUNDS + WARMUP_BURSTS) * CONCURRENCY,
        60_000,
        'every answer',
      );
      serverSide = await serverAckShare(port);
    }
    return samples;
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function runSlackBench(): Promise<{ appP50: number; appP99: number; bareP50: number; bareP99: number }> {
  const standin = await startSlackStandin();
  try {
    const app = await measureServer('app', standin);
    const bare = await measureServer('bare', standin);
    console.log(`\n## Slack ack latency: ${ROUNDS} bursts of ${CONCURRENCY} concurrent slash commands over HTTP`);
    console.log(line('tceops Slack app (Bolt, verify, ack, then work)', app));
    console.log(line('bare node:http (verify, 200)', bare));
    console.log(
      `the app's own ack histogram (arrival to last byte, ${(ROUNDS + WARMUP_BURSTS) * CONCURRENCY} requests): ${serverSide}`,
    );
    const result = {
      appP50: percentile(app, 50),
      appP99: percentile(app, 99),
      bareP50: percentile(bare, 50),
      bareP99: percentile(bare, 99),
    };
    console.log(
      `app / bare: p50 ${(result.appP50 / result.bareP50).toFixed(2)}x, p99 ${(result.appP99 / result.bareP99).toFixed(2)}x; target p99 ≤ 100 ms: ${result.appP99 <= 100 ? 'met' : 'NOT met'}`,
    );
    return result;
  } finally {
    await standin.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSlackBench();
