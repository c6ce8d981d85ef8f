/**
 * One store for approvals, the audit log and a few small values, with two implementations (a directory of
 * append-only files, and PostgreSQL) that pass the same contract tests.
 */
import type { ApprovalRecord, ApprovalState } from '../approvals/types.ts';
import type { AuditHead, AuditRecord } from '../audit/types.ts';
import type { ChainBreak } from '../integrity/chain.ts';

export interface ApprovalFilter {
  state?: ApprovalState | ApprovalState[];
  /** Requester's ID or name. */
  requester?: string;
  /** Someone who approved it (ID or name). */
  approver?: string;
  /** Most records to return, newest first. */
  limit?: number;
}

/** One audit record as stored, for verification: `where` says where to look (file:line, or row seq). */
export interface StoredAuditLine {
  where: string;
  text: string;
}

export interface Store {
  readonly kind: 'file' | 'postgres';
  /** Where it keeps its data, for messages: a directory, or the URL with its password masked. */
  readonly location: string;

  /** Adds a new request at version 1; refuses an ID that exists. */
  createApproval(record: ApprovalRecord): Promise<void>;
  getApproval(id: string): Promise<ApprovalRecord | undefined>;
  /** Newest first. */
  listApprovals(filter?: ApprovalFilter): Promise<ApprovalRecord[]>;
  /**
   * Writes `next` only if the stored version is still `expectedVersion` (and next.version is one more).
   * Exactly one of any number of concurrent writers from one version wins; the others get false.
   */
  compareAndSetApproval(next: ApprovalRecord, expectedVersion: number): Promise<boolean>;

  /**
   * Appends one audit record. `build` gets the current head and returns the sealed record; appends are
   * serialized (across processes too), so the chain never forks.
   */
  appendAudit(build: (head: AuditHead | undefined) => AuditRecord): Promise<AuditRecord>;
  /** Every stored audit record, in stored order. */
  readAuditLines(): Promise<StoredAuditLine[]>;
  /** The head recorded at the last append, kept apart from the records, so removing the newest shows. */
  auditHead(): Promise<AuditHead | undefined>;

  getValue(key: string): Promise<unknown>;
  setValue(key: string, value: unknown): Promise<void>;
  /** Sets the value unless the key exists; true when this call set it (one winner, as with CAS). */
  setValueIfAbsent(key: string, value: unknown): Promise<boolean>;
  /**
   * Removes a value; nothing happens when the key is absent. Afterwards the key is absent to every instance, so a
   * setValueIfAbsent of it wins again. For values whose use is over (Slack's pacing turns), so the store does not
   * grow with every message: never for one whose presence guards something (a used confirmation).
   */
  deleteValue(key: string): Promise<void>;

  /** On a sealed store: the approval records' chain checked in full, and where it breaks (integrity/chain.ts). */
  approvalChain?(): Promise<ChainBreak | undefined>;

  close(): Promise<void>;
}

/**
 * The head a new audit record chains onto: the newest stored record, unless the recorded head is further on —
 * then records were removed from the end, and chaining onto the recorded head keeps that gap visible to verify
 * instead of letting new records paper over it.
 */
export function chainHead(lastStored: AuditHead | undefined, recorded: AuditHead | undefined): AuditHead | undefined {
  if (recorded && (!lastStored || recorded.seq > lastStored.seq)) return recorded;
  return lastStored;
}

export function matchesFilter(record: ApprovalRecord, filter: ApprovalFilter): boolean {
  const states = filter.state === undefined ? undefined : Array.isArray(filter.state) ? filter.state : [filter.state];
  if (states && !states.includes(record.state)) return false;
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  if (
    filter.requester &&
    !same(record.requester.id, filter.requester) &&
    !same(record.requester.name, filter.requester)
  )
    return false;
  if (filter.approver && !record.approvals.some((a) => same(a.by, filter.approver!) || same(a.name, filter.approver!)))
    return false;
  return true;
}

export function assertNextVersion(next: ApprovalRecord, expectedVersion: number): void {
  if (next.version !== expectedVersion + 1) {
    throw new Error(
      `compare-and-set of ${next.id}: the new version must be ${expectedVersion + 1}, not ${next.version}`,
    );
  }
}
