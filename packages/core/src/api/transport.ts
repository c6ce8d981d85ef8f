/**
 * The one place HTTP is configured: keep-alive, the deployment's CA bundle (TCE_CA_FILE), proxies, deadlines and
 * the response cap. Two HTTP clients sit behind one `fetch`, chosen per process by what pays:
 * - node:http, always loaded: a one-shot command's few calls go through it (a TCE call needs nothing from fetch
 *   but a status and a body; node-fetch cost twice as much per call).
 * - undici's connection pool, loaded once a transport has sent POOL_AFTER requests (a bot, the extension, a
 *   console, a bulk job): a bare exchange costs a fifth to a third less CPU than node:http's on loopback, but the
 *   pool takes ~25 ms to load, which a command making a handful of calls would never earn back. Only its Pool is
 *   loaded, not undici's fetch and the rest (~90 ms).
 * Requests that go through a proxy stay on node:http and its proxy agent.
 */
import http from 'node:http';
import https from 'node:https';
import type { HttpsProxyAgent } from 'https-proxy-agent';
import type { Dispatcher, Pool } from 'undici';
import { caBundle } from '../config/ca.ts';
import { BodyTooLargeError, MAX_RESPONSE_BYTES, readBody } from './body.ts';

export interface RequestInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** A deadline for the whole exchange, answer read included: past it the request fails with a TimeoutError. */
  timeoutMs?: number;
}

/** No answer within the deadline. */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export interface Response {
  status: number;
  text(): Promise<string>;
  /** The text, when the answer was read whole before it was handed over: the caller need not wait for it again. */
  readonly body?: string;
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  env?: NodeJS.ProcessEnv;
  /** Sockets per host; TCE's per-action limits make more than this pointless. */
  maxSockets?: number;
  /** The largest body read from one response (see body.ts). */
  maxResponseBytes?: number;
  /**
   * Which HTTP client sends direct requests: 'auto' (node:http, then undici's pool once POOL_AFTER requests have
   * been sent), 'node', or 'undici' (from the first request: for a process known to live long).
   */
  http?: HttpClientChoice;
}

export type HttpClientChoice = 'auto' | 'node' | 'undici';

/** Requests a transport sends on node:http before 'auto' loads undici's pool for the ones after. */
export const POOL_AFTER = 32;

let poolClass: Promise<typeof Pool> | undefined;
/** undici's Pool alone (undici has no exports map; the package's index would load fetch, WebSocket and more). */
function loadPool(): Promise<typeof Pool> {
  poolClass ??= import('undici/lib/dispatcher/pool.js').then((module) => module.default);
  return poolClass;
}

export interface Transport {
  fetch: Fetch;
  close(): void;
}

/** NO_PROXY: comma-separated hosts or suffixes, "*" for all. Loopback never goes through a proxy. */
export function bypassesProxy(hostname: string, noProxy: string | undefined): boolean {
  if (hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]' || hostname === '::1')
    return true;
  if (!noProxy) return false;
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase().replace(/:\d+$/, ''))
    .filter(Boolean)
    .some(
      (entry) =>
        entry === '*' ||
        hostname === entry.replace(/^\./, '') ||
        hostname.endsWith(entry.startsWith('.') ? entry : `.${entry}`),
    );
}

