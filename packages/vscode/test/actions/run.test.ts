import '../support/setup.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACTIONS, quote } from '../../src/actions/definitions.ts';
import { chooseTargets, reportEndState, runAction } from '../../src/actions/run.ts';
import type { Outcome } from '../../src/engine-port.ts';
import type { Node, ResourceNode } from '../../src/tree/nodes.ts';
import { ExplorerProvider } from '../../src/tree/provider.ts';
import { windowPrompts } from '../../src/ui/prompts.ts';
import { fakeEngine, plan } from '../support/fake-engine.ts';
import { fakeCloud, fakeSource } from '../support/fake-source.ts';
import { answer, ProgressLocation, resetStub, shown, unusedAnswers } from '../support/vscode-stub.ts';
import { memoryLog } from '../support/memory-log.ts';

function instance(id: string, state: string, region = 'ap-guangzhou'): ResourceNode {
  return {
    type: 'resource',
    kind: 'instance',
    key: `c/${region}/instances/instance:${id}`,
    region,
    id,
    item: { InstanceId: id, InstanceName: `n-${id}`, InstanceState: state },
  };
}

/** Every provider a test made, disposed after it (also when it fails): a provider left polling keeps mocha alive. */
const providers: ExplorerProvider[] = [];

function setup(onRun: (text: string) => Outcome) {
  const cloud = fakeCloud();
  const provider = new ExplorerProvider({
    connection: () => ({
      key: 'c',
      label: 'c',
      description: '',
      source: fakeSource(cloud),
      regions: [],
      pageSize: 100,
    }),
    pollIntervalMs: 1_000_000,
  });
  providers.push(provider);
  const { engine, calls } = fakeEngine(onRun);
  const log = memoryLog();
  return {
    provider,
    calls,
    log,
    deps: { engine: async () => engine, actor: { id: 'alice' }, provider, log, ui: windowPrompts },
  };
}

const confirmFor = (text: string): Outcome => ({ kind: 'confirm', planId: text, plan: plan(text), level: 'click' });

