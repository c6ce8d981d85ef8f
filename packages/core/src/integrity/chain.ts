/**
 * Approval records in a sealed chain, so that a store cannot be quietly rolled back. A record's MAC alone shows an
 * edit, but not that the newest version of a request was removed (the older version underneath still carries a
 * valid MAC and would be obeyed: a denied request pending again, an executed one approved again). So every approval
 * write is numbered and linked: `seq` (1, 2, 3, … over the whole store), `prev` (the previous write's link), `mac`
 * (over the content, seq and prev) and `link` (over seq, prev and mac). A head — the newest seq and link, sealed —
 * is kept beside the records by the store's writer. A removed tail, a removed or moved middle record, or an older
 * copy of the file then breaks the chain or disagrees with the head, and approvals are refused instead of obeyed.
 * The link is separate from the content MAC so that an edited record (content MAC broken, link intact) stays one
 * request's problem (the sealed store refuses it by name), while a record out of place is the whole store's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../api/errors.ts';
import type { ApprovalRecord } from '../approvals/types.ts';
import { inert } from '../inert.ts';
import { macHolds, macOf } from './seal.ts';

export interface ChainHead {
  seq: number;
  link: string;
}

/** One record that followed the chain, with where it is stored (for messages). */
export interface ChainLink extends ChainHead {
  id: string;
  version: number;
  where: string;
}

export interface ChainBreak {
  where: string;
  why: string;
  lastGood?: ChainLink;
}

/** A walk over the stored records in order: the newest link, a few before it, and the first break found. */
export interface ChainWalk {
  last?: ChainLink;
  recent: ChainLink[];
  broken?: ChainBreak;
}

/**
 * The head may lag the newest record by one write, which a crash between writing the record and writing the head
 * leaves (the file store's head is replaced after the record is synced); no more: an older head put back over
 * records cut after it would otherwise read as a lagging one.
 */
const CRASH_LAG = 1;
const RECENT = CRASH_LAG + 1;

/** The record without its chain and seal fields: what a caller reads and builds the next version from. */
export function unchained(record: ApprovalRecord): ApprovalRecord {
  const { mac: _m, link: _l, seq: _s, prev: _p, ...rest } = record;
  return rest as ApprovalRecord;
}

const HEX = /^[0-9a-f]*$/;

/** Over plain text, not canonical JSON: every stored record's link is checked when approvals are read. */
function linkOf(key: Buffer, seq: number, prev: string, mac: string): string {
  return createHmac('sha256', key).update(`approval-link\n${seq}\n${prev}\n${mac}`).digest('hex');
}

/** The record sealed as the next write after `head`. */
export function sealNext(key: Buffer, record: ApprovalRecord, head: ChainHead | undefined): ApprovalRecord {
  const content = { ...unchained(record), seq: (head?.seq ?? 0) + 1, prev: head?.link ?? '' };
  const mac = macOf(key, 'approval', content);
  return { ...content, mac, link: linkOf(key, content.seq, content.prev, mac) };
}

/** The content (everything but mac and link) carries this key's MAC. */
export function contentHolds(key: Buffer, record: ApprovalRecord): boolean {
  const { mac, link: _l, ...content } = record;
  return macHolds(key, 'approval', content, mac);
}

/** The record's place (seq, prev, mac) carries this key's link. */
export function linkHolds(key: Buffer, record: ApprovalRecord): boolean {
  const { seq, prev, mac, link } = record;
  // Hex only, so that no two (seq, prev, mac) read as the same text.
  if (!Number.isInteger(seq) || typeof prev !== 'string' || !HEX.test(prev)) return false;
  if (typeof mac !== 'string' || mac.length !== 64 || !HEX.test(mac)) return false;
  if (typeof link !== 'string' || link.length !== 64 || !HEX.test(link)) return false;
  return timingSafeEqual(Buffer.from(linkOf(key, seq!, prev, mac), 'hex'), Buffer.from(link, 'hex'));
}

export function newWalk(): ChainWalk {
  return { recent: [] };
}

/**
 * One stored record, in stored order; true when it extends the chain. A record in its place extends it (even one
 * edited in place: its link still holds, and the sealed store refuses its content by name); a record whose content
 * does not hold elsewhere is a forged line, also refused by name, and stepped over; a genuine record out of place
 * (removed, reordered, put back) breaks the chain.
 */
