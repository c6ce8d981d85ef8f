/**
 * "Start Local Emulator": the TCE emulator inside the extension host, on loopback only, with the demo seed, so
 * the explorer can be tried with no cloud. It lives as long as the extension (or until Stop Local Emulator).
 */
import { DEMO_CREDENTIALS, startEmulator } from '@tceops/emulator';
import type { EmulatorSession } from './connection.ts';

export async function startLocalEmulator(): Promise<{ session: EmulatorSession; stop(): Promise<void> }> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  return {
    session: { endpoint: emulator.url, secretId: DEMO_CREDENTIALS.secretId, secretKey: DEMO_CREDENTIALS.secretKey },
    stop: () => emulator.stop(),
  };
}
