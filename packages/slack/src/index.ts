export { createSlackApp, DEFAULT_RETRY, type SlackApp, type SlackAppOptions } from './app.ts';
export { type OpenedEngine, type RunBotOptions, runBot } from './bot.ts';
export { readSlackConfig, type SlackConfig, type SlackMode, slackMode } from './config.ts';
export { createLog, type Log } from './logger.ts';
export { createMetrics, type SlackMetrics } from './metrics.ts';
