/**
 * Live progress through a tceops server: `tceops cvm stop ID --yes` from a terminal with no cloud keys prints the
 * target's states as the server's waiter sees them — as they happen, not all at the end — in the same lines as
 * local mode, with the same outcome and exit code. A client that does not ask for the stream gets plain JSON.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine, Sessions } from '@tceops/core';
import { DEMO_CREDENTIALS } from '@tceops/emulator';
import { main } from '../../packages/cli/src/main.ts';
import type { Io } from '../../packages/cli/src/output.ts';
import type { Prompter } from '../../packages/cli/src/prompt.ts';
import { startHarness } from '../slack/harness.ts';
import { type ApiServer, startApiServer } from './api-server.ts';

const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };
/** A progress line as local mode prints it (render.ts progressText). */
const PROGRESS = /^ {2}… ins-\w+ is [A-Z]+( ✓)?$/;

/** What a command printed, each stderr line with the time it came. */
function timedIo(): Io & { stdout: string; lines: { at: number; text: string }[] } {
  const io = {
    stdout: '',
    lines: [] as { at: number; text: string }[],
    out(text: string) {
      io.stdout += `${text}\n`;
    },
    err(text: string) {
      for (const line of text.replace(/\n$/, '').split('\n')) io.lines.push({ at: performance.now(), text: line });
    },
  };
  return io;
}

