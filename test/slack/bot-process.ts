/**
 * One bot process for the replica and crash tests: `tceops bot` (runBot) in HTTP mode on the real pipeline,
 * configured entirely from the environment (SLACK_*, PORT, HOST, TCEOPS_STORE, TEST_EMULATOR_URL). Prints
 * "ready <port>" once it listens; SIGTERM stops it cleanly, SIGKILL does not.
 */
import { runBot } from '../../packages/slack/src/bot.ts';
import { createLog } from '../../packages/slack/src/logger.ts';
import { openRealPipeline } from './real-pipeline.ts';

const env = process.env;
await runBot(env, {
  log: createLog({ level: 'warn', write: (line) => process.stderr.write(`${line}\n`) }),
  openEngine: async () => {
    const pipeline = await openRealPipeline({ store: env.TCEOPS_STORE!, emulatorUrl: env.TEST_EMULATOR_URL! });
    return { engine: pipeline.engine, kv: pipeline.store, close: () => pipeline.store.close() };
  },
  onReady: (_bot, info) => process.stdout.write(`ready ${info.port}\n`),
});
