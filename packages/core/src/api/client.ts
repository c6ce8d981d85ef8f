/**
 * `call(service, action, params)`: validate against the catalog, sign, send, retry when safe, pace to the
 * documented rate limit, and return the `Response` object — or throw a typed error. Nothing is sent when the
 * request does not match the docs.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { findAction, getServiceCatalog, riskOf } from '../catalog/index.ts';
import type { Action, ServiceCatalog } from '../catalog/types.ts';
import { responseProblem } from '../catalog/response.ts';
import { assertValid } from '../catalog/validate.ts';
import { type CredentialOptions, type Credentials, resolveCredentials } from '../config/credentials.ts';
import { resolveEndpoint } from '../config/endpoints.ts';
import { profileName, readProfileConfigure } from '../config/profiles.ts';
import { redact, registerSecret } from '../config/redact.ts';
import { inert } from '../inert.ts';
import { BodyTooLargeError, MAX_RESPONSE_BYTES } from './body.ts';
import { ApiError, HttpError, InputError, TceopsError, TransportError } from './errors.ts';
import { flattenParams } from './flatten.ts';
import { JsonLimitError, parseJson, stringifyJson } from './json.ts';
import { createRateLimiter, type RateLimiter, sleep } from './rate-limit.ts';
import { DEFAULT_RETRY, isRetryable, type RetryPolicy, retryDelay } from './retry.ts';
import { signTc3 } from './sign/tc3.ts';
import { rfc3986, signV1 } from './sign/v1.ts';
import {
  createTransport,
  type Fetch,
  type HttpClientChoice,
  type RequestInit,
  TimeoutError,
  type Transport,
} from './transport.ts';

export type SignMethod = 'TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1';
export type TceResponse<T = Record<string, unknown>> = T & { RequestId: string };

/** What a caller can watch: one event per attempt, with secrets already removed. */
export type ClientEvent =
  | { type: 'request'; service: string; action: string; attempt: number; url: string }
  | { type: 'response'; service: string; action: string; attempt: number; ms: number; requestId: string; code?: string }
  | { type: 'retry'; service: string; action: string; attempt: number; delayMs: number; reason: string };

export interface ClientOptions {
  region?: string;
  endpoint?: string;
  profile?: string;
  credentials?: Credentials | CredentialOptions;
  method?: 'GET' | 'POST';
  signMethod?: SignMethod;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Pace requests to the documented limits (default on). */
  rateLimit?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Replace the HTTP layer (tests, or an embedding that brings its own). */
  fetch?: Fetch;
  onEvent?: (event: ClientEvent) => void;
  /** Clock in seconds, for tests of expiry. */
  now?: () => number;
  /** The largest response body read (default 32 MiB); past it the call fails with an HttpError. */
  maxResponseBytes?: number;
  /** Which HTTP client carries the calls (see transport.ts): by default node:http, then undici's pool. */
  http?: HttpClientChoice;
}

export interface CallOptions {
  version?: string;
  region?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  method?: 'GET' | 'POST';
  signMethod?: SignMethod;
  /** Treat this call as safe to repeat even though it writes. */
  idempotent?: boolean;
}

