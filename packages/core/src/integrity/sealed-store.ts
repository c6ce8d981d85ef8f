/**
 * A store whose records carry a keyed MAC: approval records, audit records and stored values are sealed when
 * written and checked when read. A record changed outside tceops — `"selfApproval": true` appended to the file
 * store, a row edited in PostgreSQL, an audit chain rewritten and re-hashed — is refused, never obeyed.
 * Approval writes are also chained (chain.ts): the inner store seals each one as the next in the chain under its
 * own write lock, so removing, reordering or rolling back approval records is refused too. Removing audit records
 * is left for `tceops audit verify` to report (the audit chain and its sealed head show it).
 */
import { ConfigError, RefusedError } from '../api/errors.ts';
import type { ApprovalRecord } from '../approvals/types.ts';
import type { AuditHead, AuditRecord } from '../audit/types.ts';
import type { ApprovalFilter, Store, StoredAuditLine } from '../store/types.ts';
import { type ChainBreak, contentHolds, unchained } from './chain.ts';
import { macHolds, macOf, unsealed } from './seal.ts';

/** Kept as a stored value after each append: the newest record, sealed, so cutting the log short shows. */
export const SEALED_HEAD_KEY = 'tceops.audit.sealed-head';

interface SealedValue {
  sealed: unknown;
  key: string;
  mac: string;
}

export class SealedStore implements Store {
  constructor(
    readonly inner: Store,
    private readonly key: Buffer,
    /** Where the key came from, for messages. */
    readonly keySource: string,
  ) {}

  get kind() {
    return this.inner.kind;
  }
  get location() {
    return this.inner.location;
  }

  approvalHolds(record: ApprovalRecord): boolean {
    return contentHolds(this.key, record);
  }

  auditHolds(record: AuditRecord): boolean {
    return macHolds(this.key, 'audit', unsealed(record), record.mac);
  }

  private opened(record: ApprovalRecord): ApprovalRecord {
    if (!this.approvalHolds(record))
      throw new RefusedError(
        `approval ${record.id} (version ${record.version}) was changed outside tceops: its seal does not match, so it is refused and nothing was done`,
        'TamperedRecord',
        'run "tceops audit verify" and look at the store; ask again with a new request',
      );
    return unchained(record);
  }

  /** The inner store seals it (openStore gives it the key): the chain's place is known only under its lock. */
  createApproval(record: ApprovalRecord): Promise<void> {
    return this.inner.createApproval(unchained(record));
  }

  async getApproval(id: string): Promise<ApprovalRecord | undefined> {
    const record = await this.inner.getApproval(id);
    return record && this.opened(record);
  }

  /** Only records whose seal holds; a tampered one is left out (and `getApproval` refuses it by name). */
  async listApprovals(filter?: ApprovalFilter): Promise<ApprovalRecord[]> {
    const records = await this.inner.listApprovals(filter);
    return records.filter((r) => this.approvalHolds(r)).map(unchained);
  }

  compareAndSetApproval(next: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    return this.inner.compareAndSetApproval(unchained(next), expectedVersion);
  }

  approvalChain(): Promise<ChainBreak | undefined> {
    return this.inner.approvalChain?.() ?? Promise.resolve(undefined);
  }

  async appendAudit(build: (head: AuditHead | undefined) => AuditRecord): Promise<AuditRecord> {
    const record = await this.inner.appendAudit((head) => {
      const built = unsealed(build(head)) as AuditRecord;
      return { ...built, mac: macOf(this.key, 'audit', built) };
    });
    // The record is written; a damaged value file must not stop the audit (verify reports that damage).
    await this.setValue(SEALED_HEAD_KEY, { seq: record.seq, hash: record.hash }).catch((error) => {
      if (!(error instanceof ConfigError)) throw error;
    });
    return record;
  }

  readAuditLines(): Promise<StoredAuditLine[]> {
    return this.inner.readAuditLines();
  }

  auditHead(): Promise<AuditHead | undefined> {
    return this.inner.auditHead();
  }

  /** The head as sealed at the last append, or undefined; throws when it was changed. */
  async sealedHead(): Promise<AuditHead | undefined> {
    return (await this.getValue(SEALED_HEAD_KEY)) as AuditHead | undefined;
  }

  private seal(key: string, value: unknown): SealedValue {
    return { sealed: value, key, mac: macOf(this.key, 'value', { key, value }) };
  }

  async getValue(key: string): Promise<unknown> {
    const stored = (await this.inner.getValue(key)) as SealedValue | undefined;
    if (stored === undefined) return undefined;
    if (
      !stored ||
      typeof stored !== 'object' ||
      stored.key !== key ||
      !macHolds(this.key, 'value', { key, value: stored.sealed }, stored.mac)
    )
      throw new RefusedError(
        `the stored value "${key}" was changed outside tceops: its seal does not match, so it is refused`,
        'TamperedRecord',
      );
    return stored.sealed;
  }

  setValue(key: string, value: unknown): Promise<void> {
    return this.inner.setValue(key, this.seal(key, value));
  }

  setValueIfAbsent(key: string, value: unknown): Promise<boolean> {
    return this.inner.setValueIfAbsent(key, this.seal(key, value));
  }

  /**
   * A removal carries no seal: a MAC proves a value present was written by tceops, and cannot prove a value absent.
   * Whoever can write the store could remove a value as well (a line, a row), so this adds no new power over it.
   */
  deleteValue(key: string): Promise<void> {
    return this.inner.deleteValue(key);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
