/**
 * TC3-HMAC-SHA256 (the "v3" signature), as the TCE docs describe it. The signing service is always passed in:
 * it is never guessed from the host, so IP endpoints and private-cloud host names work.
 */
import { createHmac, hash } from 'node:crypto';
import { hmacSha256Hex } from './hmac.ts';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  method: 'GET' | 'POST';
  /** The canonical query string: empty for POST. */
  query: string;
  /** Headers to sign, lower-case names; must include content-type and host. */
  headers: Record<string, string>;
  /** The exact bytes sent: empty for GET. */
  payload: string | Uint8Array;
}

export interface Tc3Signed {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
}

/** The UTC date of a Unix timestamp, YYYY-MM-DD: the docs' one trap for clients east of Greenwich. */
export function utcDate(timestamp: number): string {
  const day = Math.floor(timestamp / 86400);
  if (day !== lastDay) {
    lastDay = day;
    lastDate = new Date(day * 86400 * 1000).toISOString().slice(0, 10);
  }
  return lastDate;
}
let lastDay = Number.NaN;
let lastDate = '';

/** One-shot hashing: no Hash object per call (two per signature). */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** Canonical request and the signed-header list; header names sorted, names and values trimmed and lower-cased. */
export function tc3CanonicalRequest(request: Tc3Request): { canonicalRequest: string; signedHeaders: string } {
  const headerNames = Object.keys(request.headers);
  // The common case, exactly the two mandatory headers, skips the sort and the copies.
  if (headerNames.length === 2 && headerNames[0] === 'content-type' && headerNames[1] === 'host') {
    const contentType = request.headers['content-type']!.trim().toLowerCase();
    const host = request.headers.host!.trim().toLowerCase();
    return {
      canonicalRequest: `${request.method}\n/\n${request.query}\ncontent-type:${contentType}\nhost:${host}\n\ncontent-type;host\n${sha256Hex(request.payload)}`,
      signedHeaders: 'content-type;host',
    };
  }
  const names = Object.keys(request.headers)
    .map((name) => name.toLowerCase())
    .sort();
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) lowered[name.toLowerCase()] = value;
  const canonicalHeaders = names.map((name) => `${name}:${String(lowered[name]).trim().toLowerCase()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method,
    '/',
    request.query,
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.payload),
  ].join('\n');
  return { canonicalRequest, signedHeaders };
}

// Derived keys depend only on (secret, date, service): cache them so bulk work does three fewer HMACs a call.
const keyCache = new Map<string, Buffer>();
const KEY_CACHE_LIMIT = 64;

// The last key asked for, checked before the cache: a client asks for the same one all day, and the joined cache key
// below would be hashed anew on every call.
let last: { secretKey: string; date: string; service: string; key: Buffer } = {
  secretKey: '',
  date: '',
  service: '',
  key: Buffer.alloc(0),
};

export function tc3SigningKey(secretKey: string, date: string, service: string): Buffer {
  if (last.secretKey === secretKey && last.date === date && last.service === service && last.key.length)
    return last.key;
  const cacheKey = `${date}\u0000${service}\u0000${secretKey}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    const kDate = createHmac('sha256', `TC3${secretKey}`).update(date).digest();
    const kService = createHmac('sha256', kDate).update(service).digest();
    key = createHmac('sha256', kService).update('tc3_request').digest();
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(cacheKey, key);
  }
  last = { secretKey, date, service, key };
  return key;
}

export function tc3StringToSign(timestamp: number, service: string, canonicalRequest: string): string {
  return `${TC3_ALGORITHM}\n${timestamp}\n${utcDate(timestamp)}/${service}/tc3_request\n${sha256Hex(canonicalRequest)}`;
}

/** The hex signature of a canonical request; the emulator uses this to verify what a client sent. */
export function tc3Signature(secretKey: string, service: string, timestamp: number, canonicalRequest: string): string {
  const key = tc3SigningKey(secretKey, utcDate(timestamp), service);
  return hmacSha256Hex(key, tc3StringToSign(timestamp, service, canonicalRequest));
}

export function signTc3(options: {
  secretId: string;
  secretKey: string;
  service: string;
  timestamp: number;
  request: Tc3Request;
}): Tc3Signed {
  const { canonicalRequest, signedHeaders } = tc3CanonicalRequest(options.request);
  const date = utcDate(options.timestamp);
  const scope = `${date}/${options.service}/tc3_request`;
  const stringToSign = `${TC3_ALGORITHM}\n${options.timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const key = tc3SigningKey(options.secretKey, date, options.service);
  const signature = hmacSha256Hex(key, stringToSign);
  const authorization = `${TC3_ALGORITHM} Credential=${options.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { authorization, signature, canonicalRequest, stringToSign };
}

/** Parse an Authorization header; undefined when it is not a well-formed TC3 header. */
export function parseTc3Authorization(
  header: string,
): { secretId: string; date: string; service: string; signedHeaders: string[]; signature: string } | undefined {
  const match =
    /^TC3-HMAC-SHA256\s+Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s]+)\/tc3_request,\s*SignedHeaders=([a-z0-9;_-]+),\s*Signature=([0-9a-f]{64})$/i.exec(
      header.trim(),
    );
  if (!match) return undefined;
  return {
    secretId: match[1]!,
    date: match[2]!,
    service: match[3]!,
    signedHeaders: match[4]!.toLowerCase().split(';'),
    signature: match[5]!.toLowerCase(),
  };
}
