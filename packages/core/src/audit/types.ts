/** The audit log: every request, decision, approval, execution and result, chained by hashes. */

/**
 * `session`: signing in and out of a tceops server (a code bound, a token issued or revoked). `read`: a read the
 * policy allowed and asked to record (`auditReads`), written once its answer is back, never with the answer.
 */
export type AuditKind = 'request' | 'decision' | 'approval' | 'execution' | 'result' | 'session' | 'read';
export const AUDIT_KINDS: readonly AuditKind[] = [
  'request',
  'decision',
  'approval',
  'execution',
  'result',
  'session',
  'read',
];

/** What a caller records; the log adds seq, time, prev and hash. */
export interface AuditEntry {
  kind: AuditKind;
  /** Who did it: a Slack user ID, a local user name, or "tceops" for the system itself (expiry, reconcile). */
  actor: string;
  surface?: string;
  /** What happened within the kind: "approve", "deny", "cancel", "expire", "stale", "confirm", ... */
  event?: string;
  approvalId?: string;
  planHash?: string;
  command?: string;
  risk?: string;
  region?: string;
  requestIds?: string[];
  /** ok, failed, denied, allow, confirm, approve, ... */
  result?: string;
  detail?: string;
  data?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  /** 1, 2, 3, ... with no gaps. */
  seq: number;
  time: string;
  /** The previous record's hash (64 zeros for the first). */
  prev: string;
  /** sha256 of the record's canonical JSON without this field. */
  hash: string;
  /** Keyed MAC over the record without this field, when the store is sealed (integrity/). */
  mac?: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}
