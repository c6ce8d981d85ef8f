/**
 * Signing in through Slack. The terminal (or the extension) asks the server for a one-time code and a poll
 * secret; the person types `/tce login CODE` in Slack, which binds the code to their verified Slack user ID; the
 * terminal polls with its secret and receives a token, once. Tokens are random, kept only as their SHA-256, expire
 * (30 days by default), and can be listed and revoked by their owner (or by a server admin).
 *
 * Codes: 8 characters from 32 (40 bits), valid 10 minutes, bound at most once, and a Slack user who types wrong
 * codes is stopped after a few tries (the whole server too, past a higher rate), so guessing one is hopeless.
 * Everything lives in the store as sealed values, so it is shared by replicas and cannot be edited by hand.
 */
import { createHash, randomBytes } from 'node:crypto';
import { identityKey, normalizeIdentity } from '../identity/normalize.ts';
import type { Principal } from '../policy/types.ts';
import { appendAudit } from '../audit/log.ts';
import type { Store } from '../store/types.ts';

export const DEFAULT_TOKEN_TTL_MS = 30 * 86_400_000;
export const CODE_TTL_MS = 10 * 60_000;
/** Sign-ins one user may hold at once (each listed by `/tce tokens`); the next retires the oldest. */
const MAX_TOKENS_PER_USER = 100;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** The part of the (sealed) store sessions use: shared values with a set-if-absent, and the audit log if there. */
export type SessionStore = Pick<Store, 'getValue' | 'setValue' | 'setValueIfAbsent'> &
  Partial<Pick<Store, 'appendAudit'>>;

export interface SessionOptions {
  store: SessionStore;
  now?: () => Date;
  tokenTtlMs?: number;
  codeTtlMs?: number;
  /** Wrong codes one Slack user may type per window before being stopped (default 5 per 15 minutes). */
  maxFailuresPerUser?: number;
  /** Wrong codes the whole server accepts per window (default 50 per 15 minutes). */
  maxFailuresTotal?: number;
  failureWindowMs?: number;
}

export interface TokenInfo {
  id: string;
  user: Principal;
  client: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
}

interface CodeRecord {
  pollHash: string;
  client: string;
  expiresAt: string;
}

interface PollRecord {
  codeHash: string;
  expiresAt: string;
}

interface Failures {
  count: number;
  since: string;
}

export type BindResult = { ok: true; client: string } | { ok: false; reason: 'unknown' | 'locked'; retryAt?: string };

