/** Shared by the emulator tests: a running emulator, a core client on it, and raw signed requests. */
import { createClient, type TceClient } from '@tceops/core';
import { signTc3 } from '../../core/src/api/sign/tc3.ts';
import { signV1, type V1Algorithm } from '../../core/src/api/sign/v1.ts';
import { DEMO_CREDENTIALS, type EmulatorOptions, type RunningEmulator, startEmulator } from '../src/index.ts';

export interface Harness {
  emulator: RunningEmulator;
  client: TceClient;
  /** Calls an action and returns the envelope's Response (errors included, not thrown). */
  raw(
    service: string,
    action: string,
    params: Record<string, unknown>,
    options?: RawOptions,
  ): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface RawOptions {
  version?: string;
  region?: string | null;
  secretId?: string;
  secretKey?: string;
  timestamp?: number;
  method?: 'GET' | 'POST';
}

export const VERSIONS: Record<string, string> = { cvm: '2017-03-12', cfs: '2019-07-19', csm: '2021-09-15' };

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ timeScale: 0.01, rateLimits: false, ...options });
  const client = createClient({
    endpoint: emulator.url,
    region: 'ap-guangzhou',
    credentials: { ...DEMO_CREDENTIALS, source: 'test' },
    rateLimit: false,
    retry: { retries: 0 },
    env: {},
  });
  return {
    emulator,
    client,
    raw: (service, action, params, rawOptions) => tc3Request(emulator.url, service, action, params, rawOptions),
    async close() {
      client.close?.();
      await emulator.stop();
    },
  };
}

/** A TC3 request signed here, answered as parsed JSON (the whole Response, errors included). */
export async function tc3Request(
  url: string,
  service: string,
  action: string,
  params: Record<string, unknown>,
  options: RawOptions = {},
): Promise<Record<string, unknown>> {
  const host = new URL(url).host;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const method = options.method ?? 'POST';
  const payload = method === 'POST' ? JSON.stringify(params) : '';
  const query =
    method === 'GET'
      ? Object.entries(params)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
          .join('&')
      : '';
  const contentType = method === 'POST' ? 'application/json' : 'application/x-www-form-urlencoded';
  const signed = signTc3({
    secretId: options.secretId ?? DEMO_CREDENTIALS.secretId,
    secretKey: options.secretKey ?? DEMO_CREDENTIALS.secretKey,
    service,
    timestamp,
    request: { method, query, headers: { 'content-type': contentType, host }, payload },
  });
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    Authorization: signed.authorization,
    'X-TC-Action': action,
    'X-TC-Version': options.version ?? VERSIONS[service] ?? '',
    'X-TC-Timestamp': String(timestamp),
  };
  const region = options.region === undefined ? 'ap-guangzhou' : options.region;
  if (region !== null) headers['X-TC-Region'] = region;
  const response = await fetch(`${url}/${query ? `?${query}` : ''}`, {
    method,
    headers,
    body: method === 'POST' ? payload : undefined,
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return ((await response.json()) as { Response: Record<string, unknown> }).Response;
}

/** A v1 request (HmacSHA1 or HmacSHA256), GET or form POST. */
export async function v1Request(
  url: string,
  params: Record<string, string>,
  options: { method?: 'GET' | 'POST'; algorithm?: V1Algorithm; secretKey?: string; host?: string } = {},
): Promise<Record<string, unknown>> {
  const method = options.method ?? 'GET';
  const algorithm = options.algorithm ?? 'HmacSHA1';
  const all: Record<string, string> = {
    SecretId: DEMO_CREDENTIALS.secretId,
    Timestamp: String(Math.floor(Date.now() / 1000)),
    Nonce: String(Math.floor(Math.random() * 1e9) + 1),
    ...(algorithm === 'HmacSHA256' ? { SignatureMethod: 'HmacSHA256' } : {}),
    ...params,
  };
  const { body } = signV1({
    secretKey: options.secretKey ?? DEMO_CREDENTIALS.secretKey,
    algorithm,
    method,
    host: options.host ?? new URL(url).host,
    params: all,
  });
  const response =
    method === 'GET'
      ? await fetch(`${url}/?${body}`)
      : await fetch(`${url}/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
  return ((await response.json()) as { Response: Record<string, unknown> }).Response;
}

export function errorCode(response: Record<string, unknown>): string | undefined {
  return (response.Error as { Code?: string } | undefined)?.Code;
}

/** Polls until the check holds or the time runs out. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
