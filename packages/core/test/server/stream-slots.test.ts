/**
 * Open streams are limited per verified user and on the whole server: past a limit the API answers 429, saying the
 * limit and what to do, before the command is planned or run. Every way a stream ends gives its slot back: the
 * client gone (its socket destroyed mid-stream, or before the outcome), its token revoked, the server shutting
 * down, the command failing. The terminal's engine, refused a stream, sends the request once more without one and
 * says so; the editor's approvals feed says why it falls back to reading the list.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { ApprovalSummary, Engine, Outcome, ProgressEvent } from '../../src/commands/types.ts';
import { type ApiHandler, createApiHandler } from '../../src/server/api.ts';
import { followApprovals } from '../../src/server/approvals-stream-client.ts';
import { createRemoteEngine } from '../../src/server/remote.ts';
import { Sessions } from '../../src/server/sessions.ts';
import { createStreamSlots, endStreams, openStreams, takeSlot } from '../../src/server/stream-slots.ts';
import { memoryKeyValue } from '../../../../test/support/memory-store.ts';

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One request on a socket of its own (so it can be cut), its status and text as they come. */
interface Open {
  status: number;
  body: () => string;
  ended: Promise<void>;
  /** Cut the connection at once, as a client that crashes or an attacker does. */
  destroy(): void;
}

function open(url: string, path: string, token: string, body?: unknown): Promise<Open> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/x-ndjson',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
    req.on('error', () => {});
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      });
      resolve({ status: res.statusCode ?? 0, body: () => text, ended, destroy: () => req.destroy() });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('stream slots', () => {
  it('counts per user (one identity however written) and in all; a refusal says whose limit; release once', async () => {
    const slots = createStreamSlots({ perUser: 2, total: 3 });
    const a = takeSlot(slots, 'UALICE');
    const b = takeSlot(slots, 'ualice');
    assert.deepEqual(takeSlot(slots, 'Ｕalice'), { scope: 'user', limit: 2 });
    const c = takeSlot(slots, 'UBOB');
    assert.deepEqual(takeSlot(slots, 'UCAROL'), { scope: 'server', limit: 3 });
    assert.equal(openStreams(slots), 3);
    assert.equal(openStreams(slots, 'UALICE'), 2);
    if (!('release' in a) || !('release' in b) || !('release' in c)) throw new Error('refused');
    a.release();
    a.release();
    assert.equal(openStreams(slots, 'UALICE'), 1, 'a second release gives nothing more back');
    assert.equal(openStreams(slots), 2);
    const told: string[] = [];
    void b.stop.then(() => told.push('b'));
    void c.stop.then(() => told.push('c'));
    endStreams(slots);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(told.sort(), ['b', 'c'], 'shutdown tells every open stream');
    b.release();
    c.release();
    assert.equal(openStreams(slots), 0);
    assert.equal(slots.byUser.size, 0, 'no user left behind');
  });
});

