/**
 * The explorer with a region of 5,000 instances (the emulator's synthetic fleet):
 *  1. unit harness — the real tree provider and core client against the emulator on loopback: time from
 *     expanding Instances to the rows of its first folder (TreeItems built), time to all 5,000 (every folder
 *     opened), and the heap those nodes take; with the documented rate limits on (as against a real TCE) and off.
 *  2. code-server — the same region in a real workbench, in fresh code-servers (TCEOPS_BENCH_ROUNDS, default 3):
 *     the extension host's memory idle (extension activated, the region open) and with all 5,000 rows open, over
 *     idle and against the 50 MB allowance; the time to the first rows; activation as VS Code measures it.
 * Run: npx tsx --expose-gc bench/vscode.bench.ts   (part 2 is skipped, with the reason, without code-server)
 */
import '../packages/vscode/test/support/setup.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createClient, type TceClient } from '../packages/core/src/index.ts';
import { DEMO_CREDENTIALS, startEmulator } from '../packages/emulator/src/index.ts';
import { createClientSource } from '../packages/vscode/src/data/source.ts';
import type { Node } from '../packages/vscode/src/tree/nodes.ts';
import { ExplorerProvider } from '../packages/vscode/src/tree/provider.ts';
import { percentile } from './lib.ts';

const INSTANCES = 5000;
const REGION = 'ap-guangzhou';
const ROUNDS = 5;
/** The target: the extension host with 5,000 rows within this much of an idle one. */
const ALLOWANCE_MB = 50;

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function harnessRound(url: string, client: TceClient) {
  const provider = new ExplorerProvider({
    connection: () => ({
      key: 'bench',
      label: 'bench',
      description: url,
      // Every read allowed: this measures the tree and the client, not the policy (decided once a minute per action).
      source: createClientSource(async () => client),
      regions: [REGION],
      pageSize: 100,
    }),
    pollIntervalMs: 60_000,
  });
  const [connection] = await provider.getChildren();
  const [region] = await provider.getChildren(connection);
  const [instances] = await provider.getChildren(region);
  const heapBefore = heapMb();
  const started = performance.now();
  const folders: Node[] = await provider.getChildren(instances);
  let rows = 0;
  let firstRowsMs = 0;
  // VS Code asks for the TreeItem of every row it is given: build them all, as it would with every folder open.
  for (const [i, folder] of folders.entries()) {
    const children = await provider.getChildren(folder);
    for (const row of children) provider.getTreeItem(row);
    rows += children.filter((r) => r.type === 'resource').length;
    if (i === 0) firstRowsMs = performance.now() - started;
  }
  const allMs = performance.now() - started;
  const heapAfter = heapMb();
  provider.dispose();
  if (rows !== INSTANCES) throw new Error(`expected ${INSTANCES} rows, got ${rows}`);
  return { firstRowsMs, allMs, heapMb: heapAfter - heapBefore, folders: folders.length };
}

export async function runVscodeHarnessBench(): Promise<void> {
  console.log(
    `\n## VS Code explorer: a region with ${INSTANCES.toLocaleString('en')} instances (unit harness, real client, emulator on loopback)`,
  );
  for (const rateLimit of [true, false]) {
    const emulator = await startEmulator({
      port: 0,
      seed: 'empty',
      syntheticInstances: INSTANCES,
      syntheticRegions: [REGION],
      rateLimits: rateLimit,
    });
    // One client for every round, as the extension keeps one per connection (its pacing spans the rounds).
    const client = createClient({
      endpoint: emulator.url,
      credentials: { ...DEMO_CREDENTIALS, source: 'bench' },
      env: {},
      rateLimit,
    });
    const rounds: Awaited<ReturnType<typeof harnessRound>>[] = [];
    try {
      for (let i = 0; i < ROUNDS; i++) rounds.push(await harnessRound(emulator.url, client));
    } finally {
      client.close();
      await emulator.stop();
    }
    const med = (key: 'firstRowsMs' | 'allMs' | 'heapMb') =>
      percentile(
        rounds.map((r) => r[key]),
        50,
      );
    console.log(
      `rate limits ${rateLimit ? 'on ' : 'off'}: expand → ${rounds[0]!.folders} folders, the first one's 500 rows ${med('firstRowsMs').toFixed(1)} ms (p50 of ${ROUNDS}); ` +
        `all ${INSTANCES} rows (every folder opened) ${med('allMs').toFixed(0)} ms; heap for ${INSTANCES} nodes ${gc ? `${med('heapMb').toFixed(1)} MB` : 'n/a (run with --expose-gc)'}`,
    );
  }
}

