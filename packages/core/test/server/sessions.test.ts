/** Sign-in codes and tokens: single use, expiry, brute force, revocation, and a 401 that tells nothing. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiHandler } from '../../src/server/api.ts';
import { Sessions } from '../../src/server/sessions.ts';
import type { Engine } from '../../src/commands/types.ts';
import { memoryKeyValue } from '../../../../test/support/memory-store.ts';

function clock(start = Date.parse('2026-11-30T08:00:00Z')) {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const ALICE = { id: 'UALICE' };
const MALLORY = { id: 'UMALLORY' };

describe('sessions', () => {
  it('a code binds once, to whoever typed it, and the token is handed out once', async () => {
    const s = new Sessions({ store: memoryKeyValue() });
    const { code, poll } = await s.startLogin('laptop');
    assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    assert.deepEqual(await s.poll(poll), {
      state: 'waiting',
      expiresAt: ((await s.poll(poll)) as { expiresAt: string }).expiresAt,
    });
    assert.deepEqual(await s.bindCode(code.toLowerCase(), ALICE), { ok: true, client: 'laptop' });
    assert.deepEqual(await s.bindCode(code, MALLORY), { ok: false, reason: 'unknown' }, 'no second binding');
    const done = await s.poll(poll);
    assert.equal(done.state, 'done');
    assert.equal(done.state === 'done' && done.info.user.id, 'UALICE');
    assert.deepEqual(await s.poll(poll), { state: 'gone' }, 'the token is given once');
    assert.equal((await s.authenticate(done.state === 'done' ? done.token : ''))?.user.id, 'UALICE');
  });

  it('a code expires after 10 minutes; a token after its ttl', async () => {
    const c = clock();
    const s = new Sessions({ store: memoryKeyValue(), now: c.now, tokenTtlMs: 60_000 });
    const late = await s.startLogin('x');
    c.advance(10 * 60_000 + 1);
    assert.deepEqual(await s.bindCode(late.code, ALICE), { ok: false, reason: 'unknown' });
    assert.deepEqual(await s.poll(late.poll), { state: 'gone' });
    const { token } = await s.issue(ALICE, 'x');
    assert.ok(await s.authenticate(token));
    c.advance(60_001);
    assert.equal(await s.authenticate(token), undefined);
  });

  it('stops a user guessing codes after 5 wrong ones, even before a right one', async () => {
    const c = clock();
    const s = new Sessions({ store: memoryKeyValue(), now: c.now });
    const { code } = await s.startLogin('x');
    for (let i = 0; i < 5; i++)
      assert.deepEqual(await s.bindCode('AAAA-AAAA', MALLORY), { ok: false, reason: 'unknown' });
    const locked = await s.bindCode(code, MALLORY);
    assert.equal(locked.ok, false);
    assert.equal(!locked.ok && locked.reason, 'locked');
    assert.equal((await s.bindCode(code, ALICE)).ok, true, 'others are not locked out');
    c.advance(15 * 60_000 + 1);
    assert.deepEqual(await s.bindCode('AAAA-AAAA', MALLORY), { ok: false, reason: 'unknown' }, 'the window passes');
  });

  it('stops the whole server past the total limit (many accounts guessing)', async () => {
    const s = new Sessions({ store: memoryKeyValue(), maxFailuresTotal: 10 });
    for (let i = 0; i < 10; i++) await s.bindCode('AAAA-AAAA', { id: `UGUESS${i}` });
    const { code } = await s.startLogin('x');
    const result = await s.bindCode(code, ALICE);
    assert.equal(!result.ok && result.reason, 'locked');
  });

  it('keeps only the hash of a token; revoked tokens stop working; owners list and revoke their own only', async () => {
    const store = memoryKeyValue();
    const s = new Sessions({ store });
    const one = await s.issue(ALICE, 'laptop');
    const two = await s.issue(ALICE, 'desktop');
    assert.ok(![...store.data.keys(), JSON.stringify([...store.data.values()])].join().includes(one.token));
    assert.deepEqual(
      (await s.list('ualice')).map((t) => t.client),
      ['desktop', 'laptop'],
    );
    assert.equal(await s.revokeById(one.info.id, MALLORY, false), undefined, 'not yours');
    assert.ok(await s.revokeById(one.info.id, ALICE, false));
    assert.equal(await s.authenticate(one.token), undefined);
    assert.ok(await s.authenticate(two.token));
    assert.equal(await s.revokeAll('UALICE'), 1);
    assert.equal(await s.authenticate(two.token), undefined);
  });
});

describe('sessions: many sign-ins', () => {
  it('past 100 tokens the oldest is retired, so "log out everywhere" reaches every live one', async () => {
    const s = new Sessions({ store: memoryKeyValue() });
    const tokens: string[] = [];
    for (let i = 0; i < 101; i++) tokens.push((await s.issue(ALICE, `laptop-${i}`)).token);
    assert.equal(await s.authenticate(tokens[0]), undefined, 'the oldest was retired');
    assert.ok(await s.authenticate(tokens[1]));
    assert.equal((await s.list('UALICE')).length, 100);
    assert.equal(await s.revokeAll('UALICE'), 100);
    for (const token of tokens) assert.equal(await s.authenticate(token), undefined);
  });
});

describe('server API', () => {
  it('answers unknown, expired and revoked tokens with the same 401', async () => {
    const c = clock();
    const sessions = new Sessions({ store: memoryKeyValue(), now: c.now, tokenTtlMs: 60_000 });
    const engine = { listApprovals: async () => [] } as unknown as Engine;
    const server = createServer(createApiHandler({ engine, sessions }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/approvals`;
    const ask = async (token?: string) => {
      const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      return `${response.status} ${await response.text()}`;
    };
    try {
      const revoked = await sessions.issue(ALICE, 'x');
      await sessions.revokeToken(revoked.token);
      const expired = await sessions.issue(ALICE, 'x');
      const valid = await sessions.issue(ALICE, 'x');
      assert.match(await ask(valid.token), /^200 /);
      c.advance(60_001);
      const answers = new Set([
        await ask(),
        await ask('tceops_unknown'),
        await ask(revoked.token),
        await ask(expired.token),
      ]);
      assert.equal(answers.size, 1, [...answers].join('\n'));
      assert.match([...answers][0]!, /^401 .*sign in again/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
