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
  settings,
  shown,
  unusedAnswers,
  window,
  workspace,
} from './support/vscode-stub.ts';
import { DEMO_CREDENTIALS, type RunningEmulator, startEmulator } from '../../emulator/src/index.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { createApiHandler, type Engine, Sessions } from '@tceops/core';
import { SERVER_TOKEN_KEY, SERVER_URL_KEY } from '../src/server/sign-in.ts';
import { plan } from './support/fake-engine.ts';
import { memoryKeyValue } from '../../../test/support/memory-store.ts';

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

  afterEach(async () => {
    await api.close();
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

  it('with no keys anywhere: no rows (the welcome view offers Sign In and the emulator), the reason in the status bar item', async () => {
    assert.deepEqual(await labels(), []);
    assert.equal(window.views['tceops.explorer']!.message, undefined, 'a view message would hide the welcome view');
    assert.match(api.status().tooltip, /not connected — no credentials/);
    assert.equal(contextKeys['tceops.noConnection'], true);
    assert.equal(contextKeys['tceops.signedIn'], false);
    assert.match(api.status().text, /TCE: not connected/);
    const welcome = manifest.contributes.viewsWelcome.find((w: { view: string }) => w.view === 'tceops.explorer');
    assert.equal(welcome.when, 'tceops.noConnection');
    assert.match(welcome.contents, /\(command:tceops\.signIn\)/);
    assert.match(welcome.contents, /\(command:tceops\.startEmulator\)/);
  });

  describe('Sign In against an emulator', () => {
    let emulator: RunningEmulator;
    beforeEach(async () => {
      emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
      settings['tceops.regions'] = ['ap-guangzhou'];
      await workspace.getConfiguration('tceops').update('endpoint', emulator.url);
      await api.ready();
    });
    afterEach(async () => {
      // The extension's client first (its keep-alive sockets), then the emulator.
      for (const d of context.subscriptions.splice(0)) d.dispose();
      await emulator.stop();
    });

    it('checks the keys with one read, keeps them in secret storage, logs "connected" once, never the key or the whole SecretId', async () => {
      answer(DEMO_CREDENTIALS.secretId, DEMO_CREDENTIALS.secretKey);
      const before = Object.values(output).flat().length;
      await commandHandlers.get('tceops.signIn')!();
      await api.ready();
      assert.equal(context.secrets.values.get('tceops.secretKey'), DEMO_CREDENTIALS.secretKey);
      const [connection] = await api.provider.getChildren();
      assert.equal(connection!.type, 'connection');
      assert.match(String(api.provider.getTreeItem(connection!).description), /signed in as AKID…ATOR/);
      assert.ok(!connection!.key.includes(DEMO_CREDENTIALS.secretId), 'the tree item ID does not carry the SecretId');
      assert.equal(contextKeys['tceops.signedIn'], true);
      assert.match(api.status().text, /TCE: 127\.0\.0\.1:\d+ · 1 region/);
      assert.match(api.status().tooltip, /Keys: AKID…ATOR/);
      await labels(connection);
      const logged = Object.values(output).flat().slice(before).join('\n');
      assert.equal(logged.match(/connected: /g)?.length, 1, logged);
      assert.match(logged, /keys AKID…ATOR from VS Code secret storage/);
      assert.ok(!logged.includes(DEMO_CREDENTIALS.secretKey));
      assert.ok(!logged.includes(DEMO_CREDENTIALS.secretId), logged);

      await commandHandlers.get('tceops.signOut')!();
      await api.ready();
      assert.equal(context.secrets.values.size, 0);
      assert.deepEqual(await labels(), []);
    });

    it('Retry on a cancelled load reloads the node and puts the focus back on it', async () => {
      answer(DEMO_CREDENTIALS.secretId, DEMO_CREDENTIALS.secretKey);
      await commandHandlers.get('tceops.signIn')!();
      await api.ready();
      const [connection] = await api.provider.getChildren();
      const [region] = await api.provider.getChildren(connection);
      const [group] = await api.provider.getChildren(region);
      const load = api.provider.getChildren(group);
      api.provider.cancelLoading();
      const [cancelled] = await load;
      const row = api.provider.getTreeItem(cancelled!);
      assert.equal(row.label, 'Loading cancelled — click to retry');
      assert.equal(row.command?.command, 'tceops.retry');
      await commandHandlers.get('tceops.retry')!(...(row.command?.arguments ?? []));
      assert.ok((await api.provider.getChildren(group)).some((n) => n.type === 'resource'));
      assert.deepEqual(window.views['tceops.explorer']!.revealed, [group]);
    });

    it('refuses a wrong key with the reason TCE gives, and stores nothing', async () => {
      answer(DEMO_CREDENTIALS.secretId, 'not-the-right-secret-key');
      await commandHandlers.get('tceops.signIn')!();
      assert.equal(context.secrets.values.size, 0);
      const error = shown.find((s) => s.kind === 'error');
      assert.match(String(error?.message), /^TCE refused these keys: AuthFailure/);
      assert.ok(!String(error?.message).includes('not-the-right-secret-key'));
    });
  });

  it('Sign In backs out without storing anything when the key is not given', async () => {
    answer('AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', undefined);
    await commandHandlers.get('tceops.signIn')!();
    assert.equal(context.secrets.values.size, 0);
  });

  it('uses a tccli profile named in settings', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(path.join(home, '.tccli'));
    writeFileSync(
      path.join(home, '.tccli', 'ops.credential'),
      JSON.stringify({ secretId: 'AKIDprofile00001', secretKey: 'profile-secret-key' }),
    );
    settings['tceops.endpoint'] = 'http://127.0.0.1:9';
    settings['tceops.regions'] = ['ap-guangzhou'];
    await workspace.getConfiguration('tceops').update('profile', 'ops');
    await api.ready();
    const [connection] = await api.provider.getChildren();
    assert.equal(String(api.provider.getTreeItem(connection!).label), 'TCE (profile ops)');
    assert.deepEqual(await labels(connection), ['ap-guangzhou']);
    assert.match(Object.values(output).flat().join('\n'), /keys AKID…0001 from profile ops/);
  });
  describe('signed in to a tceops server', () => {
    let server: Server;
    let url: string;
    const sessions = new Sessions({ store: memoryKeyValue() });
    const request = (id: string, requester: string) => ({
      id,
      state: 'pending',
      requester,
      plan: plan('cvm terminate ins-abcd1234'),
      approvers: [],
      needed: 1,
      eligible: ['*'],
      expiresAt: '2026-11-30T10:00:00Z',
    });
    // The server's store holds requests by the signed-in user, by someone else, and by this machine's OS user.
    const pending = [
      request('apr-alice', 'UALICE'),
      request('apr-bob', 'UBOB'),
      request('apr-os', userInfo().username),
    ];
    beforeEach(async () => {
      const engine = { listApprovals: async () => pending } as unknown as Engine;
      server = createServer(createApiHandler({ engine, sessions }));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(() => new Promise((r) => server.close(r)));

    it('acts as the Slack user the server names (not the OS user): my requests are never offered to me to decide; a revoked sign-in is forgotten', async () => {
      const revoked = await sessions.issue({ id: 'UALICE' }, 'VS Code');
      await sessions.revokeToken(revoked.token);
      await context.secrets.store(SERVER_URL_KEY, url);
      await context.secrets.store(SERVER_TOKEN_KEY, revoked.token);
      // Not connected yet: Refresh All tries to connect again.
      await commandHandlers.get('tceops.refresh')!();
      assert.match(api.status().tooltip, /expired or was revoked: run "TCE: Sign In to a tceops Server" again/);
      assert.equal(contextKeys['tceops.noConnection'], true);
      assert.equal(context.secrets.values.get(SERVER_TOKEN_KEY), undefined, 'the dead token is forgotten');

      const { token } = await sessions.issue({ id: 'UALICE', org: 'T0001', name: 'alice' }, 'VS Code');
      await context.secrets.store(SERVER_TOKEN_KEY, token);
      await commandHandlers.get('tceops.refresh')!();
      assert.equal(contextKeys['tceops.noConnection'], false);
      assert.match(api.status().tooltip, /Identity: alice \(UALICE, team T0001\)/);
      await api.approvals.reload();
      const { mine, decide } = api.approvals.listed();
      assert.deepEqual(
        mine.map((a) => a.id),
        ['apr-alice'],
      );
      assert.deepEqual(
        decide.map((a) => a.id),
        ['apr-bob', 'apr-os'],
        "the OS user's request is someone else's here",
      );
    });
  });
});
