/** Sealing: each record's hash covers its content and the previous hash, so no record can change unnoticed. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../plan/canonical.ts';
import type { AuditEntry, AuditHead, AuditRecord } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Covers everything but the hash itself and the keyed MAC sealed over it (integrity/sealed-store.ts). */
export function recordHash(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, mac: _mac, ...content } = record;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export function seal(entry: AuditEntry, head: AuditHead | undefined, now: Date): AuditRecord {
  const unsealed = { ...entry, seq: (head?.seq ?? 0) + 1, time: now.toISOString(), prev: head?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: recordHash(unsealed) };
}

/** The text a store keeps for a record: canonical JSON, one line. */
export function auditLine(record: AuditRecord): string {
  return canonicalJson(record);
}
