/**
 * Every tree action's command text is one the core grammar accepts and can plan: each is dry-run through the
 * real engine against the emulator's demo data, on a node of the right kind and state.
 */
import './support/setup.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '../../core/src/index.ts';
import { DEMO_CREDENTIALS, type RunningEmulator, startEmulator } from '../../emulator/src/index.ts';
import { ACTIONS, appliesTo, type Inputs } from '../src/actions/definitions.ts';
import { policedReads } from '../../core/src/commands/policed-reads.ts';
import { createClientSource } from '../src/data/source.ts';
import type { EnginePort } from '../src/engine-port.ts';
import { createPipeline } from '../src/pipeline.ts';
import type { Node, ResourceNode } from '../src/tree/nodes.ts';
import { ExplorerProvider } from '../src/tree/provider.ts';

/** Answers an action would collect from the user. */
const INPUTS: Record<string, Inputs> = {
  'tceops.instance.stop': { stopType: 'SOFT' },
  'tceops.instance.createImage': { name: 'web golden image' },
  'tceops.instance.reinstall': { image: 'img-9qabwvbn' },
  'tceops.rule.add': { ip: '10.9.0.0/24', access: 'RW', priority: '20' },
  'tceops.instance.rename': { name: 'renamed web' },
  // The demo's stopped instance is a C5.LARGE8: TCE allows its own family only.
  'tceops.instance.resize': { type: 'C5.2XLARGE16' },
};

describe('vscode actions: every command text plans in the core grammar', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let engine: EnginePort;
  let provider: ExplorerProvider;
  let dir: string;
  const nodes: ResourceNode[] = [];

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    dir = mkdtempSync(path.join(tmpdir(), 'tceops-grammar-'));
    const clientOptions = { endpoint: emulator.url, credentials: { ...DEMO_CREDENTIALS, source: 'test' }, env: {} };
    engine = await createPipeline({ clientOptions, policyFile: '', store: `file:${dir}` });
    const client = createClient(clientOptions);
    provider = new ExplorerProvider({
      connection: () => ({
        key: 'g',
        label: 'g',
        description: '',
        source: createClientSource(async () =>
          policedReads(engine, client, { actor: { id: 'alice' }, surface: 'vscode' }),
        ),
        regions: ['ap-guangzhou'],
        pageSize: 100,
      }),
      pollIntervalMs: 60_000,
    });
    // Load the whole ap-guangzhou subtree.
    const walk = async (node?: Node) => {
      for (const child of await provider.getChildren(node)) {
        if (child.type === 'resource') nodes.push(child);
        if (child.type !== 'message' && child.type !== 'loadMore' && provider.getTreeItem(child).collapsibleState)
          await walk(child);
      }
    };
    await walk();
  });

  after(async () => {
    provider?.dispose();
    await engine?.close();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const action of ACTIONS) {
    it(`${action.command} plans`, async function () {
      const target = nodes.find((n) => appliesTo(action, n));
      if (!target) this.skip(); // the demo data has nothing in a state this action applies to
      const text = action.text([target!], INPUTS[action.command] ?? {});
      const outcome = await engine.run(
        text,
        { actor: { id: 'alice' }, surface: 'vscode', region: target!.region },
        { dryRun: true },
      );
      assert.equal(outcome.kind, 'dry-run', `${text}: ${JSON.stringify(outcome).slice(0, 400)}`);
    });
  }

  it('found nodes for nearly every action in the demo data', () => {
    const covered = ACTIONS.filter((a) => nodes.some((n) => appliesTo(a, n))).map((a) => a.command);
    assert.ok(covered.length >= ACTIONS.length - 2, `only ${covered.join(', ')}`);
  });
});
