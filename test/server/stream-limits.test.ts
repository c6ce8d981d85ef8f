/**
 * Open stream limits on the real server (the bot in HTTP mode, the real pipeline, the emulator), as an attacker
 * and a busy user meet them: at the per-user limit a streamed command is refused before anything is planned, run
 * or recorded; the terminal then sends it once without a stream, says so, and the cloud is asked once. Stopping
 * the server ends the streams it holds instead of waiting for their clients.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAudit, Sessions } from '@tceops/core';
import { main } from '../../packages/cli/src/main.ts';
import type { Prompter } from '../../packages/cli/src/prompt.ts';
import { captureIo } from '../../packages/cli/test/io.ts';
import { type ServerFixture, startServerFixture } from './fixture.ts';

const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };

/** An open `approvals/follow`: its status, and a promise that settles when the server ends it. */
async function follow(url: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/approvals/follow`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const ended = (async () => {
    for await (const _ of response.body as unknown as AsyncIterable<Uint8Array>);
  })().catch(() => {});
  return { status: response.status, ended, close: () => controller.abort() };
}

describe('server mode: open stream limits, end to end', function () {
  this.timeout(60_000);
  let server: ServerFixture;
  let closed = false;
  let home: string;
  let token: string;

  before(async () => {
    server = await startServerFixture({ streams: { perUser: 2 } });
    token = (await new Sessions({ store: server.store }).issue({ id: 'UALICE' }, 'terminal')).token;
    home = mkdtempSync(join(tmpdir(), 'tceops-stream-limits-'));
  });
  after(async () => {
    if (!closed) await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function tceops(args: string[]) {
    const io = captureIo();
    const env = { HOME: home, PATH: process.env.PATH, TCEOPS_SERVER: server.h.url, TCEOPS_TOKEN: token };
    const code = await main(args, { io, env, prompter: noTerminal });
    return { code, ...io };
  }

  it('at the limit: a streamed stop is refused having done nothing; the terminal sends it once without a stream', async () => {
    const listed = JSON.parse(
      (await tceops(['cvm', 'instances', '--state', 'RUNNING', '--output', 'json'])).stdout,
    ) as {
      rows: { id: string }[];
      items: { Tags?: { Key: string; Value: string }[] }[];
    };
    const index = listed.items.findIndex((i) => !(i.Tags ?? []).some((t) => /prod/i.test(`${t.Key}=${t.Value}`)));
    const target = listed.rows[index]!.id;
    const streams = [await follow(server.h.url, token), await follow(server.h.url, token)];
    try {
      assert.deepEqual(
        streams.map((s) => s.status),
        [200, 200],
      );
      const audit = (await readAudit(server.store)).length;
      const refused = await fetch(`${server.h.url}/api/v1/run`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/x-ndjson',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ command: `cvm stop ${target}`, yes: true }),
      });
      assert.equal(refused.status, 429);
      const { error } = (await refused.json()) as { error: { code: string; message: string; limit: number } };
      assert.equal(error.code, 'RequestLimitExceeded.Streams');
      assert.equal(error.limit, 2);
      assert.equal(await server.emulatorCalls('StopInstances'), 0, 'nothing was run');
      assert.equal(await server.emulatorCalls('DescribeInstances'), 1, 'nothing was planned (one read: the list)');
      assert.equal((await readAudit(server.store)).length, audit, 'nothing was recorded');
      // An operator sees it: the streams open now, and the refusal by whose limit it was.
      const metrics = await (await fetch(`${server.h.url}/metrics`)).text();
      assert.match(metrics, /^tceops_api_streams_open 2$/m);
      assert.match(metrics, /^tceops_api_streams_refused_total\{scope="user"\} 1$/m);

      const stop = await tceops(['cvm', 'stop', target, '--yes']);
      assert.equal(stop.code, 0, stop.stderr);
      assert.match(
        stop.stderr,
        /no live progress \(the server already has its limit of 2 streams open for you\); the command was sent without it/,
      );
      assert.match(stop.stdout, new RegExp(`${target}\\s+ok`));
      assert.equal(await server.emulatorCalls('StopInstances'), 1, 'the cloud was asked once');
    } finally {
      for (const s of streams) s.close();
    }
    // The server hears the clients leave a moment after they do.
    let open = '';
    for (let tries = 0; tries < 50 && open !== '0'; tries++) {
      await new Promise((r) => setTimeout(r, 50));
      open = /^tceops_api_streams_open (\d+)$/m.exec(await (await fetch(`${server.h.url}/metrics`)).text())?.[1] ?? '';
    }
    assert.equal(open, '0', 'closed streams are not counted');
  });

  it('stopping the server ends the streams it holds instead of waiting for their clients', async () => {
    const streams = [await follow(server.h.url, token), await follow(server.h.url, token)];
    assert.deepEqual(
      streams.map((s) => s.status),
      [200, 200],
    );
    closed = true;
    const stopped = server.close().then(() => 'stopped');
    const late = new Promise((r) => setTimeout(r, 10_000, 'still waiting for its clients'));
    assert.equal(await Promise.race([stopped, late]), 'stopped');
    await Promise.all(streams.map((s) => s.ended));
  });
});
