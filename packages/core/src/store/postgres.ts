/**
 * The PostgreSQL store, for several bot replicas sharing one state. Tables are created on open (under an advisory
 * lock, so replicas starting together do not trip over each other). A compare-and-set is one
 * `UPDATE … WHERE id = $1 AND version = $2`; audit appends take a transaction-scoped advisory lock, so the chain
 * is extended by one writer at a time and never forks (the seq primary key would refuse a fork anyway).
 * `?schema=name` in the URL keeps the tables in their own schema.
 * On a sealed store every approval write is also appended to tceops_approval_log, sealed as the next in a chain,
 * with the chain's sealed head in tceops_kv, in the same transaction (integrity/chain.ts). Each process walks the
 * log once and then only what was appended since, and reads a request only when its row is the newest record of
 * it in the log: a row rolled back to an older version, or log rows removed, reordered or swapped, are refused.
 */
import type pg from 'pg';
import { ConfigError } from '../api/errors.ts';
import type { ApprovalRecord } from '../approvals/types.ts';
import { auditLine } from '../audit/chain.ts';
import type { AuditHead, AuditRecord } from '../audit/types.ts';
import {
  type ChainBreak,
  type ChainLink,
  chainError,
  HEAD_READS,
  headBreak,
  headLagsBehind,
  newWalk,
  openHead,
  sealHead,
  sealNext,
  stepChain,
} from '../integrity/chain.ts';
import { maskStoreUrl } from './url.ts';
import { type ApprovalFilter, assertNextVersion, chainHead, type Store, type StoredAuditLine } from './types.ts';
import { approvalIdOf, readApproval } from './records.ts';
import { inert } from '../inert.ts';

const AUDIT_HEAD_KEY = 'tceops.audit.head';
const APPROVALS_HEAD_KEY = 'tceops.approvals.head';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresOptions {
  /** Most connections this process opens (default 10). */
  poolSize?: number;
  /** Seal approval writes into a chain with this key (the sealed store's; integrity/chain.ts). */
  chainKey?: Buffer;
}