/** Every match of `pattern` in the log files under `dir` (code-server writes output channels there). */
function findInLogs(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.log')) continue;
    for (const match of readFileSync(path.join(entry.parentPath, entry.name), 'utf8').matchAll(pattern))
      found.push(match[1]!);
  }
  return found;
}

/** The extension host: the process in code-server's group started with --type=extensionHost. */
function extensionHostPid(groupId: number): number | undefined {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('extensionHost')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgid === groupId) return Number(pid);
    } catch {}
  }
  return undefined;
}

/** Resident memory of the extension host. */
function extensionHostRssMb(groupId: number): number | undefined {
  const pid = extensionHostPid(groupId);
  if (pid === undefined) return undefined;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return rss ? Number(rss[1]) / 1024 : undefined;
}

interface HeapFigures {
  usedMb: number;
  /** What V8 holds for its heap (used + free + the young generation's spaces), before the collection. */
  totalMb: number;
  /** Memory outside V8's heap held by JavaScript objects (Buffers: HTTP bodies, messages to the window). */
  externalMb?: number;
  liveMb: number;
  rssAfterGcMb?: number;
}

/**
 * The extension host's V8 heap, through its inspector (SIGUSR1 opens it on 9229, as in any Node process): bytes
 * in use as found, then after a full collection — which splits its resident memory into live objects, garbage and
 * the rest. The inspector's process ID is checked: port 9229 may belong to another process on a shared machine.
 */
async function extensionHostHeap(groupId: number): Promise<HeapFigures | undefined> {
  const pid = extensionHostPid(groupId);
  if (pid === undefined) return undefined;
  process.kill(pid, 'SIGUSR1');
  let target: string | undefined;
  for (let i = 0; i < 50 && !target; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      const list = (await (await fetch('http://127.0.0.1:9229/json/list')).json()) as {
        webSocketDebuggerUrl: string;
      }[];
      target = list[0]?.webSocketDebuggerUrl;
    } catch {}
  }
  if (!target) return undefined;
  const { default: WebSocket } = await import('ws');
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let id = 0;
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const mine = ++id;
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(String(data));
        if (message.id !== mine) return;
        socket.off('message', onMessage);
        resolve(message.result);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id: mine, method, params }));
    });
  try {
    const answered = (await send('Runtime.evaluate', { expression: 'process.pid', returnByValue: true })) as {
      result?: { value?: number };
    };
    if (answered.result?.value !== pid) return undefined;
    const before = (await send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const usage = (await send('Runtime.evaluate', {
      expression: 'process.memoryUsage().external',
      returnByValue: true,
    })) as { result?: { value?: number } };
    await send('HeapProfiler.collectGarbage');
    const after = (await send('Runtime.getHeapUsage')) as { usedSize: number };
    return {
      usedMb: before.usedSize / 2 ** 20,
      totalMb: before.totalSize / 2 ** 20,
      externalMb: usage.result?.value !== undefined ? usage.result.value / 2 ** 20 : undefined,
      liveMb: after.usedSize / 2 ** 20,
      rssAfterGcMb: extensionHostRssMb(groupId),
    };
  } finally {
    socket.close();
  }
}

interface WorkbenchRound {
  rssIdle?: number;
  heapIdle?: HeapFigures;
  rssAll?: number;
  /** Ten seconds later, nothing done meanwhile: what V8 collects on its own at rest. */
  rssRest?: number;
  heapAll?: HeapFigures;
  foldersMs: number;
  firstRowsMs: number;
  allMs: number;
  rowsRead: number;
  /** The extension's activate(), as it logs it. */
  activateMs?: number;
  /** VS Code's own figure (Developer: Show Running Extensions): code loading + activate(). */
  activationMs?: number;
}

const pad = (n: number) => `node-${String(n).padStart(5, '0')}`;

