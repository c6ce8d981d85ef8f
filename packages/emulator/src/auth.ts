/**
 * Signature checks, TC3-HMAC-SHA256 and v1 (HmacSHA1/HmacSHA256), with the codes the docs list:
 * AuthFailure.SignatureExpire (clock skew over 5 minutes), AuthFailure.SecretIdNotFound,
 * AuthFailure.SignatureFailure, and MissingParameter for an unsigned request.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parseTc3Authorization, sha256Hex, tc3Signature, utcDate, v1Signature, v1StringToSign } from './core.ts';
import { fail } from './failure.ts';

export interface Credential {
  secretId: string;
  secretKey: string;
}

/**
 * The key pair the emulator accepts when none is configured. Not a secret (anyone can read it here and in the
 * README), but still never logged or shown in answers.
 */
export const DEMO_CREDENTIALS: Readonly<Credential> = Object.freeze({
  secretId: 'AKIDTCEOPSEMULATOR',
  secretKey: 'tceops-emulator-secret',
});

export const MAX_SKEW_SECONDS = 300;

export interface AuthContext {
  credentials: Credential[];
  /** Seconds since the epoch. */
  nowSeconds: number;
}

function keyOf(context: AuthContext, secretId: string): string {
  const found = context.credentials.find((c) => c.secretId === secretId);
  if (!found) fail('AuthFailure.SecretIdNotFound', `SecretId ${secretId} is not known to this emulator`);
  return found.secretKey;
}

function checkTimestamp(value: string | undefined, name: string, nowSeconds: number): number {
  if (value === undefined || value === '') fail('MissingParameter', `the request has no ${name}`);
  if (!/^\d{1,12}$/.test(value)) fail('InvalidParameter', `${name} must be Unix seconds, not "${value}"`);
  const timestamp = Number(value);
  if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) {
    fail(
      'AuthFailure.SignatureExpire',
      `${name} ${timestamp} is ${Math.round(nowSeconds - timestamp)} s away from the server's clock; at most ${MAX_SKEW_SECONDS} s are allowed`,
    );
  }
  return timestamp;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The host as signed: SDKs differ on whether the port is part of it, so both forms are accepted. */
function hostVariants(host: string): string[] {
  const withoutPort = host.replace(/:\d+$/, '');
  return withoutPort === host ? [host] : [host, withoutPort];
}

export interface Tc3Request {
  method: string;
  path: string;
  /** The query string exactly as sent (the canonical query string is what the client signed). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The service and SecretId of a TC3 request whose signature checks out. */
export function verifyTc3(request: Tc3Request, context: AuthContext): { secretId: string; scopeService: string } {
  const authorization = header(request.headers, 'authorization')!;
  const parsed = parseTc3Authorization(authorization);
  if (!parsed) {
    fail(
      'AuthFailure.SignatureFailure',
      'the Authorization header is not "TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=..., Signature=<64 hex>"',
    );
  }
  const timestamp = checkTimestamp(header(request.headers, 'x-tc-timestamp'), 'X-TC-Timestamp', context.nowSeconds);
  const secretKey = keyOf(context, parsed.secretId);
  if (parsed.date !== utcDate(timestamp)) {
    fail(
      'AuthFailure.SignatureFailure',
      `the credential scope's date ${parsed.date} is not the UTC date of X-TC-Timestamp (${utcDate(timestamp)})`,
    );
  }
  for (const required of ['content-type', 'host']) {
    if (!parsed.signedHeaders.includes(required))
      fail('AuthFailure.SignatureFailure', `SignedHeaders must include ${required}`);
  }
  const payloadHash = sha256Hex(request.body);
  const hosts = hostVariants(header(request.headers, 'host') ?? '');
  for (const host of hosts) {
    const canonicalHeaders = parsed.signedHeaders
      .map((name) => {
        const value = name === 'host' ? host : (header(request.headers, name) ?? '');
        return `${name}:${value.trim().toLowerCase()}\n`;
      })
      .join('');
    const canonicalRequest = [
      request.method,
      request.path,
      request.rawQuery,
      canonicalHeaders,
      parsed.signedHeaders.join(';'),
      payloadHash,
    ].join('\n');
    if (same(tc3Signature(secretKey, parsed.service, timestamp, canonicalRequest), parsed.signature)) {
      return { secretId: parsed.secretId, scopeService: parsed.service };
    }
  }
  return fail(
    'AuthFailure.SignatureFailure',
    'the TC3 signature does not match: check the SecretKey, the signed headers and the payload',
  );
}

export interface V1Request {
  method: 'GET' | 'POST';
  host: string;
  path: string;
  /** Every parameter, the common ones and Signature included, decoded. */
  params: Record<string, string>;
}

/** Recently seen v1 signatures: the Nonce exists to make a replayed request detectable. */
const seenSignatures = new Map<string, number>();

export function verifyV1(request: V1Request, context: AuthContext): { secretId: string } {
  const { params } = request;
  for (const name of ['SecretId', 'Signature', 'Nonce']) {
    if (!params[name]) fail('MissingParameter', `the request has no ${name} (v1 signature)`);
  }
  if (!/^\d+$/.test(params.Nonce!) || Number(params.Nonce) <= 0)
    fail('InvalidParameter', `Nonce must be a positive integer, not "${params.Nonce}"`);
  checkTimestamp(params.Timestamp, 'Timestamp', context.nowSeconds);
  const secretKey = keyOf(context, params.SecretId!);
  // Only SignatureMethod=HmacSHA256 selects SHA-256; anything else means HmacSHA1 (the docs' rule).
  const algorithm = params.SignatureMethod === 'HmacSHA256' ? 'HmacSHA256' : 'HmacSHA1';
  const signed = { ...params };
  delete signed.Signature;
  const matches = hostVariants(request.host).some((host) =>
    same(
      v1Signature(secretKey, algorithm, v1StringToSign(request.method, host, request.path, signed)),
      params.Signature!,
    ),
  );
  if (!matches) {
    fail(
      'AuthFailure.SignatureFailure',
      `the ${algorithm} signature does not match: sign METHOD + host + path + "?" + the sorted, unencoded parameters`,
    );
  }
  const now = context.nowSeconds;
  const replayKey = `${params.SecretId}\u0000${params.Signature}`;
  const seenUntil = seenSignatures.get(replayKey);
  if (seenUntil !== undefined && seenUntil >= now)
    fail('AuthFailure.SignatureFailure', 'this signed request was already used (same Nonce, Timestamp and Signature)');
  if (seenSignatures.size > 50_000) {
    for (const [key, until] of seenSignatures) if (until < now) seenSignatures.delete(key);
  }
  seenSignatures.set(replayKey, now + 2 * MAX_SKEW_SECONDS);
  return { secretId: params.SecretId! };
}