export function stepChain(key: Buffer, walk: ChainWalk, record: ApprovalRecord, where: string): boolean {
  if (walk.broken) return false;
  const expected = (walk.last?.seq ?? 0) + 1;
  const linked = linkHolds(key, record);
  if (linked && record.seq === expected && record.prev === (walk.last?.link ?? '')) {
    walk.last = { seq: record.seq!, link: record.link!, id: record.id, version: record.version, where };
    walk.recent.push(walk.last);
    if (walk.recent.length > RECENT) walk.recent.shift();
    return true;
  }
  if (!contentHolds(key, record)) return false;
  const n = record.seq;
  const why = !linked
    ? `the record of ${record.id} version ${record.version} is not in the sealed chain${record.seq === undefined ? ' (written before approval records were chained, or by hand)' : ''}`
    : n! < expected
      ? `record ${n} comes after record ${expected - 1}: records were reordered or an older copy was put back`
      : n! > expected
        ? `record ${n} follows record ${expected - 1}: records were removed or moved`
        : `record ${n} does not follow the record before it: a record was replaced`;
  walk.broken = { where, why, ...(walk.last ? { lastGood: walk.last } : {}) };
  return false;
}

/** The stored head as written: sealed, so it cannot be rewritten to match a shortened file. */
export function sealHead(key: Buffer, head: ChainHead): ChainHead & { mac: string } {
  return { ...head, mac: macOf(key, 'approval-head', head) };
}

/** The head, undefined when there is none, or 'tampered'. */
export function openHead(key: Buffer, stored: unknown): ChainHead | undefined | 'tampered' {
  if (stored === undefined || stored === null) return undefined;
  const value = stored as Partial<ChainHead & { mac: string }>;
  if (typeof value !== 'object' || !Number.isInteger(value.seq) || typeof value.link !== 'string') return 'tampered';
  const head = { seq: value.seq!, link: value.link };
  return macHolds(key, 'approval-head', head, value.mac) ? head : 'tampered';
}

/** The walk's end checked against the stored head (`where`: where the head is kept). */
export function headBreak(
  walk: ChainWalk,
  head: ChainHead | undefined | 'tampered',
  where: string,
): ChainBreak | undefined {
  if (walk.broken) return walk.broken;
  const last = walk.last;
  const at = (why: string): ChainBreak => ({ where, why, ...(last ? { lastGood: last } : {}) });
  if (head === 'tampered') return at('the head of the approval records was changed outside tceops');
  if (!head) return last ? at(`the head is missing, but ${last.seq} sealed records exist: it was removed`) : undefined;
  if (!last || head.seq > last.seq)
    return at(
      `the head says ${head.seq} records were written, but the records end at ${last?.seq ?? 0}: records were removed or an older copy was put back`,
    );
  const match = walk.recent.find((l) => l.seq === head.seq);
  if (!match || last.seq - head.seq > CRASH_LAG)
    return at(
      `the head (${head.seq}) is further behind the records (${last.seq}) than a crash can leave it: an older head was put back`,
    );
  if (match.link !== head.link)
    return at(`record ${head.seq} is not the one the head sealed: the records were replaced`);
  return undefined;
}

/**
 * A head further behind the newest record than a crash leaves it, judged by the seq the records claim (verified
 * later by the walk): another process wrote between the reads of the head and of the records, so a store reads both
 * again before judging; an older head put back stays behind however often it is read.
 */
export function headLagsBehind(head: ChainHead | undefined | 'tampered', newestSeq: unknown): boolean {
  return typeof head === 'object' && Number.isInteger(newestSeq) && (newestSeq as number) - head.seq > CRASH_LAG;
}

/** Reads of the head and the records before a lagging head is judged an old one (writers busy meanwhile). */
export const HEAD_READS = 5;

/** Every approval operation is refused while the chain is broken: a missing record could be any request's newest. */
export function chainError(broken: ChainBreak, restore: string): ConfigError {
  const good = broken.lastGood;
  return new ConfigError(
    `${broken.where}: ${inert(broken.why)}.\n` +
      `Last good record: ${good ? `${good.seq} (${inert(good.id)} version ${good.version}) at ${good.where}` : 'none'}.\n` +
      'Every approval request is refused and nothing was changed: a request could be back at an older state.\n' +
      `${restore}, or point TCEOPS_STORE at another store; "tceops audit verify" shows what changed.`,
  );
}
