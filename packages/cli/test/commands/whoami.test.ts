/**
 * `tceops whoami`: the server's word on who a token stands for (not the credentials file's), the same "sign in
 * again" exit 1 for a revoked or expired token, --as refused on a server, and a Slack name made inert.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '@tceops/core';
import { createApiHandler } from '@tceops/core/server/api.ts';
import { Sessions } from '@tceops/core/server/sessions.ts';
import { main } from '../../src/main.ts';
import { captureIo } from '../io.ts';
import { memoryKeyValue } from '../../../../test/support/memory-store.ts';

describe('tceops whoami', () => {
  let t = Date.parse('2026-11-30T08:00:00Z');
  const sessions = new Sessions({ store: memoryKeyValue(), now: () => new Date(t), tokenTtlMs: 60_000 });
  let server: Server;
  let url: string;
  let home: string;

  before(async () => {
    server = createServer(createApiHandler({ engine: {} as Engine, sessions }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    home = mkdtempSync(join(tmpdir(), 'tceops-whoami-'));
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    rmSync(home, { recursive: true, force: true });
  });

  const run = async (args: string[], env: NodeJS.ProcessEnv) => {
    const io = captureIo();
    const code = await main(['whoami', ...args], { io, env: { HOME: home, PATH: process.env.PATH, ...env } });
    return { code, ...io };
  };

  it('says who the server says the token stands for, and when it expires (text and JSON)', async () => {
    const { token, info } = await sessions.issue({ id: 'UALICE', org: 'T0001', name: 'alice' }, 'terminal');
    const env = { TCEOPS_SERVER: url, TCEOPS_TOKEN: token };
    const text = await run([], env);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      `Signed in to ${url} as alice (UALICE, team T0001); token ${info.id} expires at 2026-11-30T08:01:00.000Z.\n`,
    );
    const json = await run(['--output', 'json'], env);
    assert.deepEqual(JSON.parse(json.stdout), {
      mode: 'server',
      server: url,
      user: { id: 'UALICE', team: 'T0001', name: 'alice' },
      token: { id: info.id, expiresAt: '2026-11-30T08:01:00.000Z' },
    });
    assert.ok(!text.stdout.includes(token) && !json.stdout.includes(token), 'never the token');
  });

  it('believes the server, not a credentials file edited to name someone else', async () => {
    const { token } = await sessions.issue({ id: 'UMALLORY', org: 'T0001' }, 'terminal');
    mkdirSync(join(home, '.tceops'), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(home, '.tceops', 'credentials'),
      JSON.stringify({ server: url, token, user: { id: 'UBOB', name: 'bob' } }),
      { mode: 0o600 },
    );
    try {
      const out = await run([], {});
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, / as UMALLORY, team T0001; /);
      assert.doesNotMatch(out.stdout, /UBOB|bob/);
    } finally {
      rmSync(join(home, '.tceops'), { recursive: true, force: true });
    }
  });

  it('a revoked or expired token: exit 1, "sign in again", the same words for both', async () => {
    const revoked = await sessions.issue({ id: 'UALICE' }, 'terminal');
    await sessions.revokeToken(revoked.token);
    const expired = await sessions.issue({ id: 'UALICE' }, 'terminal');
    t += 60_001;
    const a = await run([], { TCEOPS_SERVER: url, TCEOPS_TOKEN: revoked.token });
    const b = await run([], { TCEOPS_SERVER: url, TCEOPS_TOKEN: expired.token });
    assert.equal(a.code, 1);
    assert.equal(a.stdout, '');
    assert.match(a.stderr, /sign in again with "tceops login --server URL"/);
    assert.equal(a.stderr, b.stderr);
  });

  it('refuses --as and TCEOPS_USER on a server (exit 2); bad flags are exit 2', async () => {
    const { token } = await sessions.issue({ id: 'UALICE' }, 'terminal');
    const env = { TCEOPS_SERVER: url, TCEOPS_TOKEN: token };
    const as = await run(['--as', 'UBOB'], env);
    assert.equal(as.code, 2);
    assert.match(as.stderr, /refused in server mode/);
    assert.equal((await run([], { ...env, TCEOPS_USER: 'UBOB' })).code, 2);
    assert.equal((await run(['--bogus'], env)).code, 2);
    assert.equal((await run(['--output', 'yaml'], env)).code, 2);
  });

  it('shows a Slack name with control characters inert (it cannot rewrite the terminal)', async () => {
    const { token } = await sessions.issue({ id: 'UEVE', name: 'eve\u001b[2J\u001b]0;pwned\u0007' }, 'terminal');
    const out = await run([], { TCEOPS_SERVER: url, TCEOPS_TOKEN: token });
    assert.equal(out.code, 0, out.stderr);
    const controls = [...out.stdout.trimEnd()].filter((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
    assert.deepEqual(controls, [], 'no control character reaches the terminal');
    assert.match(out.stdout, /as eve.*\(UEVE\)/);
  });

  it('local mode: the OS user, and says it is not signed in to a server', async () => {
    const out = await run([], {});
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stdout,
      /^Local mode \(not signed in to a tceops server\): acting as \S+ on the embedded emulator\.\n$/,
    );
    const cloud = await run(['--as', 'bob'], { TENCENTCLOUD_SECRET_ID: 'AKIDx', TENCENTCLOUD_SECRET_KEY: 'k' });
    assert.equal(cloud.code, 2, 'with a configured cloud, --as is refused as everywhere');
  });
});