async function workbenchRound(
  harness: typeof import('../test/vscode/harness.ts'),
  emulatorUrl: string,
): Promise<WorkbenchRound> {
  const cs = await harness.startCodeServer({
    installExtension: true,
    settings: { 'tceops.endpoint': emulatorUrl, 'tceops.regions': [REGION] },
    env: { TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId, TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey },
  });
  const browser = await harness.launchBrowser();
  try {
    const page = await harness.openWorkbench(cs, browser);
    const failed = async (error: unknown) => {
      await page.screenshot({ path: 'test-artifacts/vscode/bench-failure.png' }).catch(() => {});
      throw error;
    };
    const view = '[id="workbench.view.extension.tceops"]';
    const row = (text: string | RegExp) =>
      page.locator(`${view} .monaco-list-row`).filter({ has: page.locator('.label-name', { hasText: text }) });
    const exact = (text: string) => row(new RegExp(`^${text}$`));
    await page.locator('.activitybar [aria-label^="TCE Explorer"]').first().click();
    await exact(REGION).first().click({ timeout: 60_000 }).catch(failed);
    await exact('Instances').first().waitFor();
    // Idle: the extension activated, connected, the region open; let it settle.
    await page.waitForTimeout(1000);
    const rssIdle = extensionHostRssMb(cs.pid);
    const heapIdle = await extensionHostHeap(cs.pid);

    const clicked = Date.now();
    await exact('Instances').first().click();
    const folders = row(/^Instances [\d,]+–[\d,]+$/);
    await folders.first().waitFor({ timeout: 60_000 }).catch(failed);
    const foldersMs = Date.now() - clicked;
    const count = await folders.count();
    if (count !== Math.ceil(INSTANCES / 500))
      await failed(new Error(`expected ${INSTANCES / 500} folders, saw ${count}`));
    // The first folder: time to its rows; then closed again (its rows let go), as a person browsing would.
    await folders.first().click();
    await exact(pad(1)).first().waitFor({ timeout: 60_000 }).catch(failed);
    const firstRowsMs = Date.now() - clicked;
    await folders.first().click();
    await exact(pad(1)).first().waitFor({ state: 'detached', timeout: 30_000 }).catch(failed);
    // Every folder open at once (the most VS Code can hold), opened from the last up so headers stay on screen.
    for (let k = count - 1; k >= 0; k--) {
      await folders.nth(k).click();
      await exact(pad(500 * k + 1))
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(failed);
    }
    const allMs = Date.now() - clicked;
    await page.waitForTimeout(1000);
    const rssAll = extensionHostRssMb(cs.pid);
    await page.waitForTimeout(10_000);
    const rssRest = extensionHostRssMb(cs.pid);
    const heapAll = await extensionHostHeap(cs.pid);
    const rowsRead = findInLogs(cs.runDir, /loaded \S+ \/ instances [\d,]+–\d+: (\d+) rows/g).reduce(
      (sum, n) => sum + Number(n),
      0,
    );
    const activateMs = Number(findInLogs(cs.runDir, /activated in (\d+) ms/g)[0] ?? Number.NaN);
    const activationMs = await vscodeActivationMs(page);
    await page.close();
    return {
      rssIdle,
      heapIdle,
      rssAll,
      rssRest,
      heapAll,
      foldersMs,
      firstRowsMs,
      allMs,
      rowsRead,
      activateMs,
      activationMs,
    };
  } finally {
    await browser.close();
    await cs.stop();
  }
}

