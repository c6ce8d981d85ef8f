/**
 * The extension signed in to a tceops server: sign-in by code (typed in Slack, here bound as Slack would), the
 * token in SecretStorage, the tree's reads and an action through the server's API as the Slack user — and the
 * editor never holds cloud keys.
 */
import './support/setup.ts';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  builtinPolicy,
  createApiHandler,
  createClient,
  createEngine,
  openStore,
  Sessions,
  type Store,
} from '@tceops/core';
import { DEMO_CREDENTIALS, startEmulator } from '@tceops/emulator';
import * as vscode from 'vscode';
import {
  connectToServer,
  openServerCloud,
  SERVER_TOKEN_KEY,
  SERVER_URL_KEY,
  signInToServer,
} from '../src/server/sign-in.ts';

function memorySecrets() {
  const data = new Map<string, string>();
  return {
    data,
    get: async (k: string) => data.get(k),
    store: async (k: string, v: string) => void data.set(k, v),
    delete: async (k: string) => void data.delete(k),
    onDidChange: () => ({ dispose() {} }),
  } as unknown as vscode.SecretStorage & { data: Map<string, string> };
}

describe('vscode: signed in to a tceops server', function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let server: Server;
  let url: string;
  let store: Store;
  let sessions: Sessions;
  let dir: string;
  let closeEngine: () => Promise<void>;

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    dir = mkdtempSync(path.join(tmpdir(), 'tceops-vscode-server-'));
    store = await openStore(`file:${dir}`, { key: { key: Buffer.from('v'.repeat(64)), source: 'test' } });
    const client = createClient({
      endpoint: emulator.url,
      region: 'ap-guangzhou',
      credentials: { ...DEMO_CREDENTIALS, source: 'the server' },
    });
    const engine = createEngine({ client, store, policy: builtinPolicy(), expireEveryMs: 0, wait: false });
    sessions = new Sessions({ store });
    server = createServer(createApiHandler({ engine, sessions }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeEngine = async () => {
      await engine.close();
      await store.close();
      client.close();
    };
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await closeEngine();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with the code typed in Slack and keeps the token in SecretStorage', async () => {
    const secrets = memorySecrets();
    let shownCode = '';
    const ui = {
      ...vscode,
      window: {
        ...vscode.window,
        showInputBox: async () => url,
        showInformationMessage: async (text: string) => {
          shownCode = /\/tce login (\S+)/.exec(text)?.[1] ?? '';
          // The person types it in Slack: the server binds it to their Slack user.
          await sessions.bindCode(shownCode, { id: 'UCAROL', org: 'T0001' });
          return undefined;
        },
        withProgress: (_o: unknown, task: (p: unknown, c: { isCancellationRequested: boolean }) => Promise<unknown>) =>
          task({ report() {} }, { isCancellationRequested: false }),
      },
    } as unknown as Parameters<typeof signInToServer>[0];
    const session = await signInToServer(ui, secrets, { pollMs: 20 });
    assert.match(shownCode, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    assert.equal(session?.server, url);
    assert.equal(secrets.data.get(SERVER_URL_KEY), url);
    assert.match(secrets.data.get(SERVER_TOKEN_KEY) ?? '', /^tceops_/);
    assert.equal((await sessions.authenticate(secrets.data.get(SERVER_TOKEN_KEY)))?.user.id, 'UCAROL');
  });

  it('reads the tree and asks for approval through the server, as the Slack user', async () => {
    const { token } = await sessions.issue({ id: 'UCAROL' }, 'VS Code');
    const cloud = openServerCloud({ server: url, token });
    const regions = await cloud.source.regions();
    assert.ok(regions.some((r) => r.Region === 'ap-guangzhou'));
    const page = await cloud.source.list('instances', 'ap-guangzhou', {
      offset: 0,
      limit: 100,
      filter: { state: 'STOPPED' },
    });
    assert.ok(page.items.length > 0);
    assert.ok(page.items.every((i) => i.InstanceState === 'STOPPED'));
    const target = page.items.find(
      (i) => !((i.Tags as { Key: string; Value: string }[]) ?? []).some((t) => /prod/i.test(t.Value)),
    );
    const engine = await cloud.engine();
    const outcome = await engine.run(`cvm terminate ${target!.InstanceId}`, {
      actor: { id: 'whoever-the-editor-says' },
      surface: 'vscode',
    });
    assert.equal(outcome.kind, 'approval');
    assert.equal(outcome.kind === 'approval' && outcome.approval.requester, 'UCAROL', 'the server decides who asked');
    const bad = openServerCloud({ server: url, token: 'tceops_revoked-or-unknown-0000000000000' });
    await assert.rejects(bad.source.regions(), /sign in again/);
  });
  it('connects as the Slack user the server names (whoami): that ID is the editor actor, with the name only shown', async () => {
    const { token } = await sessions.issue({ id: 'UCAROL', org: 'T0001', name: 'carol' }, 'VS Code');
    const secrets = memorySecrets();
    const { cloud, me } = await connectToServer({ server: url, token }, secrets);
    assert.deepEqual(me.user, { id: 'UCAROL', team: 'T0001', name: 'carol' });
    assert.equal(cloud.identity, 'carol (UCAROL, team T0001)');
    await cloud.close();
  });

  it('a revoked or expired sign-in does not connect: it says to sign in again and forgets the dead token', async () => {
    const revoked = await sessions.issue({ id: 'UCAROL' }, 'VS Code');
    await sessions.revokeToken(revoked.token);
    const expiring = new Sessions({ store, tokenTtlMs: 1 });
    const expired = await expiring.issue({ id: 'UCAROL' }, 'VS Code');
    await new Promise((r) => setTimeout(r, 5));
    for (const token of [revoked.token, expired.token]) {
      const secrets = memorySecrets();
      secrets.data.set(SERVER_URL_KEY, url);
      secrets.data.set(SERVER_TOKEN_KEY, token);
      await assert.rejects(
        connectToServer({ server: url, token }, secrets),
        /expired or was revoked: run "TCE: Sign In to a tceops Server" again/,
      );
      assert.equal(secrets.data.get(SERVER_TOKEN_KEY), undefined, 'the dead token is forgotten');
      assert.equal(secrets.data.get(SERVER_URL_KEY), url, 'the server is remembered for the next sign-in');
    }
  });

  it('a server that cannot be reached is not taken for a sign-out: the token is kept', async () => {
    const { token } = await sessions.issue({ id: 'UCAROL' }, 'VS Code');
    const secrets = memorySecrets();
    secrets.data.set(SERVER_TOKEN_KEY, token);
    await assert.rejects(connectToServer({ server: 'http://127.0.0.1:9', token }, secrets), /cannot reach/);
    assert.equal(secrets.data.get(SERVER_TOKEN_KEY), token);
  });
});
