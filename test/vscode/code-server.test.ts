/**
 * The extension in a real VS Code (code-server + Chromium), against the emulator the extension starts itself:
 * the in-host integration suite, then the UI walk with screenshots in test-artifacts/vscode/. Skipped only
 * outside CI when code-server or Chromium is missing, and then it says why; in CI a missing piece fails.
 */
import assert from 'node:assert/strict';
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
      assert.match(report, /tceops in-host: 12 passing, 0 failing/);
    } finally {
      await cs.stop();
    }
  });

  it('UI, from the packaged .vsix: opens the container, expands a region, stops an instance through the context menu and the modal', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'tceops-vsix-'));
    const vsix = packageVsix(out);
    const cs = await startCodeServer({ vsix });
    rmSync(out, { recursive: true, force: true });
    const page = await openWorkbench(cs, browser!);
    try {
      // dev-1 in ap-beijing: RUNNING and tagged env=dev in the emulator's demo seed, so the built-in policy asks for a click.
      const result = await stopThroughTheUi(page, ARTIFACTS, { region: 'ap-beijing', instance: 'dev-1' });
      assert.equal(result.screenshots.length, 9);
      console.log(
        `      expand Instances → rows: ${result.timings.expandToRowsMs} ms; screenshots in ${path.relative(ROOT, ARTIFACTS)}/`,
      );
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png') }).catch(() => {});
      throw error;
    } finally {
      await page.close();
      await cs.stop();
    }
  });
});
