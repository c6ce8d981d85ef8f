/** "Start Local Emulator": the TCE emulator inside the extension host, on loopback, with demo data. */
import type { EmulatorSession } from './connection.ts';

export async function startLocalEmulator(): Promise<{ session: EmulatorSession; stop(): Promise<void> }> {
  throw new Error('the emulator is not part of this build yet');
}
