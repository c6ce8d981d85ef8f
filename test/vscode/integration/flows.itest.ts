/**
 * Inside a real extension host, against an emulator of its own (as a deployment would be: an endpoint and
 * keys): Sign In checks the keys; the status bar names the connection; the top Refresh shows an out-of-band
 * stop; a mixed selection starts and stops what each applies to; an approval raised here stays in the
 * Approvals view until another person approves it elsewhere, then shows its final state; Connect via SSH
 * opens a terminal running ssh with the address and key; with the emulator down, rows say so. No output
 * line ever holds the whole SecretId.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { createClient, createEngine, openStore, policyFromEnv } from '../../../packages/core/src/index.ts';
import { DEMO_CREDENTIALS, type RunningEmulator, startEmulator } from '../../../packages/emulator/src/index.ts';
import type { TceopsApi } from '../../../packages/vscode/src/extension.ts';
import type { Node, ResourceNode } from '../../../packages/vscode/src/tree/nodes.ts';
import type { Prompts } from '../../../packages/vscode/src/ui/prompts.ts';
import { activateExtension, until } from './host.ts';

const REGION = 'ap-beijing';

/** Prompts answered from a queue, recording what was asked. */
function scripted(answers: (string | boolean | undefined)[], asked: string[]): Prompts {
  const next = (what: string) => {
    asked.push(what);
    if (answers.length === 0) throw new Error(`no scripted answer for ${what}`);
    return answers.shift();
  };
  return {
    confirm: async (message) => next(`confirm: ${message}`) === true,
    typed: async (_title, prompt, expected) => next(`typed: ${prompt}`) === expected,
    secret: async (title) => next(`secret: ${title}`) as string | undefined,
    input: async (title) => next(`input: ${title}`) as string | undefined,
    pick: async (title, choices) => {
      const answer = next(`pick: ${title}`);
      return choices.find((c) => c.value === answer || c.label === answer)?.value;
    },
  };
}

