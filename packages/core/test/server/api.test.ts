/**
 * GET /api/v1/whoami and core's whoami(): the verified Slack identity a token stands for, and nothing a caller
 * can change; revoked, expired and unknown tokens get the same 401. Reads run through the API are recorded
 * (auditReads) as the token's user.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../../src/commands/types.ts';
import { createApiHandler } from '../../src/server/api.ts';
import { whoami } from '../../src/server/remote.ts';
import { Sessions } from '../../src/server/sessions.ts';
import { RemoteError } from '../../src/server/wire.ts';
import { memoryKeyValue } from '../../../../test/support/memory-store.ts';
import { type Cloud, startCloud } from '../../../../test/support/cloud.ts';
import { readAudit } from '../../src/audit/log.ts';
import { checkPolicy } from '../../src/policy/load.ts';

describe('server API: whoami', () => {
  let t = Date.parse('2026-11-30T08:00:00Z');
  const store = memoryKeyValue();
  const sessions = new Sessions({ store, now: () => new Date(t), tokenTtlMs: 60_000 });
  let server: Server;
  let url: string;

  before(async () => {
    // whoami reads no approvals and runs nothing: an engine that fails if touched.
    const engine = new Proxy({} as Engine, {
      get: () => {
        throw new Error('whoami must not use the engine');
      },
    });
    server = createServer(createApiHandler({ engine, sessions }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  const raw = async (headers: Record<string, string> = {}, query = '') => {
    const response = await fetch(`${url}/api/v1/whoami${query}`, { headers });
    return { status: response.status, text: await response.text() };
  };

  it('says who the token stands for: Slack user ID, team, name as shown, and when the token expires', async () => {
    const { token, info } = await sessions.issue({ id: 'UALICE', org: 'T0001', name: 'alice' }, 'VS Code');
    const me = await whoami(url, token);
    assert.deepEqual(me, {
      user: { id: 'UALICE', team: 'T0001', name: 'alice' },
      token: { id: info.id, expiresAt: '2026-11-30T08:01:00.000Z' },
    });
    const answer = await raw({ authorization: `Bearer ${token}` });
    assert.equal(answer.status, 200);
    assert.ok(!answer.text.includes(token), 'never the token itself');
    assert.ok(!answer.text.includes(token.slice(7, 30)), 'nor a part of it');
  });

  it('cannot be asked about someone else: the token decides, not the query, body or other headers', async () => {
    const { token } = await sessions.issue({ id: 'UMALLORY', org: 'T0001', name: 'UBOB' }, 'terminal');
    const answer = await raw(
      { authorization: `Bearer ${token}`, 'x-slack-user': 'UBOB', 'x-tceops-actor': 'UBOB' },
      '?user=UBOB&id=UBOB',
    );
    assert.equal(answer.status, 200);
    const body = JSON.parse(answer.text);
    assert.equal(body.user.id, 'UMALLORY', 'a display name that looks like an ID is only a name');
    assert.equal(body.user.name, 'UBOB');
    // A POST is not whoami (no side door through the command routes either).
    const post = await fetch(`${url}/api/v1/whoami`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'UBOB' }),
    });
    assert.equal(post.status, 404);
  });

  it('answers revoked, expired, unknown, malformed and missing tokens with the same 401; whoami() says to sign in again', async () => {
    const revoked = await sessions.issue({ id: 'UALICE', org: 'T0001' }, 'x');
    await sessions.revokeToken(revoked.token);
    const expired = await sessions.issue({ id: 'UALICE', org: 'T0001' }, 'x');
    const valid = await sessions.issue({ id: 'UALICE', org: 'T0001' }, 'x');
    assert.equal((await whoami(url, valid.token)).user.id, 'UALICE');
    t += 60_001;
    const answers = [
      await raw(),
      await raw({ authorization: 'Bearer tceops_unknown-token-000000000000000000' }),
      await raw({ authorization: `Bearer ${revoked.token}` }),
      await raw({ authorization: `Bearer ${expired.token}` }),
      await raw({ authorization: `Bearer ${valid.token}` }),
      await raw({ authorization: `bearer ${valid.token}` }),
      await raw({ authorization: `Basic ${Buffer.from(`x:${valid.token}`).toString('base64')}` }),
    ];
    assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.text}`)).size, 1, JSON.stringify(answers));
    assert.equal(answers[0]!.status, 401);
    for (const token of [revoked.token, expired.token, 'tceops_unknown-token-000000000000000000']) {
      const error = await whoami(url, token).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof RemoteError);
      assert.equal(error.code, 'AuthFailure.SignInRequired');
      assert.match(error.message, /sign in again/);
    }
  });

  it('whoami() refuses an answer that is not a whoami (a proxy page, a server of something else)', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, user: 'UBOB' }));
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const port = (other.address() as AddressInfo).port;
      await assert.rejects(whoami(`http://127.0.0.1:${port}`, 'tceops_x'), RemoteError);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });
});

describe('server API: reads under auditReads', function () {
  this.timeout(60_000);
  let cloud: Cloud;
  let engine: Engine;
  let server: Server;
  let url: string;
  let token: string;

  before(async () => {
    cloud = await startCloud();
    const { policy } = checkPolicy('version: 1\nauditReads: true\n', 'policy.yaml');
    engine = cloud.open(policy!);
    const sessions = new Sessions({ store: cloud.store });
    ({ token } = await sessions.issue({ id: 'U0READER', org: 'T0TEAM' }, 'test'));
    server = createServer(createApiHandler({ engine, sessions }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await engine.close();
    await cloud.close();
  });

  it('a read run through the API is recorded as the token’s user, whatever the body claims', async () => {
    const response = await fetch(`${url}/api/v1/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: ['cvm', 'instances'], surface: 'vscode', actor: 'UEVIL', user: 'UEVIL' }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { outcome: { kind: string } }).outcome.kind, 'table');
    const reads = (await readAudit(cloud.store)).filter((r) => r.kind === 'read');
    assert.deepEqual(
      reads.map((r) => [r.actor, r.surface, r.command, r.result]),
      [['U0READER', 'vscode', 'cvm instances', 'ok']],
    );
  });
});

describe('server API: sign-in codes, per address and in all', () => {
  let t = Date.parse('2026-11-30T08:00:00Z');
  const store = memoryKeyValue();
  const sessions = new Sessions({ store, now: () => new Date(t) });
  const engine = {} as Engine;

  /** POST /api/v1/login from an address, straight to the handler (thousands of addresses need no sockets). */
  async function login(api: ReturnType<typeof createApiHandler>, address: string) {
    const req = Object.assign(Readable.from([]), {
      url: '/api/v1/login',
      method: 'POST',
      headers: {},
      socket: { remoteAddress: address },
    }) as unknown as IncomingMessage;
    const answer = { status: 0, body: '' };
    const res = {
      headersSent: false,
      writeHead(status: number) {
        answer.status = status;
      },
      end(text: string) {
        answer.body = text;
      },
    } as unknown as ServerResponse;
    await api(req, res);
    return answer;
  }

  it('an address past its limit stays refused however many other addresses ask (no reset for everybody)', async () => {
    const api = createApiHandler({ engine, sessions, now: () => t, maxLogins: 100_000 });
    for (let i = 0; i < 20; i++) assert.equal((await login(api, '2001:db8::1')).status, 200);
    const refused = await login(api, '2001:db8::1');
    assert.equal(refused.status, 429);
    assert.match(refused.body, /too many sign-in codes asked for from here/);
    for (let i = 0; i < 10_001; i++) await login(api, `2001:db8::1:${i.toString(16)}`);
    assert.equal((await login(api, '2001:db8::1')).status, 429, 'still refused');
    t += 10 * 60_000 + 1;
    assert.equal((await login(api, '2001:db8::1')).status, 200, 'after its window, it may again');
  });

  it('the whole server hands out a bounded number of codes per window; refusals at one address do not count', async () => {
    const api = createApiHandler({ engine, sessions, now: () => t, maxLogins: 30 });
    for (let i = 0; i < 50; i++) await login(api, '198.51.100.1');
    for (let i = 0; i < 10; i++) assert.equal((await login(api, `198.51.100.${i + 2}`)).status, 200);
    const refused = await login(api, '198.51.100.99');
    assert.equal(refused.status, 429);
    assert.match(refused.body, /the server has handed out too many sign-in codes/);
    t += 10 * 60_000 + 1;
    assert.equal((await login(api, '198.51.100.99')).status, 200);
  });
});
