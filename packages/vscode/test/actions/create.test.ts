/**
 * Create Instance…, Create File System… and Open Console through the real core pipeline (engine, built-in policy,
 * file store) against the emulator: the command text each flow sends, nothing sent when any step is cancelled,
 * the console address opened but never logged, and names from users made inert where they are shown.
 */
import '../support/setup.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFileSystem, createInstance, openConsole, shownText } from '../../src/actions/create.ts';
import { policedReads } from '../../../core/src/commands/policed-reads.ts';
import { createClientSource } from '../../src/data/source.ts';
import type { EnginePort } from '../../src/engine-port.ts';
import { createPipeline } from '../../src/pipeline.ts';
import type { GroupNode, Node, ResourceNode } from '../../src/tree/nodes.ts';
import { ExplorerProvider } from '../../src/tree/provider.ts';
import { windowPrompts } from '../../src/ui/prompts.ts';
import { createClient } from '../../../core/src/api/client.ts';
import { DEMO_CREDENTIALS, type RunningEmulator, startEmulator } from '../../../emulator/src/index.ts';
import { fakeEngine } from '../support/fake-engine.ts';
import { answer, env, resetStub, shown, unusedAnswers } from '../support/vscode-stub.ts';
import { memoryLog } from '../support/memory-log.ts';