describe('server API: open stream limits', function () {
  this.timeout(20_000);
  const approvalListeners = new Set<(a: ApprovalSummary) => void>();
  const progressListeners = new Set<(e: ProgressEvent) => void>();
  /** Plans whose waiters have not ended (idle never settles for them until finished). */
  const waiters = new Promise<void>(() => {});
  let runs = 0;
  let fail: Error | undefined;
  let slowRun: Promise<void> | undefined;
  const result = (hash: string) =>
    ({ kind: 'result', plan: { hash, targets: [] }, results: [], requestIds: [] }) as unknown as Outcome;
  const engine = {
    async run() {
      runs++;
      if (fail) throw fail;
      await slowRun;
      return result(`plan-${runs}`);
    },
    async approve() {
      runs++;
      return result(`plan-${runs}`);
    },
    onProgress(listener: (e: ProgressEvent) => void) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onApprovalChange(listener: (a: ApprovalSummary) => void) {
      approvalListeners.add(listener);
      return () => approvalListeners.delete(listener);
    },
    idle: () => waiters,
  } as unknown as Engine;
  const sessions = new Sessions({ store: memoryKeyValue() });
  let server: Server;
  let api: ApiHandler;
  let url: string;
  let alice: string;
  let bob: string;
  const opened: Open[] = [];

  before(async () => {
    api = createApiHandler({ engine, sessions, streams: { perUser: 3, total: 5, heartbeatMs: 30 } });
    server = createServer(api);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    alice = (await sessions.issue({ id: 'UALICE' }, 'terminal')).token;
    bob = (await sessions.issue({ id: 'UBOB' }, 'terminal')).token;
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) o.destroy();
    await until('every slot back', () => api.openStreams() === 0);
    runs = 0;
    fail = undefined;
    slowRun = undefined;
  });
  after(() => new Promise((r) => server.close(r)));

  const follow = async (token: string) => {
    const o = await open(url, 'approvals/follow', token);
    opened.push(o);
    return o;
  };
  const runStreamed = async (token: string) => {
    const o = await open(url, 'run', token, { command: 'cvm stop ins-1 --yes' });
    opened.push(o);
    return o;
  };

  it('past the per-user limit: 429 with the limit and what to do, before the command runs; others are not affected', async () => {
    await follow(alice);
    await follow(alice);
    const progress = await runStreamed(alice);
    assert.equal(progress.status, 200);
    assert.equal(runs, 1);
    assert.equal(api.openStreams('UALICE'), 3);
    for (const refused of [await runStreamed(alice), await follow(alice)]) {
      assert.equal(refused.status, 429);
      await refused.ended;
      const { error } = JSON.parse(refused.body());
      assert.deepEqual(
        { code: error.code, scope: error.scope, limit: error.limit },
        {
          code: 'RequestLimitExceeded.Streams',
          scope: 'user',
          limit: 3,
        },
      );
      assert.match(error.message, /already have 3 streams open.*nothing was done.*without asking for a stream/);
    }
    assert.equal(runs, 1, 'the refused command was not run');
    assert.equal(api.openStreams('UALICE'), 3, 'a refusal holds no slot');
    // The same command without a stream is not limited by streams.
    const plain = await fetch(`${url}/api/v1/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'cvm stop ins-1 --yes' }),
    });
    assert.equal(plain.status, 200);
    assert.equal(runs, 2);
    assert.equal((await follow(bob)).status, 200, 'another user still may');
  });

  it('past the whole server’s limit: 429 for everybody, saying it is the server’s', async () => {
    for (const token of [alice, alice, alice, bob, bob]) assert.equal((await follow(token)).status, 200);
    const refused = await follow(bob);
    assert.equal(refused.status, 429);
    await refused.ended;
    const { error } = JSON.parse(refused.body());
    assert.equal(error.scope, 'server');
    assert.match(error.message, /the server already has 5 streams open/);
  });

  it('streams cut abruptly mid-stream give their slots back, and as many may be opened again', async () => {
    const streams = [await follow(alice), await runStreamed(alice), await follow(alice)];
    await until('three open', () => api.openStreams('UALICE') === 3);
    await until('the progress stream under way', () => streams[1]!.body().includes('"outcome"'));
    assert.equal((await follow(alice)).status, 429);
    streams[0]!.destroy();
    streams[1]!.destroy();
    await until('two slots back', () => api.openStreams('UALICE') === 1);
    // Every stream listens for progress (approvals/follow too, for its runs): one left, one listener.
    await until('the cut streams’ listeners gone', () => progressListeners.size === 1);
    assert.equal((await follow(alice)).status, 200);
    assert.equal((await runStreamed(alice)).status, 200);
    assert.equal((await follow(alice)).status, 429);
  });

  it('a client that never reads: its stream is cut once a bounded amount waits for it, and its slot comes back', async () => {
    // A raw socket that sends its request and then reads nothing (paused): the kernel's buffers fill, then the
    // server's would, without bound, as progress keeps coming.
    const silent = (path: string, body?: string) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      socket.on('error', () => {});
      const head = [
        `${body === undefined ? 'GET' : 'POST'} /api/v1/${path} HTTP/1.1`,
        'host: 127.0.0.1',
        `authorization: Bearer ${alice}`,
        'accept: application/x-ndjson',
        ...(body === undefined ? [] : ['content-type: application/json', `content-length: ${Buffer.byteLength(body)}`]),
      ];
      socket.write(`${head.join('\r\n')}\r\n\r\n${body ?? ''}`);
      socket.pause();
      opened.push({ status: 0, body: () => '', ended: Promise.resolve(), destroy: () => socket.destroy() });
    };
    const big = 'x'.repeat(256 * 1024);
    // Up to 100 MiB, far more than the kernel's socket buffers plus the bound; stops once the server cuts the stream
    // (its slot back: only the reading client's is left).
    const flood = async (planHash: string) => {
      const cut = () => api.openStreams('UALICE') === 1;
      for (let i = 0; i < 400 && !cut(); i++) {
        for (const l of progressListeners) l({ planHash, targetId: 'ins-1', state: 'X', done: false, message: big });
        await new Promise((r) => setImmediate(r));
      }
      return cut();
    };
    const reader = await follow(alice); // a normal client, reading, alongside
    await until('the reader ready', () => reader.body().includes('"ready"'));

    silent('run', JSON.stringify({ command: 'cvm stop ins-1 --yes' }));
    await until('the run streaming', () => runs === 1 && api.openStreams('UALICE') === 2);
    assert.ok(await flood('plan-1'), 'the progress stream was cut, its slot back');

    silent('approvals/follow');
    await until('the feed open', () => api.openStreams('UALICE') === 2);
    const mine = { id: 'r1', state: 'executing', requester: 'UALICE', plan: { hash: 'plan-own' } } as ApprovalSummary;
    for (const l of approvalListeners) l(mine);
    assert.ok(await flood('plan-own'), 'the approvals feed was cut, its slot back');
    assert.ok(progressListeners.size === 1 && approvalListeners.size === 1, 'only the reader listens still');

    assert.ok(!(await Promise.race([reader.ended.then(() => true), new Promise((r) => setTimeout(r, 100, false))])));
    assert.ok(reader.body().includes('"approval"'), 'the reading client is still served');
  });

  it('a client gone while its command runs: the stream is not kept for the waiters afterwards', async () => {
    let finish!: () => void;
    slowRun = new Promise((r) => {
      finish = r;
    });
    const req = request(`${url}/api/v1/run`, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${alice}`, accept: 'application/x-ndjson', 'content-type': 'application/json' },
    });
    req.on('error', () => {});
    req.end(JSON.stringify({ command: 'cvm stop ins-1 --yes' }));
    await until('the command running', () => runs === 1);
    req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    finish();
    // The waiters never end here: only noticing the client left before the outcome lets the slot go.
    await until('the slot back', () => api.openStreams() === 0);
    assert.equal(progressListeners.size, 0);
  });

  it('a revoked token’s streams end at the next heartbeat and give their slots back', async () => {
    const { token } = await sessions.issue({ id: 'UALICE' }, 'VS Code');
    const streams = [await follow(token), await runStreamed(token)];
    await until('both open', () => api.openStreams('UALICE') === 2);
    const other = await follow(alice);
    await sessions.revokeToken(token);
    await Promise.all(streams.map((s) => s.ended));
    assert.ok(!streams[1]!.body().includes('"done"'), 'not "done": the progress stopped');
    await until('their slots back', () => api.openStreams('UALICE') === 1);
    assert.equal(other.status, 200);
    assert.ok(!(await Promise.race([other.ended.then(() => true), new Promise((r) => setTimeout(r, 100, false))])));
  });

  it('a command that fails while streaming gives its slot back', async () => {
    fail = new Error('the engine broke');
    const broken = await runStreamed(alice);
    assert.equal(broken.status, 500);
    await until('the slot back', () => api.openStreams() === 0);
    assert.equal(progressListeners.size, 0);
  });

  it('server shutdown: every stream ends (progress without "done"), the slots come back, close completes', async () => {
    const local = createApiHandler({ engine, sessions, streams: { perUser: 3, total: 5 } });
    const other = createServer(local);
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const streams = [
      await open(otherUrl, 'approvals/follow', alice),
      await open(otherUrl, 'run', bob, { command: 'cvm stop ins-1 --yes' }),
    ];
    await until('both open', () => local.openStreams() === 2);
    const closed = new Promise((r) => other.close(r));
    local.endStreams();
    await Promise.all(streams.map((s) => s.ended));
    assert.ok(streams[1]!.body().includes('"outcome"') && !streams[1]!.body().includes('"done"'));
    assert.equal(local.openStreams(), 0);
    await closed;
  });

  it('the terminal, refused a stream: the same command once without one, the outcome, and a plain note', async () => {
    for (let i = 0; i < 3; i++) await follow(alice);
    const remote = createRemoteEngine({ server: url, token: alice, progress: true });
    const notes: ProgressEvent[] = [];
    remote.onProgress((e) => notes.push(e));
    const outcome = await remote.run('cvm stop ins-1 --yes', { actor: { id: 'ignored' }, surface: 'cli' });
    assert.equal(outcome.kind, 'result');
    assert.equal(runs, 1, 'run once, not twice');
    await remote.idle();
    assert.deepEqual(notes, [
      {
        planHash: 'plan-1',
        targetId: '',
        state: 'UNKNOWN',
        done: false,
        message:
          'no live progress (the server already has its limit of 3 streams open for you); the command was sent without it and its outcome stands',
      },
    ]);
  });

  it('the editor’s approvals feed, refused: ends saying the limit, not "unsupported" (the view polls, and tries again later)', async () => {
    for (let i = 0; i < 3; i++) await follow(alice);
    const [reason, unsupported] = await new Promise<[string, boolean]>((resolve) =>
      followApprovals(
        { server: url, token: alice },
        { onReady() {}, onApproval() {}, onChanged() {}, onEnd: (r, u) => resolve([r, u]) },
      ),
    );
    assert.equal(reason, 'the server already has its limit of 3 streams open for you');
    assert.equal(unsupported, false);
  });
});
