/**
 * `tceops bot`: read the Slack settings, open the engine, run until SIGINT/SIGTERM, then stop taking requests,
 * let running executions finish, and close. With no Slack settings it does nothing and says so: the caller
 * starts the local console instead (`slackMode(env) === 'none'`).
 */
import { redact, registerSecret, Sessions } from './core.ts';
import { createSlackApp, type SlackApp } from './app.ts';
import { readSlackConfig, slackMode } from './config.ts';
import type { Engine } from './core.ts';
import { createLog, type Level, type Log } from './logger.ts';
import type { KeyValue } from './tracker.ts';

export { slackMode };

export interface OpenedEngine {
  engine: Engine;
  /** Releases what opening the engine started (an embedded emulator, a store connection). */
  close?: () => Promise<void>;
  /** The engine's store (getValue/setValue/setValueIfAbsent), so approval messages are found after a restart. */
  kv?: KeyValue;
  /** One line about where commands go (e.g. "No cloud is configured: using an embedded emulator at …"). */
  banner?: string;
}

export interface RunBotOptions {
  /** Opens the command pipeline; by default core's engine on the configured cloud, or the emulator (pipeline.ts). */
  openEngine?: (env: NodeJS.ProcessEnv) => Promise<OpenedEngine>;
  log?: Log;
  /** Resolves when the bot should stop; defaults to the first SIGINT or SIGTERM. */
  until?: Promise<unknown>;
  /** Called once Slack is connected (tests use it). */
  onReady?: (bot: SlackApp, info: { port?: number }) => void;
}

/** Returns the exit code: 0 after a clean stop. Throws ConfigError for settings that cannot work. */
export async function runBot(env: NodeJS.ProcessEnv, options: RunBotOptions = {}): Promise<number> {
  const log = options.log ?? createLog({ level: (env.TCEOPS_LOG_LEVEL as Level | undefined) ?? 'info' });
  const config = readSlackConfig(env);
  if (!config) {
    log.info(
      'Slack is not configured: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)',
    );
    return 0;
  }
  for (const secret of [config.botToken, config.appToken, config.signingSecret]) registerSecret(secret);
  const opened = await (options.openEngine ?? (await import('./pipeline.ts')).openDefaultEngine)(env);
  if (opened.banner) log.info(opened.banner);
  const bot = createSlackApp({
    engine: opened.engine,
    mode: config.mode,
    botToken: config.botToken,
    appToken: config.appToken,
    signingSecret: config.signingSecret,
    apiUrl: config.apiUrl,
    approvalsChannel: config.approvalsChannel,
    kv: opened.kv,
    log,
    // Server mode: people sign in through Slack (/tce login) and send commands from the terminal and the editor.
    ...(opened.kv
      ? {
          sessions: new Sessions({ store: opened.kv, tokenTtlMs: config.tokenTtlMs }),
          admins: config.admins,
          streams: config.streams,
        }
      : {}),
  });
  try {
    const info = await bot.start({ port: config.port, host: env.HOST || undefined, apiPort: config.apiPort });
    log.info('tceops bot is running', {
      mode: config.mode,
      port: info.port,
      apiPort: info.apiPort,
      approvalsChannel: config.approvalsChannel,
    });
    options.onReady?.(bot, info);
    await (options.until ?? nextSignal());
    log.info('stopping: finishing running work');
    await bot.stop();
    await opened.engine.idle();
    return 0;
  } catch (error) {
    log.error('the bot stopped on an error', {
      error: error instanceof Error ? error : new Error(redact(String(error))),
    });
    throw error;
  } finally {
    await opened.engine.close();
    await opened.close?.();
  }
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
