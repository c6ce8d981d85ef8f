import './support/setup.ts';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALLOWED_FROM } from '../../core/src/commands/resources/instances.ts';
import { instanceLook, LOOKS } from '../src/tree/present.ts';
import { evaluateWhen } from './support/when.ts';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const itemMenu: MenuEntry[] = manifest.contributes.menus['view/item/context'];

/** What a right-click on a node with this contextValue offers (context menu, not inline). */
function offered(contextValue: string, keys: Record<string, unknown> = {}, view = 'tceops.explorer'): string[] {
  return itemMenu
    .filter((m) => !m.group?.startsWith('inline'))
    .filter((m) => evaluateWhen(m.when ?? '', { view, viewItem: contextValue, ...keys }))
    .map((m) => m.command);
}

/** A right-click on a selection of several: VS Code offers what the menu offers for every one of them. */
function offeredForAll(contextValues: string[]): string[] {
  const each = contextValues.map((v) => offered(v, { 'tceops.multiSelection': contextValues.length > 1 }));
  return [...new Set(each[0])].filter((c) => each.every((menu) => menu.includes(c)));
}

/** The extension's instance commands and the core verbs they run. */
const INSTANCE_COMMANDS: Record<string, string> = {
  'tceops.instance.start': 'start',
  'tceops.instance.stop': 'stop',
  'tceops.instance.reboot': 'reboot',
  'tceops.instance.terminate': 'terminate',
  'tceops.instance.resetPassword': 'reset-password',
  'tceops.instance.reinstall': 'reinstall',
  'tceops.instance.createImage': 'image create',
};

const STATES = [
  'PENDING',
  'LAUNCH_FAILED',
  'RUNNING',
  'STOPPED',
  'STARTING',
  'STOPPING',
  'REBOOTING',
  'SHUTDOWN',
  'TERMINATING',
];

