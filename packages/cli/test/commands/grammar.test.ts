/**
 * `tceops <grammar>` against the emulator: tables and JSON, confirmations answered by --yes, approvals queued,
 * dry runs, refusals with exit codes, and nothing sent on bad input.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinPolicy, createClient, createEngine, openStore } from '@tceops/core';
import { DEMO_CREDENTIALS, startEmulator } from '@tceops/emulator';
import { osUser } from '../../src/identity.ts';
import { main } from '../../src/main.ts';
import type { Prompter } from '../../src/prompt.ts';
import { assertEveryChangeAuditedIn } from '../../../../test/support/audited.ts';
import { captureIo } from '../io.ts';
import { terminalEnv } from '../../../../test/support/terminal-env.ts';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const noTerminal: Prompter = {
  interactive: false,
  ask: async () => '',
  askSecret: async () => '',
};

function scripted(answers: string[]): Prompter {
  return { interactive: true, ask: async () => answers.shift() ?? '', askSecret: async () => answers.shift() ?? '' };
}

describe('cli grammar on the emulator', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo', timeScale: 0.02 });
    const home = mkdtempSync(join(tmpdir(), 'tceops-cli-home-'));
    env = terminalEnv(emulator.url, home);
  });
  afterEach(async () => {
    // Every change a terminal command made is in the audit log (actor, surface, plan hash, RequestIds).
    await assertEveryChangeAuditedIn(emulator.url, env.TCEOPS_STORE!);
    await emulator.stop();
  });

  async function run(args: string[], prompter: Prompter = noTerminal, extraEnv: NodeJS.ProcessEnv = {}) {
    const io = captureIo();
    const code = await main(args, { io, env: { ...env, ...extraEnv }, prompter });
    return { code, ...io };
  }

  /** Someone else's session on the same store and cloud (their own terminal, elsewhere). */
  async function approveAs(user: string, id: string) {
    const client = createClient({
      endpoint: emulator.url,
      region: 'ap-guangzhou',
      credentials: { ...DEMO_CREDENTIALS, source: 'test' },
    });
    const store = await openStore(env.TCEOPS_STORE, { env });
    const engine = createEngine({ client, store, policy: builtinPolicy(), expireEveryMs: 0, wait: false });
    try {
      return await engine.approve(id, { actor: { id: user }, surface: 'cli' });
    } finally {
      await engine.close();
      await store.close();
      client.close();
    }
  }

  async function requestCount(): Promise<number> {
    const response = await fetch(`${emulator.url}/_tce/requests`);
    const body = (await response.json()) as { requests?: unknown[] } | unknown[];
    return Array.isArray(body) ? body.length : (body.requests?.length ?? 0);
  }

  async function firstInstance(state: string): Promise<{ id: string; name: string }> {
    const { stdout } = await run(['cvm', 'instances', '--state', state, '--limit', '100', '--output', 'json']);
    const view = JSON.parse(stdout) as {
      rows: { id: string; name: string }[];
      items: { Tags?: { Key: string; Value: string }[] }[];
    };
    const index = view.items.findIndex((i) => !(i.Tags ?? []).some((t) => t.Key === 'env' && t.Value === 'production'));
    assert.ok(index >= 0, `a non-production ${state} instance in the demo seed`);
    return view.rows[index]!;
  }

  it('lists instances as a table and as JSON', async () => {
    const table = await run(['cvm', 'instances']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^Instances\nState\s+Name\s+ID\s+Type\s+Zone/);
    const json = await run(['cvm', 'instances', '--output', 'json']);
    assert.ok(JSON.parse(json.stdout).rows.length > 0);
  });

  it('stops with --yes and follows the instance to STOPPED', async () => {
    const target = await firstInstance('RUNNING');
    const { code, stdout, stderr } = await run(['cvm', 'stop', target.name, '--yes']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Stop 1 instance in ap-guangzhou: 1 ok, 0 failed/);
    assert.match(stderr, new RegExp(`${target.id} is STOPPED`));
  });

  it('asks on a terminal, and does nothing when the answer is no', async () => {
    const target = await firstInstance('RUNNING');
    const no = await run(['cvm', 'reboot', target.id], scripted(['n']));
    assert.equal(no.code, 1);
    assert.match(no.stderr, /not confirmed/);
    const yes = await run(['cvm', 'reboot', target.id], scripted(['y']));
    assert.equal(yes.code, 0, yes.stderr);
  });

  it('without a terminal and without --yes, refuses with exit 2 and changes nothing', async () => {
    const target = await firstInstance('RUNNING');
    const { code, stderr } = await run(['cvm', 'stop', target.id]);
    assert.equal(code, 2);
    assert.match(stderr, /add --yes/);
  });

  it('queues a destructive command for approval even with --yes, and another user approves it', async () => {
    const target = await firstInstance('STOPPED');
    const queued = await run(['cvm', 'terminate', target.id, '--yes']);
    assert.equal(queued.code, 0, queued.stderr);
    assert.match(queued.stdout, /Queued for approval; nothing has run yet/);
    const id = /Approval (apr-[a-z0-9]+)/.exec(queued.stdout)![1]!;
    const own = await run(['approve', id]);
    assert.equal(own.code, 1);
    assert.match(own.stderr, /someone else must approve/);
    // With a configured cloud, --as is refused: nobody becomes someone else with a flag.
    const spoof = await run(['approve', id, '--as', 'bob']);
    assert.equal(spoof.code, 2);
    assert.match(spoof.stderr, /--as \(or TCEOPS_USER\) is refused with a configured cloud/);
    assert.equal((await run(['approve', id], noTerminal, { TCEOPS_USER: 'bob' })).code, 2);
    // Another person, on the same store from their own session, approves; it runs once.
    const other = await approveAs('bob', id);
    assert.equal(other.kind, 'result');
    assert.deepEqual(
      (other as { results: { ok: boolean }[] }).results.map((r) => r.ok),
      [true],
    );
    const verify = await run(['audit', 'verify']);
    assert.equal(verify.code, 0, verify.stderr);
  });

  it('--dry-run prints the plan and sends no change', async () => {
    const target = await firstInstance('RUNNING');
    const { code, stdout } = await run(['cvm', 'stop', target.id, '--dry-run']);
    assert.equal(code, 0);
    assert.match(stdout, /Dry run, nothing changed/);
    assert.match(stdout, /policy: confirm/);
  });

  it('refuses bad input with exit 2 before any call', async () => {
    const before = await requestCount();
    for (const args of [
      ['cvm', 'stop', 'ins-1122'],
      ['cvm', 'stp', 'web-1'],
      ['cvm', 'instances', '--limit', 'ten'],
      ['cvm', 'stop', 'ins-abcd1234', '--stop-type', 'GENTLE'],
      ['cvm', 'instances', '--state', 'RUNNING', '--state', 'STOPPED'],
      ['cvm', 'stop', 'ins-abcd1234', '--dry-run', '--yes'],
    ]) {
      const { code, stderr } = await run(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, /^Error: /);
    }
    assert.equal(await requestCount(), before);
  });

  it('refuses a bad policy file at start, with its line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tceops-policy-')), 'policy.yaml');
    writeFileSync(file, 'version: 1\nrules:\n  - name: x\n    match: { risk: [dangerous] }\n    allow: true\n');
    const { code, stderr } = await run(['cvm', 'instances'], noTerminal, { TCEOPS_POLICY: file });
    assert.equal(code, 2);
    assert.match(stderr, /policy\.yaml:4: rules\[0\]\.match\.risk: unknown risk "dangerous"/);
    const check = await run(['policy', 'check', file]);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /dangerous/);
  });

  it('explains a policy decision, and explaining runs nothing', async () => {
    const target = await firstInstance('RUNNING');
    const before = emulator.requests().length;
    const { code, stdout, stderr } = await run(['policy', 'explain', `cvm terminate ${target.id}`, '--as', 'alice']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Decision: approve/);
    assert.match(stdout, /Rules looked at/);
    const sent = emulator.requests().slice(before);
    assert.ok(sent.length > 0, 'the plan was read from the cloud');
    assert.deepEqual(
      sent.filter((r) => !r.action.startsWith('Describe')),
      [],
      'only reads were sent',
    );
    assert.equal((await firstInstance('RUNNING')).id, target.id);
  });

  it('explains on the embedded emulator when no cloud is configured, and says so', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tceops-cli-home-'));
    const io = captureIo();
    const code = await main(['policy', 'explain', 'cvm terminate web-1'], {
      io,
      env: { HOME: home, PATH: process.env.PATH, TCEOPS_STORE: `file:${join(home, 'store')}` },
      prompter: noTerminal,
    });
    assert.equal(code, 0, io.stderr);
    assert.match(
      io.stderr,
      /No cloud is configured: explaining against an embedded TCE emulator at http:\/\/127\.0\.0\.1:\d+/,
    );
    assert.match(io.stdout, /Plan: Terminate 1 instance in ap-guangzhou: web-1 \(ins-[a-z0-9]{8}, RUNNING/);
    assert.match(io.stdout, /Decision: approve/);
  });

  it('audit verify fails when a record is edited', async () => {
    const target = await firstInstance('RUNNING');
    await run(['cvm', 'stop', target.id, '--yes']);
    assert.equal((await run(['audit', 'verify'])).code, 0);
    const dir = env.TCEOPS_STORE!.slice('file:'.length);
    const file = join(dir, 'audit.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace(`"${osUser(env)}"`, '"mallory"'));
    const { code, stderr } = await run(['audit', 'verify']);
    assert.equal(code, 1);
    assert.match(stderr, /record 1 was edited/);
  });
});
