/**
 * The Slack app, wired: Bolt in HTTP mode (signatures verified, /healthz and /metrics beside /slack/events) or
 * Socket Mode, the handlers, and the tracker that keeps approval and result messages current.
 * The engine comes from outside, so the same app runs on the real pipeline, or a fake one in tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, type webApi } from '@slack/bolt';
import { type ApiHandler, type ApiOptions, createApiHandler, type Engine, type Sessions } from './core.ts';
import { registerActions } from './handlers/actions.ts';
import { registerCommand } from './handlers/command.ts';
import type { Deps } from './handlers/deps.ts';
import { registerHome } from './handlers/home.ts';
import { announceOutcome } from './handlers/sessions.ts';
import { registerViews } from './handlers/views.ts';
import { registerLaunch } from './handlers/launch.ts';
import { GroupDirectory } from './identity.ts';
import { boltLogger, createLog, type Log } from './logger.ts';
import { createMetrics, type SlackMetrics } from './metrics.ts';
import { Pacer, type PaceOptions } from './pace.ts';
import { BoundedMap } from './serial.ts';
import { type KeyValue, Tracker } from './tracker.ts';

/** Production default: five retries over about half a minute (1, 2, 4, 8, 16 s with jitter), then logged and counted. */
export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 20_000,
  randomize: true,
};

export interface SlackAppOptions {
  engine: Engine;
  botToken: string;
  mode: 'http' | 'socket';
  signingSecret?: string;
  appToken?: string;
  /** Another Slack Web API base, ending in /api/. */
  apiUrl?: string;
  approvalsChannel?: string;
  log?: Log;
  metrics?: SlackMetrics;
  /** Retries of Slack Web API calls (chat.update and friends). */
  retry?: webApi.RetryOptions;
  /** Retries of response_url POSTs. */
  respondRetry?: { retries: number; minTimeoutMs: number };
  /** The slash command's name as configured in the app manifest. */
  command?: string;
  /** Shared storage (core's Store) for where approval messages are; without it, only this process knows. */
  kv?: KeyValue;
  /** Posting and update intervals (Slack's rates by default; tests shorten them). */
  /** Slack's intervals; `now` and `sleep` let tests run the pacing on a clock of their own. */
  pacing?: Pick<PaceOptions, 'postIntervalMs' | 'updateIntervalMs' | 'now' | 'sleep'>;
  /** How old a trigger_id may be before a modal is offered through a button instead (Slack allows 3 s). */
  triggerBudgetMs?: number;
  /** Server mode: sign-in through Slack and the API for the terminal and the extension (/api/v1/). */
  sessions?: Sessions;
  /** Slack user or user-group IDs who may revoke anyone's sign-in. */
  admins?: string[];
  /** Server mode: open progress and approval streams allowed per user and in all (core's stream-slots.ts). */
  streams?: ApiOptions['streams'];
}

