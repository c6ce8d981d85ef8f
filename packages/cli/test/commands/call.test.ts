import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeTce, SECRET_ID, SECRET_KEY, startFakeTce } from '../../../core/test/api/fake-tce.ts';
import { startEmulator } from '@tceops/emulator';
import { main } from '../../src/main.ts';
import type { Prompter } from '../../src/prompt.ts';
import { assertEveryChangeAuditedIn } from '../../../../test/support/audited.ts';
import { captureIo } from '../io.ts';
import { terminalEnv } from '../../../../test/support/terminal-env.ts';

const env = (url: string): NodeJS.ProcessEnv => ({
  TENCENTCLOUD_SECRET_ID: SECRET_ID,
  TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
  TENCENTCLOUD_REGION: 'ap-guangzhou',
  TCE_ENDPOINT: url,
  HOME: mkdtempSync(join(tmpdir(), 'tceops-cli-')),
});

describe('cli call', () => {
  let fake: FakeTce;
  beforeEach(async () => {
    fake = await startFakeTce(() => ({
      body: {
        Response: {
          TotalCount: 1,
          InstanceSet: [{ InstanceId: 'ins-abcd1234', InstanceName: 'web-1' }],
          RequestId: 'req-cli',
        },
      },
    }));
  });
  afterEach(() => fake.close());

  async function run(args: string[]) {
    const io = captureIo();
    const saved = { ...process.env };
    Object.assign(process.env, env(fake.url));
    try {
      const code = await main(args, { io, env: env(fake.url) });
      return { code, ...io };
    } finally {
      process.env = saved;
    }
  }

  it('coerces flags to the documented types and prints the response as JSON', async () => {
    const { code, stdout } = await run([
      'call',
      'cvm',
      'DescribeInstances',
      '--Limit',
      '10',
      '--Filters.0.Name',
      'zone',
      '--Filters.0.Values.0',
      'ap-guangzhou-3',
    ]);
    assert.equal(code, 0);
    assert.deepEqual(fake.received[0]!.params, { Limit: 10, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] });
    assert.equal(JSON.parse(stdout).RequestId, 'req-cli');
    assert.ok(fake.received[0]!.signatureOk);
  });

  it('reads --params from a file and prints a table on request', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tceops-params-')), 'p.json');
    writeFileSync(file, JSON.stringify({ InstanceIds: ['ins-abcd1234'] }));
    const { code, stdout } = await run([
      'call',
      'cvm',
      'DescribeInstances',
      '--params',
      `@${file}`,
      '--output',
      'table',
    ]);
    assert.equal(code, 0);
    assert.deepEqual(fake.received[0]!.params, { InstanceIds: ['ins-abcd1234'] });
    assert.match(stdout, /InstanceSet:\nInstanceId\s+InstanceName\nins-abcd1234\s+web-1/);
  });

  it('signs with v1 when asked', async () => {
    const { code } = await run(['call', 'cvm', 'DescribeInstances', '--sign-method', 'HmacSHA256', '--method', 'GET']);
    assert.equal(code, 0);
    assert.equal(fake.received[0]!.method, 'GET');
    assert.equal(fake.received[0]!.params.SignatureMethod, 'HmacSHA256');
    assert.ok(fake.received[0]!.signatureOk);
  });

  it('exits 1 on an API error with its code and RequestId', async () => {
    fake.reply = () => ({
      body: { Response: { Error: { Code: 'InvalidInstanceId.NotFound', Message: 'not found' }, RequestId: 'req-404' } },
    });
    const { code, stderr } = await run(['call', 'cvm', 'StopInstances', '--InstanceIds', 'ins-abcd1234']);
    assert.equal(code, 1);
    assert.match(stderr, /InvalidInstanceId\.NotFound[\s\S]*RequestId: req-404/);
  });

  it('exits 2 and sends nothing on bad input', async () => {
    const cases = [
      ['call', 'cvm', 'DescribeInstances', '--Limit', 'ten'],
      ['call', 'cvm', 'StopInstance', '--InstanceIds', 'ins-abcd1234'],
      ['call', 'cvm', 'StopInstances'],
      ['call', 'cvm', 'StopInstances', '--InstanceIds', 'ins-1122'],
      ['call', 'cvm', 'DescribeInstances', '--Bogus', '1'],
      ['call', 'cvm', 'DescribeInstances', '--params', '{not json'],
      ['call', 'cvm', 'DescribeInstances', '--output', 'yaml'],
      ['call', 'cvm'],
    ];
    for (const args of cases) {
      const { code, stderr } = await run(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, /^Error: \S/);
    }
    assert.equal(fake.received.length, 0);
  });
});

