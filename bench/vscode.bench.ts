/**
 * The explorer with a region of 5,000 instances (the emulator's synthetic fleet):
 *  1. unit harness — the real tree provider and core client against the emulator on loopback: time from
 *     expanding Instances to its first page of rows (TreeItems built), time to all 5,000 through "Load more",
 *     and the heap those nodes take; with the documented rate limits on (as against a real TCE) and off.
 *  2. code-server — the same region in a real workbench: time from the click on Instances to the first row on
 *     screen, to all 5,000 through "Load more", and the extension host's resident memory along the way.
 * Run: npx tsx --expose-gc bench/vscode.bench.ts   (part 2 is skipped, with the reason, without code-server)
 */
import '../packages/vscode/test/support/setup.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient, type TceClient } from '../packages/core/src/index.ts';
import { DEMO_CREDENTIALS, startEmulator } from '../packages/emulator/src/index.ts';
import { createClientSource } from '../packages/vscode/src/data/source.ts';
import type { LoadMoreNode, Node } from '../packages/vscode/src/tree/nodes.ts';
import { ExplorerProvider } from '../packages/vscode/src/tree/provider.ts';
import { percentile } from './lib.ts';

const INSTANCES = 5000;
const REGION = 'ap-guangzhou';
const ROUNDS = 5;

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
      source: createClientSource(client, async () => {}),
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
  let rows: Node[] = await provider.getChildren(instances);
  for (const row of rows) provider.getTreeItem(row);
  const firstPageMs = performance.now() - started;
  for (;;) {
    const more = rows.at(-1);
    if (more?.type !== 'loadMore') break;
    await provider.loadMore(more as LoadMoreNode);
    rows = await provider.getChildren(instances);
    // VS Code asks for the TreeItem of every row it renders; count them all, as a worst case.
    for (const row of rows.slice(-100)) provider.getTreeItem(row);
  }
  const allMs = performance.now() - started;
  const resources = rows.filter((r) => r.type === 'resource').length;
  const heapAfter = heapMb();
  provider.dispose();
  if (resources !== INSTANCES) throw new Error(`expected ${INSTANCES} rows, got ${resources}`);
  return { firstPageMs, allMs, heapMb: heapAfter - heapBefore };
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
    const med = (key: 'firstPageMs' | 'allMs' | 'heapMb') =>
      percentile(
        rounds.map((r) => r[key]),
        50,
      );
    console.log(
      `rate limits ${rateLimit ? 'on ' : 'off'}: expand → first 100 rows ${med('firstPageMs').toFixed(1)} ms (p50 of ${ROUNDS}); ` +
        `all ${INSTANCES} rows via Load more ${med('allMs').toFixed(0)} ms; heap for ${INSTANCES} nodes ${gc ? `${med('heapMb').toFixed(1)} MB` : 'n/a (run with --expose-gc)'}`,
    );
  }
}

/** The first match of `pattern` in the log files under `dir` (code-server writes output channels there). */
function findInLogs(dir: string, pattern: RegExp): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.log')) continue;
    const match = pattern.exec(readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
    if (match) return match[1];
  }
  return undefined;
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

/**
 * The extension host's V8 heap, through its inspector (SIGUSR1 opens it, as in any Node process): bytes in use as
 * found, then after a full collection — which splits its resident memory into live objects, garbage and the rest.
 */
async function extensionHostHeap(
  groupId: number,
): Promise<{ usedMb: number; liveMb: number; rssAfterGcMb?: number } | undefined> {
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
  const send = (method: string) =>
    new Promise<Record<string, number>>((resolve) => {
      const mine = ++id;
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(String(data));
        if (message.id !== mine) return;
        socket.off('message', onMessage);
        resolve(message.result);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id: mine, method }));
    });
  try {
    const before = await send('Runtime.getHeapUsage');
    await send('HeapProfiler.collectGarbage');
    const after = await send('Runtime.getHeapUsage');
    return {
      usedMb: before.usedSize! / 2 ** 20,
      liveMb: after.usedSize! / 2 ** 20,
      rssAfterGcMb: extensionHostRssMb(groupId),
    };
  } finally {
    socket.close();
  }
}

