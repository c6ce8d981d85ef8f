/**
 * Live progress in the editor through a tceops server: a Stop clicked in the tree, sent through the real API
 * server (the emulator as the cloud, the server's waiters on), shows the target's states in the progress notice
 * and in its row as the server's stream reports them — with no polling by the editor. A stream cut off after the
 * outcome is said so, the stop stands and nothing is sent again; hostile progress text is shown inert. An approval
 * from the Approvals view that runs the request is followed the same way; a vote that does not shows nothing new.
 */
import '../support/setup.ts';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inert } from '@tceops/core';
import { outcomeToWire } from '@tceops/core/server/wire.ts';
import { type ApiServer, startApiServer } from '../../../../test/server/api-server.ts';
import { noticeText, stateWord } from '../../src/actions/follow-stream.ts';
import { createInstance } from '../../src/actions/create.ts';
import { runAction } from '../../src/actions/run.ts';
import { decide } from '../../src/approvals/decide.ts';
import type { ExplorerSource } from '../../src/data/source.ts';
import type { ApprovalSummary, Outcome } from '../../src/engine-port.ts';
import { openServerCloud } from '../../src/server/sign-in.ts';
import type { ResourceNode } from '../../src/tree/nodes.ts';
import { ExplorerProvider } from '../../src/tree/provider.ts';
import { windowPrompts } from '../../src/ui/prompts.ts';
import { plan } from '../support/fake-engine.ts';
import { answer, ProgressLocation, resetStub, type Shown, shown } from '../support/vscode-stub.ts';
import { memoryLog } from '../support/memory-log.ts';
import { fakeCloud, fakeSource } from '../support/fake-source.ts';

function instanceNode(id: string, state: string): ResourceNode {
  return {
    type: 'resource',
    kind: 'instance',
    key: `server/ap-guangzhou/instances/instance:${id}`,
    region: 'ap-guangzhou',
    id,
    item: { InstanceId: id, InstanceName: id, InstanceState: state },
  };
}

