/**
 * The Slack app on the real pipeline, fresh for each test (the flows terminate instances): the emulator, a file
 * store in a new folder, core's engine on them, and the harness. `close` stops it all, first checking that every
 * change the bot made is in the audit log, naming the Slack user, the surface, the plan and RequestIds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertEveryChangeAuditedIn } from '../support/audited.ts';
import { type Harness, startHarness } from './harness.ts';
import { openRealPipeline, type RealPipeline, startEmulator } from './real-pipeline.ts';

export interface RealSlack {
  emulator: Awaited<ReturnType<typeof startEmulator>>;
  pipeline: RealPipeline;
  h: Harness;
  close(): Promise<void>;
}

export async function startRealSlack(): Promise<RealSlack> {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'tceops-slack-'));
  const pipeline = await openRealPipeline({ store: `file:${dir}`, emulatorUrl: emulator.url });
  const h = await startHarness(pipeline.engine, { kv: pipeline.store });
  return {
    emulator,
    pipeline,
    h,
    async close() {
      await h.close();
      await pipeline.close();
      try {
        await assertEveryChangeAuditedIn(emulator.url, `file:${dir}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await emulator.stop();
      }
    },
  };
}
