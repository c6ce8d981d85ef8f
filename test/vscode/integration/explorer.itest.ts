/**
 * Inside a real extension host: the extension starts the local emulator, the tree lists the emulator's
 * instances, and a stop from the tree — modal answered — ends with the node STOPPED.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createClient } from '../../../packages/core/src/index.ts';
import { DEMO_CREDENTIALS } from '../../../packages/emulator/src/index.ts';
import type { TceopsApi } from '../../../packages/vscode/src/extension.ts';
import type { Node, ResourceNode } from '../../../packages/vscode/src/tree/nodes.ts';
import type { Prompts } from '../../../packages/vscode/src/ui/prompts.ts';
import { activateExtension, until } from './host.ts';

function label(api: TceopsApi, node: Node): string {
  return String(api.provider.getTreeItem(node).label);
}

async function child(api: TceopsApi, parent: Node | undefined, name: string): Promise<Node> {
  const nodes = await api.provider.getChildren(parent);
  const found = nodes.find((n) => label(api, n) === name);
  assert.ok(
    found,
    `no "${name}" under ${parent ? label(api, parent) : 'the root'}: ${nodes.map((n) => label(api, n)).join(', ')}`,
  );
  return found;
}

describe('TCE Explorer in a real extension host', () => {
  let api: TceopsApi;
  const asked: { kind: string; message: string; button?: string }[] = [];

  before(async () => {
    api = await activateExtension();
    const scripted: Prompts = {
      async confirm(message, _detail, button) {
        asked.push({ kind: 'confirm', message, button });
        return true;
      },
      async typed(_title, prompt) {
        asked.push({ kind: 'typed', message: prompt });
        return false;
      },
      async secret(title) {
        asked.push({ kind: 'secret', message: title });
        return undefined;
      },
      async input(title) {
        asked.push({ kind: 'input', message: title });
        return undefined;
      },
      async pick(title, choices) {
        asked.push({ kind: 'pick', message: title });
        return choices[0]!.value;
      },
    };
    api.setPrompts(scripted);
  });

  after(() => api?.setPrompts(undefined));

  it('starts the local emulator from its command and connects to it', async () => {
    await vscode.commands.executeCommand('tceops.startEmulator');
    await api.ready();
    const [connection] = await api.provider.getChildren();
    assert.equal(label(api, connection!), 'Local emulator');
    assert.match(String(api.provider.getTreeItem(connection!).description), /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  let instances: ResourceNode[] = [];

  it('lists the seeded instances under a region', async () => {
    const [connection] = await api.provider.getChildren();
    const regions = await api.provider.getChildren(connection);
    assert.ok(regions.length > 0, 'the emulator has regions');
    for (const region of regions) {
      const group = await child(api, region, 'Instances');
      const rows = await api.provider.getChildren(group);
      instances = rows.filter((n): n is ResourceNode => n.type === 'resource');
      if (instances.length) break;
    }
    assert.ok(instances.length > 0, 'some region has instances');
    // The same region, asked directly with the emulator's demo keys: the tree shows exactly its instances.
    const endpoint = String(api.provider.getTreeItem(connection!).description);
    const client = createClient({ endpoint, credentials: { ...DEMO_CREDENTIALS, source: 'test' }, env: {} });
    const direct = await client.call<{ InstanceSet: { InstanceId: string }[] }>(
      'cvm',
      'DescribeInstances',
      { Limit: 100 },
      { region: instances[0]!.region },
    );
    client.close();
    assert.deepEqual(instances.map((n) => n.id).sort(), direct.InstanceSet.map((i) => i.InstanceId).sort());
    for (const node of instances) {
      const item = api.provider.getTreeItem(node);
      assert.match(node.id, /^ins-[a-z0-9]{8}$/);
      assert.equal(item.contextValue, `tceops.instance.${String(node.item.InstanceState).toLowerCase()}`);
      assert.ok(String(item.description).startsWith(node.id));
    }
  });

  it('stops a running instance: the modal is answered, and the node becomes STOPPED', async () => {
    // Not one tagged env=production: the built-in policy sends those to approval by two people.
    const production = (n: ResourceNode) =>
      ((n.item.Tags ?? []) as { Key: string; Value: string }[]).some(
        (t) => t.Key === 'env' && t.Value === 'production',
      );
    const running = instances.find((n) => n.item.InstanceState === 'RUNNING' && !production(n));
    assert.ok(running, 'a RUNNING, non-production instance to stop');
    asked.length = 0;
    const settled = await vscode.commands.executeCommand<{ kind: string }[]>('tceops.instance.stop', running, [
      running,
    ]);
    assert.deepEqual(
      settled.map((s) => s.kind),
      ['done'],
      JSON.stringify(settled),
    );
    const confirm = asked.find((a) => a.kind === 'confirm');
    assert.ok(confirm, `a modal confirmation was asked: ${JSON.stringify(asked)}`);
    assert.equal(confirm.button, 'Stop');
    assert.ok(
      confirm.message.includes(running.id) || confirm.message.includes(String(running.item.InstanceName)),
      confirm.message,
    );
    await until('the instance to be STOPPED', () => running.item.InstanceState === 'STOPPED');
    assert.equal(api.provider.getTreeItem(running).contextValue, 'tceops.instance.stopped');
    assert.equal(api.provider.polling.has(running), false, 'polling stops once it settled');
  });

  it('opens Show Details as a read-only JSON document', async () => {
    const node = instances[0]!;
    await vscode.commands.executeCommand('tceops.showDetails', node);
    const editor = await until('the details editor', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.scheme, 'tceops');
    assert.equal(editor.document.languageId, 'json');
    assert.equal(JSON.parse(editor.document.getText()).InstanceId, node.id);
  });
});
