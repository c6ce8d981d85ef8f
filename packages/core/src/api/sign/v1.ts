/**
 * The older signature (v1): HmacSHA1 or HmacSHA256 over METHOD + host + path + "?" + sorted raw parameters.
 */
import { createHmac } from 'node:crypto';

export type V1Algorithm = 'HmacSHA1' | 'HmacSHA256';

/** Parameters sorted by name in plain byte order (so "InstanceIds.12" sorts before "InstanceIds.2"), raw values. */
export function v1CanonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

export function v1StringToSign(
  method: 'GET' | 'POST',
  host: string,
  path: string,
  params: Record<string, string>,
): string {
  return `${method}${host}${path}?${v1CanonicalQuery(params)}`;
}

/** The base64 signature; the docs say SignatureMethod=HmacSHA256 selects SHA-256 and anything else means SHA-1. */
export function v1Signature(secretKey: string, algorithm: V1Algorithm, stringToSign: string): string {
  const hash = algorithm === 'HmacSHA256' ? 'sha256' : 'sha1';
  return createHmac(hash, secretKey).update(stringToSign).digest('base64');
}

/** RFC 3986 encoding with upper-case hex, as the docs require for the final query or form body. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Sign and encode: the returned string is the query string (GET) or form body (POST), Signature included. */
export function signV1(options: {
  secretKey: string;
  algorithm: V1Algorithm;
  method: 'GET' | 'POST';
  host: string;
  path?: string;
  params: Record<string, string>;
}): { body: string; signature: string; stringToSign: string } {
  // SignatureMethod, when wanted, is the caller's parameter like any other: it is signed with the rest.
  const params = { ...options.params };
  const stringToSign = v1StringToSign(options.method, options.host, options.path ?? '/', params);
  const signature = v1Signature(options.secretKey, options.algorithm, stringToSign);
  params.Signature = signature;
  const body = Object.keys(params)
    .map((name) => `${rfc3986(name)}=${rfc3986(params[name]!)}`)
    .join('&');
  return { body, signature, stringToSign };
}