export function createTransport(options: TransportOptions = {}): Transport {
  const env = options.env ?? process.env;
  const maxSockets = options.maxSockets ?? 50;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const ca = env.TCE_CA_FILE ? caBundle(env.TCE_CA_FILE) : undefined;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets, ca });
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  const noProxy = env.NO_PROXY ?? env.no_proxy;
  const proxyAgents = new Map<string, http.Agent>();
  // The proxy agent's module (and the debug logger it brings) is loaded only when a proxy is configured.
  let ProxyAgent: typeof HttpsProxyAgent | undefined;
  const proxyReady =
    httpsProxy || httpProxy
      ? import('https-proxy-agent').then((module) => {
          ProxyAgent = module.HttpsProxyAgent;
        })
      : undefined;
  proxyReady?.catch(() => {}); // reported by the first request that needs it

  function agentFor(url: URL): http.Agent {
    const secure = url.protocol === 'https:';
    const proxy = secure ? httpsProxy : httpProxy;
    if (proxy && !bypassesProxy(url.hostname, noProxy)) {
      let agent = proxyAgents.get(proxy);
      if (!agent) {
        agent = new ProxyAgent!(proxy, { keepAlive: true, ca });
        proxyAgents.set(proxy, agent);
      }
      return agent;
    }
    return secure ? httpsAgent : httpAgent;
  }

  // A request's URL parsed and its agent chosen once per URL: a client calls the same few endpoints all day (GET
  // URLs carry their signature, so they are not kept).
  interface Target {
    url: URL;
    secure: boolean;
    agent: http.Agent;
    /** No proxy in the way: undici's pool may carry it. */
    direct: boolean;
    /** Origin, and path and query, as undici's pool and dispatch take them. */
    origin: string;
    path: string;
  }
  const targets = new Map<string, Target>();
  function targetOf(url: string): Target {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      const agent = agentFor(parsed);
      target = {
        url: parsed,
        secure: parsed.protocol === 'https:',
        agent,
        direct: agent === httpAgent || agent === httpsAgent,
        origin: parsed.origin,
        path: `${parsed.pathname}${parsed.search}`,
      };
      if (!parsed.search) {
        if (targets.size >= 64) targets.clear();
        targets.set(url, target);
      }
    }
    return target;
  }

  // undici: one pool per origin, loaded as `http` says. `pools` stays empty until the class is here.
  const choice = options.http ?? 'auto';
  let PoolClass: typeof Pool | undefined;
  const pools = new Map<string, Pool>();
  let sent = 0;
  let closed = false;
  function countForPool(): void {
    if (choice !== 'auto' || ++sent !== POOL_AFTER) return;
    // Loaded in the background: requests go on through node:http until it is here, and for good if it fails.
    loadPool().then(
      (loaded) => {
        PoolClass = loaded;
      },
      () => {},
    );
  }
  const poolReady = choice === 'undici' ? loadPool().catch(() => undefined) : undefined;
  function poolFor(target: Target): Pool | undefined {
    if (!PoolClass || !target.direct || closed) return undefined;
    const { origin } = target;
    let pool = pools.get(origin);
    if (!pool) {
      pool = new PoolClass(origin, { connections: maxSockets, ...(ca && target.secure ? { connect: { ca } } : {}) });
      pools.set(origin, pool);
    }
    return pool;
  }

  function send(url: string, init: RequestInit): Promise<Response> {
    if (proxyReady || (poolReady && !PoolClass)) return sendOnceLoaded(url, init);
    if (!PoolClass) countForPool();
    const target = targetOf(url);
    const pool = poolFor(target);
    return pool ? sendPooled(pool, target, init) : sendNode(target, init);
  }

  async function sendOnceLoaded(url: string, init: RequestInit): Promise<Response> {
    if (proxyReady) await proxyReady;
    if (poolReady && !PoolClass) PoolClass = await poolReady;
    const target = targetOf(url);
    const pool = poolFor(target);
    return pool ? sendPooled(pool, target, init) : sendNode(target, init);
  }

  function sendPooled(pool: Pool, target: Target, init: RequestInit): Promise<Response> {
    return new Promise((resolve, reject) => {
      if (init.signal?.aborted) return reject(init.signal.reason);
      const exchange = new PooledExchange(resolve, reject, maxResponseBytes, init);
      try {
        pool.dispatch(
          { path: target.path, method: init.method, headers: init.headers, body: init.body ?? null },
          exchange,
        );
      } catch (error) {
        exchange.fail(error); // a header value node:http would refuse too (a CR or LF in it)
      }
    });
  }

  // The deadline and the caller's signal are watched here with one timer and one listener, rather than through an
  // AbortSignal handed to node:http: that costs a controller, a signal and their listeners on every call.
  function sendNode(target: Target, init: RequestInit): Promise<Response> {
    const { signal, timeoutMs } = init;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = () => {
        settled = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        settle();
        request.destroy();
        reject(error);
      };
      const onAbort = () => fail(signal!.reason);
      const request = (target.secure ? https : http).request(
        target.url,
        {
          method: init.method,
          headers:
            init.body === undefined
              ? init.headers
              : { ...init.headers, 'Content-Length': Buffer.byteLength(init.body) },
          agent: target.agent,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const declared = Number(response.headers['content-length']);
          readBody(response, { status, limit: maxResponseBytes, declaredLength: declared >= 0 ? declared : undefined })
            .then((body) => {
              if (settled) return;
              settle();
              resolve(new ReadResponse(status, body));
            })
            .catch((error) => {
              response.destroy();
              fail(error);
            });
        },
      );
      if (timeoutMs !== undefined) timer = setTimeout(() => fail(new TimeoutError(timeoutMs)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', fail);
      request.end(init.body);
    });
  }

  return {
    fetch: send,
    close() {
      closed = true;
      httpAgent.destroy();
      httpsAgent.destroy();
      for (const agent of proxyAgents.values()) agent.destroy();
      for (const pool of pools.values()) pool.destroy().catch(() => {});
      pools.clear();
    },
  };
}

/**
 * One request on undici's pool, read through the dispatch handler (no stream, no promise per chunk): the cap is
 * checked on the declared length and on every chunk, and the deadline and the caller's signal abort the exchange.
 * A class, not closures: nothing is built per call but the exchange itself.
 */
class PooledExchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly signal: AbortSignal | undefined;
  private settled = false;
  private status = 0;
  private size = 0;
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly resolve: (response: Response) => void,
    private readonly reject: (error: unknown) => void,
    private readonly limit: number,
    init: RequestInit,
  ) {
    this.signal = init.signal;
    if (init.timeoutMs !== undefined) this.timer = setTimeout(timedOut, init.timeoutMs, this, init.timeoutMs);
    this.signal?.addEventListener('abort', this, { once: true });
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    this.fail(this.signal!.reason);
  }

  fail(error: unknown): void {
    if (this.settle()) {
      this.controller?.abort(error as Error);
      this.reject(error);
    }
  }

  /** True the first time: the exchange is over, its timer and listener gone. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this);
    return true;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new Error('the request was given up'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHeaders): void {
    if (status < 200) return; // 1xx: the answer follows
    this.status = status;
    if (Number(headers['content-length']) > this.limit) this.fail(new BodyTooLargeError(status, this.limit));
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.limit) this.fail(new BodyTooLargeError(this.status, this.limit));
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (!this.settle()) return;
    const { chunks } = this;
    // One chunk (a page up to ~64 KB on loopback) is decoded where it lies, without a copy into a new buffer.
    const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, this.size).toString('utf8');
    this.resolve(new ReadResponse(this.status, body));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }
}

/** An answer already read whole (one class: no closure made per response). */
class ReadResponse implements Response {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {}

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }
}

type IncomingHeaders = Record<string, string | string[] | undefined>;

function timedOut(exchange: PooledExchange, ms: number): void {
  exchange.fail(new TimeoutError(ms));
}
