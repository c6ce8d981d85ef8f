/**
 * The PostgreSQL store, for several bot replicas sharing one state. Tables are created on open (under an advisory
 * lock, so replicas starting together do not trip over each other). A compare-and-set is one
 * `UPDATE … WHERE id = $1 AND version = $2`; audit appends take a transaction-scoped advisory lock, so the chain
 * is extended by one writer at a time and never forks (the seq primary key would refuse a fork anyway).
 * `?schema=name` in the URL keeps the tables in their own schema.
 */
import type pg from 'pg';
import { ConfigError } from '../api/errors.ts';
import type { ApprovalRecord } from '../approvals/types.ts';
import { auditLine } from '../audit/chain.ts';
import type { AuditHead, AuditRecord } from '../audit/types.ts';
import { maskStoreUrl } from './url.ts';
import { type ApprovalFilter, assertNextVersion, chainHead, type Store, type StoredAuditLine } from './types.ts';
import { approvalIdOf, readApproval } from './records.ts';

const AUDIT_HEAD_KEY = 'tceops.audit.head';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresOptions {
  /** Most connections this process opens (default 10). */
  poolSize?: number;
}

function approverKeys(record: ApprovalRecord): string[] {
  return [
    ...new Set(
      record.approvals
        .flatMap((a) => [a.by, a.name])
        .filter((v): v is string => Boolean(v))
        .map((v) => v.toLowerCase()),
    ),
  ];
}

