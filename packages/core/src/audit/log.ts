/**
 * Appending to, reading and verifying the audit log. Verification recomputes every hash and follows the chain:
 * an edited record, a removed one (in the middle or at the end) or a reordering is reported with its seq.
 */
import { redact } from '../config/redact.ts';
import { sameIdentity } from '../identity/normalize.ts';
import type { Store } from '../store/types.ts';
import { GENESIS_HASH, recordHash, seal } from './chain.ts';
import { AUDIT_KINDS, type AuditEntry, type AuditHead, type AuditKind, type AuditRecord } from './types.ts';

/** Strings pass through the redactor: a secret that slipped into a message never reaches the log. */
function scrub<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(scrub) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, scrub(v)]),
    ) as T;
  }
  return value;
}

export async function appendAudit(store: Store, entry: AuditEntry, now: Date = new Date()): Promise<AuditRecord> {
  if (!AUDIT_KINDS.includes(entry.kind))
    throw new Error(`unknown audit kind "${entry.kind}"; kinds are ${AUDIT_KINDS.join(', ')}`);
  if (!entry.actor) throw new Error('an audit record needs an actor');
  const clean = scrub(entry);
  return store.appendAudit((head) => seal(clean, head, now));
}

export interface AuditQuery {
  approvalId?: string;
  kind?: AuditKind;
  actor?: string;
  /** The newest N that match. */
  limit?: number;
}

/** Records in order, oldest first; lines that do not parse are left to verifyAudit to report. */
export async function readAudit(store: Store, query: AuditQuery = {}): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (const line of await store.readAuditLines()) {
    let record: AuditRecord;
    try {
      record = JSON.parse(line.text);
    } catch {
      continue;
    }
    if (!record || typeof record !== 'object') continue; // a `null` line: verifyAudit reports it
    if (query.approvalId && record.approvalId !== query.approvalId) continue;
    if (query.kind && record.kind !== query.kind) continue;
    // Another spelling of the same person (case, full-width letters) is the same actor, as everywhere else.
    if (query.actor && !sameIdentity(record.actor, query.actor)) continue;
    records.push(record);
  }
  return query.limit ? records.slice(-query.limit) : records;
}

export interface AuditProblem {
  /** The record concerned, when known. */
  seq?: number;
  where: string;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  /** The last record's seq and hash: note it elsewhere to detect later truncation of the whole store. */
  head?: AuditHead;
  problems: AuditProblem[];
}

export async function verifyAudit(store: Store): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const lines = await store.readAuditLines();
  let expected = 1;
  let prevHash: string | undefined = GENESIS_HASH;
  let last: AuditHead | undefined;
  for (const line of lines) {
    let record: AuditRecord;
    try {
      record = JSON.parse(line.text);
      if (typeof record.seq !== 'number' || typeof record.hash !== 'string' || typeof record.prev !== 'string')
        throw new Error('fields');
    } catch {
      problems.push({
        seq: expected,
        where: line.where,
        message: `record ${expected} (by its place) is not a readable audit record: it was edited`,
      });
      expected += 1;
      prevHash = undefined;
      continue;
    }
    const { seq } = record;
    let gap = false;
    if (seq > expected) {
      gap = true;
      const missing =
        seq - 1 === expected ? `record ${expected} is missing` : `records ${expected} to ${seq - 1} are missing`;
      problems.push({ seq: expected, where: line.where, message: `${missing}: removed from the log (next is ${seq})` });
    } else if (seq < expected) {
      gap = true;
      problems.push({
        seq,
        where: line.where,
        message: `record ${seq} is out of place (after ${expected - 1}): records were reordered or copied`,
      });
    }
    if (recordHash(record) !== record.hash) {
      problems.push({
        seq,
        where: line.where,
        message: `record ${seq} was edited: its content does not match its hash`,
      });
    } else if (!gap && prevHash !== undefined && record.prev !== prevHash) {
      problems.push({
        seq,
        where: line.where,
        message: `record ${seq} does not follow record ${seq - 1}: record ${seq - 1} was replaced or rewritten`,
      });
    }
    prevHash = record.hash;
    expected = Math.max(expected, seq + 1);
    last = { seq, hash: record.hash };
  }
  const head = await store.auditHead();
  if (head) {
    const lastSeq = last?.seq ?? 0;
    if (lastSeq < head.seq) {
      problems.push({
        seq: lastSeq + 1,
        where: store.location,
        message: `the log ends at record ${lastSeq} but ${head.seq} were written: ${head.seq === lastSeq + 1 ? `record ${head.seq} was` : `records ${lastSeq + 1} to ${head.seq} were`} removed`,
      });
    } else if (lastSeq === head.seq && last!.hash !== head.hash) {
      problems.push({
        seq: head.seq,
        where: store.location,
        message: `record ${head.seq} is not the one written last (its hash differs from the recorded head)`,
      });
    }
  }
  return { ok: problems.length === 0, records: lines.length, ...(last ? { head: last } : {}), problems };
}

export function formatVerification(result: AuditVerification): string {
  if (result.ok)
    return `audit log OK: ${result.records} records${result.head ? `, head ${result.head.seq} ${result.head.hash}` : ''}`;
  return [
    `audit log FAILED verification (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):`,
    ...result.problems.map((p) => `  ${p.where}: ${p.message}`),
  ].join('\n');
}
