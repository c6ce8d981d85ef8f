/**
 * A surface's own reads (the VS Code tree) through the pipeline: only reads pass, in any spelling of the action;
 * each is decided by the policy first (refused ones audited, nothing sent); allowed decisions are kept a minute.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAudit } from '../../src/audit/log.ts';
import { type OpenedPipeline, openPipeline } from '../../src/commands/open.ts';
import { policedReads } from '../../src/commands/policed-reads.ts';
import { DEMO_CREDENTIALS, type RunningEmulator, startEmulator } from '../../../emulator/src/index.ts';

const ALICE = { actor: { id: 'alice' }, surface: 'vscode' as const };

describe('commands/policed-reads: a surface reads through the pipeline', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let opened: OpenedPipeline | undefined;

  async function open(policy?: string): Promise<OpenedPipeline> {
    let policyFile: string | undefined;
    if (policy) {
      policyFile = join(dir, 'policy.yaml');
      writeFileSync(policyFile, policy);
    }
    opened = await openPipeline({
      env: { HOME: dir },
      clientOptions: {
        endpoint: emulator.url,
        region: 'ap-guangzhou',
        credentials: { ...DEMO_CREDENTIALS, source: 'test' },
        env: {},
      },
      policyFile,
      store: `file:${join(dir, 'store')}`,
    });
    return opened;
  }
  const sent = () => emulator.requests().map((r) => r.action);

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    dir = mkdtempSync(join(tmpdir(), 'tceops-policed-'));
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads pass and are answered by the pipeline’s client', async () => {
    const { engine, client } = await open();
    const reads = policedReads(engine, client, ALICE);
    const page = await reads.call<{ InstanceSet: unknown[] }>('cvm', 'DescribeInstances', { Limit: 5 });
    assert.equal(page.InstanceSet.length, 5);
    const regions = await reads.call<{ RegionSet: unknown[] }>('cvm', 'DescribeRegions', {});
    assert.ok(regions.RegionSet.length > 0);
  });

  it('a change is refused in any spelling, before the policy is asked and before anything is sent', async () => {
    // Even under a policy that allows everything: the read client is no way around confirmations and approvals.
    const { engine, client } = await open(`version: 1
rules:
  - name: anything-goes
    match: {}
    allow: true
`);
    const reads = policedReads(engine, client, ALICE);
    const id = 'ins-0az3fxo9';
    for (const action of ['TerminateInstances', 'terminateinstances', 'TERMINATEINSTANCES'])
      await assert.rejects(reads.call('cvm', action, { InstanceIds: [id] }), /is not a read: the explorer only reads/);
    await assert.rejects(reads.call('cvm', 'ResetInstancesPassword', { InstanceIds: [id] }), /is not a read/);
    assert.deepEqual(sent(), []);
  });

  it('a denied read is refused and audited, and nothing is sent; an allowed decision is kept a minute', async () => {
    const { engine, client, store } = await open(`version: 1
rules:
  - name: no-images-from-the-editor
    match: { action: "cvm:DescribeImages", surface: vscode }
    deny: "images are not browsed from the editor"
`);
    let now = 0;
    let dryRuns = 0;
    const counted = {
      run: (words: string[], ctx: typeof ALICE, options: { dryRun: boolean }) => {
        dryRuns++;
        return engine.run(words, ctx, options);
      },
    };
    const reads = policedReads(counted, client, ALICE, () => now);
    await assert.rejects(
      reads.call('cvm', 'DescribeImages', {}),
      /policy does not allow this read \(cvm:DescribeImages\).*images are not browsed from the editor/,
    );
    assert.deepEqual(sent(), []);
    const audit = await readAudit(store);
    assert.ok(audit.some((r) => r.kind === 'decision' && r.actor === 'alice' && r.event === 'deny'));

    await reads.call('cvm', 'DescribeInstances', { Limit: 1 });
    await reads.call('cvm', 'DescribeInstances', { Limit: 2 });
    assert.equal(dryRuns, 2, 'the denied read, then one decision for both listings');
    now += 60_001;
    await reads.call('cvm', 'DescribeInstances', { Limit: 1 });
    assert.equal(dryRuns, 3, 'decided again after a minute');
  });

  it('auditReads on: each distinct read is recorded once a minute; the same read again (a poll) adds nothing', async () => {
    const { engine, client, store } = await open('version: 1\nauditReads: true\n');
    let now = 0;
    const reads = policedReads(engine, client, ALICE, () => now);
    const readRecords = async () => (await readAudit(store)).filter((r) => r.kind === 'read');
    const page = await reads.call<{ InstanceSet: { InstanceId: string }[] }>('cvm', 'DescribeInstances', { Limit: 2 });
    assert.equal(page.InstanceSet.length, 2, 'answered as the API answers');
    const id = page.InstanceSet[0]!.InstanceId;
    const polled = async () =>
      reads.call<{ InstanceSet: unknown[] }>(
        'cvm',
        'DescribeInstances',
        { InstanceIds: [id] },
        { region: 'ap-guangzhou' },
      );
    for (let tick = 0; tick < 3; tick++) assert.equal((await polled()).InstanceSet.length, 1);
    const regions = await reads.call<{ RegionSet: { Region: string }[]; RequestId: string }>(
      'cvm',
      'DescribeRegions',
      {},
    );
    assert.ok(regions.RegionSet.some((r) => r.Region === 'ap-guangzhou') && regions.RequestId);
    let records = await readRecords();
    assert.deepEqual(
      records.map((r) => [r.actor, r.surface, r.result, (r.data as { actions: string[] }).actions[0], r.data!.targets]),
      [
        ['alice', 'vscode', 'ok', 'cvm:DescribeInstances', undefined],
        ['alice', 'vscode', 'ok', 'cvm:DescribeInstances', [id]],
        ['alice', 'vscode', 'ok', 'cvm:DescribeRegions', undefined],
      ],
      'three polls of one instance are one record',
    );
    assert.equal(sent().filter((a) => a === 'DescribeInstances').length, 4, 'every poll is still sent');
    now += 60_001;
    await polled();
    records = await readRecords();
    assert.equal(records.length, 4, 'recorded again after a minute');
    assert.deepEqual(records[3]!.data!.targets, [id]);
  });

  it('auditReads off: the tree records no read, only its minute decisions', async () => {
    const { engine, client, store } = await open();
    const reads = policedReads(engine, client, ALICE);
    await reads.call('cvm', 'DescribeInstances', { Limit: 1 });
    await reads.call('cvm', 'DescribeInstances', { Limit: 1 });
    assert.deepEqual(
      (await readAudit(store)).map((r) => r.kind),
      ['request'],
    );
  });
});