/** Activation as VS Code reports it in Developer: Show Running Extensions ("Activation: N ms"). */
async function vscodeActivationMs(page: import('playwright-core').Page): Promise<number | undefined> {
  try {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget').waitFor();
    await page.keyboard.type('Developer: Show Running Extensions');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Running Extensions' }).first().waitFor();
    await page.keyboard.press('Enter');
    const entry = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'TCE Explorer' });
    const text = await entry.locator('.activation-time').first().textContent({ timeout: 20_000 });
    const ms = /(\d+)\s*ms/.exec(text ?? '');
    return ms ? Number(ms[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** "median (min–max)" of the defined values. */
function spread(values: (number | undefined)[], digits = 0, unit = ''): string {
  const known = values.filter((v): v is number => v !== undefined && !Number.isNaN(v));
  if (known.length === 0) return 'n/a';
  const f = (v: number) => `${v.toFixed(digits)}${unit}`;
  return `${f(percentile(known, 50))} (${f(Math.min(...known))}–${f(Math.max(...known))})`;
}

export async function runVscodeWorkbenchBench(): Promise<void> {
  const harness = await import('../test/vscode/harness.ts');
  const rounds = Number(process.env.TCEOPS_BENCH_ROUNDS ?? 3);
  console.log(
    `\n## VS Code explorer in code-server (VS Code 1.100.3, Chromium): the same ${INSTANCES.toLocaleString('en')}-instance region, ${rounds} fresh workbenches`,
  );
  const missing = !harness.codeServerBinary()
    ? 'code-server is not installed'
    : !harness.chromiumBinary()
      ? 'Chromium is not installed'
      : undefined;
  if (missing) {
    console.log(`skipped: ${missing} (see test/vscode/install-code-server.sh)`);
    return;
  }
  const { buildVscode } = await import('../packages/vscode/build.mjs');
  await buildVscode({ tests: false });
  const emulator = await startEmulator({
    port: 0,
    seed: 'empty',
    syntheticInstances: INSTANCES,
    syntheticRegions: [REGION],
  });
  const load = [loadavg()[0]!];
  const results: WorkbenchRound[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      results.push(await workbenchRound(harness, emulator.url));
      load.push(loadavg()[0]!);
    }
  } finally {
    await emulator.stop();
  }
  const over = (r: WorkbenchRound) =>
    r.rssAll !== undefined && r.rssIdle !== undefined ? r.rssAll - r.rssIdle : undefined;
  const overRest = (r: WorkbenchRound) =>
    r.rssRest !== undefined && r.rssIdle !== undefined ? r.rssRest - r.rssIdle : undefined;
  const overGc = (r: WorkbenchRound) =>
    r.heapAll?.rssAfterGcMb !== undefined && r.heapIdle?.rssAfterGcMb !== undefined
      ? r.heapAll.rssAfterGcMb - r.heapIdle.rssAfterGcMb
      : undefined;
  const live = (r: WorkbenchRound) => (r.heapAll && r.heapIdle ? r.heapAll.liveMb - r.heapIdle.liveMb : undefined);
  const ratio = (v: number | undefined) => (v === undefined ? undefined : v / ALLOWANCE_MB);
  console.log(`machine load (1-minute average) during the runs: ${spread(load, 2)}; figures are median (min–max)`);
  console.log(
    `click on Instances → ${INSTANCES / 500} folders drawn: ${spread(
      results.map((r) => r.foldersMs),
      0,
      ' ms',
    )}; ` +
      `→ the first folder's rows drawn: ${spread(
        results.map((r) => r.firstRowsMs),
        0,
        ' ms',
      )}; ` +
      `→ all ${INSTANCES} rows open: ${spread(
        results.map((r) => r.allMs),
        0,
        ' ms',
      )}`,
  );
  console.log(
    `rows read (from the extension's log): ${spread(results.map((r) => r.rowsRead))} — every row once, plus the first folder read again after it was closed`,
  );
  console.log(
    `extension host RSS idle (activated, region open): ${spread(
      results.map((r) => r.rssIdle),
      0,
      ' MB',
    )}; ` +
      `with all ${INSTANCES} rows open: ${spread(
        results.map((r) => r.rssAll),
        0,
        ' MB',
      )}`,
  );
  console.log(
    `over idle, as found 1 s after the last folder opened: ${spread(results.map(over), 0, ' MB')} = ${spread(
      results.map((r) => ratio(over(r))),
      2,
      '×',
    )} the ${ALLOWANCE_MB} MB allowance`,
  );
  console.log(
    `over idle, 10 s later at rest (no forced GC): ${spread(results.map(overRest), 0, ' MB')} = ${spread(
      results.map((r) => ratio(overRest(r))),
      2,
      '×',
    )} the allowance`,
  );
  console.log(
    `over idle, each after a full GC: RSS ${spread(results.map(overGc), 0, ' MB')} = ${spread(
      results.map((r) => ratio(overGc(r))),
      2,
      '×',
    )} the allowance; ` +
      `live V8 heap ${spread(results.map(live), 1, ' MB')} (idle ${spread(
        results.map((r) => r.heapIdle?.liveMb),
        1,
        ' MB',
      )})`,
  );
  // Where the rest of the resident growth is: V8's heap before the collection (garbage and free space included),
  // and Buffers outside it, both freed only by a collection.
  const mb = (pick: (r: WorkbenchRound) => number | undefined) => spread(results.map(pick), 0, ' MB');
  console.log(
    `before that collection, V8 heap used / held: idle ${mb((r) => r.heapIdle?.usedMb)} / ${mb((r) => r.heapIdle?.totalMb)}, ` +
      `with the rows ${mb((r) => r.heapAll?.usedMb)} / ${mb((r) => r.heapAll?.totalMb)}; ` +
      `external (Buffers): idle ${mb((r) => r.heapIdle?.externalMb)}, with the rows ${mb((r) => r.heapAll?.externalMb)}`,
  );
  console.log(
    `activation: VS Code's measure (code loading + activate(), Show Running Extensions) ${spread(
      results.map((r) => r.activationMs),
      0,
      ' ms',
    )}; ` +
      `activate() alone (the extension's log) ${spread(
        results.map((r) => r.activateMs),
        0,
        ' ms',
      )}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runVscodeHarnessBench();
  await runVscodeWorkbenchBench();
}
