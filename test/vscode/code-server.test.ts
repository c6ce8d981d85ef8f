/**
 * The extension in a real VS Code (code-server + Chromium), against the emulator the extension starts itself:
 * the in-host integration suite, then the UI walk with screenshots in test-artifacts/vscode/. Skipped only
 * outside CI when code-server or Chromium is missing, and then it says why; in CI a missing piece fails.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildVscode } from '../../packages/vscode/build.mjs';
import {
  chromiumBinary,
  codeServerBinary,
  launchBrowser,
  openWorkbench,
  packageVsix,
  ROOT,
  runInHost,
  startCodeServer,
} from './harness.ts';
import { createClient, createEngine, openStore, policyFromEnv } from '../../packages/core/src/index.ts';
import { DEMO_CREDENTIALS } from '../../packages/emulator/src/index.ts';
import { dailyThroughTheUi, type Elsewhere } from './ui-daily.ts';
import { stopThroughTheUi } from './ui-scenario.ts';

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'vscode');

describe('VS Code extension in a real workbench (code-server)', function () {
  this.timeout(300_000);
  let browser: Browser | undefined;

  before(async function () {
    const missing = !codeServerBinary()
      ? 'code-server is not installed (run test/vscode/install-code-server.sh)'
      : !chromiumBinary()
        ? 'Chromium is not installed (apt-get install -y chromium)'
        : undefined;
    if (missing) {
      if (process.env.CI) throw new Error(`CI must run the VS Code tests, but ${missing}`);
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    await buildVscode();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it("passes the in-host suite: the tree lists the emulator's instances; stop → modal → STOPPED", async () => {
    const cs = await startCodeServer();
    try {
      const { code, console: lines } = await runInHost(cs, browser!);
      const report = lines
        .filter((l) => l.includes('tceops in-host') || /\bERR\b|Error:/.test(l))
        .map((l) => l.replace(/^%c \w+ color: #\w+ /, ''))
        .join('\n');
      assert.equal(code, 0, `the in-host suite failed:\n${report}\n--- code-server log ---\n${cs.log().slice(-3000)}`);
      assert.match(report, /tceops in-host: 13 passing, 0 failing/);
      console.log(`      ${/tceops in-host timing: (.*)/.exec(report)?.[1] ?? ''}`);
    } finally {
      await cs.stop();
    }
  });

  it('UI, from the packaged .vsix: opens the container, expands a region, stops an instance through the context menu and the modal', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'tceops-vsix-'));
    const vsix = packageVsix(out);
    // A store this test can reach too: another person approves there, as Slack or the terminal would.
    const store = path.join(out, 'store');
    // Records in a store are sealed with TCEOPS_STORE_KEY: whoever shares the store shares the key.
    const storeKey = randomBytes(32).toString('hex');
    const cs = await startCodeServer({
      vsix,
      settings: { 'tceops.store': `file:${store}` },
      env: { TCEOPS_STORE_KEY: storeKey },
    });
    const page = await openWorkbench(cs, browser!);
    try {
      // dev-1 in ap-beijing: RUNNING and tagged env=dev in the emulator's demo seed, so the built-in policy asks for a click.
      const result = await stopThroughTheUi(page, ARTIFACTS, { region: 'ap-beijing', instance: 'dev-1' });
      assert.equal(result.screenshots.length, 9);
      const daily = await dailyThroughTheUi(
        page,
        ARTIFACTS,
        { region: 'ap-beijing', stopElsewhere: 'dev-2', mixedRunning: 'worker-1', ssh: 'worker-1', terminate: 'dev-3' },
        elsewhere(store, storeKey),
        result.screenshots.length,
      );
      assert.equal(daily.screenshots.length, 11);
      console.log(
        `      expand Instances → rows: ${result.timings.expandToRowsMs} ms; Refresh All → STOPPED row: ${daily.timings.refreshAllMs} ms; screenshots in ${path.relative(ROOT, ARTIFACTS)}/`,
      );
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png') }).catch(() => {});
      throw error;
    } finally {
      await page.close();
      await cs.stop();
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/** Outside the editor: the API called directly, and another person's engine on the shared store. */
function elsewhere(store: string, storeKey: string): Elsewhere {
  const client = (endpoint: string) =>
    createClient({ endpoint, credentials: { ...DEMO_CREDENTIALS, source: 'test' }, env: {} });
  return {
    async stop(endpoint, region, id) {
      const c = client(endpoint);
      try {
        await c.call('cvm', 'StopInstances', { InstanceIds: [id] }, { region });
        for (let i = 0; i < 300; i++) {
          const r = await c.call<{ InstanceSet: { InstanceState: string }[] }>(
            'cvm',
            'DescribeInstances',
            { InstanceIds: [id] },
            { region },
          );
          if (r.InstanceSet[0]?.InstanceState === 'STOPPED') return;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        throw new Error(`${id} did not stop`);
      } finally {
        c.close();
      }
    },
    async approve(endpoint, approvalId) {
      const opened = await openStore(`file:${store}`, { env: { TCEOPS_STORE_KEY: storeKey } });
      const c = client(endpoint);
      const engine = createEngine({ client: c, store: opened, policy: policyFromEnv({}), expireEveryMs: 0 });
      try {
        const outcome = await engine.approve(approvalId, { actor: { id: 'alice' }, surface: 'cli' });
        if (outcome.kind === 'error' || outcome.kind === 'denied')
          throw new Error(`alice could not approve ${approvalId}: ${JSON.stringify(outcome).slice(0, 300)}`);
        await engine.idle();
      } finally {
        await engine.close();
        await opened.close();
        c.close();
      }
    },
  };
}
