import './support/setup.ts';
import assert from 'node:assert/strict';
import { checkSecretId, checkSecretKey, maskId, planConnection } from '../src/connection.ts';
import { createLog } from '../src/log.ts';
import { redact, registerSecret, registerSecretId } from '../src/redact.ts';
import { output } from './support/vscode-stub.ts';
import { readSettings } from '../src/settings.ts';
import { resetStub, settings } from './support/vscode-stub.ts';

function withSettings(values: Record<string, unknown>) {
  resetStub();
  for (const [key, value] of Object.entries(values)) settings[`tceops.${key}`] = value;
  return readSettings();
}

describe('vscode connection: where the explorer connects, with which keys', () => {
  afterEach(resetStub);

  it('prefers the local emulator, then Sign In keys, then the profile setting, then the environment', () => {
    const s = withSettings({ endpoint: 'https://api.tce.example.com', profile: 'ops' });
    const keys = { secretId: 'AKIDsignedin0001', secretKey: 'k'.repeat(32) };
    const emulator = { endpoint: 'http://127.0.0.1:4566', secretId: 'AKIDdemo', secretKey: 'demo-key' };
    assert.equal(planConnection(s, keys, emulator, {}).source, 'emulator');
    assert.equal(planConnection(s, keys, emulator, {}).client.endpoint, 'http://127.0.0.1:4566');
    const signedIn = planConnection(s, keys, undefined, {});
    assert.equal(signedIn.source, 'signed-in');
    assert.deepEqual(signedIn.client.credentials, keys);
    assert.equal(signedIn.client.endpoint, 'https://api.tce.example.com');
    assert.equal(signedIn.description, 'https://api.tce.example.com · signed in as AKID…0001');
    const profile = planConnection(s, undefined, undefined, {});
    assert.equal(profile.source, 'profile');
    assert.equal(profile.client.profile, 'ops');
    assert.equal(profile.client.credentials, undefined);
    assert.equal(planConnection(withSettings({}), undefined, undefined, {}).source, 'environment');
  });

  it("passes the domain setting to the core as TCE_DOMAIN, over the environment's", () => {
    const plan = planConnection(withSettings({ domain: 'tce.example.com' }), undefined, undefined, {
      TCE_DOMAIN: 'other.example.com',
    });
    assert.equal(plan.client.env.TCE_DOMAIN, 'tce.example.com');
    assert.equal(plan.description, '*.tce.example.com');
  });

  it('gives each connection its own key, so switching never reuses nodes', () => {
    const a = planConnection(withSettings({ endpoint: 'https://a.example.com' }), undefined, undefined, {});
    const b = planConnection(withSettings({ endpoint: 'https://b.example.com' }), undefined, undefined, {});
    assert.notEqual(a.key, b.key);
  });

  it('never shows a whole SecretId, nor a SecretKey', () => {
    assert.equal(maskId('AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE'), 'AKID…MPLE');
    assert.equal(maskId('short'), '****');
    const plan = planConnection(
      withSettings({}),
      { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' },
      undefined,
      {},
    );
    assert.ok(!plan.description.includes('Gu5t9x') && !plan.description.includes('z8krbsJ5'));
  });

  it('checks what Sign In is given', () => {
    assert.match(String(checkSecretId('')), /Enter the SecretId/);
    assert.match(String(checkSecretId('AKID with space')), /no spaces/);
    assert.equal(checkSecretId('AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE'), undefined);
    assert.match(String(checkSecretKey('')), /Enter the SecretKey/);
    assert.match(String(checkSecretKey('abc')), /too short/);
  });

  it('reads settings with bounds, and ignores junk in the region list', () => {
    const s = withSettings({ regions: [' ap-guangzhou ', '', 'ap-shanghai'], pageSize: 500, pollIntervalSeconds: 0 });
    assert.deepEqual(s.regions, ['ap-guangzhou', 'ap-shanghai']);
    assert.equal(s.pageSize, 100);
    assert.equal(s.pollIntervalMs, 1000);
    assert.deepEqual(withSettings({ regions: 'ap-guangzhou' }).regions, []);
  });

  it('redacts registered secrets and key=value secrets from log text', () => {
    registerSecret('Very-Secret-Key-123');
    assert.equal(redact('signed with Very-Secret-Key-123 at noon'), 'signed with **** at noon');
    assert.equal(redact('Password=hunter22 "SecretKey": "abc"'), 'Password=**** "SecretKey": "****"');
  });

  it('leaves prose alone: "the password prompt: cvm …" keeps its words (only assignments are secrets)', () => {
    assert.equal(
      redact('cancelled at the password prompt: cvm reset-password ins-1'),
      'cancelled at the password prompt: cvm reset-password ins-1',
    );
  });

  it('masks a SecretId everywhere: registered ones and AKID-shaped ones alike', () => {
    registerSecretId('LOCALID0123456789wxyz');
    assert.equal(redact('keys:LOCALID0123456789wxyz@x'), 'keys:LOCA…wxyz@x');
    assert.equal(redact('loaded keys: AKIDabcdefghijklmnop1234@host'), 'loaded keys: AKID…1234@host');
  });

  it('writes log lines inert: a newline or ESC in a name cannot forge or recolour a line', () => {
    const log = createLog('TCE-inert-test');
    log.line('stopped web-1\n[2026-01-01T00:00:00.000Z] approved by admin\x1b[2K');
    const [line] = output['TCE-inert-test']!;
    assert.match(line!, /stopped web-1\\n\[2026-01-01T00:00:00\.000Z\] approved by admin\\e\[2K$/);
    log.dispose();
  });
});