export async function runVscodeWorkbenchBench(): Promise<void> {
  const harness = await import('../test/vscode/harness.ts');
  console.log(
    `\n## VS Code explorer in code-server (VS Code 1.100.3, Chromium): the same ${INSTANCES.toLocaleString('en')}-instance region`,
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
  const cs = await harness.startCodeServer({
    installExtension: true,
    settings: { 'tceops.endpoint': emulator.url, 'tceops.regions': [REGION] },
    env: { TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId, TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey },
  });
  const browser = await harness.launchBrowser();
  try {
    const page = await harness.openWorkbench(cs, browser);
    const view = '[id="workbench.view.extension.tceops"]';
    const row = (text: string | RegExp) =>
      page.locator(`${view} .monaco-list-row`).filter({ has: page.locator('.label-name', { hasText: text }) });
    await page.locator('.activitybar [aria-label^="TCE Explorer"]').first().click();
    await row(REGION)
      .first()
      .click({ timeout: 60_000 })
      .catch(async (error) => {
        await page.screenshot({ path: 'test-artifacts/vscode/bench-failure.png' });
        throw error;
      });
    await row('Instances').first().waitFor();
    const rssIdle = extensionHostRssMb(cs.pid);
    const heapIdle = process.env.TCEOPS_BENCH_HEAP ? await extensionHostHeap(cs.pid) : undefined;
    const clicked = Date.now();
    await row('Instances').first().click();
    await row(/^node-\d+$/)
      .first()
      .waitFor({ timeout: 60_000 });
    const firstRowsMs = Date.now() - clicked;
    const rssFirstPage = extensionHostRssMb(cs.pid);
    // The list is virtual: only rows on screen exist in the page. Go to the bottom, where "Load more…" sits above
    // the four collapsed groups, click it, and wait for the next page to replace it.
    const loadMore = page.locator(`${view} .monaco-list-row`, { hasText: /^Load more…/ });
    const lastNode = row(`node-${String(INSTANCES).padStart(5, '0')}`);
    let clicks = 0;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) {
        await page.screenshot({ path: 'test-artifacts/vscode/bench-failure.png' });
        throw new Error(`not every row arrived in 3 minutes (${clicks} pages asked for)`);
      }
      // Focus a row on screen, then End: the list scrolls to its last row, just below "Load more…".
      await row(/^node-\d+$/)
        .last()
        .click();
      await page.keyboard.press('End');
      await page.waitForTimeout(30);
      if ((await lastNode.count()) > 0) break;
      if ((await loadMore.count()) === 0) continue; // still rendering
      const label = (await loadMore.first().textContent()) ?? '';
      await loadMore.first().click();
      clicks++;
      await page.waitForFunction(
        ([selector, before]) => !Array.from(document.querySelectorAll(selector)).some((e) => e.textContent === before),
        [`${view} .monaco-list-row`, label] as const,
        { timeout: 30_000 },
      );
    }
    const allMs = Date.now() - clicked;
    await page.waitForTimeout(500);
    const rssAll = extensionHostRssMb(cs.pid);
    const heapAll = await extensionHostHeap(cs.pid);
    const fmt = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);
    console.log(`click on Instances → first rows drawn: ${firstRowsMs} ms`);
    console.log(`all ${INSTANCES} rows through ${clicks} "Load more" clicks: ${allMs} ms`);
    console.log(
      `extension host RSS: ${fmt(rssIdle)} before, ${fmt(rssFirstPage)} with 100 rows, ${fmt(rssAll)} with ${INSTANCES}`,
    );
    // Activation as the extension measures it (activate() start to end), from its TCE output channel's log file.
    const activated = findInLogs(cs.runDir, /activated in (\d+) ms/);
    console.log(
      `extension activation (its own measure, activate() start to end): ${activated ? `${activated} ms` : 'n/a'}`,
    );
    const heap = (h: typeof heapAll) =>
      h
        ? `V8 heap ${fmt(h.usedMb)} in use, ${fmt(h.liveMb)} live after a full GC (RSS then ${fmt(h.rssAfterGcMb)})`
        : 'n/a';
    if (heapIdle) console.log(`extension host idle: ${heap(heapIdle)}`);
    console.log(`extension host with ${INSTANCES} rows: ${heap(heapAll)}`);
    await page.close();
  } finally {
    await browser.close();
    await cs.stop();
    await emulator.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runVscodeHarnessBench();
  await runVscodeWorkbenchBench();
}