export interface SlackApp {
  app: App;
  metrics: SlackMetrics;
  tracker: Tracker;
  /**
   * HTTP mode: listen on port/host (the API under /api/v1/ too). Socket Mode: connect, serve /healthz and /metrics
   * on port if given, and the API on apiPort if given.
   */
  start(listen?: { port?: number; host?: string; apiPort?: number }): Promise<{ port?: number; apiPort?: number }>;
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const log = options.log ?? createLog();
  const metrics = options.metrics ?? createMetrics();
  const logger = boltLogger(log.child({ component: 'bolt' }));
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: options.retry ?? DEFAULT_RETRY,
    logger,
  };
  let healthy = false;
  // The API handler is made once the handlers' dependencies exist (below); routes only refer to it.
  let api: ApiHandler | undefined;
  const apiRoute = (req: IncomingMessage, res: ServerResponse) =>
    api ? void api(req, res) : void res.writeHead(404).end();
  const routes: CustomRoute[] = [
    { path: '/healthz', method: 'GET', handler: (_req, res) => health(res, healthy) },
    { path: '/metrics', method: 'GET', handler: (_req, res) => sendMetrics(res, metrics) },
    ...(options.sessions
      ? [
          { path: '/api/v1/:a', method: ['GET', 'POST'], handler: apiRoute },
          { path: '/api/v1/:a/:b', method: ['GET', 'POST'], handler: apiRoute },
        ]
      : []),
  ];

  const app =
    options.mode === 'http'
      ? new App({
          receiver: new HTTPReceiver({
            signingSecret: requireValue(options.signingSecret, 'signingSecret'),
            customRoutes: routes,
            logger,
          }),
          token: options.botToken,
          clientOptions,
          logger,
          // Conversation state is not used; Bolt's default in-memory store costs time on every request.
          convoStore: false,
        })
      : new App({
          socketMode: true,
          appToken: requireValue(options.appToken, 'appToken'),
          token: options.botToken,
          clientOptions,
          // The Socket Mode client reads the API base (apps.connections.open) from here only.
          installerOptions: { clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {} },
          logger,
          convoStore: false,
        });

  const pace = new Pacer({
    ...options.pacing,
    kv: options.kv,
    onStoreError: (error) => log.warn('pacing: the shared store failed; pacing this process alone', { error }),
  });
  const tracker = new Tracker(app.client, log, metrics, options.kv, pace);
  const deps: Deps = {
    engine: options.engine,
    client: app.client,
    log,
    metrics,
    tracker,
    pace,
    groups: new GroupDirectory(app.client, log),
    approvalsChannel: options.approvalsChannel,
    plans: new BoundedMap(1000),
    running: new Set(),
    respondRetry: options.respondRetry ?? { retries: 3, minTimeoutMs: 500 },
    triggerBudgetMs: options.triggerBudgetMs ?? 2500,
    sessions: options.sessions,
    admins: options.admins ?? [],
    // In HTTP mode the server times the whole request (timeRequests); in Socket Mode the ack is a socket message.
    acked:
      options.mode === 'socket'
        ? (receivedAt) => metrics.ackSeconds.observe((performance.now() - receivedAt) / 1000, { transport: 'socket' })
        : () => {},
  };

  if (options.sessions)
    api = createApiHandler({
      engine: options.engine,
      sessions: options.sessions,
      onOutcome: (user, outcome) => announceOutcome(deps, user, outcome),
      onError: (error) => log.error('API request failed', { error }),
      onStreamRefused: ({ scope }) => metrics.apiStreamsRefused.inc({ scope }),
      ...(options.streams ? { streams: options.streams } : {}),
    });
  metrics.apiStreams.from(() => api?.openStreams() ?? 0);

  registerCommand(app, deps, options.command);
  registerActions(app, deps);
  registerViews(app, deps);
  registerLaunch(app, deps);
  registerHome(app, deps);
  app.error(async (error) => {
    metrics.errors.inc({ where: 'bolt' });
    log.error('unhandled error in a listener', { error });
  });

  const unsubscribe = [
    options.engine.onApprovalChange((a) => void tracker.approvalChanged(a)),
    options.engine.onProgress((e) => void tracker.progressed(e)),
  ];
  let sideServer: Server | undefined;
  let apiServer: Server | undefined;

  return {
    app,
    metrics,
    tracker,
    async start(listen = {}) {
      if (options.mode === 'http') {
        const server = (await app.start({ port: listen.port ?? 3000, host: listen.host })) as Server;
        timeRequests(server, metrics);
        healthy = true;
        return { port: (server.address() as AddressInfo).port };
      }
      await app.start();
      healthy = true;
      let apiPort: number | undefined;
      if (api && listen.apiPort !== undefined) {
        const handler = api;
        apiServer = createServer((req, res) => {
          if (new URL(req.url ?? '/', 'http://x').pathname.startsWith('/api/v1/')) void handler(req, res);
          else res.writeHead(404).end();
        });
        apiPort = await listenOn(apiServer, listen.apiPort, listen.host);
      }
      if (listen.port === undefined) return { apiPort };
      sideServer = createServer((req, res) => {
        const route = routes.find(
          (r) => r.path === new URL(req.url ?? '/', 'http://x').pathname && req.method === 'GET',
        );
        if (route) route.handler(req as never, res);
        else res.writeHead(404).end();
      });
      return { port: await listenOn(sideServer, listen.port, listen.host), apiPort };
    },
    async stop() {
      healthy = false;
      for (const off of unsubscribe) off();
      // Open streams would hold the servers' close open for as long as their clients stay.
      api?.endStreams();
      await app.stop();
      if (sideServer) await new Promise<void>((resolve) => sideServer!.close(() => resolve()));
      if (apiServer) await new Promise<void>((resolve) => apiServer!.close(() => resolve()));
      await tracker.idle();
    },
  };
}

function listenOn(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** HTTP mode: the acknowledgement is the HTTP response, so time every request from arrival to its last byte. */
function timeRequests(server: Server, metrics: SlackMetrics): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return;
    const started = performance.now();
    res.once('finish', () => {
      metrics.ackSeconds.observe((performance.now() - started) / 1000, {
        transport: 'http',
        status: String(res.statusCode),
      });
    });
  });
}

function health(res: ServerResponse, healthy: boolean): void {
  res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: healthy }));
}

function sendMetrics(res: ServerResponse, metrics: SlackMetrics): void {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
}

function requireValue(value: string | undefined, name: string): string {
  if (!value) throw new Error(`createSlackApp: ${name} is required in this mode`);
  return value;
}
