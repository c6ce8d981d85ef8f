import './support/setup.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { activate, type TceopsApi } from '../src/extension.ts';
import type { Node } from '../src/tree/nodes.ts';
import {
  answer,
  commandHandlers,
  contextKeys,
  memorySecrets,
  output,
  resetStub,
  unusedAnswers,
} from './support/vscode-stub.ts';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const ENV_KEYS = [
  'HOME',
  'TENCENTCLOUD_SECRET_ID',
  'TENCENTCLOUD_SECRET_KEY',
  'TCCLI_PROFILE',
  'TCE_ENDPOINT',
  'TCE_DOMAIN',
  'TCEOPS_STORE',
];

describe('vscode extension: activation and the connection commands', () => {
  let home: string;
  let saved: Record<string, string | undefined>;
  let api: TceopsApi;
  let context: {
    subscriptions: { dispose(): unknown }[];
    secrets: ReturnType<typeof memorySecrets>;
    globalStorageUri: { fsPath: string };
  };

  beforeEach(async () => {
    resetStub();
    saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    home = mkdtempSync(path.join(tmpdir(), 'tceops-vscode-'));
    for (const key of ENV_KEYS) delete process.env[key];
    process.env.HOME = home; // no ~/.tccli here: no credentials anywhere
    context = { subscriptions: [], secrets: memorySecrets(), globalStorageUri: { fsPath: path.join(home, 'storage') } };
    api = await activate(context as never);
    await api.ready();
  });

  afterEach(() => {
    for (const d of context.subscriptions) d.dispose();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(home, { recursive: true, force: true });
    assert.deepEqual(unusedAnswers(), []);
  });

  const labels = async (parent?: Node) =>
    (await api.provider.getChildren(parent)).map((n) => String(api.provider.getTreeItem(n).label));

  it('registers a handler for every command the manifest declares', () => {
    const declared: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
    const missing = declared.filter((c) => !commandHandlers.has(c));
    assert.deepEqual(missing, []);
  });

  it('with no keys anywhere, says why and offers Sign In and the emulator', async () => {
    const rows = await labels();
    assert.match(rows[0]!, /no credentials/);
    assert.deepEqual(rows.slice(1), ['Sign in with a SecretId and SecretKey', 'Start the local emulator']);
    assert.equal(contextKeys['tceops.noConnection'], true);
    assert.equal(contextKeys['tceops.signedIn'], false);
  });

  it('Sign In keeps the keys in secret storage, connects with them, and never logs the key', async () => {
    answer('AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE');
    await commandHandlers.get('tceops.signIn')!();
    await api.ready();
    assert.equal(context.secrets.values.get('tceops.secretKey'), 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE');
    const [connection] = await api.provider.getChildren();
    assert.equal(connection!.type, 'connection');
    assert.match(String(api.provider.getTreeItem(connection!).description), /signed in as AKID…MPLE/);
    assert.equal(contextKeys['tceops.signedIn'], true);
    const logged = Object.values(output).flat().join('\n');
    assert.match(logged, /keys from VS Code secret storage/);
    assert.ok(!logged.includes('Gu5t9xGARNpq86cd98joQYCN3EXAMPLE'));

    await commandHandlers.get('tceops.signOut')!();
    await api.ready();
    assert.equal(context.secrets.values.size, 0);
    assert.match((await labels())[0]!, /no credentials/);
  });

  it('Sign In backs out without storing anything when the key is not given', async () => {
    answer('AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', undefined);
    await commandHandlers.get('tceops.signIn')!();
    assert.equal(context.secrets.values.size, 0);
  });

  it('uses a tccli profile named in settings', async () => {
    const { settings } = await import('./support/vscode-stub.ts');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(path.join(home, '.tccli'));
    writeFileSync(
      path.join(home, '.tccli', 'ops.credential'),
      JSON.stringify({ secretId: 'AKIDprofile00001', secretKey: 'profile-secret-key' }),
    );
    settings['tceops.profile'] = 'ops';
    settings['tceops.endpoint'] = 'http://127.0.0.1:9';
    settings['tceops.regions'] = ['ap-guangzhou'];
    await commandHandlers.get('tceops.refresh')!();
    await api.ready();
    const [connection] = await api.provider.getChildren();
    assert.equal(String(api.provider.getTreeItem(connection!).label), 'TCE (profile ops)');
    assert.deepEqual(await labels(connection), ['ap-guangzhou']);
    assert.match(Object.values(output).flat().join('\n'), /keys from profile ops/);
  });
});
