/**
 * A tceops server's API without Slack, for terminal tests that need the real pipeline and waiters: the emulator
 * (demo seed, transitions scaled) as the cloud, the engine on a sealed file store holding the only cloud keys,
 * /api/v1/ on a loopback port, and a token issued to UALICE (as a sign-in through Slack would).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtinPolicy,
  createApiHandler,
  createClient,
  createEngine,
  type Engine,
  openStore,
  Sessions,
  type Store,
} from '@tceops/core';
import { DEMO_CREDENTIALS, startEmulator } from '@tceops/emulator';

export interface ApiServer {
  url: string;
  token: string;
  engine: Engine;
  store: Store;
  /** The store's folder: what the server keeps. */
  dir: string;
  emulatorUrl: string;
  /** RUNNING instances outside production (stopping one asks for a confirmation, not an approval). */
  running: string[];
  close(): Promise<void>;
}

export async function startApiServer(options: { timeScale: number; waitIntervalMs: number }): Promise<ApiServer> {
  const emulator = await startEmulator({ port: 0, seed: 'demo', timeScale: options.timeScale });
  const dir = mkdtempSync(join(tmpdir(), 'tceops-api-server-'));
  const client = createClient({ endpoint: emulator.url, region: 'ap-guangzhou', credentials: DEMO_CREDENTIALS });
  const store = await openStore(`file:${dir}`, { key: { key: Buffer.from('p'.repeat(64)), source: 'test' } });
  const engine = createEngine({
    client,
    store,
    policy: builtinPolicy(),
    expireEveryMs: 0,
    waitIntervalMs: options.waitIntervalMs,
  });
  const sessions = new Sessions({ store });
  const api = createApiHandler({ engine, sessions });
  const http = createServer((req, res) => void api(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const token = (await sessions.issue({ id: 'UALICE' }, 'terminal')).token;
  const listed = await client.call<{ InstanceSet: { InstanceId: string; Tags?: { Value: string }[] }[] }>(
    'cvm',
    'DescribeInstances',
    { Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }], Limit: 100 },
  );
  return {
    url: `http://127.0.0.1:${(http.address() as { port: number }).port}`,
    token,
    engine,
    store,
    dir,
    emulatorUrl: emulator.url,
    running: listed.InstanceSet.filter((i) => !(i.Tags ?? []).some((t) => t.Value === 'production')).map(
      (i) => i.InstanceId,
    ),
    async close() {
      await new Promise((resolve) => http.close(resolve));
      await engine.close();
      await store.close();
      client.close();
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
