/** Rename and Resize from the tree: the command text, bad input kept in the box, and the price and TCE's verdict in
 * the confirmation dialog. */
import '../support/setup.ts';
import assert from 'node:assert/strict';
import { runAction } from '../../src/actions/run.ts';
import type { Outcome } from '../../src/engine-port.ts';
import type { ResourceNode } from '../../src/tree/nodes.ts';
import { ExplorerProvider } from '../../src/tree/provider.ts';
import { windowPrompts } from '../../src/ui/prompts.ts';
import { fakeEngine, plan } from '../support/fake-engine.ts';
import { fakeCloud, fakeSource } from '../support/fake-source.ts';
import { answer, resetStub, shown, unusedAnswers } from '../support/vscode-stub.ts';

function instance(id: string, state: string): ResourceNode {
  return {
    type: 'resource',
    kind: 'instance',
    key: `c/ap-guangzhou/instances/instance:${id}`,
    region: 'ap-guangzhou',
    id,
    item: { InstanceId: id, InstanceName: `n-${id}`, InstanceState: state, InstanceType: 'S5.MEDIUM4' },
  };
}

function setup(onRun: (text: string) => Outcome) {
  const provider = new ExplorerProvider({
    connection: () => ({
      key: 'c',
      label: 'c',
      description: '',
      source: fakeSource(fakeCloud()),
      regions: [],
      pageSize: 100,
    }),
    pollIntervalMs: 1_000_000,
  });
  const { engine, calls } = fakeEngine(onRun);
  const log = { line() {}, show() {}, recent: () => [], dispose() {} };
  return {
    provider,
    calls,
    deps: { engine: async () => engine, actor: { id: 'alice' }, provider, log, ui: windowPrompts },
  };
}

describe('vscode actions: rename and resize', () => {
  beforeEach(resetStub);
  afterEach(() => assert.deepEqual(unusedAnswers(), []));

  it('resize: asks for the type, runs cvm resize, and the dialog shows the price before → after and TCE’s verdict', async () => {
    const priced = (text: string): Outcome => ({
      kind: 'confirm',
      planId: text,
      level: 'click',
      plan: plan(text, {
        action: 'ResetInstancesType',
        price: { currency: 'CNY', unit: 'hour', before: 0.21, after: 0.42, change: 0.21 },
        verdict: [
          { check: 'resize target', ok: true, detail: 'TCE allows n-ins-aaaaaaaa (ins-aaaaaaaa) to become S5.LARGE8' },
        ],
      }),
    });
    const { deps, calls, provider } = setup(priced);
    const node = instance('ins-aaaaaaaa', 'STOPPED');
    answer('s5 large');
    await runAction('tceops.instance.resize', node, undefined, deps);
    assert.equal(shown.find((s) => s.kind === 'input')!.validation, 'An instance type looks like S5.LARGE8');
    assert.equal(calls.length, 0, 'a bad type sends nothing');
    answer('S5.LARGE8', 'Resize');
    await runAction('tceops.instance.resize', node, undefined, deps);
    provider.dispose();
    assert.equal(calls[0]!.text, 'cvm resize ins-aaaaaaaa --type S5.LARGE8');
    const dialog = shown.find((s) => s.kind === 'warning' && s.options?.modal)!;
    assert.match(String(dialog.options!.detail), /Price: ¥0\.21\/h → ¥0\.42\/h \(\+¥0\.21\/h\)/);
    assert.match(String(dialog.options!.detail), /TCE: TCE allows .* to become S5\.LARGE8/);
  });

  it('rename: the name is quoted into the command; an empty or too long name is refused in the box', async () => {
    const { deps, calls, provider } = setup((text) => ({
      kind: 'confirm',
      planId: text,
      plan: plan(text),
      level: 'click',
    }));
    const node = instance('ins-bbbbbbbb', 'RUNNING');
    for (const bad of ['  ', 'x'.repeat(61)]) {
      answer(bad);
      await runAction('tceops.instance.rename', node, undefined, deps);
    }
    assert.deepEqual(
      shown.filter((s) => s.kind === 'input').map((i) => i.validation),
      ['Give a name', 'A name is at most 60 characters'],
    );
    assert.equal(calls.length, 0);
    answer('web "new" 1', 'Rename');
    await runAction('tceops.instance.rename', node, undefined, deps);
    provider.dispose();
    assert.equal(calls[0]!.text, 'cvm rename ins-bbbbbbbb "web \\"new\\" 1"');
  });
});