/** A pool or a transaction's client: both query. */
type Db = Pick<pg.Pool, 'query'>;

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
  private readonly t: { approvals: string; audit: string; kv: string; log: string };
  /** The chain as this process has verified it, and the newest verified record of each request. */
  private walk = newWalk();
  private newest = new Map<string, ChainLink>();
  /** Chain checks within this process take turns: two at once would step the same rows twice. */
  private chainTurn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string | undefined,
    readonly location: string,
    private readonly chainKey: Buffer | undefined,
  ) {
    const prefix = schema ? `"${schema}".` : '';
    this.t = {
      approvals: `${prefix}tceops_approvals`,
      audit: `${prefix}tceops_audit`,
      kv: `${prefix}tceops_kv`,
      log: `${prefix}tceops_approval_log`,
    };
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
    const store = new PostgresStore(pool, schema, location, options.chainKey);
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
      await db.query(`CREATE TABLE IF NOT EXISTS ${this.t.log} (
        seq bigint PRIMARY KEY,
        id text NOT NULL,
        record jsonb NOT NULL)`);
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
    await this.writeApproval(record, async (db, sealed) => {
      const result = await db.query(
        `INSERT INTO ${this.t.approvals} (id, version, state, requester, requester_name, approvers, created_at, updated_at, record)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
        this.row(sealed),
      );
      if (result.rowCount !== 1) throw new Error(`approval ${record.id} exists already`);
      return true;
    });
  }

  /**
   * Writes one approval record: plainly, or on a sealed store under the approvals lock, with the chain checked, the
   * record sealed as the next, and the log row and the head written in the same transaction.
   */
  private async writeApproval(
    record: ApprovalRecord,
    write: (db: Db, sealed: ApprovalRecord) => Promise<boolean>,
  ): Promise<boolean> {
    const key = this.chainKey;
    if (!key) return write(this.pool, record);
    return this.transaction(async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tceops.approvals:${this.schema ?? ''}`]);
      const broken = await this.syncChain(db);
      if (broken) throw this.chainRefusal(broken);
      const sealed = sealNext(key, record, this.walk.last);
      if (!(await write(db, sealed))) return false;
      await db.query(`INSERT INTO ${this.t.log} (seq, id, record) VALUES ($1, $2, $3)`, [
        sealed.seq,
        sealed.id,
        JSON.stringify(sealed),
      ]);
      await db.query(
        `INSERT INTO ${this.t.kv} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [APPROVALS_HEAD_KEY, JSON.stringify(sealHead(key, { seq: sealed.seq!, link: sealed.link! }))],
      );
      return true;
    });
  }

  private chainRefusal(broken: ChainBreak) {
    return chainError(broken, `Restore ${this.t.approvals}, ${this.t.log} and ${this.t.kv} together from a backup`);
  }

  /** Runs `work` on the chain after the checks already running in this process. */
  private chainTask<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chainTurn.then(work);
    this.chainTurn = run.catch(() => {});
    return run;
  }

  /**
   * Brings this process's walk of the log up to date and checks it against the head: the rows appended since are
   * verified one by one; the rows already verified must all still be there (as many rows as the highest seq, the
   * newest verified one unchanged), or the whole log is walked again to say where it breaks.
   */
  private syncChain(db: Db, fresh = false): Promise<ChainBreak | undefined> {
    const key = this.chainKey!;
    return this.chainTask(async () => {
      if (fresh) {
        this.walk = newWalk();
        this.newest.clear();
      }
      let head = await this.readChainHead(db, key);
      const shape = await db.query<{ n: number; max: number }>(
        `SELECT count(*)::int AS n, coalesce(max(seq), 0)::int AS max FROM ${this.t.log}`,
      );
      const { n, max } = shape.rows[0]!;
      const last = this.walk.last;
      let intact = n === max && max >= (last?.seq ?? 0) && !this.walk.broken;
      if (intact && last) {
        const row = await db.query<{ link: string }>(
          `SELECT record->>'link' AS link FROM ${this.t.log} WHERE seq = $1`,
          [last.seq],
        );
        intact = row.rows[0]?.link === last.link;
      }
      if (!intact) {
        this.walk = newWalk();
        this.newest.clear();
      }
      await this.stepNewRows(db, key);
      // Another replica may have written between the head's read and the rows' (each a transaction of its own).
      for (let reads = 1; reads < HEAD_READS && headLagsBehind(head, this.walk.last?.seq); reads++) {
        head = await this.readChainHead(db, key);
        await this.stepNewRows(db, key);
      }
      return headBreak(this.walk, head, `${this.t.kv} key ${APPROVALS_HEAD_KEY}`);
    });
  }

  private async readChainHead(db: Db, key: Buffer) {
    const stored = await db.query<{ value: unknown }>(`SELECT value FROM ${this.t.kv} WHERE key = $1`, [
      APPROVALS_HEAD_KEY,
    ]);
    return openHead(key, stored.rows[0]?.value);
  }

  /** The log rows after the walk's newest, each stepped onto the chain. */
  private async stepNewRows(db: Db, key: Buffer): Promise<void> {
    const rows = await db.query<{ seq: string; record: ApprovalRecord }>(
      `SELECT seq, record FROM ${this.t.log} WHERE seq > $1 ORDER BY seq`,
      [this.walk.last?.seq ?? 0],
    );
    for (const row of rows.rows) {
      const where = `${this.t.log} seq ${row.seq}`;
      // A row set to something that is not a record by hand is stepped over like any forged one.
      if (!row.record || typeof row.record !== 'object') row.record = {} as ApprovalRecord;
      // The row's own seq must be the sealed one: a row renumbered by hand is out of place.
      if (Number.isInteger(row.record.seq) && Number(row.seq) !== row.record.seq && !this.walk.broken)
        this.walk.broken = {
          where,
          why: `the row holds record ${row.record.seq}: rows were renumbered`,
          ...(this.walk.last ? { lastGood: this.walk.last } : {}),
        };
      if (stepChain(key, this.walk, row.record, where)) this.newest.set(row.record.id, this.walk.last!);
    }
  }

  /** On a sealed store, before rows are read: refuses when the chain is broken. */
  private async syncOrRefuse(): Promise<void> {
    if (!this.chainKey) return;
    const broken = await this.syncChain(this.pool);
    if (broken) throw this.chainRefusal(broken);
  }

  /**
   * On a sealed store, rows read after syncOrRefuse: each must be the newest sealed record of its request. A row
   * newer than the walk was written by another replica since: the walk catches up once, then decides.
   */
  private async checkRows(records: ApprovalRecord[]): Promise<void> {
    if (!this.chainKey) return;
    const known = (r: ApprovalRecord) => (this.newest.get(r.id)?.seq ?? 0) >= (r.seq ?? 0);
    if (!records.every(known)) await this.syncOrRefuse();
    this.checkNewest(records);
  }

  /** Each row must be the newest sealed record of its request, as this process's walk of the log found it. */
  private checkNewest(records: ApprovalRecord[]): void {
    for (const record of records) {
      const newest = this.newest.get(record.id);
      if (newest && newest.seq === record.seq && newest.link === record.link) continue;
      throw new ConfigError(
        `${this.t.approvals} row ${inert(record.id)}: it holds version ${record.version} of the request, but the newest sealed record of it is ` +
          `${newest ? `version ${newest.version} (${newest.where})` : 'missing'}: the row was rolled back or replaced, so the request is refused and nothing was changed.\n` +
          `Restore ${this.t.approvals} and ${this.t.log} together from a backup; "tceops audit verify" shows what changed.`,
      );
    }
  }

  async getApproval(id: string): Promise<ApprovalRecord | undefined> {
    await this.syncOrRefuse();
    const result = await this.pool.query<{ record: ApprovalRecord }>(
      `SELECT record FROM ${this.t.approvals} WHERE id = $1`,
      [id],
    );
    const row = result.rows[0];
    const record = row && readApproval(row.record, `${this.t.approvals} row ${id}`);
    if (this.chainKey) {
      await this.checkRows(record ? [record] : []);
      const newest = this.newest.get(id);
      if (!record && newest)
        throw new ConfigError(
          `${this.t.approvals}: the row of ${inert(id)} is missing, but its version ${newest.version} is sealed in ${newest.where}: it was removed, so the request is refused.\n` +
            `Restore ${this.t.approvals} and ${this.t.log} together from a backup; "tceops audit verify" shows what changed.`,
        );
    }
    return record;
  }

  /** The whole log walked again and every row checked against it (`tceops audit verify`). */
  async approvalChain(): Promise<ChainBreak | undefined> {
    if (!this.chainKey) return undefined;
    const broken = await this.syncChain(this.pool, true);
    if (broken) return broken;
    const rows = await this.pool.query<{ id: string; record: ApprovalRecord }>(
      `SELECT id, record FROM ${this.t.approvals}`,
    );
    // A row written by a replica since the walk: catch up once before judging.
    if (rows.rows.some((r) => (this.newest.get(r.id)?.seq ?? 0) < (r.record?.seq ?? 0))) {
      const late = await this.syncChain(this.pool);
      if (late) return late;
    }
    for (const { id, record } of rows.rows) {
      const newest = this.newest.get(id);
      if (!newest || newest.seq !== record?.seq || newest.link !== record?.link)
        return {
          where: `${this.t.approvals} row ${id}`,
          why: `the row is not the newest sealed record of ${id}${newest ? ` (that is version ${newest.version}, ${newest.where})` : ''}: it was rolled back or replaced`,
        };
    }
    const ids = new Set(rows.rows.map((r) => r.id));
    for (const [id, newest] of this.newest)
      if (!ids.has(id))
        return {
          where: this.t.approvals,
          why: `the row of ${id} is missing, but ${newest.where} seals it: it was removed`,
        };
    return undefined;
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
    await this.syncOrRefuse();
    const result = await this.pool.query<{ record: ApprovalRecord }>(sql, values);
    const records = result.rows.map((r) =>
      readApproval(r.record, `${this.t.approvals} row ${approvalIdOf(r.record) ?? '?'}`),
    );
    // A listing with a rolled-back request in it would mislead: refuse it, naming the row.
    await this.checkRows(records);
    return records;
  }

  async compareAndSetApproval(next: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    assertNextVersion(next, expectedVersion);
    const done = await this.writeApproval(next, async (db, sealed) => {
      if (this.chainKey) {
        // The row being replaced must be the newest sealed record of the request, or a rollback would be built on.
        const current = await db.query<{ record: ApprovalRecord }>(
          `SELECT record FROM ${this.t.approvals} WHERE id = $1`,
          [next.id],
        );
        const row = current.rows[0]?.record;
        if (row?.version === expectedVersion) this.checkNewest([row]);
      }
      const [id, version, state, requester, requesterName, approvers, , updatedAt, record] = this.row(sealed);
      const result = await db.query(
        `UPDATE ${this.t.approvals}
         SET version = $3, state = $4, requester = $5, requester_name = $6, approvers = $7, updated_at = $8, record = $9
         WHERE id = $1 AND version = $2`,
        [id, expectedVersion, version, state, requester, requesterName, approvers, updatedAt, record],
      );
      return result.rowCount === 1;
    });
    if (done) return true;
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

  async deleteValue(key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.t.kv} WHERE key = $1`, [key]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
