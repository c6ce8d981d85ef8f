/**
 * The engine's reads and the audit log (`auditReads`): with it on, each read the policy allows is one record — who,
 * where, actions, region, targets, RequestIds — in place of its request line, never with a secret or the answer;
 * with it off, the log is what it was. Refusals are recorded either way. On the emulator.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputError } from '../../src/api/errors.ts';
import { readAudit, verifyAudit } from '../../src/audit/log.ts';
import type { AuditRecord } from '../../src/audit/types.ts';
import type { CommandContext, Engine } from '../../src/commands/types.ts';
import { registerSecret } from '../../src/config/redact.ts';
import { checkPolicy } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/types.ts';
import { type Cloud, expectKind, startCloud } from '../../../../test/support/cloud.ts';

const alice: CommandContext = { actor: { id: 'alice' }, surface: 'slack', channel: 'C0OPS' };

function policy(text: string) {
  const { policy, problems } = checkPolicy(text, 'policy.yaml');
  assert.deepEqual(problems, []);
  return policy!;
}

const ON = policy('version: 1\nauditReads: true\n');

describe('commands/engine: reads in the audit log', function () {
  this.timeout(60_000);
  let cloud: Cloud;
  let opened: Engine[] = [];
  const open = (p: Policy) => {
    const engine = cloud.open(p);
    opened.push(engine);
    return engine;
  };
  const records = (): Promise<AuditRecord[]> => readAudit(cloud.store);
  const sent = () => cloud.emulator.requests().map((r) => r.action);

  beforeEach(async () => {
    cloud = await startCloud();
  });
  afterEach(async () => {
    for (const engine of opened) await engine.close();
    opened = [];
    await cloud.close();
  });

  async function anInstance(): Promise<{ InstanceId: string; InstanceName: string; PrivateIpAddresses: string[] }> {
    const r = await cloud.client.call<{
      InstanceSet: { InstanceId: string; InstanceName: string; PrivateIpAddresses: string[] }[];
    }>('cvm', 'DescribeInstances', { Limit: 1 });
    return r.InstanceSet[0]!;
  }

  it('on: each allowed read, in every spelling, is one read record with who, where, what and RequestIds', async () => {
    const engine = open(ON);
    const target = await anInstance();
    const before = (await records()).length;
    const listed = expectKind(await engine.run('cvm instances --limit 5', alice), 'table');
    const shown = expectKind(await engine.run(['cvm', 'show', target.InstanceName], alice), 'detail');
    const called = expectKind(
      await engine.run(['call', 'cvm', 'DescribeInstances', '--InstanceIds.0', target.InstanceId], alice),
      'detail',
    );
    const after = (await records()).slice(before);
    assert.deepEqual(
      after.map((r) => r.kind),
      ['read', 'read', 'read'],
      'one record a read, and no request line beside it',
    );
    for (const r of after) {
      assert.equal(r.actor, 'alice');
      assert.equal(r.surface, 'slack');
      assert.equal(r.region, 'ap-guangzhou');
      assert.equal(r.result, 'ok');
      assert.deepEqual((r.data as { actions: string[] }).actions, ['cvm:DescribeInstances']);
      assert.equal((r.data as { channel: string }).channel, 'C0OPS');
    }
    assert.deepEqual(after[0]!.requestIds, listed.view.requestIds);
    assert.equal(after[0]!.data!.targets, undefined, 'a listing names no target');
    // A name is recorded as the ID it resolved to; a call's ID parameters are its targets.
    assert.deepEqual(after[1]!.data!.targets, [target.InstanceId]);
    assert.deepEqual(after[1]!.requestIds, shown.requestIds);
    assert.deepEqual(after[2]!.data!.targets, [target.InstanceId]);
    assert.deepEqual(after[2]!.requestIds, called.requestIds);
    // Never the answer: the instance's address is in the answers, not in the log.
    const ip = target.PrivateIpAddresses[0]!;
    assert.ok(JSON.stringify(called.item).includes(ip));
    assert.ok(!readFileSync(join(cloud.storeDir, 'audit.jsonl'), 'utf8').includes(ip));
    assert.equal((await verifyAudit(cloud.store)).ok, true, 'read records keep the chain verifiable');
  });

  it('off (the default, and false): a read keeps its request line only, as before', async () => {
    for (const engine of [cloud.engine, open(policy('version: 1\nauditReads: false\n'))]) {
      const before = (await records()).length;
      expectKind(await engine.run('cvm instances --limit 5', alice), 'table');
      expectKind(await engine.run(['call', 'cvm', 'DescribeRegions'], alice), 'detail');
      const after = (await records()).slice(before);
      assert.deepEqual(
        after.map((r) => `${r.kind} ${r.command}`),
        ['request cvm instances --limit 5', 'request call cvm DescribeRegions'],
      );
    }
  });

  it('a read that fails is recorded as failed, with what was asked; the error still reaches the requester', async () => {
    const engine = open(ON);
    const before = (await records()).length;
    const failed = expectKind(await engine.run(['cvm', 'show', 'no-such-name'], alice), 'error');
    assert.match(failed.error.message, /no instance named "no-such-name"/);
    const [record, ...rest] = (await records()).slice(before);
    assert.deepEqual(rest, []);
    assert.equal(record!.kind, 'read');
    assert.equal(record!.result, 'failed');
    assert.match(record!.detail!, /no instance named/);
    assert.deepEqual(record!.data!.targets, ['no-such-name']);
  });

  it('a refused read is recorded as refused, on or off, with its targets as asked; nothing is sent', async () => {
    const deny = 'rules:\n  - name: no-instances\n    match: { action: "cvm:DescribeInstances" }\n    deny: not here\n';
    for (const text of [`version: 1\n${deny}`, `version: 1\nauditReads: true\n${deny}`]) {
      const engine = open(policy(text));
      const before = (await records()).length;
      const requests = sent().length;
      expectKind(await engine.run(['cvm', 'show', 'web-1'], alice), 'denied');
      expectKind(
        await engine.run(['call', 'cvm', 'DescribeInstances', '--InstanceIds.0', 'ins-0az3fxo9'], alice),
        'denied',
      );
      assert.equal(sent().length, requests, 'a denied read sends nothing, not even a name lookup');
      const refusals = (await records()).slice(before).filter((r) => r.kind === 'decision');
      assert.deepEqual(
        refusals.map((r) => [r.actor, r.event, r.result, r.region, r.data!.targets]),
        [
          ['alice', 'deny', 'denied', 'ap-guangzhou', ['web-1']],
          ['alice', 'deny', 'denied', 'ap-guangzhou', ['ins-0az3fxo9']],
        ],
      );
      assert.match(refusals[0]!.detail!, /not here/);
    }
  });

  it('a secret is never recorded: a secret parameter is refused unrecorded, a secret value in a filter masked', async () => {
    const engine = open(ON);
    const before = (await records()).length;
    const refused = expectKind(
      await engine.run(
        [
          'call',
          'cvm',
          'InquiryPriceRunInstances',
          '--LoginSettings.Password',
          'Hunter2-Hunter2',
          '--ImageId',
          'img-1',
        ],
        alice,
      ),
      'error',
    );
    assert.equal((refused.error as InputError).code, 'SecretInCommand');
    assert.equal((await records()).length, before, 'refused before anything is recorded or sent');
    assert.ok(!sent().includes('InquiryPriceRunInstances'));
    // A value that is a known secret (the cloud key pasted into a filter by mistake) is masked in the record.
    const key = 'pasted-Secret-Key-0123456789';
    registerSecret(key);
    expectKind(
      await engine.run(
        ['call', 'cvm', 'DescribeInstances', '--Filters.0.Name', 'instance-name', '--Filters.0.Values.0', key],
        alice,
      ),
      'detail',
    );
    const log = readFileSync(join(cloud.storeDir, 'audit.jsonl'), 'utf8');
    assert.ok(!log.includes(key) && !log.includes('Hunter2'));
    assert.match(log, /\*{16}6789/);
  });

  it('a dry run says the read would be recorded, and records no read', async () => {
    const engine = open(ON);
    const before = (await records()).length;
    const dry = expectKind(await engine.run('cvm instances --dry-run', alice), 'dry-run');
    assert.equal(dry.decision, 'allow: runs at once, and is recorded in the audit log');
    assert.deepEqual(
      (await records()).slice(before).map((r) => r.kind),
      ['request'],
    );
    const off = expectKind(await cloud.engine.run('cvm instances --dry-run', alice), 'dry-run');
    assert.equal(off.decision, 'allow: runs at once');
  });
});

describe('commands/engine: explain', function () {
  this.timeout(60_000);
  let cloud: Cloud;

  beforeEach(async () => {
    cloud = await startCloud();
  });
  afterEach(async () => {
    await cloud.close();
  });

  it('plans and decides for the subject, runs nothing, and records the caller', async () => {
    const before = cloud.emulator.requests().length;
    const { plan, decision } = await cloud.engine.explain('cvm stop web-1', alice, {
      actor: { id: 'ＢＯＢ' },
      surface: 'cli',
    });
    assert.match(plan?.summary ?? '', /^Stop 1 instance/);
    assert.ok(decision.kind);
    const sent = cloud.emulator.requests().slice(before);
    assert.deepEqual(
      sent.filter((r) => !r.action.startsWith('Describe')),
      [],
      'only reads',
    );
    const [record] = (await readAudit(cloud.store)).filter((r) => r.event === 'policy explain');
    assert.equal(record?.actor, 'alice', 'the caller, not the subject');
    assert.match(record?.detail ?? '', /^for BOB on cli: /, 'the subject normalized (full-width letters folded)');
  });

  it('refuses a subject or caller it could not record, and a closed engine; nothing is written', async () => {
    const before = (await readAudit(cloud.store)).length;
    await assert.rejects(
      cloud.engine.explain('cvm instances', alice, { actor: { id: 'bob\u001b[2J' }, surface: 'cli' }),
      (error: InputError) => error.code === 'InvalidParameter',
    );
    await assert.rejects(
      cloud.engine.explain('cvm instances', { actor: { id: 'al ice' }, surface: 'cli' }),
      (error: InputError) => error.code === 'InvalidParameter',
    );
    const engine = cloud.open();
    await engine.close();
    await assert.rejects(engine.explain('cvm instances', alice), /closed/);
    assert.equal((await readAudit(cloud.store)).length, before);
  });
});
