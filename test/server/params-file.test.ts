/**
 * `tceops call … --params @file` through a tceops server: the terminal reads the file and sends its text; the
 * server never reads a path it is sent (a file that exists on the server, reached by a path or a traversal, is not
 * opened). A huge, malformed or secret-carrying file is refused on the terminal before anything is sent, and a
 * secret sent straight to the API is refused there too, with nothing recorded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { main } from '../../packages/cli/src/main.ts';
import type { Prompter } from '../../packages/cli/src/prompt.ts';
import { captureIo } from '../../packages/cli/test/io.ts';
import { type ApiServer, startApiServer } from './api-server.ts';

const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };

describe('server mode: call --params @file', function () {
  this.timeout(60_000);
  let server: ApiServer;
  let home: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    server = await startApiServer({ timeScale: 0.02, waitIntervalMs: 100 });
    home = mkdtempSync(join(tmpdir(), 'tceops-params-terminal-'));
    env = { HOME: home, PATH: process.env.PATH, TCEOPS_SERVER: server.url, TCEOPS_TOKEN: server.token };
  });
  after(async () => {
    await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function tceops(args: string[]) {
    const io = captureIo();
    const code = await main(args, { io, env, prompter: noTerminal });
    return { code, ...io };
  }
  /** The API as any client could call it, bypassing the terminal. */
  async function api(command: string | string[]) {
    const response = await fetch(`${server.url}/api/v1/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ command }),
    });
    type Answer = { outcome: { kind: string; error: { kind: string; message: string; code?: string } } };
    return { status: response.status, body: (await response.json()) as Answer };
  }
  async function emulatorCalls(action: string): Promise<number> {
    const response = await fetch(`${server.emulatorUrl}/_tce/requests?limit=500`);
    const { requests } = (await response.json()) as { requests: { action: string }[] };
    return requests.filter((r) => r.action === action).length;
  }
  /** Everything the server keeps (audit, approvals, values), as text. */
  const kept = () =>
    readdirSync(server.dir)
      .map((name) => readFileSync(join(server.dir, name), 'utf8'))
      .join('\n');

  it('reads the file on the terminal and runs the call on the server with its parameters', async () => {
    const [id] = server.running;
    const file = join(home, 'params.json');
    writeFileSync(file, JSON.stringify({ InstanceIds: [id] }));
    const { code, stdout, stderr } = await tceops([
      'call',
      'cvm',
      'DescribeInstances',
      '--params',
      `@${file}`,
      '--output',
      'json',
    ]);
    assert.equal(code, 0, stderr);
    assert.ok(stdout.includes(id!), stdout);
    assert.ok(!server.running.slice(1).some((other) => stdout.includes(other)), 'only the instance the file named');
  });

  it('the server never reads a path it is sent: an existing file on the server, by path or traversal', async () => {
    // A file on the server's side that would be valid parameters if it were read.
    const serverFile = join(server.dir, 'server-side.json');
    writeFileSync(serverFile, JSON.stringify({ InstanceIds: [server.running[0]], Limit: 1 }));
    const before = await emulatorCalls('DescribeInstances');
    const traversal = `@${server.dir}/../${basename(server.dir)}/./server-side.json`;
    for (const command of [
      ['call', 'cvm', 'DescribeInstances', '--params', `@${serverFile}`],
      ['call', 'cvm', 'DescribeInstances', `--params=@${serverFile}`],
      ['call', 'cvm', 'DescribeInstances', '--params', traversal],
      `call cvm DescribeInstances --params @${serverFile}`,
      'call cvm DescribeInstances --params @/etc/passwd',
    ]) {
      const { status, body } = await api(command);
      assert.equal(status, 200);
      assert.equal(body.outcome.kind, 'error', JSON.stringify(body));
      assert.equal(body.outcome.error.kind, 'input');
      assert.match(
        body.outcome.error.message,
        /--params @file is read only by "tceops call" in a terminal; here no path is read/,
      );
      assert.doesNotMatch(JSON.stringify(body), /root:|InstanceIds/);
    }
    assert.equal(await emulatorCalls('DescribeInstances'), before, 'nothing reached the cloud');
  });

  it('refuses a huge, malformed or secret-carrying file on the terminal (exit 2), sending nothing', async () => {
    const before = await emulatorCalls('DescribeInstances');
    const huge = join(home, 'huge.json');
    writeFileSync(huge, `{"Limit": 1, "Filters": [{"Name": "zone", "Values": ["${'z'.repeat(70_000)}"]}]}`);
    const malformed = join(home, 'bad.json');
    writeFileSync(malformed, '{"InstanceIds": ["ins-1"],\n "LoginSettings": {"Password": Hunter2-secret}}');
    const secret = join(home, 'secret.json');
    writeFileSync(secret, JSON.stringify({ InstanceIds: [server.running[0]], Password: 'Hunter2-secret' }));
    for (const [file, action, message] of [
      [huge, 'DescribeInstances', /is \d+ bytes; the limit is 64 KB/],
      [malformed, 'DescribeInstances', /is not valid JSON.*nothing was sent/],
      [secret, 'ResetInstancesPassword', /Password carries a secret.*nothing was sent/],
    ] as const) {
      const { code, stdout, stderr } = await tceops(['call', 'cvm', action, '--params', `@${file}`, '--yes']);
      assert.equal(code, 2, stderr);
      assert.match(stderr, message);
      assert.ok(!`${stdout}${stderr}`.includes('Hunter2') && !stderr.includes('zzzz'), stderr);
    }
    assert.equal(await emulatorCalls('DescribeInstances'), before);
    assert.equal(await emulatorCalls('ResetInstancesPassword'), 0);
    assert.ok(!kept().includes('Hunter2'), 'the server kept no secret');
  });

  it('a secret sent straight to the API is refused there, and nothing of it is recorded', async () => {
    const params = JSON.stringify({ InstanceIds: [server.running[0]], Password: 'Hunter2-direct' });
    const { body } = await api(['call', 'cvm', 'ResetInstancesPassword', '--params', params, '--yes']);
    assert.equal(body.outcome.kind, 'error');
    assert.equal(body.outcome.error.code, 'SecretInCommand');
    assert.doesNotMatch(JSON.stringify(body), /Hunter2/);
    assert.ok(!kept().includes('Hunter2'));
    assert.equal(await emulatorCalls('ResetInstancesPassword'), 0);
  });

  it('the API takes a --params word up to 64 KB and refuses a bigger one', async () => {
    const near = JSON.stringify({ Limit: 1, Filters: [{ Name: 'zone', Values: ['z'.repeat(60_000)] }] });
    const ok = await api(['call', 'cvm', 'DescribeInstances', '--params', near]);
    assert.equal(ok.status, 200);
    const over = await api(['call', 'cvm', 'DescribeInstances', '--params', 'z'.repeat(70_000)]);
    assert.equal(over.status, 400);
  });
});
