/**
 * The one place HTTP is configured: keep-alive, the deployment's CA bundle (TCE_CA_FILE) and proxies, all set on
 * the `agent`. Requests go through node:http directly: measured on loopback it costs half of what node-fetch does
 * per call, and a TCE call needs nothing from fetch but a status and a body.
 */
import http from 'node:http';
import https from 'node:https';
import type { HttpsProxyAgent } from 'https-proxy-agent';
import { caBundle } from '../config/ca.ts';
import { MAX_RESPONSE_BYTES, readBody } from './body.ts';

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
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  env?: NodeJS.ProcessEnv;
  /** Sockets per host; TCE's per-action limits make more than this pointless. */
  maxSockets?: number;
  /** The largest body read from one response (see body.ts). */
  maxResponseBytes?: number;
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
  const targets = new Map<string, { url: URL; secure: boolean; agent: http.Agent }>();
  function targetOf(url: string) {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { url: parsed, secure: parsed.protocol === 'https:', agent: agentFor(parsed) };
      if (!parsed.search) {
        if (targets.size >= 64) targets.clear();
        targets.set(url, target);
      }
    }
    return target;
  }

  // The deadline and the caller's signal are watched here with one timer and one listener, rather than through an
  // AbortSignal handed to node:http: that costs a controller, a signal and their listeners on every call.
  async function send(url: string, init: RequestInit): Promise<Response> {
    if (proxyReady) await proxyReady;
    const target = targetOf(url);
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
              resolve({ status, text: async () => body });
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
      httpAgent.destroy();
      httpsAgent.destroy();
      for (const agent of proxyAgents.values()) agent.destroy();
    },
  };
}
