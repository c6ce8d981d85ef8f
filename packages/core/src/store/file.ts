/**
 * The file store (the default): a directory of append-only JSON-lines files, each write fsync'd.
 *   approvals.jsonl  every version of every request, one per line; the highest version of an ID is current
 *   audit.jsonl      the hash-chained audit log, one record per line
 *   approvals.head   on a sealed store, the sealed head of the approval records' chain (integrity/chain.ts),
 *                    replaced atomically (write, fsync, rename) after each approval write
 *   kv.jsonl         small values (and the audit head), the last line for a key wins; a line {key, deleted: true}
 *                    removes the key. Rewritten with only the current values (write, fsync, rename) once most of
 *                    its lines are overwritten or removed values, so it does not grow with every message paced.
 *   lock             held while writing; safe for several processes on one machine
 * Reads pick up what other processes appended since (only complete lines: a line still being written, or left
 * half-written by a crash, is not read, and the next writer cuts it off).
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../api/errors.ts';
import type { ApprovalRecord } from '../approvals/types.ts';
import { auditLine } from '../audit/chain.ts';
import type { AuditHead, AuditRecord } from '../audit/types.ts';
import {
  type ChainBreak,
  type ChainHead,
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
import { FileLock, type LockOptions } from './lock.ts';
import { approvalIdOf, approvalProblem, damagedStore, kvProblem, readLine } from './records.ts';
import {
  type ApprovalFilter,
  assertNextVersion,
  chainHead,
  matchesFilter,
  type Store,
  type StoredAuditLine,
} from './types.ts';

const AUDIT_HEAD_KEY = 'tceops.audit.head';
/** kv.jsonl is rewritten when it holds more lines than this and more than twice as many as there are values. */
const KV_COMPACT_LINES = 1000;
const APPROVALS_HEAD = 'approvals.head';

export interface FileStoreOptions extends LockOptions {
  /** Seal approval writes into a chain with this key (the sealed store's; integrity/chain.ts). */
  chainKey?: Buffer;
}

/**
 * The newest complete line of a file that is not blank, read backwards from its end 64 kB at a time: a line still
 * being written (no newline yet) is not complete. Undefined when the file is missing or has no such line.
 */
/**
 * How far back from its end the log is read for its last record: records are a few kB, so more than this without
 * one is a damaged (or hand-edited) file, refused rather than read whole.
 */
const MAX_TAIL_BYTES = 8 * 1024 * 1024;

async function lastCompleteLine(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const chunk = 64 * 1024;
    // The bytes from `start` to the end of the file, last chunk last; joined only when a new chunk holds a newline.
    let chunks: Buffer[] = [];
    let read = 0;
    for (let start = size; start > 0; ) {
      if (read >= MAX_TAIL_BYTES)
        throw new ConfigError(
          `${path}: no complete record in its last ${MAX_TAIL_BYTES / (1024 * 1024)} MB; the log is damaged and nothing was recorded. Run "tceops audit verify" to see where.`,
        );
      const from = Math.max(0, start - chunk);
      const buffer = Buffer.alloc(start - from);
      await handle.read(buffer, 0, buffer.length, from);
      chunks.unshift(buffer);
      read += buffer.length;
      start = from;
      if (buffer.indexOf(10) < 0 && start > 0) continue;
      const tail = Buffer.concat(chunks);
      chunks = [tail];
      const end = tail.lastIndexOf(10);
      if (end < 0) continue;
      // Complete lines end at a newline; the first one read may have begun before `start` unless that is 0.
      const lines = tail.subarray(0, end).toString('utf8').split('\n');
      for (let i = lines.length - 1; i >= (start === 0 ? 0 : 1); i--) if (lines[i]!.trim() !== '') return lines[i];
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Reads an append-only file incrementally: only what was appended since the last read, complete lines only. */
class LineReader {
  private offset = 0;
  private line = 0;
  private inode = 0;
  /** Reads within one process take turns: two at once would both count the same bytes. */
  private turn: Promise<unknown> = Promise.resolve();
  constructor(readonly path: string) {}

  readNew(): Promise<{ reset: boolean; lines: { n: number; text: string }[] }> {
    const run = this.turn.then(() => this.read());
    this.turn = run.catch(() => {});
    return run;
  }

  private async read(): Promise<{ reset: boolean; lines: { n: number; text: string }[] }> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const reset = this.offset > 0;
      this.offset = 0;
      this.line = 0;
      return { reset, lines: [] };
    }
    try {
      const { size, ino } = await handle.stat();
      let reset = false;
      if (size < this.offset || (this.inode !== 0 && ino !== this.inode)) {
        // Replaced (a repair, a restore) or cut shorter: read it all again.
        this.offset = 0;
        this.line = 0;
        reset = true;
      }
      this.inode = ino;
      if (size === this.offset) return { reset, lines: [] };
      const buffer = Buffer.alloc(size - this.offset);
      await handle.read(buffer, 0, buffer.length, this.offset);
      const end = buffer.lastIndexOf(10);
      if (end < 0) return { reset, lines: [] };
      this.offset += end + 1;
      const lines = buffer
        .subarray(0, end)
        .toString('utf8')
        .split('\n')
        .map((text) => ({ n: ++this.line, text }));
      return { reset, lines };
    } finally {
      await handle.close();
    }
  }
}

