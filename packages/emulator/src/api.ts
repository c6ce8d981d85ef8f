/**
 * One API request, start to finish: read what the client sent (TC3 headers or v1 parameters, GET or POST),
 * check the signature, find the service, version and action, apply faults and rate limits, validate the
 * parameters from the catalog, settle due transitions, run the handler, and wrap the answer in the envelope.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type Credential, verifyTc3, verifyV1 } from './auth.ts';
import {
  type Action,
  coerceFlags,
  findAction,
  getServiceCatalog,
  listServices,
  parseJson,
  type ServiceCatalog,
  stringifyJson,
  validateParams,
} from './core.ts';
import { ApiFailure, fail } from './failure.ts';
import type { Faults } from './faults.ts';
import { findRegion, REGIONS } from './geography.ts';
import type { RateLimiter } from './rate-limit.ts';
import { deepCopy, invalidateLists, isRead, withListCache } from './services/common.ts';
import { handlerFor } from './services/index.ts';
import { advance } from './transitions.ts';
import type { World } from './world.ts';

export interface ApiOptions {
  auth: 'strict' | 'off';
  credentials: Credential[];
  rateLimits: boolean;
}

export interface Incoming {
  method: string;
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestRecord {
  time: string;
  requestId: string;
  style: 'TC3-HMAC-SHA256' | 'HmacSHA1' | 'HmacSHA256' | 'unsigned' | '';
  method: string;
  service: string;
  version: string;
  action: string;
  region: string;
  secretId: string;
  /** "OK" or the error code answered. */
  code: string;
  ms: number;
}

export interface ApiOutcome {
  /** The JSON text to send. */
  body: string;
  latencyMs: number;
  drop: boolean;
  record: RequestRecord;
}

export interface ApiContext {
  world: World;
  options: ApiOptions;
  faults: Faults;
  limiter: RateLimiter;
}

/** v1 common parameters, signed with the rest but not part of the action's own parameters. */
const V1_COMMON = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'Signature',
  'SignatureMethod',
  'Token',
  'RequestClient',
  'Language',
]);

/** Actions that need no region. */
const REGIONLESS = new Set(['DescribeRegions']);

const MAX_GET_QUERY = 32 * 1024;
const MAX_V1_BODY = 1024 * 1024;

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface Decoded {
  style: RequestRecord['style'];
  action?: string;
  version?: string;
  region?: string;
  secretId: string;
  /** The service named by the TC3 credential scope, when signed. */
  scopeService?: string;
  /** JSON body parameters (TC3 POST) or flattened ones (GET, v1). */
  json?: Record<string, unknown>;
  flat?: Record<string, string>;
}

function formParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) out[name] = value;
  return out;
}