describe('TCE Explorer flows in a real extension host (own emulator)', () => {
  let api: TceopsApi;
  let emulator: RunningEmulator;
  let storeDir: string;
  const config = () => vscode.workspace.getConfiguration('tceops');
  const asked: string[] = [];
  const answers: (string | boolean | undefined)[] = [];
  const label = (n: Node) => String(api.provider.getTreeItem(n).label);

  async function instances(): Promise<ResourceNode[]> {
    const [connection] = await api.provider.getChildren();
    assert.equal(connection?.type, 'connection', `connected: ${connection ? label(connection) : 'no rows'}`);
    const regions = await api.provider.getChildren(connection);
    const region = regions.find((r) => label(r) === REGION);
    assert.ok(region, `${REGION} among ${regions.map(label).join(', ')}`);
    const groups = await api.provider.getChildren(region);
    const group = groups.find((g) => label(g) === 'Instances')!;
    return (await api.provider.getChildren(group)).filter((n): n is ResourceNode => n.type === 'resource');
  }
  const byName = async (name: string) => (await instances()).find((n) => n.item.InstanceName === name)!;
  const direct = () =>
    createClient({ endpoint: emulator.url, credentials: { ...DEMO_CREDENTIALS, source: 'test' }, env: {} });
  async function stateOf(id: string): Promise<string> {
    const client = direct();
    try {
      const r = await client.call<{ InstanceSet: { InstanceState: string }[] }>(
        'cvm',
        'DescribeInstances',
        { InstanceIds: [id] },
        { region: REGION },
      );
      return r.InstanceSet[0]?.InstanceState ?? 'GONE';
    } finally {
      client.close();
    }
  }

  before(async () => {
    api = await activateExtension();
    api.setPrompts(scripted(answers, asked));
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo', timeScale: 0.02 });
    storeDir = mkdtempSync(path.join(tmpdir(), 'tceops-itest-store-'));
    await config().update('store', `file:${storeDir}`, vscode.ConfigurationTarget.Global);
    await config().update('regions', [REGION], vscode.ConfigurationTarget.Global);
    await config().update('pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await config().update('endpoint', emulator.url, vscode.ConfigurationTarget.Global);
    await api.ready();
  });

  after(async () => {
    api.setPrompts(undefined);
    await vscode.commands.executeCommand('tceops.signOut');
    for (const key of ['store', 'regions', 'pollIntervalSeconds', 'endpoint', 'ssh.keyFiles'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await api.ready();
    await emulator?.stop();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('Sign In refuses a wrong key (nothing stored), accepts the right one, and the status bar names the connection', async () => {
    answers.push(DEMO_CREDENTIALS.secretId, 'a-wrong-secret-key');
    await vscode.commands.executeCommand('tceops.signIn');
    assert.match(api.status().text, /TCE: not connected/);
    answers.push(DEMO_CREDENTIALS.secretId, DEMO_CREDENTIALS.secretKey);
    await vscode.commands.executeCommand('tceops.signIn');
    await api.ready();
    const host = new URL(emulator.url).host;
    await until('the status bar to show the endpoint', () => api.status().text.includes(host));
    assert.equal(api.status().text, `$(cloud) TCE: ${host} · 1 region`);
    assert.match(api.status().tooltip, /Keys: AKID…ATOR/);
    const logged = api.logLines().join('\n');
    assert.match(logged, /sign in refused: AuthFailure/);
    assert.equal(logged.match(/connected: TCE/g)?.length, 1, logged);
  });

  it('keeps the region names after Choose Regions (Chinese names, drawn with a CJK font in the UI walk)', async () => {
    const [connection] = await api.provider.getChildren();
    const [region] = await api.provider.getChildren(connection);
    assert.equal(label(region!), REGION);
    assert.match(String(api.provider.getTreeItem(region!).description), /北京/);
  });

  it('the top Refresh, with an instance selected, shows a stop made out of band as STOPPED', async () => {
    const dev2 = await byName('dev-2');
    assert.equal(dev2.item.InstanceState, 'RUNNING');
    const client = direct();
    await client.call('cvm', 'StopInstances', { InstanceIds: [dev2.id] }, { region: REGION });
    client.close();
    await until('dev-2 to stop in the cloud', async () => (await stateOf(dev2.id)) === 'STOPPED');
    // VS Code passes the selected row to a view title command: the top Refresh must still reload everything.
    await vscode.commands.executeCommand('tceops.refresh', dev2, [dev2]);
    await api.ready();
    const fresh = await byName('dev-2');
    assert.equal(fresh.item.InstanceState, 'STOPPED');
    assert.equal(api.provider.getTreeItem(fresh).contextValue, 'tceops.instance.stopped');
    assert.match(String(api.provider.getTreeItem(fresh).description), /· STOPPED ·/);
  });

  it('a mixed selection: Start starts the stopped one and Stop stops the running one', async () => {
    const stopped = await byName('dev-2');
    const running = await byName('dev-1');
    assert.equal(running.item.InstanceState, 'RUNNING');
    answers.push(true);
    const started = await vscode.commands.executeCommand<{ kind: string }[]>('tceops.instance.start', running, [
      running,
      stopped,
    ]);
    assert.deepEqual(
      started.map((s) => s.kind),
      ['done'],
    );
    answers.push('SOFT', true);
    const halted = await vscode.commands.executeCommand<{ kind: string }[]>('tceops.instance.stop', stopped, [
      running,
      stopped,
    ]);
    assert.deepEqual(
      halted.map((s) => s.kind),
      ['done'],
    );
    await until(
      'dev-2 RUNNING and dev-1 STOPPED',
      async () => (await stateOf(stopped.id)) === 'RUNNING' && (await stateOf(running.id)) === 'STOPPED',
    );
    await until(
      'the rows to follow',
      () => stopped.item.InstanceState === 'RUNNING' && running.item.InstanceState === 'STOPPED',
    );
    await until('the end state in the log', () => api.logLines().some((l) => /Stop: dev-1 is STOPPED\./.test(l)));
  });

  it('an approval raised here stays in the Approvals view until approved elsewhere, then shows its final state', async () => {
    const dev3 = await byName('dev-3');
    const settled = await vscode.commands.executeCommand<{ kind: string; id?: string }[]>(
      'tceops.instance.terminate',
      dev3,
      [dev3],
    );
    assert.equal(settled[0]?.kind, 'approval', JSON.stringify(settled));
    const id = settled[0]!.id!;
    const mine = () => api.approvals.listed().mine.find((a) => a.id === id);
    assert.equal(mine()?.state, 'pending');
    await new Promise((r) => setTimeout(r, 2500)); // several polls later it is still there, still pending
    await api.approvals.reload();
    assert.equal(mine()?.state, 'pending');
    assert.equal(await stateOf(dev3.id), 'STOPPED', 'nothing ran before the approval');
    // Another person approves through another process's engine on the same store (as the terminal would).
    const store = await openStore(`file:${storeDir}`);
    const client = direct();
    const other = createEngine({ client, store, policy: policyFromEnv({}), expireEveryMs: 0 });
    const outcome = await other.approve(id, { actor: { id: 'alice' }, surface: 'cli' });
    assert.ok(outcome.kind === 'result' || outcome.kind === 'approval', JSON.stringify(outcome).slice(0, 300));
    await other.idle();
    await other.close();
    await store.close();
    client.close();
    const final = await until('the final state in the Approvals view', () => {
      const a = mine();
      return a && ['succeeded', 'failed'].includes(a.state) ? a : undefined;
    });
    assert.equal(final.state, 'succeeded');
    assert.deepEqual(final.approvers, ['alice']);
    await until('the final state in the log', () =>
      api.logLines().some((l) => l.includes(`approval ${id}: `) && /succeeded/.test(l)),
    );
  });

  it('Create Instance: the quick pick steps send cvm run through the pipeline; the new instance reaches RUNNING', async () => {
    const group = await (async () => {
      const [connection] = await api.provider.getChildren();
      const regions = await api.provider.getChildren(connection);
      const groups = await api.provider.getChildren(regions.find((r) => label(r) === REGION));
      return groups.find((g) => label(g) === 'Instances')!;
    })();
    // zone, type, image, key pair (none), name, the summary's Launch, the pipeline's confirmation.
    answers.push('ap-beijing-1', 'S5.MEDIUM4', 'img-9qabwvbn', '-', 'itest-launch', 'launch', true);
    const settled = await vscode.commands.executeCommand<{ kind: string }>('tceops.instance.create', group);
    assert.equal(settled.kind, 'done', JSON.stringify(settled));
    assert.equal(answers.length, 0, 'every step was asked');
    assert.ok(asked.some((a) => /^confirm: Launch instance "itest-launch"/.test(a)));
    assert.ok(
      api
        .logLines()
        .some((l) =>
          l.includes('cvm run --zone ap-beijing-1 --type S5.MEDIUM4 --image img-9qabwvbn --name itest-launch'),
        ),
    );
    await until('the end state in the log', () =>
      api.logLines().some((l) => /Create Instance: itest-launch is RUNNING\./.test(l)),
    );
    assert.equal((await byName('itest-launch')).item.InstanceState, 'RUNNING');
  });

  it('Connect via SSH opens a terminal running ssh with the address and the key pair’s key file; Copy SSH Command copies it', async () => {
    const running = (await instances()).find((n) => n.item.InstanceState === 'RUNNING')!;
    const keyId = (running.item.LoginSettings as { KeyIds: string[] }).KeyIds[0]!;
    const address = ((running.item.PublicIpAddresses as string[])[0] ??
      (running.item.PrivateIpAddresses as string[])[0])!;
    await config().update('ssh.keyFiles', { [keyId]: '/keys/tce-demo' }, vscode.ConfigurationTarget.Global);
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('tceops.instance.connectSsh', running);
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(options.shellPath, 'ssh');
    assert.deepEqual(options.shellArgs, ['-i', '/keys/tce-demo', '-o', 'IdentitiesOnly=yes', `root@${address}`]);
    assert.equal(terminal.name, `ssh root@${address}`);
    terminal.dispose();
    const text = await vscode.commands.executeCommand<string>('tceops.instance.copySshCommand', running);
    assert.equal(text, `ssh -i /keys/tce-demo -o IdentitiesOnly=yes root@${address}`);
    assert.equal(await vscode.env.clipboard.readText(), text);
  });

  it('with the emulator down, the top Refresh shows the error instead of stale RUNNING rows', async () => {
    const before = await instances();
    assert.ok(before.some((n) => n.item.InstanceState === 'RUNNING'));
    await emulator.stop();
    await vscode.commands.executeCommand('tceops.refresh');
    await api.ready();
    const [connection] = await api.provider.getChildren();
    const [region] = await api.provider.getChildren(connection);
    const groups = await api.provider.getChildren(region);
    const rows = await api.provider.getChildren(groups.find((g) => label(g) === 'Instances'));
    assert.equal(rows.length, 1);
    assert.match(label(rows[0]!), /^Could not load: /);
    assert.equal(api.provider.getTreeItem(rows[0]!).command?.command, 'tceops.retry');
    // A row refreshed on its own says its refresh failed.
    const old = before.find((n) => n.item.InstanceState === 'RUNNING')!;
    await vscode.commands.executeCommand('tceops.refreshItem', old);
    assert.match(String(api.provider.getTreeItem(old).description), /^refresh failed · /);
  });

  it('never wrote the whole SecretId (or the key) to the output channel', () => {
    const logged = api.logLines().join('\n');
    console.log(`tceops in-host timing: ${/activated in \d+ ms/.exec(logged)?.[0] ?? 'activation not logged'}`);
    assert.ok(logged.length > 0);
    assert.ok(!logged.includes(DEMO_CREDENTIALS.secretId), 'the whole SecretId is in the log');
    assert.ok(!logged.includes(DEMO_CREDENTIALS.secretKey), 'the SecretKey is in the log');
    assert.ok(!logged.includes('a-wrong-secret-key'), 'the wrong key is in the log');
    assert.match(logged, /AKID…ATOR/);
  });
});
