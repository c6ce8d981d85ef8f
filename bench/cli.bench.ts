/**
 * One terminal command as a whole process, against baselines run alternately in the same run:
 * - `tceops call cvm DescribeInstances --Limit 20` against the emulator vs a one-shot script on the official SDK
 *   doing the same call (bench/oneshot/sdk-describe.cjs): wall time (target ≤ 1.0×) and peak RSS (≤ 1.1×);
 * - `tceops help` vs `node -e 0` (target ≤ 1.5×).
 * tceops runs as a user runs it: the linked bin (packages/cli/bin/tceops.js) on the built bundles (`npm run build`).
 * Each ratio is the median of the per-round ratios, with their range. Beside wall time it prints CPU time (user +
 * system, all threads), which a busy machine disturbs less, and the machine's load before and after.
 * Run: npx tsx bench/cli.bench.ts [rounds]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CREDENTIALS, startEmulator } from '../packages/emulator/src/index.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const BIN = here('../packages/cli/bin/tceops.js');
const SDK_SCRIPT = here('./oneshot/sdk-describe.cjs');
const PEAK_RSS = here('./oneshot/peak-rss.cjs');

interface Run {
  ms: number;
  rssMb: number;
  cpuMs: number;
}

function run(args: string[], env: NodeJS.ProcessEnv, rssFile: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-r', PEAK_RSS, ...args], {
      env: { ...env, BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(0, 500)}`));
      if (args.includes('DescribeInstances') && !out.includes('ins-'))
        return reject(new Error(`no instances in the answer of ${args.join(' ')}: ${out.slice(0, 300)}`));
      const [rssKb, cpuUs] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
      resolve({ ms, rssMb: rssKb! / 1024, cpuMs: cpuUs! / 1000 });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

const load = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} on ${cpus().length} cores`;

export async function runCliBench(rounds = 15): Promise<{ callRatio: number; rssRatio: number; helpRatio: number }> {
  // Measure the code as it is now: build the bundle first (what `npm start` and `npm run build` do).
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: here('..'), stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the build failed');
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  const dir = mkdtempSync(join(tmpdir(), 'tceops-cli-bench-'));
  const rssFile = join(dir, 'rss');
  // A clean environment: the emulator as the cloud, a private store, no proxies or profiles from the machine.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    TCE_ENDPOINT: emulator.url,
    TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
    TENCENTCLOUD_REGION: 'ap-guangzhou',
    TCEOPS_STORE: `file:${join(dir, 'store')}`,
  };
  const cases = {
    sdk: [SDK_SCRIPT],
    call: [BIN, 'call', 'cvm', 'DescribeInstances', '--Limit', '20'],
    bare: ['-e', '0'],
    help: [BIN, 'help'],
  };
  const results: Record<keyof typeof cases, Run[]> = { sdk: [], call: [], bare: [], help: [] };
  const loadBefore = load();
  try {
    // One warm-up of each (file cache), then alternate so that noise from other work hits every case alike.
    for (const args of Object.values(cases)) await run(args, env, rssFile);
    for (let r = 0; r < rounds; r++)
      for (const [name, args] of Object.entries(cases))
        results[name as keyof typeof cases].push(await run(args, env, rssFile));
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  type Name = keyof typeof cases;
  const pick = (field: keyof Run) => (name: Name) => results[name].map((x) => x[field]);
  const ms = pick('ms');
  const rss = pick('rssMb');
  const cpu = pick('cpuMs');
  const ratios = (a: Name, b: Name, of: (name: Name) => number[]) => of(a).map((x, i) => x / of(b)[i]!);
  console.log(`\n## One command as a whole process (${rounds} alternating rounds; median, range)`);
  console.log(`machine: ${loadBefore} before, ${load()} after`);
  const row = (label: string, name: Name) =>
    console.log(
      `${label.padEnd(50)} ${median(ms(name)).toFixed(0).padStart(4)} ms (${range(ms(name))})  CPU ${median(cpu(name)).toFixed(0).padStart(3)} ms (${range(cpu(name))})  peak RSS ${median(rss(name)).toFixed(1)} MB (${range(rss(name), 1)})`,
    );
  row('official SDK one-shot script, DescribeInstances', 'sdk');
  row('tceops call cvm DescribeInstances --Limit 20', 'call');
  row('node -e 0', 'bare');
  row('tceops help', 'help');
  const target = (label: string, a: Name, b: Name, of: (name: Name) => number[], limit: number) => {
    const each = ratios(a, b, of);
    const ratio = median(each);
    console.log(
      `${label.padEnd(50)} ${ratio.toFixed(2)}× (per-round ${range(each, 2)}; target ≤ ${limit}×: ${ratio <= limit ? 'met' : 'NOT met'})`,
    );
    return ratio;
  };
  const callRatio = target('call / SDK script, wall time', 'call', 'sdk', ms, 1.0);
  const rssRatio = target('call / SDK script, peak RSS', 'call', 'sdk', rss, 1.1);
  const helpRatio = target('help / node -e 0, wall time', 'help', 'bare', ms, 1.5);
  console.log(
    `(CPU time, less disturbed by other work: call / SDK ${median(ratios('call', 'sdk', cpu)).toFixed(2)}× (${range(ratios('call', 'sdk', cpu), 2)}), help / node -e 0 ${median(ratios('help', 'bare', cpu)).toFixed(2)}× (${range(ratios('help', 'bare', cpu), 2)}))`,
  );
  return { callRatio, rssRatio, helpRatio };
}

if (import.meta.url === `file://${process.argv[1]}`) await runCliBench(Number(process.argv[2]) || undefined);
