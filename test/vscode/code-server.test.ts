/**
 * The extension in a real VS Code (code-server + Chromium), against the emulator the extension starts itself:
 * the in-host integration suite, then the UI walk with screenshots in test-artifacts/vscode/; then through a
 * tceops server (signed in through the Slack stand-in, no cloud keys in the editor). Skipped only outside CI
 * when code-server or Chromium is missing, and then it says why; in CI a missing piece fails.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
import {
  createClient,
  createEngine,
  openStore,
  policyFromEnv,
  readAudit,
  Sessions,
} from '../../packages/core/src/index.ts';
import { DEMO_CREDENTIALS, startEmulator } from '../../packages/emulator/src/index.ts';
import { ACTION } from '../../packages/slack/src/blocks/ids.ts';
import { elements, textOf } from '../slack/harness.ts';
import { eventually } from '../slack/real-pipeline.ts';
import { APPROVALS_CHANNEL, startServerFixture } from '../server/fixture.ts';
import { dailyThroughTheUi, type Elsewhere } from './ui-daily.ts';
import { foldersThroughTheUi } from './ui-folders.ts';
import { stopThroughTheUi } from './ui-scenario.ts';
import { serverModeThroughTheUi } from './ui-server.ts';

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

  it('through a tceops server: sign in by the code typed in Slack, the tree with no cloud keys, terminate approved by another Slack user, run once', async () => {
    // The server's waiters on: what it runs, it follows, and streams the progress to the editor.
    const server = await startServerFixture({ waiters: true });
    const { h } = server;
    const alice = { user: 'UALICE', channel: 'C0OPS' };
    const bob = { user: 'UBOB', channel: 'C0OPS' };
    // Nothing in the editor's environment can reach the cloud: the only way in is the server. An --as-like claim
    // there (the terminal's TCEOPS_USER) changes nothing: the server acts as the Slack user who signed in.
    // Keys in the test's own environment must not reach the editor.
    const keys = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TCE_ENDPOINT'] as const;
    const saved = keys.map((k) => process.env[k]);
    Object.assign(process.env, {
      TENCENTCLOUD_SECRET_ID: 'AKIDmustnotreachtheeditor',
      TENCENTCLOUD_SECRET_KEY: 'mustnotreachtheeditor',
      TCE_ENDPOINT: server.emulatorUrl,
    });
    const restore = () => {
      for (const [i, key] of keys.entries()) {
        if (saved[i] === undefined) delete process.env[key];
        else process.env[key] = saved[i];
      }
    };
    const cs = await startCodeServer({ installExtension: true, noCloud: true, env: { TCEOPS_USER: 'UBOB' } })
      .catch(async (error) => {
        await server.close();
        throw error;
      })
      .finally(restore);
    const page = await openWorkbench(cs, browser!);
    try {
      const environ = readFileSync(`/proc/${cs.pid}/environ`, 'utf8').split('\0');
      assert.ok(environ.includes('TCEOPS_USER=UBOB'), 'the editor environment as started');
      assert.deepEqual(
        environ.filter((v) => /^(TENCENTCLOUD_|TCE_|TCCLI_|TCEOPS_STORE)/.test(v)),
        [],
        'no cloud keys, cloud or store in the editor environment',
      );
      const walk = await serverModeThroughTheUi(
        page,
        ARTIFACTS,
        { server: h.url, region: 'ap-beijing', terminate: 'dev-3', stop: 'dev-1' },
        {
          async login(code) {
            const { responseUrl } = await h.command(`login ${code}`, alice);
            const answer = await h.standin.waitFor(() => h.responses(responseUrl).at(-1), 10_000, 'the answer');
            assert.match(textOf(answer.blocks), /Signed in VS Code as <@UALICE>/);
          },
          async meanwhile() {
            // Alice asks in Slack too (hers: never offered to her to decide); Bob asks (offered to her).
            for (const [name, who] of [
              ['dev-2', alice],
              ['dev-4', bob],
            ] as const) {
              const { responseUrl } = await h.command(`cvm terminate ${name} --region ap-beijing`, who);
              await h.standin.waitFor(
                () =>
                  [...h.standin.messages.values()].some(
                    (m) => m.channel === APPROVALS_CHANNEL && textOf(m.blocks).includes(name),
                  ),
                30_000,
                `the approval request for ${name} in Slack (answered: ${JSON.stringify(h.responses(responseUrl)).slice(0, 600)})`,
              );
            }
            assert.equal((await server.store.listApprovals({ state: 'pending' })).length, 2);
          },
          async decide(id) {
            const request = await h.standin.waitFor(
              () =>
                [...h.standin.messages.values()].find(
                  (m) => m.channel === APPROVALS_CHANNEL && textOf(m.blocks).includes(id),
                ),
              15_000,
              'the approval request in Slack',
            );
            assert.match(textOf(request.blocks), /Requested by <@UALICE>/);
            assert.equal(String(elements(request.blocks, ACTION.approve)[0]!.value), id);
            // Alice's own click is refused; Bob's approves.
            const own = await h.click(ACTION.approve, id, alice, { messageTs: request.ts });
            const refusal = await h.standin.waitFor(() => h.responses(own.responseUrl).at(-1), 10_000, 'the refusal');
            assert.match(textOf(refusal.blocks), /you asked for it/);
            assert.equal((await server.store.getApproval(id))?.state, 'pending');
            await h.click(ACTION.approve, id, bob, { messageTs: request.ts });
          },
        },
      );
      // What the editor offered while the request was pending: Alice's own requests (from here and from Slack)
      // under hers; only Bob's waiting for her decision.
      assert.equal(walk.listed.mine.length, 2, JSON.stringify(walk.listed));
      assert.ok(walk.listed.mine.some((l) => l.includes('dev-2')));
      assert.equal(walk.listed.decide.length, 1, JSON.stringify(walk.listed));
      assert.match(walk.listed.decide[0]!, /dev-4/);
      const record = (await server.store.getApproval(walk.approvalId))!;
      assert.equal(record.requester.id, 'UALICE');
      assert.deepEqual(
        record.approvals.map((a) => a.by),
        ['UBOB'],
      );
      await eventually(async () => (await server.store.getApproval(walk.approvalId))?.state === 'succeeded', 'done');
      const runs = (await readAudit(server.store)).filter(
        (r) => r.kind === 'execution' && r.planHash === record.plan.hash,
      );
      assert.equal(runs.length, 1, 'the pipeline ran it once');
      assert.equal(await server.emulatorCalls('TerminateInstances'), 1, 'the emulator was asked once');
      // Live, not polled: the stop was followed to its end on the server's stream, and the decision in Slack was
      // heard on the approvals stream.
      const heard = new RegExp(`approval ${walk.approvalId}: pending → \\w+ \\(heard on the server's stream\\)`);
      await eventually(
        async () => {
          const log = extensionLog(cs.runDir);
          return (
            log.includes("Stop: followed on the server's stream") &&
            log.includes('Stop: dev-1 is STOPPED.') &&
            heard.test(log) &&
            log.includes(`Request ${walk.approvalId}: followed on the server's stream`) &&
            log.includes(`Request ${walk.approvalId}: dev-3 is gone.`)
          );
        },
        `the log to say the stop, the decision and its run were heard on the server's streams:\n${extensionLog(cs.runDir)}`,
      );
      // Signed out: every sign-in of Alice's from the editor is revoked on the server.
      const tokens = await new Sessions({ store: server.store }).list('UALICE');
      assert.equal(tokens.length, 1);
      assert.ok(tokens[0]!.revokedAt, 'Sign Out revoked the token');
      console.log(`      ${walk.screenshots.length} screenshots in ${path.relative(ROOT, ARTIFACTS)}/server-*.png`);
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, 'server-failure.png') }).catch(() => {});
      throw error;
    } finally {
      await page.close();
      await cs.stop();
      await server.close();
    }
  });

  it('UI, a long list in folders: read when opened, let go when closed, ranges read out, rows still open details', async () => {
    const emulator = await startEmulator({
      port: 0,
      seed: 'empty',
      syntheticInstances: 12,
      syntheticRegions: ['ap-guangzhou'],
    });
    // One row per request: a folder holds five, so twelve instances make three folders.
    const cs = await startCodeServer({
      installExtension: true,
      settings: { 'tceops.endpoint': emulator.url, 'tceops.regions': ['ap-guangzhou'], 'tceops.pageSize': 1 },
      env: { TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId, TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey },
    });
    const page = await openWorkbench(cs, browser!);
    try {
      const result = await foldersThroughTheUi(page, ARTIFACTS, 'ap-guangzhou');
      assert.deepEqual(result.folders, ['Instances 1–5', 'Instances 6–10', 'Instances 11–12']);
      assert.equal(result.folderAria, 'Instances 1 to 5 of 12');
      assert.equal(result.screenshots.length, 4);
      // The extension's log: a folder is read when opened — the first twice (opened, closed, opened), the middle
      // one never.
      let reads = new Map<string, number>();
      await eventually(async () => {
        reads = folderReads(cs.runDir);
        return reads.get('1–5') === 2;
      }, 'the log to show the first folder read twice');
      assert.deepEqual(Object.fromEntries(reads), { '1–5': 2, '11–12': 1 });
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, 'folders-failure.png') }).catch(() => {});
      throw error;
    } finally {
      await page.close();
      await cs.stop();
      await emulator.stop();
    }
  });
});

/** The extension's log (every .log file under `dir`). */
function extensionLog(dir: string): string {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.log'))
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

/** How many times each folder of ap-guangzhou's instances was read, from the extension's log under `dir`. */
function folderReads(dir: string): Map<string, number> {
  const reads = new Map<string, number>();
  for (const [, range] of extensionLog(dir).matchAll(/loaded ap-guangzhou \/ instances (\d+–\d+): \d+ rows/g))
    reads.set(range!, (reads.get(range!) ?? 0) + 1);
  return reads;
}

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