export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private readonly t: { approvals: string; audit: string; kv: string };

  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string | undefined,
    readonly location: string,
  ) {
    const prefix = schema ? `"${schema}".` : '';
    this.t = { approvals: `${prefix}tceops_approvals`, audit: `${prefix}tceops_audit`, kv: `${prefix}tceops_kv` };
  }

  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const location = maskStoreUrl(url);
    let connectionString = url;
    let schema: string | undefined;
    try {
      const parsed = new URL(url);
      schema = parsed.searchParams.get('schema') ?? undefined;
      parsed.searchParams.delete('schema');
      connectionString = parsed.toString();
    } catch {
      throw new ConfigError(`TCEOPS_STORE "${location}" is not a valid PostgreSQL URL.`);
    }
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new ConfigError(
        `TCEOPS_STORE: schema "${schema}" must be lower-case letters, digits and _, starting with a letter or _.`,
      );
    }
    // PostgreSQL's client is loaded only here: it costs every command that uses the file store 40 ms to load.
    const { default: client } = await import('pg');
    const pool = new client.Pool({ connectionString, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server must not bring the process down; the next query reconnects.
    pool.on('error', () => {});
    const store = new PostgresStore(pool, schema, location);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new ConfigError(
        `cannot use the PostgreSQL store at ${location}: ${(error as Error).message}\n` +
          'Check that the server runs and accepts this user and database, or set TCEOPS_STORE=file:<dir> to use files.',
      );
    }
    return store;
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tceops.migrate:${this.schema ?? ''}`]);
      if (this.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await db.query(`CREATE TABLE IF NOT EXISTS ${this.t.approvals} (
        id text PRIMARY KEY,
        version integer NOT NULL,
        state text NOT NULL,
        requester text NOT NULL,
        requester_name text,
        approvers text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        record jsonb NOT NULL)`);
      await db.query(`CREATE INDEX IF NOT EXISTS tceops_approvals_state ON ${this.t.approvals} (state)`);
      await db.query(
        `CREATE INDEX IF NOT EXISTS tceops_approvals_created ON ${this.t.approvals} (created_at DESC, id DESC)`,
      );
      await db.query(`CREATE TABLE IF NOT EXISTS ${this.t.audit} (
        seq bigint PRIMARY KEY,
        hash text NOT NULL,
        line text NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now())`);
      await db.query(`CREATE TABLE IF NOT EXISTS ${this.t.kv} (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    });
  }

  private row(record: ApprovalRecord): unknown[] {
    return [
      record.id,
      record.version,
      record.state,
      record.requester.id.toLowerCase(),
      record.requester.name?.toLowerCase() ?? null,
      approverKeys(record),
      record.createdAt,
      record.updatedAt,
      JSON.stringify(record),
    ];
  }

  async createApproval(record: ApprovalRecord): Promise<void> {
    if (record.version !== 1) throw new Error(`a new approval starts at version 1, not ${record.version}`);
    const result = await this.pool.query(
      `INSERT INTO ${this.t.approvals} (id, version, state, requester, requester_name, approvers, created_at, updated_at, record)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      this.row(record),
    );
    if (result.rowCount !== 1) throw new Error(`approval ${record.id} exists already`);
  }

  async getApproval(id: string): Promise<ApprovalRecord | undefined> {
    const result = await this.pool.query<{ record: ApprovalRecord }>(
      `SELECT record FROM ${this.t.approvals} WHERE id = $1`,
      [id],
    );
    const row = result.rows[0];
    return row && readApproval(row.record, `${this.t.approvals} row ${id}`);
  }

  async listApprovals(filter: ApprovalFilter = {}): Promise<ApprovalRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.state !== undefined) {
      values.push(Array.isArray(filter.state) ? filter.state : [filter.state]);
      where.push(`state = ANY($${values.length})`);
    }
    if (filter.requester) {
      values.push(filter.requester.toLowerCase());
      where.push(`(requester = $${values.length} OR requester_name = $${values.length})`);
    }
    if (filter.approver) {
      values.push(filter.approver.toLowerCase());
      where.push(`$${values.length} = ANY(approvers)`);
    }
    let sql = `SELECT record FROM ${this.t.approvals}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC`;
    if (filter.limit) {
      values.push(filter.limit);
      sql += ` LIMIT $${values.length}`;
    }
    const result = await this.pool.query<{ record: ApprovalRecord }>(sql, values);
    return result.rows.map((r) => readApproval(r.record, `${this.t.approvals} row ${approvalIdOf(r.record) ?? '?'}`));
  }

  async compareAndSetApproval(next: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    assertNextVersion(next, expectedVersion);
    const [id, version, state, requester, requesterName, approvers, , updatedAt, record] = this.row(next);
    const result = await this.pool.query(
      `UPDATE ${this.t.approvals}
       SET version = $3, state = $4, requester = $5, requester_name = $6, approvers = $7, updated_at = $8, record = $9
       WHERE id = $1 AND version = $2`,
      [id, expectedVersion, version, state, requester, requesterName, approvers, updatedAt, record],
    );
    if (result.rowCount === 1) return true;
    const exists = await this.pool.query(`SELECT 1 FROM ${this.t.approvals} WHERE id = $1`, [next.id]);
    if (exists.rowCount === 0) throw new Error(`approval ${next.id} does not exist`);
    return false;
  }

  async appendAudit(build: (head: AuditHead | undefined) => AuditRecord): Promise<AuditRecord> {
    return this.transaction(async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tceops.audit:${this.schema ?? ''}`]);
      const last = await db.query<{ seq: string; hash: string }>(
        `SELECT seq, hash FROM ${this.t.audit} ORDER BY seq DESC LIMIT 1`,
      );
      const recorded = await db.query<{ value: AuditHead }>(`SELECT value FROM ${this.t.kv} WHERE key = $1`, [
        AUDIT_HEAD_KEY,
      ]);
      const stored = last.rows[0] ? { seq: Number(last.rows[0].seq), hash: last.rows[0].hash } : undefined;
      const head = chainHead(stored, recorded.rows[0]?.value);
      const record = build(head);
      if (record.seq !== (head?.seq ?? 0) + 1)
        throw new Error(`audit record ${record.seq} does not follow the head ${head?.seq ?? 0}`);
      await db.query(`INSERT INTO ${this.t.audit} (seq, hash, line) VALUES ($1, $2, $3)`, [
        record.seq,
        record.hash,
        auditLine(record),
      ]);
      await db.query(
        `INSERT INTO ${this.t.kv} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [AUDIT_HEAD_KEY, JSON.stringify({ seq: record.seq, hash: record.hash })],
      );
      return record;
    });
  }

  async readAuditLines(): Promise<StoredAuditLine[]> {
    const result = await this.pool.query<{ seq: string; line: string }>(
      `SELECT seq, line FROM ${this.t.audit} ORDER BY seq`,
    );
    return result.rows.map((r) => ({ where: `${this.t.audit} seq ${r.seq}`, text: r.line }));
  }

  async auditHead(): Promise<AuditHead | undefined> {
    return (await this.getValue(AUDIT_HEAD_KEY)) as AuditHead | undefined;
  }

  async getValue(key: string): Promise<unknown> {
    const result = await this.pool.query<{ value: unknown }>(`SELECT value FROM ${this.t.kv} WHERE key = $1`, [key]);
    return result.rows[0]?.value;
  }

  async setValue(key: string, value: unknown): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.t.kv} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  }

  async setValueIfAbsent(key: string, value: unknown): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO ${this.t.kv} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [key, JSON.stringify(value)],
    );
    return result.rowCount === 1;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
