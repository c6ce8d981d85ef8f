import './support/setup.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
function offered(contextValue: string): string[] {
  return itemMenu
    .filter((m) => !m.group?.startsWith('inline'))
    .filter((m) => evaluateWhen(m.when ?? '', { view: 'tceops.explorer', viewItem: contextValue }))
    .map((m) => m.command);
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