export type PollResult =
  | { state: 'waiting'; expiresAt: string }
  | { state: 'done'; token: string; info: TokenInfo }
  /** Expired, unknown, or the token was handed out already: the terminal starts over. */
  | { state: 'gone' };

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function randomCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** What people type: any case, with or without the dash or spaces. */
export function normalizeCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export class Sessions {
  private readonly store: SessionStore;
  private readonly now: () => Date;
  readonly tokenTtlMs: number;
  private readonly codeTtlMs: number;
  private readonly maxFailuresPerUser: number;
  private readonly maxFailuresTotal: number;
  private readonly windowMs: number;

  constructor(options: SessionOptions) {
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.tokenTtlMs = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
    this.codeTtlMs = options.codeTtlMs ?? CODE_TTL_MS;
    this.maxFailuresPerUser = options.maxFailuresPerUser ?? 5;
    this.maxFailuresTotal = options.maxFailuresTotal ?? 50;
    this.windowMs = options.failureWindowMs ?? 15 * 60_000;
  }

  /** Sign-ins are audit records too (never the code or the token: the token's public ID). */
  private async audit(actor: string, event: string, detail: string, data: Record<string, unknown> = {}): Promise<void> {
    if (!this.store.appendAudit) return;
    await appendAudit(this.store as Store, { kind: 'session', actor, event, detail, data }, this.now());
  }

  private at(offsetMs = 0): string {
    return new Date(this.now().getTime() + offsetMs).toISOString();
  }

  private expired(iso: string): boolean {
    return Date.parse(iso) <= this.now().getTime();
  }

  /** A new code (shown to the person) and poll secret (kept by the terminal). */
  async startLogin(client: string): Promise<{ code: string; poll: string; expiresAt: string }> {
    const code = randomCode();
    const poll = randomBytes(32).toString('base64url');
    const expiresAt = this.at(this.codeTtlMs);
    const codeHash = sha256(code);
    const record: CodeRecord = { pollHash: sha256(poll), client: client.slice(0, 100), expiresAt };
    if (!(await this.store.setValueIfAbsent(`login:code:${codeHash}`, record))) return this.startLogin(client);
    await this.store.setValue(`login:poll:${sha256(poll)}`, { codeHash, expiresAt } satisfies PollRecord);
    return { code: formatCode(code), poll, expiresAt };
  }

  private async failures(key: string): Promise<Failures> {
    const current = (await this.store.getValue(key)) as Failures | undefined;
    if (!current || Date.parse(current.since) + this.windowMs <= this.now().getTime())
      return { count: 0, since: this.at() };
    return current;
  }

  private async locked(userKey: string): Promise<string | undefined> {
    const mine = await this.failures(`login:fail:${userKey}`);
    const all = await this.failures('login:fail:*');
    if (mine.count >= this.maxFailuresPerUser) return new Date(Date.parse(mine.since) + this.windowMs).toISOString();
    if (all.count >= this.maxFailuresTotal) return new Date(Date.parse(all.since) + this.windowMs).toISOString();
    return undefined;
  }

  private async fail(userKey: string): Promise<void> {
    for (const key of [`login:fail:${userKey}`, 'login:fail:*']) {
      const f = await this.failures(key);
      await this.store.setValue(key, { count: f.count + 1, since: f.since });
    }
  }

  /**
   * `/tce login CODE`: bind the code to the Slack user who typed it. Unknown, expired and already-used codes get
   * the same answer; a user past the failure limit is refused before the code is even looked at.
   */
  async bindCode(text: string, user: Principal): Promise<BindResult> {
    const who = { ...user, id: normalizeIdentity(user.id, 'actor') };
    const userKey = identityKey(who.id);
    const retryAt = await this.locked(userKey);
    if (retryAt) return { ok: false, reason: 'locked', retryAt };
    const code = normalizeCode(text);
    const codeHash = sha256(code);
    const record =
      code.length === CODE_LENGTH
        ? ((await this.store.getValue(`login:code:${codeHash}`)) as CodeRecord | undefined)
        : undefined;
    if (!record || this.expired(record.expiresAt)) {
      await this.fail(userKey);
      return { ok: false, reason: 'unknown' };
    }
    // Single use: the first binding wins, whoever types the code again gets "unknown".
    const bound = await this.store.setValueIfAbsent(`login:bound:${codeHash}`, { user: who, at: this.at() });
    if (!bound) {
      await this.fail(userKey);
      return { ok: false, reason: 'unknown' };
    }
    await this.audit(who.id, 'login', `signed in ${record.client} by a code typed in Slack`);
    return { ok: true, client: record.client };
  }

  /** The terminal's poll: waiting, then the token exactly once. */
  async poll(poll: string): Promise<PollResult> {
    if (typeof poll !== 'string' || poll.length < 20) return { state: 'gone' };
    const pollHash = sha256(poll);
    const record = (await this.store.getValue(`login:poll:${pollHash}`)) as PollRecord | undefined;
    if (!record) return { state: 'gone' };
    const bound = (await this.store.getValue(`login:bound:${record.codeHash}`)) as { user: Principal } | undefined;
    if (!bound)
      return this.expired(record.expiresAt) ? { state: 'gone' } : { state: 'waiting', expiresAt: record.expiresAt };
    if (!(await this.store.setValueIfAbsent(`login:issued:${pollHash}`, { at: this.at() }))) return { state: 'gone' };
    const code = (await this.store.getValue(`login:code:${record.codeHash}`)) as CodeRecord | undefined;
    return { state: 'done', ...(await this.issue(bound.user, code?.client ?? 'unknown')) };
  }

  /** A new token for a user (after a bound code). */
  async issue(user: Principal, client: string): Promise<{ token: string; info: TokenInfo }> {
    const token = `tceops_${randomBytes(32).toString('base64url')}`;
    const hash = sha256(token);
    const info: TokenInfo = {
      id: `tok-${hash.slice(0, 10)}`,
      user: { id: user.id, ...(user.name ? { name: user.name } : {}), ...(user.org ? { org: user.org } : {}) },
      client,
      createdAt: this.at(),
      expiresAt: this.at(this.tokenTtlMs),
    };
    await this.store.setValue(`session:${hash}`, info);
    await this.store.setValue(`session-id:${info.id}`, hash);
    await this.audit(user.id, 'token', `token ${info.id} issued to ${client}, expires ${info.expiresAt}`, {
      token: info.id,
    });
    const index = `sessions-of:${identityKey(user.id)}`;
    const list = [...(((await this.store.getValue(index)) as string[] | undefined) ?? []), hash];
    await this.store.setValue(index, list.slice(-MAX_TOKENS_PER_USER));
    // A token left out of the list would be out of reach of `/tce tokens` and `/tce logout`: the oldest is retired.
    for (const old of list.slice(0, -MAX_TOKENS_PER_USER)) await this.revokeHash(old, user.id);
    return { token, info };
  }

  /** The user a token stands for, or undefined — the same for unknown, expired and revoked tokens. */
  async authenticate(token: string | undefined): Promise<TokenInfo | undefined> {
    if (!token?.startsWith('tceops_') || token.length > 200) return undefined;
    const info = (await this.store.getValue(`session:${sha256(token)}`)) as TokenInfo | undefined;
    if (!info || info.revokedAt || this.expired(info.expiresAt)) return undefined;
    return info;
  }

  /** A user's tokens, newest first, with their state. */
  async list(userId: string): Promise<TokenInfo[]> {
    const hashes = ((await this.store.getValue(`sessions-of:${identityKey(userId)}`)) as string[] | undefined) ?? [];
    const infos: TokenInfo[] = [];
    for (const hash of hashes) {
      const info = (await this.store.getValue(`session:${hash}`)) as TokenInfo | undefined;
      if (info) infos.push(info);
    }
    return infos.reverse();
  }

  private async revokeHash(hash: string, by?: string): Promise<TokenInfo | undefined> {
    const info = (await this.store.getValue(`session:${hash}`)) as TokenInfo | undefined;
    if (!info) return undefined;
    if (!info.revokedAt) {
      await this.store.setValue(`session:${hash}`, { ...info, revokedAt: this.at() });
      await this.audit(by ?? info.user.id, 'revoke', `token ${info.id} of ${info.user.id} revoked`, { token: info.id });
    }
    return info;
  }

  /** Revoke the token presented (logout from the terminal). */
  async revokeToken(token: string): Promise<boolean> {
    const info = await this.authenticate(token);
    if (!info) return false;
    await this.revokeHash(sha256(token));
    return true;
  }

  /** Revoke by ID: the owner's own, or anyone's for an admin. Undefined when there is no such token for them. */
  async revokeById(id: string, by: Principal, admin: boolean): Promise<TokenInfo | undefined> {
    const hash = (await this.store.getValue(`session-id:${id}`)) as string | undefined;
    if (!hash) return undefined;
    const info = (await this.store.getValue(`session:${hash}`)) as TokenInfo | undefined;
    if (!info || (!admin && identityKey(info.user.id) !== identityKey(by.id))) return undefined;
    return this.revokeHash(hash, by.id);
  }

  /** Revoke every token of a user; the number revoked. */
  async revokeAll(userId: string, by?: string): Promise<number> {
    const hashes = ((await this.store.getValue(`sessions-of:${identityKey(userId)}`)) as string[] | undefined) ?? [];
    let count = 0;
    for (const hash of hashes) {
      const info = await this.revokeHash(hash, by);
      if (info && !info.revokedAt && !this.expired(info.expiresAt)) count++;
    }
    return count;
  }
}
