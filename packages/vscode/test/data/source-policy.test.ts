/**
 * The tree's reads obey the policy: a rule that denies reads from VS Code refuses the explorer's lists before
 * anything reaches the cloud, and the refusal is in the audit log; allowed reads are decided once a minute.
 */
import '../support/setup.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readAudit } from '../../../core/src/audit/log.ts';
import { createClient } from '../../../core/src/index.ts';
import { openStore } from '../../../core/src/store/open.ts';
import { DEMO_CREDENTIALS, type RunningEmulator, startEmulator } from '../../../emulator/src/index.ts';
import { policedReads } from '../../../core/src/commands/policed-reads.ts';
import { createClientSource } from '../../src/data/source.ts';
import type { EnginePort } from '../../src/engine-port.ts';
import { createPipeline } from '../../src/pipeline.ts';

const REGION = 'ap-guangzhou';

describe('vscode tree reads through the policy', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let engine: EnginePort | undefined;
  const clientOptions = () => ({
    endpoint: emulator.url,
    credentials: { ...DEMO_CREDENTIALS, source: 'test' },
    env: { TCEOPS_STORE_KEY: 'k'.repeat(40) },
  });

  async function sourceUnder(policy: string) {
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(policyFile, policy);
    engine = await createPipeline({ clientOptions: clientOptions(), policyFile, store: `file:${dir}/store` });
    const opened = engine;
    let dryRuns = 0;
    const counted: EnginePort = {
      ...opened,
      run: (text, ctx, options) => {
        if (options?.dryRun) dryRuns++;
        return opened.run(text, ctx, options);
      },
    };
    const source = createClientSource(async () =>
      policedReads(counted, createClient(clientOptions()), { actor: { id: 'alice' }, surface: 'vscode' }),
    );
    return { source, dryRuns: () => dryRuns };
  }

  async function describesSent(): Promise<number> {
    const response = await fetch(`${emulator.url}/_tce/requests?limit=1000`);
    const { requests } = (await response.json()) as { requests: { action: string }[] };
    return requests.filter((r) => r.action === 'DescribeInstances' || r.action === 'DescribeImages').length;
  }

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    dir = mkdtempSync(path.join(tmpdir(), 'tceops-source-policy-'));
  });

  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a rule denying reads from VS Code refuses the lists, sends nothing, and audits the refusal', async () => {
    const { source } = await sourceUnder(`version: 1
rules:
  - name: no-reads-from-the-editor
    match: { risk: read, surface: vscode }
    deny: "the editor may not browse this cloud"
`);
    const before = await describesSent();
    await assert.rejects(
      source.list('instances', REGION, { offset: 0, limit: 20 }),
      /policy does not allow this read \(cvm:DescribeInstances\).*the editor may not browse this cloud/,
    );
    await assert.rejects(source.instancesById(REGION, ['ins-00000001']), /the editor may not browse/);
    await assert.rejects(source.regions(), /cvm:DescribeRegions.*the editor may not browse/);
    await assert.rejects(source.list('images', REGION, { offset: 0, limit: 20 }), /cvm:DescribeImages/);
    assert.equal(await describesSent(), before, 'a denied read reached the cloud');
    const store = await openStore(`file:${dir}/store`, { env: { TCEOPS_STORE_KEY: 'k'.repeat(40) } });
    const records = await readAudit(store);
    const denials = records.filter((r) => r.kind === 'decision' && r.event === 'deny' && r.surface === 'vscode');
    assert.ok(denials.length >= 4, `expected the refusals in the audit log, saw ${denials.length}`);
    assert.ok(denials.every((r) => r.actor === 'alice'));
    await store.close();
  });

  it('a rule on one action denies only that read; allowed reads are decided once, not on every page', async () => {
    const { source, dryRuns } = await sourceUnder(`version: 1
rules:
  - name: no-images
    match: { action: "cvm:DescribeImages" }
    deny: "images are off"
`);
    assert.ok(
      (await source.regions()).some((r) => r.Region === REGION),
      'regions are read with no default region',
    );
    const first = await source.list('instances', REGION, { offset: 0, limit: 5 });
    assert.ok(first.items.length > 0);
    await source.list('instances', REGION, { offset: 5, limit: 5 });
    await source.instancesById(REGION, [String(first.items[0]!.InstanceId)]);
    assert.equal(dryRuns(), 2, 'regions once, and DescribeInstances in one region once a minute');
    await assert.rejects(source.list('images', REGION, { offset: 0, limit: 20 }), /images are off/);
  });
});