async function until<T>(what: string, find: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(shown)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs Stop on one row through a server at `url`; returns the row, what it showed and its states over time. */
async function stopThrough(
  url: string,
  token: string,
  id: string,
  options: { source?: ExplorerSource; pollMs?: number; answers?: string[] } = {},
) {
  const { source, pollMs = 1_000_000, answers = ['Soft, then hard', 'Stop'] } = options;
  const cloud = openServerCloud({ server: url, token });
  const provider = new ExplorerProvider({
    connection: () => ({
      key: 'server',
      label: 'tceops server',
      description: url,
      source: source ?? cloud.source,
      regions: [],
      pageSize: 100,
    }),
    pollIntervalMs: pollMs,
  });
  const node = instanceNode(id, 'RUNNING');
  const rows: string[] = [];
  let polled = false;
  provider.onDidChangeTreeData((changed) => {
    const state = String(node.item.InstanceState);
    if (changed === node && rows.at(-1) !== state) rows.push(state);
    polled ||= provider.polling.size > 0;
  });
  const log = memoryLog();
  answer(...answers);
  const settled = await runAction('tceops.instance.stop', node, undefined, {
    engine: cloud.engine,
    actor: { id: 'the-editor-says-anything' },
    provider,
    log,
    ui: windowPrompts,
    server: url,
  });
  return {
    settled,
    node,
    rows,
    log,
    provider,
    wasPolled: () => polled || provider.polling.size > 0,
    async close() {
      provider.dispose();
      await cloud.close();
    },
  };
}

/**
 * Approves `approval` from the Approvals view as UALICE through a server at `url`, with the Instances of
 * ap-guangzhou loaded in the tree; returns its outcome and how the rows moved.
 */
async function approveThrough(url: string, token: string, approval: ApprovalSummary, source?: ExplorerSource) {
  const cloud = openServerCloud({ server: url, token });
  const provider = new ExplorerProvider({
    connection: () => ({
      key: 'server',
      label: 'tceops server',
      description: url,
      source: source ?? cloud.source,
      regions: ['ap-guangzhou'],
      pageSize: 100,
    }),
    pollIntervalMs: 1_000_000,
  });
  const [connection] = await provider.getChildren();
  const [region] = await provider.getChildren(connection);
  const group = (await provider.getChildren(region)).find((g) => g.type === 'group' && g.group === 'instances');
  await provider.getChildren(group);
  const rows: string[] = [];
  let polled = false;
  provider.onDidChangeTreeData((changed) => {
    if (changed?.type === 'resource' && approval.plan.targets.some((t) => t.id === changed.id))
      rows.push(String(changed.item.InstanceState));
    polled ||= provider.polling.size > 0;
  });
  const log = memoryLog();
  answer('Approve');
  const outcome = await decide('approve', approval, {
    engine: cloud.engine,
    ctx: { actor: { id: 'the-editor-says-anything' }, surface: 'vscode', region: approval.plan.region },
    ui: windowPrompts(),
    log,
    provider,
  });
  return {
    outcome,
    rows,
    log,
    wasPolled: () => polled || provider.polling.size > 0,
    async close() {
      provider.dispose();
      await cloud.close();
    },
  };
}

const notice = (title: string) => shown.find((s): s is Shown => s.kind === 'progress' && s.message === title);
/** Text a notice would act on: a control or invisible character (core's inert writes them out), or a link. */
const unsafe = (text: string) => inert(text) !== text || /\]\(/.test(text);

describe('vscode: live progress through a tceops server', function () {
  this.timeout(60_000);
  let server: ApiServer;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    // A stop takes 0.9 s here; the server's waiter looks every 100 ms, so it reports STOPPING, then STOPPED.
    server = await startApiServer({ timeScale: 0.3, waitIntervalMs: 100 });
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(resetStub);
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function stopInstancesCalls(): Promise<number> {
    const response = await fetch(`${server.emulatorUrl}/_tce/requests?limit=500`);
    const { requests } = (await response.json()) as { requests: { action: string }[] };
    return requests.filter((r) => r.action === 'StopInstances').length;
  }

  it('shows a stop’s states in the notice and the row as the server streams them, without polling', async () => {
    const id = server.running[0]!;
    const run = await stopThrough(server.url, server.token, id);
    closers.push(run.close);
    assert.deepEqual(
      run.settled.map((s) => s.kind),
      ['done'],
    );
    const end = await until('the end state', () =>
      shown.find((s) => s.kind === 'info' && /^Stop: [\w-]+ is STOPPED\.$/.test(s.message)),
    );
    assert.ok(end);
    const reports = notice('Stop')?.reports ?? [];
    assert.ok(reports.includes(`${id} STOPPING…`), `the notice showed STOPPING: ${JSON.stringify(reports)}`);
    assert.ok(reports.includes(`${id} STOPPED…`), `the notice showed STOPPED: ${JSON.stringify(reports)}`);
    assert.ok(reports.indexOf(`${id} STOPPING…`) < reports.indexOf(`${id} STOPPED…`));
    assert.deepEqual(run.rows, ['STOPPING', 'STOPPED'], 'the row moved with the stream');
    assert.equal(run.node.item.InstanceState, 'STOPPED');
    assert.equal(run.wasPolled(), false, 'the editor never polled the server for it');
    // Planning and sending were quick: no notification of theirs outlived them, and none is open at the end.
    const steps = shown.filter(
      (s) => s.kind === 'progress' && s.options?.location === ProgressLocation.Notification && s.message !== 'Stop',
    );
    assert.deepEqual(
      steps.map((s) => s.message),
      [],
    );
    assert.deepEqual(
      shown.filter((s) => s.kind === 'progress' && s.open).map((s) => s.message),
      [],
    );
  });

  it('a stream cut off after the outcome: the editor says so, the stop stands and is not sent again', async () => {
    const id = server.running[1]!;
    const before = await stopInstancesCalls();
    const posts: string[] = [];
    // A proxy that passes a confirmation's outcome line, then drops the connection (a load balancer timing out).
    const proxy: Server = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (chunk: Buffer) => body.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(body).toString();
        if (req.method === 'POST') posts.push(`${req.url} ${(JSON.parse(text) as { command?: string }).command ?? ''}`);
        const upstream = request(`${server.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          const cuts =
            req.url === '/api/v1/confirm' && String(up.headers['content-type']).startsWith('application/x-ndjson');
          if (!cuts) return void up.pipe(res);
          let seen = '';
          let cut = false;
          up.on('data', (chunk: Buffer) => {
            seen += chunk.toString();
            const line = seen.indexOf('\n');
            if (line < 0 || cut) return;
            cut = true;
            res.write(seen.slice(0, line + 1));
            up.destroy();
            // Mid-response, no end of the chunked body: the connection just goes.
            setTimeout(() => res.socket?.destroy(), 50);
          });
        });
        upstream.end(text);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => proxy.close(() => r())));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const run = await stopThrough(url, server.token, id, { pollMs: 100 });
    closers.push(run.close);
    assert.deepEqual(
      run.settled.map((s) => s.kind),
      ['done'],
      'the outcome stands',
    );
    const warning = await until('the warning', () =>
      shown.find((s) => /live progress from the server is unavailable/.test(s.message)),
    );
    assert.match(
      warning.message,
      /^Stop was sent once and stands, but live progress from the server is unavailable: .+\. Nothing is sent again/,
    );
    // The tree reads the row as in local mode, and finds where the one stop left it.
    await until('the end state', () =>
      shown.find((s) => s.kind === 'info' && /^Stop: [\w-]+ is STOPPED\.$/.test(s.message)),
    );
    assert.deepEqual(
      posts.filter((p) => / cvm stop /.test(p) || !p.startsWith('/api/v1/run ')),
      [`/api/v1/run cvm stop ${id} --stop-type SOFT_FIRST`, '/api/v1/confirm '],
      'one run of the stop, one confirmation: nothing retried',
    );
    assert.equal((await stopInstancesCalls()) - before, 1, 'TCE was asked to stop it once');
  });

  it('at the server’s open stream limit: the editor says so plainly, the stop is sent once without a stream', async () => {
    // The first test's instance, started again if that test stopped it (refused if it runs: no matter), and
    // followed to RUNNING by the server's waiter.
    const id = server.running[0]!;
    await fetch(`${server.url}/api/v1/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: `cvm start ${id}`, yes: true }),
    });
    await server.engine.idle();
    const before = await stopInstancesCalls();
    // The user's 16 streams (the server's default per user) held open elsewhere: the next one is refused (429).
    const held = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const controller = new AbortController();
        const response = await fetch(`${server.url}/api/v1/approvals/follow`, {
          headers: { authorization: `Bearer ${server.token}` },
          signal: controller.signal,
        });
        assert.equal(response.status, 200);
        return controller;
      }),
    );
    try {
      const run = await stopThrough(server.url, server.token, id, { pollMs: 100 });
      closers.push(run.close);
      assert.deepEqual(
        run.settled.map((s) => s.kind),
        ['done'],
        'the outcome stands',
      );
      const warning = await until('the warning', () => shown.find((s) => /progress/.test(s.message)));
      assert.match(
        warning.message,
        /^Stop was sent once and stands, but live progress from the server is unavailable: the server already has its limit of 16 streams open for you\. Nothing is sent again/,
      );
      await until('the end state', () =>
        shown.find((s) => s.kind === 'info' && /^Stop: [\w-]+ is STOPPED\.$/.test(s.message)),
      );
      assert.equal((await stopInstancesCalls()) - before, 1, 'TCE was asked to stop it once');
    } finally {
      for (const controller of held) controller.abort();
    }
  });

  it('Create Instance: the new instance’s states come on the server’s stream to its row and the notice, without polling', async () => {
    const cloud = openServerCloud({ server: server.url, token: server.token });
    const provider = new ExplorerProvider({
      connection: () => ({
        key: 'server',
        label: 'tceops server',
        description: server.url,
        source: cloud.source,
        regions: ['ap-guangzhou'],
        pageSize: 100,
      }),
      pollIntervalMs: 1_000_000,
    });
    closers.push(async () => {
      provider.dispose();
      await cloud.close();
    });
    const [connection] = await provider.getChildren();
    const [region] = await provider.getChildren(connection);
    const instances = (await provider.getChildren(region)).find((g) => g.type === 'group' && g.group === 'instances');
    const rows: string[] = [];
    let polled = false;
    provider.onDidChangeTreeData((changed) => {
      if (
        changed?.type === 'resource' &&
        changed.id.startsWith('ins-') &&
        String(changed.item.InstanceName) === 'web-live'
      )
        rows.push(String(changed.item.InstanceState));
      polled ||= provider.polling.size > 0;
    });
    const log = memoryLog();
    answer('ap-guangzhou-3', 'S5.MEDIUM4', 'CentOS 7.9 64位', 'backup_bot', 'web-live', 'Launch', 'Create Instance');
    const settled = await createInstance(instances, {
      engine: cloud.engine,
      actor: { id: 'the-editor-says-anything' },
      provider,
      log,
      ui: windowPrompts,
      server: server.url,
    });
    assert.equal(settled.kind, 'done');
    await until('the end state', () =>
      shown.find((s) => s.kind === 'info' && s.message === 'Create Instance: web-live is RUNNING.'),
    );
    const reports = notice('Create Instance')?.reports ?? [];
    assert.ok(reports.includes('web-live RUNNING…'), `the notice showed RUNNING: ${JSON.stringify(reports)}`);
    assert.equal(rows.at(-1), 'RUNNING', 'the row moved with the stream');
    assert.ok(!shown.some((s) => / — done\.$/.test(s.message)), 'where it ended is said, not "done" before it');
    assert.ok(log.lines.includes("Create Instance: followed on the server's stream"), log.lines.join('\n'));
    assert.equal(polled || provider.polling.size > 0, false, 'the editor never polled the server for it');
  });

  /** A production instance's stop asked by UBOB in Slack (it needs two approvals), as the editor lists it. */
  async function requestedStop(index: number): Promise<ApprovalSummary> {
    const listed = await server.engine.run('cvm instances --state RUNNING', {
      actor: { id: 'UBOB' },
      surface: 'slack',
      region: 'ap-guangzhou',
    });
    assert.equal(listed.kind, 'table', JSON.stringify(listed));
    // Running and not in `server.running`: production.
    const rows = listed.kind === 'table' ? listed.view.rows.filter((r) => !server.running.includes(r.id!)) : [];
    const id = rows[index]?.id;
    assert.ok(id, 'a running production instance');
    const asked = await server.engine.run(`cvm stop ${id}`, {
      actor: { id: 'UBOB' },
      surface: 'slack',
      region: 'ap-guangzhou',
    });
    assert.equal(asked.kind, 'approval');
    const apr = asked.kind === 'approval' ? asked.approval.id : '';
    const cloud = openServerCloud({ server: server.url, token: server.token });
    closers.push(() => cloud.close());
    const pending = await (await cloud.engine()).listApprovals({ state: 'pending' });
    return pending.find((p) => p.id === apr)!;
  }

  it('Approvals view: the approval that runs the request shows its states in the row and a notice, without polling', async () => {
    const a = await requestedStop(0);
    const id = a.plan.targets[0]!.id;
    await server.engine.approve(a.id, { actor: { id: 'UCAROL' }, surface: 'slack', region: 'ap-guangzhou' });
    const run = await approveThrough(server.url, server.token, a);
    closers.push(run.close);
    assert.equal(run.outcome?.kind, 'result');
    const title = `Request ${a.id}`;
    await until('the end state', () =>
      shown.find((s) => s.kind === 'info' && new RegExp(`^${title}: [\\w-]+ is STOPPED\\.$`).test(s.message)),
    );
    const reports = notice(title)?.reports ?? [];
    assert.ok(
      reports.some((r) => r.endsWith(' STOPPING…')),
      `the notice showed STOPPING: ${JSON.stringify(reports)}`,
    );
    assert.ok(reports.at(-1)?.endsWith(' STOPPED…'), `the notice showed STOPPED: ${JSON.stringify(reports)}`);
    assert.deepEqual(run.rows.slice(0, 2), ['STOPPING', 'STOPPED'], 'the row moved with the stream');
    assert.equal(run.wasPolled(), false, 'the editor never polled the server for it');
    assert.ok(run.log.lines.includes(`${title}: followed on the server's stream`), run.log.lines.join('\n'));
    assert.ok(!shown.some((s) => / — done\.$/.test(s.message)), 'where it ended is said, not "done" before it');
    assert.equal(run.rows.at(-1), 'STOPPED');
    assert.ok(id);
  });

  it('Approvals view: a vote that does not complete the approval runs nothing and shows nothing new', async () => {
    const a = await requestedStop(1);
    const run = await approveThrough(server.url, server.token, a);
    closers.push(run.close);
    assert.equal(run.outcome?.kind, 'approval');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(
      shown.filter((s) => s.kind === 'progress' && s.options?.location === ProgressLocation.Notification),
      [],
      'no progress notice',
    );
    assert.deepEqual(
      shown.filter((s) => s.kind !== 'progress').map((s) => s.message),
      ['Approve Stop 1 instance in ap-guangzhou?', `${a.id} is now PENDING (1/2 approved).`],
      'the question, then the vote counted',
    );
    assert.deepEqual(run.rows, [], 'no row moved');
    assert.equal(run.wasPolled(), false);
  });

  /** A server that answers every command with these NDJSON lines. */
  async function hostileServer(lines: unknown[]): Promise<string> {
    const hostile: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => hostile.close(() => r())));
    return `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  }
  const HOSTILE_ID = 'ins-hostile1';
  const HASH = 'hash-hostile';
  /** The server says the stop ran (as if the policy allowed it at once). */
  const ran: Outcome = {
    kind: 'result',
    plan: { ...plan(`cvm stop ${HOSTILE_ID}`), hash: HASH },
    results: [{ id: HOSTILE_ID, ok: true, requestId: 'req-1' }],
    requestIds: ['req-1'],
  };
  const event = (state: string, message: string, done = false, planHash = HASH, targetId = HOSTILE_ID) => ({
    progress: { planHash, targetId, state, done, message },
  });
  const readBack = {
    instancesById: async () => [{ InstanceId: HOSTILE_ID, InstanceName: HOSTILE_ID, InstanceState: 'STOPPED' }],
  } as unknown as ExplorerSource;
  const everythingShown = () => shown.flatMap((s) => [s.message, ...(s.reports ?? [])]);
  /** The stop ran; then states with controls, links and icons, another plan's end, and this one's. */
  const hostileRun = () => [
    { outcome: outcomeToWire(ran as unknown as Parameters<typeof outcomeToWire>[0]) },
    event('STOPPING\u001b[2J\u202e', '[open](command:workbench.action.quit) \u001b]8;;http://x\u0007'),
    event('](command:workbench.action.quit)', 'x'),
    event('TERMINATED', 'another plan of the same target', true, 'hash-other'),
    event('$(alert) STOPPED', '$(alert)'),
    event('STOPPED\u0007', `${HOSTILE_ID} is STOPPED`, true),
    { done: true },
  ];

  it('progress from a hostile server is shown inert: no controls, no links, no state that is not a state', async () => {
    const url = await hostileServer(hostileRun());
    const run = await stopThrough(url, 'tceops_whatever', HOSTILE_ID, {
      source: readBack,
      answers: ['Soft, then hard'],
    });
    closers.push(run.close);
    await until('the end state', () => shown.find((s) => s.message === `Stop: ${HOSTILE_ID} is STOPPED.`));
    assert.deepEqual(run.rows, ['STOPPING', 'STOPPED'], 'only state words reach the row, only of this plan');
    const [running, stopping, stopped] = ['RUNNING', 'STOPPING', 'STOPPED'].map((s) => `${HOSTILE_ID} ${s}…`);
    assert.deepEqual(notice('Stop')?.reports, [running, stopping, stopping, stopping, stopped]);
    for (const text of everythingShown()) assert.equal(unsafe(text), false, text);
  });

  it('a hostile word that the stream broke off is shown inert, and the tree reads the row instead', async () => {
    const url = await hostileServer([
      { outcome: outcomeToWire(ran as unknown as Parameters<typeof outcomeToWire>[0]) },
      event('STOPPING', `${HOSTILE_ID} is STOPPING`),
      event('X', 'stopped ([open](command:workbench.action.quit) $(alert) \u001b[31m\u202e)', false, HASH, ''),
    ]);
    const run = await stopThrough(url, 'tceops_whatever', HOSTILE_ID, {
      source: readBack,
      answers: ['Soft, then hard'],
    });
    closers.push(run.close);
    const warning = await until('the warning', () =>
      shown.find((s) => /live progress from the server is unavailable/.test(s.message)),
    );
    assert.match(warning.message, /^Stop was sent once and stands, but live progress from the server is unavailable: /);
    assert.ok(warning.message.includes('\\e[31m\\u{202e}'), warning.message);
    await until('the end state', () => shown.find((s) => s.message === `Stop: ${HOSTILE_ID} is STOPPED.`));
    for (const text of everythingShown()) assert.equal(unsafe(text), false, text);
  });

  it('Approvals view: a hostile server’s progress for the run an approval started is shown inert', async () => {
    const url = await hostileServer(hostileRun());
    const cloud = fakeCloud({
      lists: { instances: [{ InstanceId: HOSTILE_ID, InstanceName: HOSTILE_ID, InstanceState: 'RUNNING' }] },
    });
    const a = {
      id: 'apr-hostile1',
      state: 'pending',
      requester: 'UBOB',
      approvers: [],
      needed: 1,
      eligible: ['*'],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      plan: ran.kind === 'result' ? ran.plan : plan(`cvm stop ${HOSTILE_ID}`),
    } satisfies ApprovalSummary;
    const run = await approveThrough(url, 'tceops_whatever', a, fakeSource(cloud));
    closers.push(run.close);
    cloud.lists.instances![0]!.InstanceState = 'STOPPED';
    await until('the end state', () => shown.find((s) => s.kind === 'info' && / is STOPPED\.$/.test(s.message)));
    assert.deepEqual(run.rows, ['STOPPING', 'STOPPED'], 'only state words reach the row, only of this plan');
    const title = `Request ${noticeText(a.id)}`;
    const [running, stopping, stopped] = ['RUNNING', 'STOPPING', 'STOPPED'].map((s) => `${HOSTILE_ID} ${s}…`);
    assert.deepEqual(notice(title)?.reports, [running, stopping, stopping, stopping, stopped]);
    for (const text of everythingShown()) assert.equal(unsafe(text), false, text);
  });

  it('the notice shows only text made here, or made inert', async () => {
    assert.equal(stateWord('STOPPED (ResizeInstance running)'), 'STOPPED');
    assert.equal(stateWord('STOPPING\u001b[2J'), 'STOPPING');
    assert.equal(stateWord('](command:x)'), undefined);
    assert.equal(stateWord('$(alert) STOPPED'), undefined);
    assert.equal(stateWord('RUNNINGX1'), undefined, 'a word with more after it is not a state');
    assert.equal(stateWord('GONE'), undefined, 'gone is read back, not shown');
    const text = noticeText('[open](command:workbench.action.quit) $(alert) \u001b[31m\u202e\n');
    assert.equal(unsafe(text), false, text);
    assert.ok(text.includes('\\$(alert)'), 'an icon is shown as typed, not drawn');
    assert.match(text, /\\e\[31m\\u\{202e\}\\n$/);
  });
});