describe('vscode: Create Instance, Create File System, Open Console through the pipeline', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let dir: string;
  let engine: EnginePort;
  let provider: ExplorerProvider;
  let client: ReturnType<typeof createClient>;
  let groups: GroupNode[];
  /** Every command text the extension sent to the pipeline. */
  let sent: string[];
  const log = memoryLog();

  const deps = () => ({
    engine: async () => engine,
    actor: { id: 'alice' },
    provider,
    log,
    ui: windowPrompts,
    settleTimeoutMs: 10_000,
  });
  const group = (name: string) => groups.find((g) => g.group === name)!;

  /** The API actions the emulator received. */
  async function actions(): Promise<string[]> {
    const body = (await (await fetch(`${emulator.url}/_tce/requests?limit=1000`)).json()) as {
      requests: { action: string }[];
    };
    return body.requests.map((r) => r.action);
  }

  beforeEach(async () => {
    resetStub();
    log.lines = [];
    sent = [];
    dir = mkdtempSync(path.join(tmpdir(), 'tceops-create-'));
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo', timeScale: 0.01 });
    const clientOptions = {
      endpoint: emulator.url,
      region: 'ap-guangzhou',
      credentials: { ...DEMO_CREDENTIALS, source: 'test' },
      env: {},
      rateLimit: false,
    };
    const real = await createPipeline({ clientOptions, policyFile: '', store: `file:${path.join(dir, 'store')}` });
    engine = {
      ...real,
      run: (text, ctx, options) => {
        sent.push(Array.isArray(text) ? text.join(' ') : text);
        return real.run(text, ctx, options);
      },
    };
    client = createClient(clientOptions);
    // The tree's reads are decided by the real pipeline too (not recorded in `sent`: only the actions are).
    const source = createClientSource(async () =>
      policedReads(real, client, { actor: { id: 'alice' }, surface: 'vscode' }),
    );
    provider = new ExplorerProvider({
      connection: () => ({ key: 't', label: 't', description: '', source, regions: ['ap-guangzhou'], pageSize: 100 }),
      pollIntervalMs: 50,
    });
    const [connection] = await provider.getChildren();
    const [region] = await provider.getChildren(connection);
    groups = (await provider.getChildren(region)) as GroupNode[];
  });

  afterEach(async () => {
    provider.dispose();
    await engine.close();
    client.close();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(unusedAnswers(), []);
  });

  it('Create Instance: zone → type with price → image → key pair → name → summary, then cvm run, priced and followed to RUNNING', async () => {
    answer('ap-guangzhou-3', 'S5.MEDIUM4', 'CentOS 7.9 64位', 'backup_bot', 'web-9', 'Launch', 'Create Instance');
    const settled = await createInstance(group('instances'), deps());
    assert.equal(settled.kind, 'done');
    assert.deepEqual(sent, [
      'zones',
      'cvm types --zone ap-guangzhou-3',
      'cvm images',
      'cvm images --type PUBLIC_IMAGE',
      'cvm keypairs',
      'cvm run --zone ap-guangzhou-3 --type S5.MEDIUM4 --image img-9qabwvbn --keypair skey-03np5b83 --name web-9',
    ]);
    const picks = shown.filter((s) => s.kind === 'quickPick');
    const typeItem = (picks[1]!.items as { label: string; description: string }[]).find(
      (i) => i.label === 'S5.MEDIUM4',
    )!;
    assert.equal(typeItem.description, '¥0.22/h', 'the type step shows the zone’s price');
    const summary = (picks[4]!.items as { label: string; description: string; detail: string }[])[0]!;
    assert.match(summary.description, /¥0\.22\/h/);
    assert.match(
      summary.detail,
      /"web-9" · S5\.MEDIUM4 \(2 vCPU, 4 GB\) · ap-guangzhou-3 · CentOS 7\.9 64位 \(img-9qabwvbn\)/,
    );
    const modal = shown.find((s) => s.kind === 'warning' && s.options?.modal)!;
    assert.match(String(modal.options!.detail), /Price: ¥0\.2\d+\/h/, 'TCE’s quote in the confirmation');
    assert.match(String(modal.options!.detail), /TCE: S5\.MEDIUM4 is sold in ap-guangzhou-3/);
    assert.equal((await actions()).filter((a) => a === 'RunInstances').length, 1);
    // Followed to its end state, and the user is told it.
    for (let i = 0; i < 200 && !shown.some((s) => /Create Instance: web-9 is RUNNING/.test(s.message)); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(
      shown.some((s) => s.kind === 'info' && /^Create Instance: web-9 is RUNNING\.$/.test(s.message)),
      shown.map((s) => s.message).join('\n'),
    );
  });

  it('Create Instance: no key pair leaves --keypair out (TCE mails a password); never a password in the text', async () => {
    answer('ap-guangzhou-3', 'S5.SMALL2', 'web-base-2024', 'No key pair', 'batch', 'Launch', undefined);
    assert.deepEqual(await createInstance(group('instances'), deps()), { kind: 'cancelled' });
    const run = sent.at(-1)!;
    assert.equal(run, 'cvm run --zone ap-guangzhou-3 --type S5.SMALL2 --image img-07beamg6 --name batch');
    assert.doesNotMatch(run, /password/i);
    assert.ok(!(await actions()).includes('RunInstances'), 'dismissed at the confirmation: nothing launched');
  });

  const steps = ['ap-guangzhou-3', 'S5.MEDIUM4', 'CentOS 7.9 64位', 'backup_bot', 'web-9', 'Launch'];
  for (let at = 0; at < steps.length; at++) {
    it(`Create Instance cancelled at step ${at + 1} of 6: no cvm run planned, nothing sent`, async () => {
      answer(...steps.slice(0, at), undefined);
      assert.deepEqual(await createInstance(group('instances'), deps()), { kind: 'cancelled' });
      assert.ok(!sent.some((t) => t.startsWith('cvm run')), sent.join('\n'));
      assert.ok(!(await actions()).includes('RunInstances'));
    });
  }

  it('Create Instance: a hostile name is refused in the box, or shown inert in the summary and quoted in the text', async () => {
    answer('ap-guangzhou-3', 'S5.MEDIUM4', 'CentOS 7.9 64位', 'backup_bot', 'web\u202e1-\x1b[2J');
    assert.deepEqual(await createInstance(group('instances'), deps()), { kind: 'cancelled' });
    assert.equal(shown.find((s) => s.kind === 'input')!.validation, 'No control or invisible characters in a name');
    shown.length = 0;
    answer('ap-guangzhou-3', 'S5.MEDIUM4', 'CentOS 7.9 64位', 'backup_bot', '$(verified) ok" --count 50', 'Cancel');
    assert.deepEqual(await createInstance(group('instances'), deps()), { kind: 'cancelled' });
    const last = shown.filter((s) => s.kind === 'quickPick').at(-1)!;
    assert.match(last.message, /launch "\\\$\(verified\) ok" --count 50"\?/, 'no icon drawn from the name');
    const detail = (last.items as { detail?: string }[])[0]!.detail!;
    assert.ok(detail.includes('"\\$(verified) ok" --count 50"') && !/(^|[^\\])\$\(/.test(detail), detail);
    assert.ok(!sent.some((t) => t.startsWith('cvm run')), 'Cancel at the summary sends nothing');
    assert.equal(shownText('a\u202eb $(x)'), 'a\\u{202e}b \\$(x)');
  });

  it('Create Instance: the name is one quoted value — it cannot add flags to the command', async () => {
    answer('ap-guangzhou-3', 'S5.MEDIUM4', 'CentOS 7.9 64位', 'backup_bot', 'x --count 50', 'Launch', undefined);
    await createInstance(group('instances'), deps());
    assert.equal(
      sent.at(-1),
      'cvm run --zone ap-guangzhou-3 --type S5.MEDIUM4 --image img-9qabwvbn --keypair skey-03np5b83 --name "x --count 50"',
    );
    const modal = shown.find((s) => s.kind === 'warning' && s.options?.modal)!;
    assert.match(modal.message, /Launch instance "x --count 50"/, 'one instance, named with the whole text');
  });

  it('Create Instance: the policy applies to the reads — a read denied in VS Code stops the flow with the reason', async () => {
    const policy = path.join(dir, 'policy.yaml');
    writeFileSync(
      policy,
      'version: 1\nrules:\n  - name: no reads in the editor\n    match: { risk: read, surface: vscode }\n    deny: "reads are private here"\n',
    );
    const denying = await createPipeline({
      clientOptions: {
        endpoint: emulator.url,
        region: 'ap-guangzhou',
        credentials: { ...DEMO_CREDENTIALS, source: 'test' },
        env: {},
        rateLimit: false,
      },
      policyFile: policy,
      store: `file:${path.join(dir, 'store2')}`,
    });
    try {
      const settled = await createInstance(group('instances'), { ...deps(), engine: async () => denying });
      assert.deepEqual(settled, { kind: 'cancelled' });
      assert.match(
        shown.find((s) => s.kind === 'error')!.message,
        /^Create Instance: could not read zones: not allowed: .*reads are private here/,
      );
      assert.ok(!(await actions()).includes('DescribeZones'), 'the denied read is not sent');
      assert.ok(!(await actions()).includes('RunInstances'));
    } finally {
      await denying.close();
    }
  });

  it('Open Console: asks first; dismissed, nothing is read', async () => {
    const [ins] = (await provider.getChildren(group('instances'))) as ResourceNode[];
    const running = ((await provider.getChildren(group('instances'))) as ResourceNode[]).find(
      (n) => n.item.InstanceState === 'RUNNING',
    )!;
    assert.ok(ins && running);
    answer(undefined);
    assert.deepEqual(await openConsole(running, deps()), { kind: 'cancelled' });
    assert.deepEqual(sent, []);
    assert.ok(!(await actions()).includes('DescribeInstanceVncUrl'));
    assert.deepEqual(env.opened, []);
  });

  it('Open Console: runs cvm console, opens the address in the browser, and never logs or shows it', async () => {
    const running = ((await provider.getChildren(group('instances'))) as ResourceNode[]).find(
      (n) => n.item.InstanceState === 'RUNNING',
    )!;
    answer('Open Console');
    const settled = await openConsole(running, deps());
    assert.equal(settled.kind, 'info');
    const modal = shown.find((s) => s.kind === 'warning' && s.options?.modal)!;
    assert.match(String(modal.options!.detail), /can log in to the instance/);
    assert.deepEqual(sent, [`cvm console ${running.id}`]);
    assert.equal(env.opened.length, 1);
    assert.match(env.opened[0]!, new RegExp(`^wss://[^/]+/${running.id}\\?token=[0-9a-f]{32}$`));
    const token = env.opened[0]!.split('token=')[1]!;
    const everything = [...log.lines, ...shown.map((s) => `${s.message} ${JSON.stringify(s.options ?? {})}`)].join(
      '\n',
    );
    assert.ok(!everything.includes(token) && !everything.includes('wss://'), everything);
    assert.ok(log.lines.some((l) => /opened the console of ins-/.test(l)));
  });

  it('Open Console: an address that is not https or wss is not opened', async () => {
    const node: Node = {
      type: 'resource',
      kind: 'instance',
      key: 'k',
      region: 'ap-guangzhou',
      id: 'ins-aaaaaaaa',
      item: { InstanceId: 'ins-aaaaaaaa', InstanceName: 'web', InstanceState: 'RUNNING' },
    };
    for (const url of ['command:workbench.action.terminal.new', 'file:///etc/passwd', '']) {
      const { engine: fake } = fakeEngine(() => ({
        kind: 'detail',
        title: 'Console',
        item: { InstanceId: 'ins-aaaaaaaa', InstanceVncUrl: url },
        requestIds: ['req-1'],
      }));
      answer('Open Console');
      const settled = await openConsole(node, { ...deps(), engine: async () => fake });
      assert.equal(settled.kind, 'error');
    }
    assert.deepEqual(env.opened, []);
    assert.ok(!log.lines.join('\n').includes('passwd') && !log.lines.join('\n').includes('workbench'));
  });

  it('Create File System: zone → protocol → permission group → network → name, then cfs create', async () => {
    answer('ap-guangzhou-3', 'CIFS', 'web-shared', 'Basic network', 'office', 'Create File System');
    const settled = await createFileSystem(group('filesystems'), deps());
    assert.equal(settled.kind, 'done');
    assert.deepEqual(sent, [
      'zones',
      'cfs pgroups',
      'cfs create --zone ap-guangzhou-3 --protocol CIFS --pgroup pgroup-1lb9z7un --basic --name office',
    ]);
    assert.ok((await actions()).includes('CreateCfsFileSystem'));
  });

  it('Create File System in a VPC: bad IDs are refused in the box; cancelled at any step nothing is sent', async () => {
    answer('ap-guangzhou-3', 'NFS', 'web-shared', 'VPC', 'vpc-gz7k2m1q', 'subnet;rm');
    assert.deepEqual(await createFileSystem(group('filesystems'), deps()), { kind: 'cancelled' });
    assert.equal(shown.filter((s) => s.kind === 'input').at(-1)!.validation, 'An ID like subnet-abcd1234');
    for (const upTo of [0, 1, 2, 3, 4]) {
      answer(...['ap-guangzhou-3', 'NFS', 'web-shared', 'Basic network'].slice(0, upTo), undefined);
      assert.deepEqual(await createFileSystem(group('filesystems'), deps()), { kind: 'cancelled' });
    }
    answer('ap-guangzhou-3', 'NFS', 'web-shared', 'VPC', 'vpc-gz7k2m1q', 'subnet-gz4d8e2a', 'shared', undefined);
    assert.deepEqual(await createFileSystem(group('filesystems'), deps()), { kind: 'cancelled' });
    assert.equal(
      sent.at(-1),
      'cfs create --zone ap-guangzhou-3 --protocol NFS --pgroup pgroup-1lb9z7un --vpc vpc-gz7k2m1q --subnet subnet-gz4d8e2a --name shared',
    );
    assert.ok(!(await actions()).includes('CreateCfsFileSystem'));
  });
});