describe('vscode actions: from a tree click to a command', () => {
  beforeEach(resetStub);
  afterEach(() => {
    for (const provider of providers.splice(0)) provider.dispose();
    assert.deepEqual(unusedAnswers(), []);
  });

  it('stops the whole selection with the chosen stop type, leaving out what is not running', async () => {
    const { deps, calls, provider } = setup(confirmFor);
    const a = instance('ins-aaaaaaaa', 'RUNNING');
    const b = instance('ins-bbbbbbbb', 'RUNNING');
    const c = instance('ins-cccccccc', 'STOPPED');
    answer('Soft, then hard', 'Stop');
    const settled = await runAction('tceops.instance.stop', a, [a, b, c], deps);
    assert.deepEqual(
      settled.map((s) => s.kind),
      ['done'],
    );
    assert.equal(calls[0]!.text, 'cvm stop ins-aaaaaaaa ins-bbbbbbbb --stop-type SOFT_FIRST');
    assert.deepEqual(calls[0]!.ctx, { actor: { id: 'alice' }, surface: 'vscode', region: 'ap-guangzhou' });
    assert.match(
      shown.find((s) => s.kind === 'info' && /left out/.test(s.message))!.message,
      /^Stop applies to n-ins-aaaaaaaa, n-ins-bbbbbbbb; left out n-ins-cccccccc \(STOPPED\)\.$/,
    );
    assert.deepEqual(
      provider.polling.keys().sort(),
      [a.key, b.key],
      'the stopped instances are polled until they settle',
    );
  });

  it('acts on the clicked node alone when it is not part of the selection', () => {
    const stop = ACTIONS.find((x) => x.command === 'tceops.instance.stop')!;
    const a = instance('ins-aaaaaaaa', 'RUNNING');
    const b = instance('ins-bbbbbbbb', 'RUNNING');
    assert.deepEqual(chooseTargets(stop, a, [b]).targets, [a]);
    assert.deepEqual(chooseTargets(stop, a, undefined).targets, [a]);
    const reset = ACTIONS.find((x) => x.command === 'tceops.instance.resetPassword')!;
    assert.deepEqual(
      chooseTargets(reset, a, [a, b]).targets,
      [a],
      'single-target actions ignore the rest of the selection',
    );
  });

  it('sends nothing when the stop type is not chosen', async () => {
    const { deps, calls } = setup(confirmFor);
    answer(undefined);
    assert.deepEqual(await runAction('tceops.instance.stop', instance('ins-aaaaaaaa', 'RUNNING'), undefined, deps), [
      { kind: 'cancelled' },
    ]);
    assert.equal(calls.length, 0);
  });

  it('sends one command per region for a selection across regions', async () => {
    const { deps, calls } = setup(confirmFor);
    const a = instance('ins-aaaaaaaa', 'STOPPED', 'ap-guangzhou');
    const b = instance('ins-bbbbbbbb', 'STOPPED', 'ap-shanghai');
    answer('Start', 'Start');
    await runAction('tceops.instance.start', a, [a, b], deps);
    assert.deepEqual(
      calls.filter((x) => x.method === 'run').map((x) => [x.text, x.ctx.region]),
      [
        ['cvm start ins-aaaaaaaa', 'ap-guangzhou'],
        ['cvm start ins-bbbbbbbb', 'ap-shanghai'],
      ],
    );
  });

  it('refuses an action on a node whose state does not allow it, without calling the pipeline', async () => {
    const { deps, calls } = setup(confirmFor);
    const settled = await runAction('tceops.instance.start', instance('ins-aaaaaaaa', 'RUNNING'), undefined, deps);
    assert.deepEqual(settled, []);
    assert.equal(calls.length, 0);
    assert.match(shown[0]!.message, /Start does not apply to n-ins-aaaaaaaa \(RUNNING\)/);
  });

  it('shows an engine failure as an error with its code, not as a crash', async () => {
    const { deps } = setup(() => {
      throw Object.assign(new Error('no endpoint for cvm: set TCE_ENDPOINT or TCE_DOMAIN'), { code: 'ConfigError' });
    });
    const settled = await runAction('tceops.instance.reboot', instance('ins-aaaaaaaa', 'RUNNING'), undefined, deps);
    assert.equal(settled[0]!.kind, 'error');
    assert.match(shown.find((s) => s.kind === 'error')!.message, /no endpoint for cvm/);
  });

  it('builds the command text of every action', async () => {
    const pgroup: ResourceNode = {
      type: 'resource',
      kind: 'pgroup',
      key: 'p',
      region: 'r',
      id: 'pgroup-abcd1234',
      item: { PGroupId: 'pgroup-abcd1234' },
    };
    const rule: ResourceNode = {
      type: 'resource',
      kind: 'rule',
      key: 'r',
      region: 'r',
      id: 'rule-1',
      item: { RuleId: 'rule-1' },
      parent: pgroup,
    };
    const text = (command: string, nodes: Node[], inputs: Record<string, string> = {}) =>
      ACTIONS.find((a) => a.command === command)!.text(nodes as ResourceNode[], inputs);
    const i = instance('ins-aaaaaaaa', 'RUNNING');
    assert.equal(text('tceops.instance.reboot', [i]), 'cvm reboot ins-aaaaaaaa');
    assert.equal(text('tceops.instance.terminate', [i]), 'cvm terminate ins-aaaaaaaa');
    assert.equal(text('tceops.instance.resetPassword', [i]), 'cvm reset-password ins-aaaaaaaa');
    assert.equal(text('tceops.instance.reinstall', [i], { image: '' }), 'cvm reinstall ins-aaaaaaaa');
    assert.equal(
      text('tceops.instance.reinstall', [i], { image: 'img-abcd1234' }),
      'cvm reinstall ins-aaaaaaaa --image img-abcd1234',
    );
    assert.equal(
      text('tceops.instance.createImage', [i], { name: 'web "golden"' }),
      'cvm image create ins-aaaaaaaa --name "web \\"golden\\""',
    );
    assert.equal(
      text('tceops.rule.add', [pgroup], { ip: '10.0.0.0/24', access: 'RW', priority: '10' }),
      'cfs rule add pgroup-abcd1234 --ip 10.0.0.0/24 --access RW --priority 10',
    );
    assert.equal(text('tceops.rule.delete', [rule]), 'cfs rule delete pgroup-abcd1234 rule-1');
    assert.equal(quote('plain-name_1'), 'plain-name_1');
  });

  it('asks the rule fields in order and refuses a malformed IP', async () => {
    const { deps, calls } = setup(confirmFor);
    const pgroup: ResourceNode = {
      type: 'resource',
      kind: 'pgroup',
      key: 'p',
      region: 'ap-guangzhou',
      id: 'pgroup-abcd1234',
      item: { PGroupId: 'pgroup-abcd1234' },
    };
    answer('10.0.0.300/99');
    assert.deepEqual(await runAction('tceops.rule.add', pgroup, undefined, deps), [{ kind: 'cancelled' }]);
    assert.match(String(shown.find((s) => s.kind === 'input')!.validation), /IPv4 address/);
    answer('*', 'Read and write', '5', 'Add rule');
    await runAction('tceops.rule.add', pgroup, undefined, deps);
    assert.equal(calls[0]!.text, 'cfs rule add pgroup-abcd1234 --ip "*" --access RW --priority 5');
  });

  it('uses the same regex as the menu for every action', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const menu: { command: string; when: string; group: string }[] = manifest.contributes.menus['view/item/context'];
    for (const action of ACTIONS) {
      const entry = menu.find((m) => m.command === action.command && !m.group.startsWith('inline'));
      assert.ok(entry, `${action.command} has a context menu entry`);
      assert.ok(
        entry.when.endsWith(`viewItem =~ ${action.when}`),
        `${action.command}: ${entry.when} vs ${action.when}`,
      );
    }
  });

  it('a mixed selection: Start starts the stopped ones, Stop stops the running ones, each says what it left out', async () => {
    const { deps, calls } = setup(confirmFor);
    const running = instance('ins-aaaaaaaa', 'RUNNING');
    const stopped = instance('ins-cccccccc', 'STOPPED');
    answer('Start');
    await runAction('tceops.instance.start', running, [running, stopped], deps);
    answer('Soft', 'Stop');
    await runAction('tceops.instance.stop', stopped, [running, stopped], deps);
    assert.deepEqual(
      calls.filter((c) => c.method === 'run').map((c) => c.text),
      ['cvm start ins-cccccccc', 'cvm stop ins-aaaaaaaa --stop-type SOFT'],
    );
    const notes = shown.filter((s) => s.kind === 'info' && /left out/.test(s.message)).map((s) => s.message);
    assert.deepEqual(notes, [
      'Start applies to n-ins-cccccccc; left out n-ins-aaaaaaaa (RUNNING).',
      'Stop applies to n-ins-aaaaaaaa; left out n-ins-cccccccc (STOPPED).',
    ]);
  });

  it('a quick plan and send leave no notice behind: none for them, and none open once the stop has ended', async () => {
    const { deps } = setup(confirmFor);
    const a = instance('ins-dddddddd', 'RUNNING');
    answer('Soft, then hard', 'Stop');
    // An ID of its own: an earlier test's end report may still arrive, about its own rows.
    await runAction('tceops.instance.stop', a, undefined, deps);
    const deadline = Date.now() + 10_000;
    while (!shown.some((s) => s.kind === 'info' && /^Stop: n-ins-dddddddd is /.test(s.message))) {
      if (Date.now() > deadline) throw new Error(`no end state said: ${JSON.stringify(shown)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // VS Code keeps a notification at least 800 ms: one for a step of a few ms outlived it (and sat over the modal).
    const notices = shown.filter((s) => s.kind === 'progress' && s.options?.location === ProgressLocation.Notification);
    assert.deepEqual(
      notices.map((s) => s.message).filter((m) => /planning…$|^Stop…$/.test(m)),
      [],
    );
    assert.deepEqual(
      shown.filter((s) => s.kind === 'progress' && s.open).map((s) => s.message),
      [],
    );
  });

  it('polling fails while an instance is followed: the notice ends and says the end state could not be read', async () => {
    const { deps, provider } = setup(confirmFor);
    const node = instance('ins-aaaaaaaa', 'RUNNING');
    provider.polling.watch(node);
    const started = Date.now();
    const done = reportEndState(ACTIONS.find((a) => a.command === 'tceops.instance.stop')!, [node], {
      ...deps,
      settleTimeoutMs: 20_000,
    });
    // What a failed round does to a followed row (provider.pollFailed); polling itself keeps trying.
    node.error = 'cannot reach the tceops server';
    assert.equal(await done, 'Stop: could not read the end state of n-ins-aaaaaaaa (cannot reach the tceops server).');
    assert.ok(Date.now() - started < 5_000, 'not held until the 20 s deadline');
    assert.equal(shown.at(-1)!.kind, 'warning');
    assert.deepEqual(
      shown.filter((s) => s.kind === 'progress' && s.open),
      [],
    );
    provider.polling.forget(node);
  });

  it('reports where the instances ended, not merely that the action was sent', async () => {
    const { deps, provider } = setup(confirmFor);
    const node = instance('ins-aaaaaaaa', 'RUNNING');
    provider.polling.watch(node);
    const done = reportEndState(ACTIONS.find((a) => a.command === 'tceops.instance.stop')!, [node], deps);
    node.item = { ...node.item, InstanceState: 'STOPPED' };
    provider.polling.forget(node);
    assert.equal(await done, 'Stop: n-ins-aaaaaaaa is STOPPED.');
    assert.equal(shown.at(-1)!.message, 'Stop: n-ins-aaaaaaaa is STOPPED.');
  });

  it('a hostile name or state read back from the cloud reaches the end notice inert: no icon, link or control', async () => {
    const { deps, provider } = setup(confirmFor);
    const node = instance('ins-aaaaaaaa', 'RUNNING');
    node.item = { ...node.item, InstanceName: '[open](command:workbench.action.quit) $(alert)\u001b[2J' };
    provider.polling.watch(node);
    const done = reportEndState(ACTIONS.find((a) => a.command === 'tceops.instance.stop')!, [node], deps);
    node.item = { ...node.item, InstanceState: '$(check) STOPPED\u0007' };
    provider.polling.forget(node);
    const text = await done;
    assert.equal(shown.at(-1)!.message, text);
    assert.match(text, /^Stop: /);
    assert.doesNotMatch(text, /(^|[^\\])\$\(|\]\(/, 'no icon or link syntax');
    assert.deepEqual(
      [...text].filter((c) => c < ' '),
      [],
      'no control characters',
    );
  });
});