export interface TceClient {
  call<T = Record<string, unknown>>(
    service: string,
    action: string,
    params?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<TceResponse<T>>;
  /** The region calls go to when none is given per call. */
  readonly region: string | undefined;
  close(): void;
}

const USER_AGENT = 'tceops/0.1';
const MAX_BODY = { GET: 32 * 1024, v1: 1024 * 1024, tc3: 10 * 1024 * 1024 };

interface PreparedRequest {
  url: string;
  init: RequestInit;
}

/** An endpoint as requests use it: the host signed, the path, and origin + path. */
interface Endpoint {
  host: string;
  path: string;
  base: string;
}

interface KnownAction {
  action: Action;
  catalog: ServiceCatalog;
  takesToken: boolean;
  /** A read: safe to repeat. */
  read: boolean;
}

export function createClient(options: ClientOptions = {}): TceClient {
  const env = options.env ?? process.env;
  const profile = profileName(options.profile, env);
  const configure = readProfileConfigure(profile, env);
  const region = options.region ?? env.TENCENTCLOUD_REGION ?? configure?.region;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const transport: Transport | undefined = options.fetch
    ? undefined
    : createTransport({ env, maxResponseBytes, http: options.http });
  const doFetch: Fetch = options.fetch ? withDeadline(options.fetch) : transport!.fetch;
  const limiter: RateLimiter | undefined = options.rateLimit === false ? undefined : createRateLimiter();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  let credentials: Credentials | undefined;

  function getCredentials(): Credentials {
    if (!credentials) {
      const given = options.credentials;
      credentials =
        given && 'source' in given
          ? given
          : resolveCredentials({ ...(given as CredentialOptions | undefined), profile: options.profile, env });
      // Keys handed over ready-made (an embedding, the extension) are masked in messages like resolved ones.
      registerSecret(credentials.secretKey);
      registerSecret(credentials.token);
    }
    return credentials;
  }

  // What a call needs to know of its action, looked up once per service, name and version asked for (keyed by the
  // caller's own strings: a key joined on every call would be hashed anew on every call).
  const actions = new Map<string, Map<string, KnownAction>>();
  function actionOf(service: string, name: string, version: string | undefined): KnownAction {
    let ofService = actions.get(service);
    if (!ofService) {
      ofService = new Map();
      actions.set(service, ofService);
    }
    const key = version === undefined ? name : `${name}\u0000${version}`;
    let known = ofService.get(key);
    if (!known) {
      const action = findAction(service, name, version);
      known = {
        action,
        catalog: getServiceCatalog(service, action.version),
        takesToken: action.input.some((p) => p.name === 'ClientToken'),
        read: riskOf(service, action.name) === 'read',
      };
      ofService.set(key, known);
    }
    return known;
  }

  // Where each action is called, worked out once: its sources (options, env, profile) do not change. Kept with the
  // service spelling it was worked out for, which the environment and profile lookups use.
  const endpoints = new WeakMap<Action, { service: string; endpoint: Endpoint }>();
  function endpointOf(service: string, action: Action): Endpoint {
    const known = endpoints.get(action);
    if (known?.service === service) return known.endpoint;
    const { url } = resolveEndpoint(service, {
      endpoint: options.endpoint,
      env,
      profileEndpoint: configure?.services[service]?.endpoint,
      documentedHost: action.host,
    });
    const endpoint = { host: url.host, path: url.pathname, base: `${url.origin}${url.pathname}` };
    endpoints.set(action, { service, endpoint });
    return endpoint;
  }

  function prepare(
    service: string,
    action: Action,
    params: Record<string, unknown>,
    callRegion: string | undefined,
    call: CallOptions,
    timeoutMs: number,
  ): PreparedRequest {
    const { signal } = call;
    const creds = getCredentials();
    const endpoint = endpointOf(service, action);
    const method = call.method ?? options.method ?? 'POST';
    const signMethod = call.signMethod ?? options.signMethod ?? 'TC3-HMAC-SHA256';
    const timestamp = now();
    const { host } = endpoint;

    if (signMethod === 'TC3-HMAC-SHA256') {
      const headers: Record<string, string> = {
        'X-TC-Action': action.name,
        'X-TC-Version': action.version,
        'X-TC-Timestamp': String(timestamp),
        'X-TC-RequestClient': USER_AGENT,
      };
      if (callRegion) headers['X-TC-Region'] = callRegion;
      if (creds.token) headers['X-TC-Token'] = creds.token;
      let payload = '';
      let query = '';
      let contentType: string;
      if (method === 'POST') {
        contentType = 'application/json';
        payload = stringifyJson(params);
        if (Buffer.byteLength(payload) > MAX_BODY.tc3) throw tooLarge(action, MAX_BODY.tc3);
      } else {
        contentType = 'application/x-www-form-urlencoded';
        const flat = flattenParams(params);
        query = Object.keys(flat)
          .sort()
          .map((name) => `${rfc3986(name)}=${rfc3986(flat[name]!)}`)
          .join('&');
        if (query.length > MAX_BODY.GET) throw tooLarge(action, MAX_BODY.GET);
      }
      const signed = signTc3({
        secretId: creds.secretId,
        secretKey: creds.secretKey,
        service,
        timestamp,
        request: { method, query, headers: { 'content-type': contentType, host }, payload },
      });
      headers['Content-Type'] = contentType;
      headers.Authorization = signed.authorization;
      const target = query ? `${endpoint.base}?${query}` : endpoint.base;
      return {
        url: target,
        init: { method, headers, body: method === 'POST' ? payload : undefined, signal, timeoutMs },
      };
    }

    // v1: every common parameter travels with the others and is signed with them.
    const flat = flattenParams(params);
    const common: Record<string, string> = {
      Action: action.name,
      Version: action.version,
      Timestamp: String(timestamp),
      Nonce: String(randomInt(1, 2 ** 31 - 1)),
      SecretId: creds.secretId,
      SignatureMethod: signMethod,
    };
    if (callRegion) common.Region = callRegion;
    if (creds.token) common.Token = creds.token;
    const signedV1 = signV1({
      secretKey: creds.secretKey,
      algorithm: signMethod,
      method,
      host,
      path: endpoint.path,
      params: { ...flat, ...common },
    });
    if (method === 'GET') {
      if (signedV1.body.length > MAX_BODY.GET) throw tooLarge(action, MAX_BODY.GET);
      return {
        url: `${endpoint.base}?${signedV1.body}`,
        init: { method, headers: { 'X-TC-RequestClient': USER_AGENT }, signal, timeoutMs },
      };
    }
    if (signedV1.body.length > MAX_BODY.v1) throw tooLarge(action, MAX_BODY.v1);
    return {
      url: endpoint.base,
      init: {
        method,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-TC-RequestClient': USER_AGENT },
        body: signedV1.body,
        signal,
        timeoutMs,
      },
    };
  }

  async function sendOnce(service: string, action: Action, request: PreparedRequest) {
    const { signal, timeoutMs } = request.init;
    let text: string;
    let status: number;
    try {
      if (signal?.aborted) throw signal.reason;
      const response = await doFetch(request.url, request.init);
      status = response.status;
      text = response.body ?? (await response.text());
      // A fetch brought by the embedding reads the body itself: hold it to the same ceiling.
      if (text.length > maxResponseBytes) throw new BodyTooLargeError(status, maxResponseBytes);
    } catch (error) {
      // Too large is the server's answer, not a network failure: not worth repeating.
      if (error instanceof BodyTooLargeError) throw new HttpError(error.status, error.message, service, action.name);
      const timedOut = error instanceof TimeoutError;
      const aborted = (signal?.aborted ?? false) && !timedOut;
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : aborted ? 'cancelled' : (error as Error).message;
      throw new TransportError(redact(reason), service, action.name, { cause: error, timedOut, aborted });
    }
    if (status !== 200) {
      throw new HttpError(status, redact(text.slice(0, 200) || 'no body'), service, action.name);
    }
    let body: unknown;
    try {
      body = parseJson(text);
    } catch (error) {
      const why =
        error instanceof JsonLimitError ? `the answer is refused: ${error.message}` : 'the answer is not JSON';
      throw new HttpError(status, `${why}: ${redact(text.slice(0, 120))}`, service, action.name);
    }
    const envelope = (body as { Response?: Record<string, unknown> } | null)?.Response;
    if (!envelope || typeof envelope !== 'object') {
      throw new HttpError(
        status,
        'the answer has no "Response" object: is the endpoint a TCE API?',
        service,
        action.name,
      );
    }
    const requestId = typeof envelope.RequestId === 'string' ? redact(clip(envelope.RequestId, 100)) : '';
    const error = envelope.Error as { Code?: unknown; Message?: unknown } | undefined;
    if (error) {
      throw new ApiError(
        typeof error.Code === 'string' && error.Code ? redact(clip(error.Code, 100)) : 'UnknownError',
        redact(clip(typeof error.Message === 'string' ? error.Message : (stringifyJson(error.Message) ?? ''), 500)),
        requestId,
        service,
        action.name,
      );
    }
    return envelope as TceResponse;
  }

  async function call<T>(
    service: string,
    actionName: string,
    params: Record<string, unknown> = {},
    call: CallOptions = {},
  ) {
    const version = call.version ?? configure?.services[service]?.version;
    const { action, catalog, takesToken, read } = actionOf(service, actionName, version);
    const request = { ...params };
    // A ClientToken makes a write safe to repeat: add one when the action takes it and the caller gave none.
    if (takesToken && request.ClientToken === undefined) request.ClientToken = randomUUID();
    assertValid(action, request, { catalog });
    const idempotent = call.idempotent ?? (read || takesToken);
    const callRegion = call.region ?? region;
    const timeoutMs = call.timeoutMs ?? options.timeoutMs ?? 30_000;

    for (let attempt = 0; ; attempt++) {
      if (limiter)
        await limiter.acquire(`${service}|${action.name}|${getCredentials().secretId}`, action.rateLimit, call.signal);
      // Sign afresh each attempt: the timestamp must be current.
      const prepared = prepare(service, action, request, callRegion, call, timeoutMs);
      const started = performance.now();
      options.onEvent?.({ type: 'request', service, action: action.name, attempt, url: prepared.url.split('?')[0]! });
      try {
        const response = await sendOnce(service, action, prepared);
        const problem = responseProblem(action, catalog, response);
        if (problem)
          throw new HttpError(
            200,
            `the answer does not have the documented shape: ${inert(problem)}`,
            service,
            action.name,
          );
        const ms = performance.now() - started;
        options.onEvent?.({
          type: 'response',
          service,
          action: action.name,
          attempt,
          ms,
          requestId: response.RequestId,
        });
        return response as TceResponse<T>;
      } catch (error) {
        if (error instanceof ApiError) {
          const ms = performance.now() - started;
          options.onEvent?.({
            type: 'response',
            service,
            action: action.name,
            attempt,
            ms,
            requestId: error.requestId,
            code: error.code,
          });
        }
        if (attempt >= retry.retries || !isRetryable(error, idempotent)) throw error;
        const delayMs = retryDelay(error, attempt, retry);
        const reason = error instanceof TceopsError ? error.message : String(error);
        options.onEvent?.({ type: 'retry', service, action: action.name, attempt, delayMs, reason });
        await sleep(delayMs, call.signal);
      }
    }
  }

  return {
    call,
    region,
    close() {
      transport?.close();
    },
  };
}

/**
 * A fetch brought by the embedding gets the deadline and the caller's signal as one AbortSignal (the transport
 * enforces them itself, more cheaply); the answer is read within the deadline too.
 */
function withDeadline(fetch: Fetch): Fetch {
  return async (url, { timeoutMs, signal, ...init }) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs);
    const onAbort = () => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await fetch(url, { ...init, signal: controller.signal });
      const body = await response.text();
      return { status: response.status, body, text: async () => body };
    } catch (error) {
      throw timedOut ? new TimeoutError(timeoutMs!) : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };
}

/** What a server says is quoted, not trusted: a message of a megabyte would be one on every surface too. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function tooLarge(action: Action, limit: number): InputError {
  return new InputError(
    `the request for ${action.name} is larger than the ${limit / 1024} KB this method and signature allow`,
    'InvalidParameter',
    'send it with POST and TC3-HMAC-SHA256 (10 MB), or split it',
  );
}
