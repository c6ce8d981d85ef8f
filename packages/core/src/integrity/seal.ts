/**
 * A keyed MAC (HMAC-SHA256) over a record's canonical JSON. The audit chain's plain SHA-256 shows an edit only to
 * someone who kept the last hash elsewhere; anyone can recompute a plain chain after rewriting it. A MAC cannot be
 * recomputed without the key, which is kept outside the store (key.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../plan/canonical.ts';

export function macOf(key: Buffer, purpose: string, value: unknown): string {
  return createHmac('sha256', key).update(`${purpose}\n`).update(canonicalJson(value)).digest('hex');
}

export function macHolds(key: Buffer, purpose: string, value: unknown, mac: unknown): boolean {
  if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
  let expected: string;
  try {
    expected = macOf(key, purpose, value);
  } catch {
    return false;
  }
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(mac, 'hex'));
}

/** The record without its `mac` field: what the MAC covers. */
export function unsealed<T extends { mac?: string }>(record: T): Omit<T, 'mac'> {
  const { mac: _mac, ...rest } = record;
  return rest;
}
