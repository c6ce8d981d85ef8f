import './support/setup.ts';
import assert from 'node:assert/strict';
import { connectionActions, statusView } from '../src/status.ts';

describe('vscode status bar: the connection at a glance', () => {
  it('names the emulator, the masked keys and the region count', () => {
    const view = statusView({
      connected: true,
      emulator: true,
      where: 'http://127.0.0.1:4566',
      identity: 'AKID…ATOR',
      regions: 3,
    });
    assert.equal(view.text, '$(beaker) TCE: emulator · 3 regions');
    assert.match(
      view.tooltip,
      /Local emulator \(demo data\) at http:\/\/127\.0\.0\.1:4566\nKeys: AKID…ATOR\nRegions shown: 3/,
    );
    assert.match(view.accessibility, /local emulator, keys AKID…ATOR, 3 regions/);
  });

  it('names the endpoint host otherwise, and says when there is no connection', () => {
    const view = statusView({
      connected: true,
      emulator: false,
      where: 'https://api.tce.example.com',
      identity: 'AKID…1234',
      regions: 1,
    });
    assert.equal(view.text, '$(cloud) TCE: api.tce.example.com · 1 region');
    const none = statusView({ connected: false, emulator: false, where: '', reason: 'no credentials' });
    assert.equal(none.text, '$(cloud) TCE: not connected');
    assert.ok(none.warning);
    assert.match(none.tooltip, /no credentials/);
  });

  it('names the tceops server when signed in to one', () => {
    const view = statusView({
      connected: true,
      emulator: false,
      server: true,
      where: 'https://tceops.example.com',
      identity: 'signed in through Slack',
      regions: 2,
    });
    assert.equal(view.text, '$(cloud) TCE: server tceops.example.com · 2 regions');
    assert.match(view.tooltip, /^tceops server: https:\/\/tceops\.example\.com\nIdentity: signed in through Slack/);
  });

  it('offers the actions that apply now', () => {
    const commands = (s: Parameters<typeof connectionActions>[0]) => connectionActions(s).map((a) => a.command);
    assert.ok(!commands({ connected: false, emulator: false, signedIn: false }).includes('tceops.signOut'));
    assert.ok(commands({ connected: true, emulator: true, signedIn: false }).includes('tceops.stopEmulator'));
    assert.ok(!commands({ connected: true, emulator: true, signedIn: false }).includes('tceops.startEmulator'));
  });
});