describe('vscode manifest: menus offer only what the state allows', () => {
  for (const state of STATES) {
    it(`offers for a ${state} instance exactly the actions the core allows from ${state}`, () => {
      const menu = offered(instanceLook({ InstanceId: 'ins-1', InstanceState: state }).contextValue);
      const actions = Object.entries(INSTANCE_COMMANDS)
        .filter(([command]) => menu.includes(command))
        .map(([, verb]) => verb)
        .sort();
      const allowed = Object.entries(ALLOWED_FROM)
        .filter(([, states]) => states.includes(state))
        .map(([verb]) => verb)
        .sort();
      assert.deepEqual(actions, allowed);
      assert.ok(
        menu.includes('tceops.copyId') && menu.includes('tceops.showDetails'),
        'Copy ID and Show Details always',
      );
    });
  }

  it('offers Stop and Start (and Reboot) for a mixed selection of running and stopped instances, each once', () => {
    const mixed = offeredForAll(['tceops.instance.running', 'tceops.instance.stopped']);
    for (const command of ['tceops.instance.start', 'tceops.instance.stop', 'tceops.instance.reboot'])
      assert.ok(mixed.includes(command), `${command} in ${mixed.join(', ')}`);
    const single = offered('tceops.instance.running');
    assert.equal(single.filter((c) => c === 'tceops.instance.stop').length, 1, 'no duplicate entry');
    assert.ok(!single.includes('tceops.instance.start'), 'a single running instance is not offered Start');
    // Nothing to start or stop in a selection of instances that are mid-transition.
    const moving = offeredForAll(['tceops.instance.stopping', 'tceops.instance.starting']);
    assert.ok(!moving.includes('tceops.instance.start') && !moving.includes('tceops.instance.stop'));
  });

  it('offers Connect via SSH and Copy SSH Command on one running instance; Remote-SSH only when installed', () => {
    const running = offered('tceops.instance.running');
    assert.ok(running.includes('tceops.instance.connectSsh') && running.includes('tceops.instance.copySshCommand'));
    assert.ok(!running.includes('tceops.instance.openRemoteSsh'));
    assert.ok(
      offered('tceops.instance.running', { 'tceops.remoteSshInstalled': true }).includes(
        'tceops.instance.openRemoteSsh',
      ),
    );
    assert.ok(!offered('tceops.instance.stopped').includes('tceops.instance.connectSsh'));
    assert.ok(
      !offeredForAll(['tceops.instance.running', 'tceops.instance.running']).includes('tceops.instance.connectSsh'),
    );
  });

  it('offers Open Console beside the SSH entries on one running instance; Create on the Instances and File Systems nodes', () => {
    const entry = itemMenu.find((m) => m.command === 'tceops.instance.openConsole')!;
    assert.equal(entry.group, '0_connect@4');
    assert.ok(offered('tceops.instance.running').includes('tceops.instance.openConsole'));
    assert.ok(!offered('tceops.instance.stopped').includes('tceops.instance.openConsole'));
    assert.ok(
      !offeredForAll(['tceops.instance.running', 'tceops.instance.running']).includes('tceops.instance.openConsole'),
    );
    for (const group of ['tceops.group.instances', 'tceops.group.instances.filtered'])
      assert.deepEqual(
        offered(group).filter((c) => c.endsWith('.create')),
        ['tceops.instance.create'],
      );
    assert.deepEqual(
      offered('tceops.group.filesystems').filter((c) => c.endsWith('.create')),
      ['tceops.filesystem.create'],
    );
    assert.ok(!offered('tceops.group.images').some((c) => c.endsWith('.create')));
  });

  it('offers Approve and Deny on requests I may decide, Cancel on my own, nothing on closed ones', () => {
    const approvals = (v: string) => offered(v, {}, 'tceops.approvals');
    assert.deepEqual(
      approvals('tceops.approval.pending.decide').filter((c) => !c.endsWith('copyCommand')),
      ['tceops.approval.approve', 'tceops.approval.deny'],
    );
    assert.deepEqual(
      approvals('tceops.approval.pending.mine').filter((c) => !c.endsWith('copyCommand')),
      ['tceops.approval.cancel'],
    );
    assert.deepEqual(approvals('tceops.approval.succeeded.mine'), []);
    assert.deepEqual(
      approvals('tceops.approval.pending.decide').filter((c) => c.startsWith('tceops.instance')),
      [],
    );
  });

  it('has a welcome view for no connection, keybindings for refresh and filter, an icon, and "TCE" titles', () => {
    assert.equal(manifest.contributes.viewsWelcome[0].when, 'tceops.noConnection');
    const keys = manifest.contributes.keybindings.map((k: { command: string }) => k.command);
    assert.ok(keys.includes('tceops.refresh') && keys.includes('tceops.filter'));
    assert.equal(manifest.icon, 'media/icon.png');
    assert.ok(existsSync(path.join(__dirname, '..', manifest.icon)));
    assert.equal(manifest.contributes.configuration.title, 'TCE');
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'TCE', c.command);
    assert.ok(
      !JSON.stringify(manifest.contributes.walkthroughs).includes('`'),
      'walkthrough steps show no literal backticks',
    );
  });

  it('maps every instance verb the core knows to a command', () => {
    assert.deepEqual(Object.values(INSTANCE_COMMANDS).sort(), Object.keys(ALLOWED_FROM).sort());
  });

  it('puts destructive actions, and only those, in their own group', () => {
    const destructive = itemMenu
      .filter((m) => m.group?.startsWith('9_destructive'))
      .map((m) => m.command)
      .sort();
    assert.deepEqual(destructive, [
      'tceops.filesystem.delete',
      'tceops.image.delete',
      'tceops.instance.reinstall',
      'tceops.instance.terminate',
      'tceops.rule.delete',
    ]);
  });

  it('offers Delete Image only on custom images in NORMAL state', () => {
    const image = (type: string, state: string) =>
      offered(LOOKS.image({ ImageId: 'img-1', ImageType: type, ImageState: state }).contextValue);
    assert.ok(image('PRIVATE_IMAGE', 'NORMAL').includes('tceops.image.delete'));
    assert.ok(!image('PRIVATE_IMAGE', 'CREATING').includes('tceops.image.delete'));
    assert.ok(!image('SHARED_IMAGE', 'NORMAL').includes('tceops.image.delete'));
  });

  it('offers Delete File System except while it is being created or deleted', () => {
    const fs = (state: string) =>
      offered(LOOKS.filesystem({ FileSystemId: 'cfs-1', LifeCycleState: state }).contextValue);
    assert.ok(fs('available').includes('tceops.filesystem.delete'));
    assert.ok(!fs('creating').includes('tceops.filesystem.delete'));
    assert.ok(!fs('deleting').includes('tceops.filesystem.delete'));
  });

  it('starts stoppable migration jobs and stops running ones', () => {
    const job = (status: string) => offered(LOOKS.job({ JobId: 'job-1', Status: status }).contextValue);
    assert.deepEqual(
      job('RUNNING').filter((c) => c.startsWith('tceops.job.')),
      ['tceops.job.stop'],
    );
    assert.deepEqual(
      job('FAILED').filter((c) => c.startsWith('tceops.job.')),
      ['tceops.job.start'],
    );
    assert.deepEqual(
      job('SUCCESS').filter((c) => c.startsWith('tceops.job.')),
      [],
    );
  });

  it('adds rules on permission groups and deletes them on rules', () => {
    assert.ok(offered('tceops.pgroup').includes('tceops.rule.add'));
    assert.ok(offered('tceops.rule').includes('tceops.rule.delete'));
  });

  it('offers nothing on message and load-more rows', () => {
    assert.deepEqual(offered('tceops.message'), []);
    assert.deepEqual(offered('tceops.loadMore'), []);
  });

  it('declares every command it uses in a menu, and keeps node-only commands out of the palette', () => {
    const declared = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    for (const entry of [...itemMenu, ...manifest.contributes.menus['view/title']])
      assert.ok(declared.has(entry.command), entry.command);
    const hidden = new Set(
      manifest.contributes.menus.commandPalette
        .filter((m: MenuEntry) => m.when === 'false')
        .map((m: MenuEntry) => m.command),
    );
    for (const command of Object.keys(INSTANCE_COMMANDS)) assert.ok(hidden.has(command), `${command} needs a node`);
  });

  it('targets VS Code 1.100 (the newest code-server on Node 20) and a CommonJS bundle', () => {
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.type, undefined, 'type: module would make the host load dist/extension.js as ESM');
  });
});