describe('cli call through the pipeline (issue 9) on the emulator', function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let env: NodeJS.ProcessEnv;
  let home: string;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo', timeScale: 0.02 });
    home = mkdtempSync(join(tmpdir(), 'tceops-call-'));
    env = terminalEnv(emulator.url, home);
  });
  afterEach(async () => {
    await assertEveryChangeAuditedIn(emulator.url, env.TCEOPS_STORE!);
    await emulator.stop();
  });

  const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };

  async function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const io = captureIo();
    const code = await main(args, { io, env: { ...env, ...extraEnv }, prompter: noTerminal });
    return { code, ...io };
  }

  async function sent(action: string): Promise<number> {
    const body = (await (await fetch(`${emulator.url}/_tce/requests?limit=1000`)).json()) as {
      requests: { action: string }[];
    };
    return body.requests.filter((r) => r.action === action).length;
  }

  async function productionInstance(): Promise<string> {
    const { stdout } = await run(['call', 'cvm', 'DescribeInstances', '--Limit', '100']);
    const set = JSON.parse(stdout).InstanceSet as { InstanceId: string; Tags?: { Key: string; Value: string }[] }[];
    const found = set.find((i) => (i.Tags ?? []).some((t) => t.Key === 'env' && t.Value === 'production'));
    assert.ok(found, 'a production instance in the demo seed');
    return found.InstanceId;
  }

  it('finding 1: TerminateInstances on production without a terminal or --yes does not run, and is audited', async () => {
    const id = await productionInstance();
    const { code, stdout, stderr } = await run(['call', 'cvm', 'TerminateInstances', '--InstanceIds', id]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Queued for approval; nothing has run yet[\s\S]*production/);
    assert.equal(await sent('TerminateInstances'), 0, 'nothing was sent');
    const audit = readFileSync(join(home, 'store', 'audit.jsonl'), 'utf8');
    assert.match(audit, /"command":"call cvm TerminateInstances --InstanceIds/);
    const confirmable = await run(['call', 'cvm', 'StopInstances', '--InstanceIds', id, '--dry-run']);
    assert.match(confirmable.stdout, /Dry run, nothing changed[\s\S]*policy: approve: 2 approvals/);
  });

  it('finding 1: a sensitive call needs a terminal or --yes, like the command it stands for', async () => {
    const { stdout } = await run(['cvm', 'instances', '--state', 'RUNNING', '--output', 'json']);
    const view = JSON.parse(stdout) as { ids: string[]; items: { Tags?: { Key: string; Value: string }[] }[] };
    const id = view.ids[view.items.findIndex((i) => !(i.Tags ?? []).some((t) => t.Value === 'production'))]!;
    const refused = await run(['call', 'cvm', 'StopInstances', '--InstanceIds', id]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /needs confirmation and there is no terminal[\s\S]*--yes/);
    assert.equal(await sent('StopInstances'), 0);
    const confirmed = await run(['call', 'cvm', 'StopInstances', '--InstanceIds', id, '--yes']);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.equal(await sent('StopInstances'), 1);
    assert.match(confirmed.stderr, new RegExp(`${id}\\s+ok`));
    assert.match(JSON.parse(confirmed.stdout).RequestId, /\S/);
  });

  it('finding 1: under a policy denying every write, call StopInstances is refused like cvm stop', async () => {
    const policy = join(home, 'deny.yaml');
    writeFileSync(
      policy,
      'version: 1\nrules:\n  - name: frozen\n    match: { risk: [write, sensitive, destructive] }\n    deny: "change freeze"\n',
    );
    const { stdout } = await run(['cvm', 'instances', '--state', 'RUNNING', '--output', 'json']);
    const id = (JSON.parse(stdout) as { ids: string[] }).ids[0]!;
    for (const args of [
      ['cvm', 'stop', id, '--yes'],
      ['call', 'cvm', 'StopInstances', '--InstanceIds', id, '--yes'],
    ]) {
      const denied = await run(args, { TCEOPS_POLICY: policy });
      assert.equal(denied.code, 1, args.join(' '));
      assert.match(denied.stderr, /Denied: change freeze/);
    }
    assert.equal(await sent('StopInstances'), 0);
  });

  it('finding 3: policy explain and the run agree on a read-deny rule', async () => {
    const policy = join(home, 'reads.yaml');
    writeFileSync(
      policy,
      'version: 1\nrules:\n  - name: no-reads\n    match: { risk: read, surface: cli }\n    deny: "no reads here"\n',
    );
    const explained = await run(['policy', 'explain', 'cvm instances', '--as', 'alice'], { TCEOPS_POLICY: policy });
    assert.match(explained.stdout, /Decision: deny: no reads here/);
    for (const args of [
      ['cvm', 'instances'],
      ['call', 'cvm', 'DescribeInstances'],
    ]) {
      const ran = await run(args, { TCEOPS_POLICY: policy });
      assert.equal(ran.code, 1, args.join(' '));
      assert.match(ran.stderr, /Denied: no reads here/);
    }
    assert.equal(await sent('DescribeInstances'), 0);
  });

  it('finding 5: cancel --dry-run (and approve --dry-run) change nothing', async () => {
    const id = await productionInstance();
    const queued = await run(['call', 'cvm', 'TerminateInstances', '--InstanceIds', id]);
    const approval = /Approval (apr-[a-z0-9]+)/.exec(queued.stdout)![1]!;
    const dry = await run(['cancel', approval, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /Dry run, nothing changed[\s\S]*cancel apr-\S+: would make it cancelled; nothing would run/,
    );
    const own = await run(['approve', approval, '--dry-run']);
    assert.equal(own.code, 1);
    assert.match(own.stderr, /someone else must approve/);
    const list = await run(['approvals', '--output', 'json']);
    assert.equal(JSON.parse(list.stdout).rows[0].approvals, '0/2');
  });

  it('finding 6: a password on the command line is refused, and nothing of it is stored', async () => {
    const { stdout } = await run(['cvm', 'instances', '--output', 'json']);
    const id = (JSON.parse(stdout) as { ids: string[] }).ids[0]!;
    const refused = await run([
      'call',
      'cvm',
      'ResetInstancesPassword',
      '--InstanceIds',
      id,
      '--Password',
      'Sup3r-Secret!pw',
      '--yes',
    ]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--Password carries a secret[\s\S]*cvm reset-password/);
    assert.ok(!refused.stderr.includes('Sup3r-Secret!pw'));
    assert.equal(await sent('ResetInstancesPassword'), 0);
    let stored = '';
    try {
      stored = readFileSync(join(home, 'store', 'audit.jsonl'), 'utf8');
    } catch {}
    assert.ok(!stored.includes('Sup3r-Secret!pw'));
  });

  it('finding 7: a write call prints its response (a new key pair’s private key), not "0 ok, 0 failed"', async () => {
    const { code, stdout, stderr } = await run([
      'call',
      'cvm',
      'CreateKeyPair',
      '--KeyName',
      'ops_key',
      '--ProjectId',
      '0',
      '--yes',
    ]);
    assert.equal(code, 0, stderr);
    assert.match(JSON.parse(stdout).KeyPair.PrivateKey, /PRIVATE KEY/);
    assert.match(stderr, /cvm:CreateKeyPair\s+ok/);
    assert.doesNotMatch(stderr + stdout, /0 ok, 0 failed/);
  });

  it('finding 7: a cancelled request says it was cancelled', async () => {
    const id = await productionInstance();
    const queued = await run(['call', 'cvm', 'TerminateInstances', '--InstanceIds', id]);
    const approval = /Approval (apr-[a-z0-9]+)/.exec(queued.stdout)![1]!;
    const cancelled = await run(['cancel', approval]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, /^Cancelled: cancelled by \S+\. Nothing ran\./);
    assert.doesNotMatch(cancelled.stdout, /Queued/);
  });
});