export class FileStore implements Store {
  readonly kind = 'file';
  readonly location: string;
  private readonly lock: FileLock;
  private readonly approvalsReader: LineReader;
  private readonly kvReader: LineReader;
  private readonly approvals = new Map<string, ApprovalRecord>();
  private readonly kv = new Map<string, unknown>();
  /**
   * Lines read from kv.jsonl since it was last read from the start (this process's own appends are counted when
   * read back): with kv.size, when to rewrite it.
   */
  private kvLines = 0;
  /**
   * Damage found while reading, kept to what it can affect. A line whose approval ID is readable spoils only that
   * request (while no later version supersedes it); a line with no readable ID could be any request's newest
   * version, so every approval operation is refused. A damaged kv line could be any key's newest value (a used
   * confirmation, the audit head), so every kv operation is refused. Commands that need neither keep working.
   */
  private approvalsDamage: ConfigError | undefined;
  private readonly damagedApprovals = new Map<string, { version: number; error: ConfigError }>();
  private kvDamage: ConfigError | undefined;
  /** On a sealed store: the approval records' chain as read so far, and its break, if any (all refused then). */
  private readonly chainKey: Buffer | undefined;
  private walk = newWalk();
  /**
   * Records read but not yet walked, and the head read before them: the walk (a MAC per record) is done when an
   * approval operation needs it, so commands that touch no approval do not pay it at every start.
   */
  private unwalked: { record: ApprovalRecord; where: string }[] = [];
  private head: ChainHead | undefined | 'tampered';
  /** Work within this process queues here before taking the file lock, instead of spinning on it. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly dir: string,
    options: FileStoreOptions,
  ) {
    this.location = dir;
    this.chainKey = options.chainKey;
    this.lock = new FileLock(join(dir, 'lock'), options);
    this.approvalsReader = new LineReader(join(dir, 'approvals.jsonl'));
    this.kvReader = new LineReader(join(dir, 'kv.jsonl'));
  }

  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new ConfigError(
        `cannot use ${dir} as the tceops store: ${(error as Error).message}\nSet TCEOPS_STORE=file:<a writable directory>.`,
      );
    }
    const store = new FileStore(dir, options);
    await store.refreshApprovals();
    return store;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`the store ${this.dir} is closed`));
    const run = this.queue.then(() => this.lock.run(work));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Append lines and fsync; first cut off a half-written line a crashed writer may have left. */
  private async append(name: string, lines: string[]): Promise<void> {
    const path = join(this.dir, name);
    const handle = await open(path, 'a+', 0o600);
    let created = false;
    try {
      const { size } = await handle.stat();
      created = size === 0;
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 10) await handle.truncate(await this.lastNewlineEnd(handle, size));
      }
      await handle.write(lines.map((l) => `${l}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) await this.syncDir();
  }

  private async lastNewlineEnd(handle: Awaited<ReturnType<typeof open>>, size: number): Promise<number> {
    const chunk = 64 * 1024;
    for (let end = size; end > 0; end -= chunk) {
      const start = Math.max(0, end - chunk);
      const buffer = Buffer.alloc(end - start);
      await handle.read(buffer, 0, buffer.length, start);
      const at = buffer.lastIndexOf(10);
      if (at >= 0) return start + at + 1;
    }
    return 0;
  }

  /** A new file's directory entry must reach the disk too, or a crash could lose the whole file. */
  private async syncDir(): Promise<void> {
    const handle = await open(this.dir, 'r');
    try {
      await handle.sync();
    } catch {
      // Some file systems do not sync directories; the data itself is synced.
    } finally {
      await handle.close();
    }
  }

  private async refreshApprovals(): Promise<void> {
    for (let reads = 1; ; reads++) {
      // The head before the records: it is written after them, so read in this order it is never ahead of them.
      if (this.chainKey) this.head = await this.readChainHead(this.chainKey);
      await this.readNewApprovals();
      const newest = (this.unwalked.at(-1)?.record ?? this.walk.last)?.seq;
      if (reads === HEAD_READS || !headLagsBehind(this.head, newest)) return;
    }
  }

  private async readNewApprovals(): Promise<void> {
    const { reset, lines } = await this.approvalsReader.readNew();
    if (reset) {
      this.approvals.clear();
      this.damagedApprovals.clear();
      this.approvalsDamage = undefined;
      this.walk = newWalk();
      this.unwalked = [];
    }
    for (const { n, text } of lines) {
      if (!text.trim()) continue;
      const where = `${this.approvalsReader.path}:${n}`;
      const line = readLine(text);
      const problem = line.ok ? approvalProblem(line.value) : line.why;
      if (!problem) {
        const record = (line as { value: ApprovalRecord }).value;
        const current = this.approvals.get(record.id);
        if (!current || record.version > current.version) this.approvals.set(record.id, record);
        if (this.chainKey) this.unwalked.push({ record, where });
        continue;
      }
      const id = line.ok ? approvalIdOf(line.value) : undefined;
      // A request damaged in place keeps its place in the chain (its link still holds): that request's problem only.
      if (this.chainKey && id !== undefined)
        this.unwalked.push({ record: (line as { value: ApprovalRecord }).value, where });
      if (id === undefined) {
        this.approvalsDamage ??= damagedStore(where, problem);
      } else if (!this.damagedApprovals.has(id)) {
        const version = (line as { value: { version?: unknown } }).value.version;
        this.damagedApprovals.set(id, {
          version: Number.isInteger(version) ? (version as number) : Number.POSITIVE_INFINITY,
          error: damagedStore(where, problem),
        });
      }
    }
  }

  /** The chain walked up to the records read, and checked against the head read before them. */
  private chainBreak(): ChainBreak | undefined {
    if (!this.chainKey) return undefined;
    for (const { record, where } of this.unwalked) stepChain(this.chainKey, this.walk, record, where);
    this.unwalked = [];
    return headBreak(this.walk, this.head, join(this.dir, APPROVALS_HEAD));
  }

  /** The approval records' chain checked now (sealed stores; `tceops audit verify`). */
  async approvalChain(): Promise<ChainBreak | undefined> {
    await this.refreshApprovals();
    return this.chainBreak();
  }

  /** On a sealed store, the record sealed as the next in the chain; written, then the head. */
  private async appendApproval(record: ApprovalRecord): Promise<ApprovalRecord> {
    const sealed = this.chainKey ? sealNext(this.chainKey, record, this.walk.last) : record;
    await this.append('approvals.jsonl', [JSON.stringify(sealed)]);
    if (this.chainKey) await this.writeChainHead(this.chainKey, sealed);
    return sealed;
  }

  /** The sealed head, undefined when absent, 'tampered' when unreadable or its seal does not hold. */
  private async readChainHead(key: Buffer) {
    let text: string;
    try {
      text = await readFile(join(this.dir, APPROVALS_HEAD), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const line = readLine(text);
    return line.ok ? openHead(key, line.value) : 'tampered';
  }

  /** Replaces the head atomically: a reader sees the old head or the new one, never a part. */
  private async writeChainHead(key: Buffer, record: ApprovalRecord): Promise<void> {
    const path = join(this.dir, APPROVALS_HEAD);
    const handle = await open(`${path}.tmp`, 'w', 0o600);
    try {
      await handle.write(`${JSON.stringify(sealHead(key, { seq: record.seq!, link: record.link! }))}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // No directory sync: a rename lost in a crash leaves the head one write behind, which readers accept.
    await rename(`${path}.tmp`, path);
  }

  /** Refuse when the approvals file, or this request, is damaged (see the fields above). */
  private checkApprovals(id?: string): void {
    if (this.approvalsDamage) throw this.approvalsDamage;
    const broken = this.chainBreak();
    if (broken)
      throw chainError(broken, `Restore ${APPROVALS_HEAD} and approvals.jsonl together from a backup of ${this.dir}`);
    const ids = id === undefined ? [...this.damagedApprovals.keys()] : [id];
    for (const each of ids) {
      const damage = this.damagedApprovals.get(each);
      if (damage && damage.version >= (this.approvals.get(each)?.version ?? 0)) throw damage.error;
    }
  }

  /** `refuseDamage` false: read what is readable (the audit head, see appendAudit) without refusing. */
  private async refreshKv(refuseDamage = true): Promise<void> {
    const { reset, lines } = await this.kvReader.readNew();
    if (reset) {
      this.kv.clear();
      this.kvDamage = undefined;
      this.kvLines = 0;
    }
    for (const { n, text } of lines) {
      if (!text.trim()) continue;
      this.kvLines++;
      const line = readLine(text);
      const problem = line.ok ? kvProblem(line.value) : line.why;
      if (problem) {
        this.kvDamage ??= damagedStore(`${this.kvReader.path}:${n}`, problem);
        continue;
      }
      const entry = (line as { value: { key: string; value: unknown; deleted?: unknown } }).value;
      if (entry.deleted === true) this.kv.delete(entry.key);
      else this.kv.set(entry.key, entry.value);
    }
    if (this.kvDamage && refuseDamage) throw this.kvDamage;
  }

  async createApproval(record: ApprovalRecord): Promise<void> {
    if (record.version !== 1) throw new Error(`a new approval starts at version 1, not ${record.version}`);
    await this.exclusive(async () => {
      await this.refreshApprovals();
      this.checkApprovals(record.id);
      if (this.approvals.has(record.id)) throw new Error(`approval ${record.id} exists already`);
      this.approvals.set(record.id, structuredClone(await this.appendApproval(record)));
    });
  }

  async getApproval(id: string): Promise<ApprovalRecord | undefined> {
    await this.refreshApprovals();
    this.checkApprovals(id);
    const record = this.approvals.get(id);
    return record && structuredClone(record);
  }

  async listApprovals(filter: ApprovalFilter = {}): Promise<ApprovalRecord[]> {
    await this.refreshApprovals();
    // A listing with a damaged request left out would mislead: refuse it, naming the line.
    this.checkApprovals();
    const found = [...this.approvals.values()]
      .filter((r) => matchesFilter(r, filter))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    return structuredClone(filter.limit ? found.slice(0, filter.limit) : found);
  }

  async compareAndSetApproval(next: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    assertNextVersion(next, expectedVersion);
    return this.exclusive(async () => {
      await this.refreshApprovals();
      this.checkApprovals(next.id);
      const current = this.approvals.get(next.id);
      if (!current) throw new Error(`approval ${next.id} does not exist`);
      if (current.version !== expectedVersion) return false;
      this.approvals.set(next.id, structuredClone(await this.appendApproval(next)));
      return true;
    });
  }

  async appendAudit(build: (head: AuditHead | undefined) => AuditRecord): Promise<AuditRecord> {
    return this.exclusive(async () => {
      // A damaged kv line does not stop the audit: the head chains onto the newest stored record or the newest
      // readable recorded head, so reads keep working; verify still reports the damage.
      await this.refreshKv(false);
      const head = chainHead(await this.lastAuditRecord(), this.kv.get(AUDIT_HEAD_KEY) as AuditHead | undefined);
      const record = build(head);
      if (record.seq !== (head?.seq ?? 0) + 1) {
        throw new Error(`audit record ${record.seq} does not follow the head ${head?.seq ?? 0}`);
      }
      await this.append('audit.jsonl', [auditLine(record)]);
      await this.append('kv.jsonl', [
        JSON.stringify({ key: AUDIT_HEAD_KEY, value: { seq: record.seq, hash: record.hash } }),
      ]);
      this.kv.set(AUDIT_HEAD_KEY, { seq: record.seq, hash: record.hash });
      await this.compactKv();
      return record;
    });
  }

  /**
   * The newest complete audit record, read from the end of the log (each command chains onto it: reading a log that
   * grows for years from the start would make every command slower, and bigger, with each one before it);
   * refuses to chain onto a line that is not a record.
   */
  private async lastAuditRecord(): Promise<AuditHead | undefined> {
    const path = join(this.dir, 'audit.jsonl');
    const text = await lastCompleteLine(path);
    if (text === undefined) return undefined;
    try {
      const record = JSON.parse(text) as AuditRecord;
      if (typeof record.seq === 'number' && typeof record.hash === 'string')
        return { seq: record.seq, hash: record.hash };
    } catch {
      // reported below
    }
    throw new ConfigError(
      `${path} (its last line): the newest audit record is damaged; nothing was recorded. Run "tceops audit verify" to see what changed.`,
    );
  }

  async readAuditLines(): Promise<StoredAuditLine[]> {
    const path = join(this.dir, 'audit.jsonl');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // A last line with no newline was never acknowledged (a crash mid-write): not part of the log.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    return complete
      .split('\n')
      .slice(0, -1)
      .map((line, i) => ({ where: `${path}:${i + 1}`, text: line }))
      .filter((l) => l.text.trim() !== '');
  }

  async auditHead(): Promise<AuditHead | undefined> {
    await this.refreshKv();
    return this.kv.get(AUDIT_HEAD_KEY) as AuditHead | undefined;
  }

  async getValue(key: string): Promise<unknown> {
    await this.refreshKv();
    const value = this.kv.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  async setValue(key: string, value: unknown): Promise<void> {
    await this.exclusive(async () => {
      await this.refreshKv();
      await this.append('kv.jsonl', [JSON.stringify({ key, value })]);
      this.kv.set(key, structuredClone(value));
      await this.compactKv();
    });
  }

  async setValueIfAbsent(key: string, value: unknown): Promise<boolean> {
    return this.exclusive(async () => {
      await this.refreshKv();
      if (this.kv.has(key)) return false;
      await this.append('kv.jsonl', [JSON.stringify({ key, value })]);
      this.kv.set(key, structuredClone(value));
      await this.compactKv();
      return true;
    });
  }

  async deleteValue(key: string): Promise<void> {
    await this.exclusive(async () => {
      await this.refreshKv();
      if (!this.kv.has(key)) return;
      await this.append('kv.jsonl', [JSON.stringify({ key, deleted: true })]);
      this.kv.delete(key);
      await this.compactKv();
    });
  }

  /**
   * Under the lock, once most lines of kv.jsonl are overwritten or removed values: rewrite it with one line per
   * current value, atomically (a reader sees the old file or the new one; other processes' readers see a new file
   * and read it from the start). Values are copied as stored, so their seals hold. Never while a line is damaged:
   * that would erase what `tceops audit verify` must show.
   */
  private async compactKv(): Promise<void> {
    if (this.kvDamage || this.kvLines <= KV_COMPACT_LINES || this.kvLines <= 2 * this.kv.size) return;
    const path = join(this.dir, 'kv.jsonl');
    const handle = await open(`${path}.tmp`, 'w', 0o600);
    try {
      const lines = [...this.kv].map(([key, value]) => `${JSON.stringify({ key, value })}\n`);
      await handle.write(lines.join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(`${path}.tmp`, path);
    await this.syncDir();
    this.kvLines = this.kv.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }
}
