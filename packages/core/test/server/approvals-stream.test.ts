/**
 * GET /api/v1/approvals/follow and its client: a user hears their own requests move, and of anyone else's only that
 * the pending list changed (no ID, no content); a bad token gets the same 401 as every route; a token revoked while
 * following ends the stream before the next line; a hostile server's lines are dropped unless well formed.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApprovalSummary, Engine, ProgressEvent } from '../../src/commands/types.ts';
import { createApiHandler } from '../../src/server/api.ts';
import { approvalLineFor } from '../../src/server/approvals-stream.ts';
import { approvalFromWire, followApprovals } from '../../src/server/approvals-stream-client.ts';
import { createRemoteEngine } from '../../src/server/remote.ts';
import { Sessions } from '../../src/server/sessions.ts';
import { memoryKeyValue } from '../../../../test/support/memory-store.ts';

function approval(id: string, requester: string, state: ApprovalSummary['state'], command: string): ApprovalSummary {
  return {
    id,
    state,
    requester,
    plan: {
      hash: `hash-${id}`,
      command,
      service: 'cvm',
      action: 'TerminateInstances',
      risk: 'destructive',
      region: 'ap-guangzhou',
      summary: `Terminate 1 instance in ap-guangzhou: ${command.split(' ').at(-1)}`,
      irreversible: true,
      targets: [{ id: command.split(' ').at(-1)!, tags: {} }],
    },
    approvers: [],
    needed: 1,
    eligible: ['*'],
    expiresAt: '2026-11-30T10:00:00Z',
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Reads a stream's raw text as it comes; `until` waits for a condition on it. */
function reader(url: string, token: string) {
  const controller = new AbortController();
  let text = '';
  let ended = false;
  const done = (async () => {
    const response = await fetch(`${url}/api/v1/approvals/follow`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
      text += Buffer.from(chunk).toString();
  })()
    .catch(() => {})
    .finally(() => {
      ended = true;
    });
  return {
    text: () => text,
    ended: () => ended,
    lines: () =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async until(what: string, ok: () => boolean, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${text}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

describe('server: following my approval requests', () => {
  const listeners = new Set<(a: ApprovalSummary) => void>();
  const progressListeners = new Set<(e: ProgressEvent) => void>();
  /** Runs still followed, by plan hash: idle(hash) waits for the test to let them go. */
  const waiters = new Map<string, { promise: Promise<void>; end(): void }>();
  const engine = {
    onApprovalChange(listener: (a: ApprovalSummary) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onProgress(listener: (e: ProgressEvent) => void) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    idle: (hash: string) => waiters.get(hash)?.promise ?? Promise.resolve(),
    listApprovals: async (filter: unknown) => {
      filters.push(filter);
      return [];
    },
  } as unknown as Engine;
  const filters: unknown[] = [];
  const change = (a: ApprovalSummary) => {
    for (const l of listeners) l(a);
  };
  const progress = (planHash: string, targetId: string, state: string, done = false) => {
    for (const l of progressListeners) l({ planHash, targetId, state, done, message: `${targetId} is ${state}` });
  };
  const running = (hash: string) => {
    let end!: () => void;
    const promise = new Promise<void>((r) => {
      end = r;
    });
    waiters.set(hash, { promise, end });
    return () => {
      waiters.delete(hash);
      end();
    };
  };
  let t = Date.parse('2026-11-30T08:00:00Z');
  const sessions = new Sessions({ store: memoryKeyValue(), now: () => new Date(t), tokenTtlMs: 60_000 });
  let server: Server;
  let url: string;

  before(async () => {
    server = createServer(createApiHandler({ engine, sessions }));
    url = await listen(server);
  });
  after(() => new Promise((r) => server.close(r)));

  it('my requests come whole as they move; someone else’s only as a bare "changed"; another user hears nothing of mine', async () => {
    const alice = reader(url, (await sessions.issue({ id: 'UALICE' }, 'VS Code')).token);
    const bob = reader(url, (await sessions.issue({ id: 'UBOB' }, 'VS Code')).token);
    try {
      await alice.until('ready', () => alice.text().includes('"ready":true'));
      await bob.until('ready', () => bob.text().includes('"ready":true'));
      // Written another way (case), it is still Alice's own.
      const hers = approval('apr-alice001', 'ualice', 'pending', 'cvm terminate ins-alice001');
      change(hers);
      change({ ...hers, state: 'denied', reason: 'not today', approvers: [] });
      const theirs = approval('apr-bob00001', 'UBOB', 'pending', 'cvm terminate ins-bob00001');
      change(theirs);
      change({ ...theirs, state: 'executing' }); // neither opens nor closes: nothing to anyone else
      await alice.until('three lines after ready', () => alice.lines().length >= 4);
      await bob.until('Bob’s own request', () => bob.text().includes('"state":"executing"'));
      assert.deepEqual(
        alice.lines().map((l) => (l.approval ? (l.approval as ApprovalSummary).state : l)),
        [{ ready: true, progress: true }, 'pending', 'denied', { changed: true }],
      );
      for (const secret of ['apr-bob00001', 'ins-bob00001', 'UBOB'])
        assert.ok(!alice.text().includes(secret), `Alice's stream names ${secret}: ${alice.text()}`);
      for (const secret of ['apr-alice001', 'ins-alice001', 'not today', 'ualice'])
        assert.ok(!bob.text().includes(secret), `Bob's stream names ${secret}: ${bob.text()}`);
      assert.deepEqual(
        bob.lines().map((l) => (l.approval ? (l.approval as ApprovalSummary).state : l)),
        [{ ready: true, progress: true }, { changed: true }, { changed: true }, 'pending', 'executing'],
      );
    } finally {
      await alice.close();
      await bob.close();
    }
    // Gone with its readers: nothing left listening.
    for (let i = 0; i < 100 && listeners.size; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(listeners.size, 0);
  });

  it('the run of my approved request: its progress to me from "executing" until its waiters end, then "followed"; nothing of it to anyone else', async () => {
    const alice = reader(url, (await sessions.issue({ id: 'UALICE' }, 'VS Code')).token);
    const bob = reader(url, (await sessions.issue({ id: 'UBOB' }, 'VS Code')).token);
    const hash = (c: string) => c.repeat(64);
    try {
      await alice.until('ready', () => alice.text().includes('"ready":true'));
      await bob.until('ready', () => bob.text().includes('"ready":true'));
      const hers = { ...approval('apr-alice003', 'UALICE', 'approved', 'cvm terminate ins-alice003') };
      hers.plan = { ...hers.plan, hash: hash('a') };
      const his = approval('apr-bob00003', 'UBOB', 'approved', 'cvm terminate ins-bob00003');
      his.plan = { ...his.plan, hash: hash('b') };
      progress(hash('a'), 'ins-alice003', 'RUNNING'); // before the run: not hers yet
      change({ ...hers, state: 'executing' });
      change({ ...his, state: 'executing' });
      const herWaiter = running(hash('a'));
      const hisWaiter = running(hash('b'));
      change({ ...hers, state: 'succeeded' });
      change({ ...his, state: 'succeeded' });
      progress(hash('a'), 'ins-alice003', 'SHUTDOWN');
      progress(hash('b'), 'ins-bob00003', 'SHUTDOWN');
      progress(hash('a'), 'ins-alice003', 'GONE', true);
      progress(hash('b'), 'ins-bob00003', 'GONE', true);
      herWaiter();
      hisWaiter();
      await alice.until('her run followed', () => alice.text().includes('"followed"'));
      await bob.until('his run followed', () => bob.text().includes('"followed"'));
      progress(hash('a'), 'ins-alice003', 'LATE'); // after the run: no more
      await new Promise((r) => setTimeout(r, 50));
      const shape = (l: Record<string, unknown>) =>
        l.ready
          ? l
          : l.approval
            ? (l.approval as ApprovalSummary).state
            : l.progress
              ? `${(l.progress as ProgressEvent).targetId} ${(l.progress as ProgressEvent).state}`
              : l.followed
                ? `followed ${String(l.followed).slice(0, 1)}`
                : l;
      assert.deepEqual(alice.lines().map(shape), [
        { ready: true, progress: true },
        'executing',
        'succeeded',
        'ins-alice003 SHUTDOWN',
        'ins-alice003 GONE',
        'followed a',
      ]);
      assert.deepEqual(bob.lines().map(shape), [
        { ready: true, progress: true },
        'executing',
        'succeeded',
        'ins-bob00003 SHUTDOWN',
        'ins-bob00003 GONE',
        'followed b',
      ]);
      for (const secret of ['ins-bob00003', hash('b')]) assert.ok(!alice.text().includes(secret), alice.text());
      for (const secret of ['ins-alice003', hash('a')]) assert.ok(!bob.text().includes(secret), bob.text());
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('a plan someone else is running too (the same hash): its progress goes to neither meanwhile', async () => {
    const alice = reader(url, (await sessions.issue({ id: 'UALICE' }, 'VS Code')).token);
    const shared = 'c'.repeat(64);
    try {
      await alice.until('ready', () => alice.text().includes('"ready":true'));
      const hers = approval('apr-alice004', 'UALICE', 'executing', 'cvm stop ins-shared01');
      const his = approval('apr-bob00004', 'UBOB', 'executing', 'cvm stop ins-shared01');
      hers.plan = { ...hers.plan, hash: shared };
      his.plan = { ...his.plan, hash: shared };
      change(hers);
      change(his);
      progress(shared, 'ins-shared01', 'STOPPING');
      const end = running(shared);
      change({ ...his, state: 'succeeded' });
      change({ ...hers, state: 'succeeded' });
      end();
      await alice.until('followed', () => alice.text().includes('"followed"'));
      assert.ok(!alice.text().includes('STOPPING'), alice.text());
    } finally {
      await alice.close();
    }
  });

  it('no token, an unknown, revoked or expired one: the same 401 as every other route, and no stream', async () => {
    const ask = async (path: string, token?: string) => {
      const response = await fetch(
        `${url}/api/v1/${path}`,
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      );
      return `${response.status} ${response.headers.get('content-type')} ${await response.text()}`;
    };
    const revoked = await sessions.issue({ id: 'UALICE' }, 'x');
    await sessions.revokeToken(revoked.token);
    const expired = await sessions.issue({ id: 'UALICE' }, 'x');
    t += 60_001;
    const answers = new Set<string>();
    for (const token of [undefined, 'tceops_unknown', revoked.token, expired.token])
      for (const path of ['approvals/follow', 'whoami']) answers.add(await ask(path, token));
    assert.equal(answers.size, 1, [...answers].join('\n'));
    assert.match([...answers][0]!, /^401 application\/json.*sign in again/);
    assert.equal(listeners.size, 0, 'nothing subscribed for them');
  });

  it('a token revoked while following: the stream ends before its next line', async () => {
    const { token } = await sessions.issue({ id: 'UALICE' }, 'VS Code');
    const alice = reader(url, token);
    try {
      await alice.until('ready', () => alice.text().includes('"ready":true'));
      await sessions.revokeToken(token);
      change(approval('apr-alice002', 'UALICE', 'denied', 'cvm terminate ins-alice002'));
      await alice.until('the end', () => alice.ended());
      assert.ok(!alice.text().includes('apr-alice002'), alice.text());
    } finally {
      await alice.close();
    }
  });

  it('the catch-up read asks the server for the user’s own requests only (GET /approvals?requester=)', async () => {
    const { token } = await sessions.issue({ id: 'UALICE' }, 'VS Code');
    const remote = createRemoteEngine({ server: url, token, surface: 'vscode' });
    filters.length = 0;
    await remote.listApprovals({ requester: 'UALICE' });
    await remote.listApprovals({ state: 'pending' });
    assert.deepEqual(filters, [{ requester: 'UALICE' }, { state: 'pending' }]);
  });

  it('what a user may see of a change, by its state', () => {
    const theirs = (state: ApprovalSummary['state']) =>
      approvalLineFor('UALICE', approval('apr-1', 'UBOB', state, 'cvm terminate ins-1'));
    assert.deepEqual(theirs('pending'), { changed: true });
    assert.deepEqual(theirs('denied'), { changed: true });
    assert.equal(theirs('executing'), undefined);
    assert.equal(theirs('succeeded'), undefined);
    const mine = approval('apr-1', 'Ｕalice', 'succeeded', 'cvm terminate ins-1');
    assert.deepEqual(approvalLineFor('UALICE', mine), { approval: mine }, 'full-width and case: the same person');
  });
});

describe('client: following approvals from a server', () => {
  async function hostile(status: number, lines: unknown[]): Promise<{ url: string; server: Server }> {
    const server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': status === 200 ? 'application/x-ndjson' : 'application/json' });
      res.end(
        status === 200 ? `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n` : '{}',
      );
    });
    return { url: await listen(server), server };
  }

  it('drops lines that are not well formed; says when the stream ends; a server without the route is "unsupported"', async () => {
    const good = approval('apr-good0001', 'UALICE', 'denied', 'cvm terminate ins-1');
    const { url, server } = await hostile(200, [
      { ready: true },
      'not json at all',
      { approval: { ...good, state: 'OWNED' } },
      { approval: { ...good, plan: { ...good.plan, summary: 42 } } },
      { approval: { ...good, approvers: [{}] } },
      { approval: { ...good, results: 'x' } },
      { changed: 'yes' },
      { approval: good },
      { changed: true },
      { progress: { planHash: 'h', targetId: 'ins-1', state: 'STOPPING', done: 'no', message: '' } },
      { progress: { planHash: 'h', targetId: 'ins-1', state: 'STOPPING', done: false, message: 'ins-1 STOPPING' } },
      { followed: 'not a hash' },
      { followed: 'f'.repeat(64) },
    ]);
    const seen: string[] = [];
    const ended = new Promise<[string, boolean]>((resolve) =>
      followApprovals(
        { server: url, token: 'tceops_x' },
        {
          onReady: () => seen.push('ready'),
          onApproval: (a) => seen.push(a.id),
          onChanged: () => seen.push('changed'),
          onProgress: (e) => seen.push(`${e.targetId} ${e.state}`),
          onFollowed: (hash) => seen.push(`followed ${hash.length}`),
          onEnd: (reason, unsupported) => resolve([reason, unsupported]),
        },
      ),
    );
    try {
      const [reason, unsupported] = await ended;
      assert.deepEqual(seen, ['ready', 'apr-good0001', 'changed', 'ins-1 STOPPING', 'followed 64']);
      assert.equal(unsupported, false);
      assert.match(reason, /closed the stream/);
      assert.equal(approvalFromWire(null), undefined);
    } finally {
      server.close();
    }
    const old = await hostile(404, []);
    try {
      const [reason, unsupported] = await new Promise<[string, boolean]>((resolve) =>
        followApprovals(
          { server: old.url, token: 'tceops_x' },
          { onReady() {}, onApproval() {}, onChanged() {}, onEnd: (r, u) => resolve([r, u]) },
        ),
      );
      assert.equal(unsupported, true, reason);
    } finally {
      old.server.close();
    }
  });
});