function decode(incoming: Incoming, context: ApiContext): Decoded {
  const { headers } = incoming;
  const method = incoming.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST')
    fail('UnsupportedProtocol', `HTTP ${method} is not accepted: use POST or GET`);
  if (method === 'GET' && incoming.rawQuery.length > MAX_GET_QUERY)
    fail('InvalidParameter', `a GET request is limited to 32 KB of query string; use POST`);
  const contentType = (headerOf(headers, 'content-type') ?? '').toLowerCase();
  const strict = context.options.auth === 'strict';
  const nowSeconds = Math.floor(Date.now() / 1000);
  const authContext = { credentials: context.options.credentials, nowSeconds };
  const authorization = headerOf(headers, 'authorization');

  if (authorization !== undefined || headerOf(headers, 'x-tc-action') !== undefined) {
    // TC3: the common parameters are headers.
    const decoded: Decoded = {
      style: 'TC3-HMAC-SHA256',
      action: headerOf(headers, 'x-tc-action'),
      version: headerOf(headers, 'x-tc-version'),
      region: headerOf(headers, 'x-tc-region'),
      secretId: 'anonymous',
    };
    if (authorization === undefined || authorization === 'SKIP') {
      if (strict) fail('MissingParameter', 'the request has no Authorization header (TC3-HMAC-SHA256 signature)');
      decoded.style = 'unsigned';
    } else if (strict) {
      const verified = verifyTc3({ ...incoming, method }, authContext);
      decoded.secretId = verified.secretId;
      decoded.scopeService = verified.scopeService;
    } else {
      const match = /Credential=([^/]+)\/[^/]+\/([^/]+)\//.exec(authorization);
      decoded.secretId = match?.[1] ?? 'anonymous';
      decoded.scopeService = match?.[2];
    }
    if (method === 'GET') {
      decoded.flat = formParams(incoming.rawQuery);
    } else if (contentType.startsWith('multipart/form-data')) {
      fail('UnsupportedProtocol', 'multipart/form-data bodies are not emulated: send application/json');
    } else if (!contentType.startsWith('application/json')) {
      fail('UnsupportedProtocol', `a TC3 POST must be application/json, not "${contentType || 'no content type'}"`);
    } else {
      const text = incoming.body.toString('utf8');
      let parsed: unknown;
      try {
        parsed = text.trim() === '' ? {} : parseJson(text);
      } catch (error) {
        fail('InvalidParameter', `the body is not valid JSON: ${(error as Error).message}`);
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        fail('InvalidParameter', 'the body must be a JSON object of parameters');
      decoded.json = parsed as Record<string, unknown>;
    }
    return decoded;
  }

  // v1: every common parameter is in the query string (GET) or the form body (POST).
  let params: Record<string, string>;
  if (method === 'GET') {
    params = formParams(incoming.rawQuery);
  } else {
    if (contentType.startsWith('application/json'))
      fail(
        'MissingParameter',
        'a JSON POST needs the TC3 headers: X-TC-Action, X-TC-Version, X-TC-Timestamp, Authorization',
      );
    if (incoming.body.length > MAX_V1_BODY) fail('InvalidParameter', 'a v1 POST is limited to 1 MB');
    params = { ...formParams(incoming.rawQuery), ...formParams(incoming.body.toString('utf8')) };
  }
  const decoded: Decoded = {
    style: params.SignatureMethod === 'HmacSHA256' ? 'HmacSHA256' : 'HmacSHA1',
    action: params.Action,
    version: params.Version,
    region: params.Region,
    secretId: params.SecretId ?? 'anonymous',
  };
  if (strict) {
    const host = headerOf(headers, 'host') ?? '';
    verifyV1({ method: method as 'GET' | 'POST', host, path: incoming.path, params }, authContext);
  } else if (!params.Signature) {
    decoded.style = 'unsigned';
  }
  decoded.flat = Object.fromEntries(Object.entries(params).filter(([name]) => !V1_COMMON.has(name)));
  return decoded;
}

const KNOWN_SERVICES = () => listServices().map((s) => s.service);

/**
 * The service: the one named in the TC3 credential scope or the host's first label when it is one we know;
 * otherwise the only service with this API version (an SDK pointed at 127.0.0.1 signs for service "127").
 */
export function resolveService(named: (string | undefined)[], version: string, action: string): string {
  const services = listServices();
  for (const name of named) {
    const known = name && services.find((s) => s.service === name.toLowerCase());
    if (known) return known.service;
  }
  const byVersion = services.filter((s) => s.versions.includes(version));
  if (byVersion.length === 1) return byVersion[0]!.service;
  const byAction = services.filter((s) => s.versions.some((v) => action in getServiceCatalog(s.service, v).actions));
  if (byAction.length === 1) return byAction[0]!.service;
  return fail(
    'InvalidAction',
    `cannot tell which service ${action} ${version} is for: sign with the service (${KNOWN_SERVICES().join(', ')}) in the credential scope`,
  );
}

function lookUp(service: string, action: string, version: string): { action: Action; catalog: ServiceCatalog } {
  try {
    return { action: findAction(service, action, version), catalog: getServiceCatalog(service, version) };
  } catch (error) {
    const e = error as { code?: string; message: string };
    return fail(e.code ?? 'InvalidAction', e.message.replace(/\n/g, '; '));
  }
}

function paramsOf(decoded: Decoded, action: Action, catalog: ServiceCatalog): Record<string, unknown> {
  let params: Record<string, unknown>;
  if (decoded.json) {
    params = decoded.json;
  } else {
    try {
      params = coerceFlags(action, decoded.flat ?? {}, catalog);
    } catch (error) {
      return fail('InvalidParameter', (error as Error).message.replace(/^--/, '').replace(/\n/g, '; '));
    }
  }
  const problems = validateParams(action, params, { catalog });
  if (problems.length) fail(problems[0]!.code, problems.map((p) => p.message).join('; '));
  return params;
}

export function errorBody(code: string, message: string, requestId: string): string {
  return JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}

export function handleApi(incoming: Incoming, context: ApiContext): ApiOutcome {
  const started = performance.now();
  const requestId = randomUUID();
  const record: RequestRecord = {
    time: new Date(context.world.now()).toISOString(),
    requestId,
    style: '',
    method: incoming.method,
    service: '',
    version: '',
    action: '',
    region: '',
    secretId: '',
    code: 'OK',
    ms: 0,
  };
  let latencyMs = 0;
  let drop = false;
  let body: string;
  try {
    const decoded = decode(incoming, context);
    record.style = decoded.style;
    record.secretId = decoded.secretId;
    record.action = decoded.action ?? '';
    record.version = decoded.version ?? '';
    record.region = decoded.region ?? '';
    if (!decoded.action)
      fail('MissingParameter', 'the request names no action (X-TC-Action header or Action parameter)');
    if (!decoded.version) fail('MissingParameter', 'the request names no API version (X-TC-Version header or Version)');
    const hostLabel = (headerOf(incoming.headers, 'host') ?? '').split('.')[0];
    const service = resolveService(
      [decoded.scopeService, hostLabel, headerOf(incoming.headers, 'x-tc-service')],
      decoded.version,
      decoded.action,
    );
    record.service = service;
    const { action, catalog } = lookUp(service, decoded.action, decoded.version);
    record.action = action.name;

    const region = decoded.region ?? '';
    if (!REGIONLESS.has(action.name)) {
      if (!region) fail('MissingParameter', 'the request names no region (X-TC-Region header or Region parameter)');
      if (!findRegion(region))
        fail(
          'UnsupportedRegion',
          `region ${region} does not exist here; regions: ${REGIONS.map((r) => r.Region).join(', ')}`,
        );
    }

    const fault = context.faults.decide(service, action.name);
    latencyMs = fault.latencyMs;
    drop = fault.drop;
    if (fault.error) fail(fault.error.code, fault.error.message);

    const now = context.world.now();
    if (
      context.options.rateLimits &&
      !context.limiter.admit(`${decoded.secretId}\u0000${service}\u0000${action.name}`, action.rateLimit, now)
    ) {
      fail(
        'RequestLimitExceeded',
        `${service}:${action.name} allows ${action.rateLimit} requests per second per SecretId; slow down and retry`,
      );
    }

    const params = paramsOf(decoded, action, catalog);
    advance(context.world);
    const handler = handlerFor(service, catalog.version, action.name);
    const call = {
      world: context.world,
      state: context.world.state,
      region,
      params,
      requestId,
      service,
      version: catalog.version,
      action: action.name,
      now,
    };
    if (params.DryRun === true) dryRun(call, handler);
    const read = isRead(action.name);
    if (!read) invalidateLists();
    const answer = read ? withListCache(() => handler(call)) : handler(call);
    if (!read) {
      invalidateLists();
      context.world.changed();
    }
    body = stringifyJson({ Response: { ...answer, RequestId: requestId } });
  } catch (error) {
    if (error instanceof ApiFailure) {
      record.code = error.code;
      body = errorBody(error.code, error.message, requestId);
    } else {
      record.code = 'InternalError';
      console.error(`emulator: ${record.service}:${record.action} (${requestId}) failed:`, error);
      body = errorBody('InternalError', `the emulator failed on this request (RequestId ${requestId})`, requestId);
    }
  }
  record.ms = Math.round((performance.now() - started) * 100) / 100;
  return { body, latencyMs, drop, record };
}

/** DryRun: every check runs, on a copy, and a request that would succeed answers DryRunOperation. */
function dryRun(call: Parameters<ReturnType<typeof handlerFor>>[0], handler: ReturnType<typeof handlerFor>): never {
  const world = { ...call.world, state: deepCopy(call.world.state), changed: () => {} };
  handler({ ...call, world, state: world.state });
  return fail('DryRunOperation', 'the request would have succeeded, but DryRun is set: nothing was changed');
}