describe('server mode: live progress in the terminal', function () {
  this.timeout(60_000);
  let server: ApiServer;
  let engine: Engine;
  let url: string;
  let token: string;
  let home: string;
  let running: string[];

  before(async () => {
    // A stop takes 0.9 s here; the server's waiter looks every 100 ms, so it sees STOPPING, then STOPPED.
    server = await startApiServer({ timeScale: 0.3, waitIntervalMs: 100 });
    ({ engine, url, token, running } = server);
    home = mkdtempSync(join(tmpdir(), 'tceops-progress-terminal-'));
  });
  after(async () => {
    await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function tceops(args: string[], env: NodeJS.ProcessEnv) {
    const io = timedIo();
    const code = await main(args, { io, env, prompter: noTerminal });
    return { code, ...io, ended: performance.now() };
  }

  it('prints the states as the server sees them, live, in the lines local mode prints', async () => {
    const remote = await tceops(['cvm', 'stop', running[0]!, '--yes'], {
      HOME: home,
      PATH: process.env.PATH,
      TCEOPS_SERVER: url,
      TCEOPS_TOKEN: token,
    });
    assert.equal(remote.code, 0, remote.lines.map((l) => l.text).join('\n'));
    const progress = remote.lines.filter((l) => l.text.startsWith('  … '));
    assert.ok(progress.length >= 2, JSON.stringify(remote.lines));
    for (const line of progress) assert.match(line.text, PROGRESS);
    assert.equal(progress[0]!.text, `  … ${running[0]} is STOPPING`);
    assert.equal(progress.at(-1)!.text, `  … ${running[0]} is STOPPED ✓`);
    // Live: STOPPING came while the instance was stopping, not in one burst with STOPPED at the end.
    assert.ok(progress.at(-1)!.at - progress[0]!.at > 300, 'the states arrived as they happened');
    assert.match(remote.stdout, new RegExp(`${running[0]}\\s+ok`));

    // Local mode, the same command on another instance: the same lines (its waiter looks every second).
    const local = await tceops(['cvm', 'stop', running[1]!, '--yes'], {
      HOME: home,
      PATH: process.env.PATH,
      TCE_ENDPOINT: server.emulatorUrl,
      TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
      TENCENTCLOUD_REGION: 'ap-guangzhou',
      TCEOPS_STORE: `file:${join(home, 'local-store')}`,
    });
    assert.equal(local.code, 0);
    const localProgress = local.lines.filter((l) => l.text.startsWith('  … ')).map((l) => l.text);
    for (const line of localProgress) assert.match(line, PROGRESS);
    assert.equal(localProgress.at(-1), `  … ${running[1]} is STOPPED ✓`);
    assert.equal(
      remote.stdout.replaceAll(running[0]!, 'ID').replace(/\S{20,}/g, 'REQ'),
      local.stdout.replaceAll(running[1]!, 'ID').replace(/\S{20,}/g, 'REQ'),
      'the outcome is printed the same way',
    );
  });

  it('streams the same through the Slack app in HTTP mode (the API on its PORT)', async () => {
    const h = await startHarness(engine, { kv: server.store, sessions: new Sessions({ store: server.store }) });
    try {
      // The instance local mode stopped in the first test.
      const started = await tceops(['cvm', 'start', running[1]!, '--yes'], {
        HOME: home,
        PATH: process.env.PATH,
        TCEOPS_SERVER: h.url,
        TCEOPS_TOKEN: token,
      });
      assert.equal(started.code, 0, started.lines.map((l) => l.text).join('\n'));
      const progress = started.lines.filter((l) => l.text.startsWith('  … ')).map((l) => l.text);
      assert.deepEqual(progress.slice(-1), [`  … ${running[1]} is RUNNING ✓`]);
      assert.ok(progress.includes(`  … ${running[1]} is STARTING`), JSON.stringify(progress));
    } finally {
      await h.close();
    }
  });

  it('a command that runs nothing ends at once; a refusal keeps its exit code', async () => {
    const env = { HOME: home, PATH: process.env.PATH, TCEOPS_SERVER: url, TCEOPS_TOKEN: token };
    const read = await tceops(['cvm', 'instances'], env);
    assert.equal(read.code, 0);
    assert.ok(!read.lines.some((l) => l.text.startsWith('  … ')));
    const bad = await tceops(['cvm', 'stop', 'ins-nosuch1', '--yes'], env);
    assert.equal(bad.code, 2, bad.lines.map((l) => l.text).join('\n'));
    const expired = await tceops(['cvm', 'stop', running[0]!, '--yes'], { ...env, TCEOPS_TOKEN: 'tceops_nope' });
    assert.equal(expired.code, 1);
    assert.match(expired.lines.map((l) => l.text).join('\n'), /sign in again/);
  });

  it('a client that goes away mid-stream ends its stream, not the waiter; the server keeps answering', async () => {
    const seen: string[] = [];
    const off = engine.onProgress((e) => seen.push(e.message));
    const controller = new AbortController();
    const response = await fetch(`${url}/api/v1/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson', authorization: `Bearer ${token}` },
      // The instance the first test stopped.
      body: JSON.stringify({ command: `cvm start ${running[0]}`, yes: true }),
      signal: controller.signal,
    });
    assert.match(response.headers.get('content-type') ?? '', /^application\/x-ndjson/);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.equal(JSON.parse(first.split('\n')[0]!).outcome.kind, 'result', first);
    controller.abort();
    await engine.idle();
    off();
    assert.ok(seen.includes(`${running[0]} is RUNNING`), 'the waiter followed the target to its end');
    const state = await tceops(['cvm', 'instances', '--output', 'json'], {
      HOME: home,
      PATH: process.env.PATH,
      TCEOPS_SERVER: url,
      TCEOPS_TOKEN: token,
    });
    assert.equal(state.code, 0);
    assert.match(state.stdout, new RegExp(`${running[0]}[^}]*RUNNING`));
  });

  it('a hostile server: its progress is printed inert, a cut stream says so and keeps the exit code, junk is refused', async () => {
    const outcome = {
      kind: 'result',
      plan: {
        hash: 'h1',
        command: 'cvm stop ins-1',
        service: 'cvm',
        action: 'StopInstances',
        risk: 'sensitive',
        region: 'ap-guangzhou',
        summary: 'Stop 1 instance',
        irreversible: false,
        targets: [],
      },
      results: [{ id: 'ins-1', ok: true }],
      requestIds: [],
    };
    let mode = 'cut';
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      if (mode === 'huge') return void res.end('x'.repeat(33 * 1024 * 1024));
      if (mode === 'junk') return void res.end('{"progress":{}}\n');
      const message = 'ins-1 is \x1b[2J\x1b[31mRUNNING\u202e';
      res.write(`${JSON.stringify({ outcome })}\n`);
      res.write(
        `${JSON.stringify({ progress: { planHash: 'h1', targetId: 'ins-1', state: 'X', done: false, message } })}\n`,
      );
      res.write(`${JSON.stringify({ progress: { planHash: 'h1', message: 42 } })}\n`);
      setTimeout(() => res.destroy(), 50);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const env = {
      HOME: home,
      PATH: process.env.PATH,
      TCEOPS_SERVER: `http://127.0.0.1:${(evil.address() as { port: number }).port}`,
      TCEOPS_TOKEN: 'tceops_x',
    };
    try {
      const cut = await tceops(['cvm', 'stop', 'ins-1', '--yes'], env);
      const text = cut.lines.map((l) => l.text).join('\n');
      assert.equal(cut.code, 0, text);
      assert.ok(text.includes('  … ins-1 is \\e[2J\\e[31mRUNNING'), text);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not reach the terminal
      assert.doesNotMatch(text, /[\x1b\u202e]/);
      assert.match(text, /the server's progress stopped \(.*\); the outcome above stands/);
      assert.equal(cut.lines.filter((l) => l.text.startsWith('  … ')).length, 2, 'the malformed event was dropped');
      mode = 'huge';
      const huge = await tceops(['cvm', 'stop', 'ins-1', '--yes'], env);
      assert.equal(huge.code, 1);
      assert.match(huge.lines.map((l) => l.text).join('\n'), /could not be read: a line from the server is over 32 MB/);
      mode = 'junk';
      const junk = await tceops(['cvm', 'stop', 'ins-1', '--yes'], env);
      assert.equal(junk.code, 1);
      assert.match(junk.lines.map((l) => l.text).join('\n'), /streamed something before its outcome/);
    } finally {
      evil.close();
    }
  });

  it('a client that does not ask for the stream gets the plain JSON answer', async () => {
    const response = await fetch(`${url}/api/v1/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ command: 'cvm instances' }),
    });
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(((await response.json()) as { outcome: { kind: string } }).outcome.kind, 'table');
  });
});
