/**
 * The editor's side of approvals-stream.ts: follows `GET /api/v1/approvals/follow` and hands over what it says.
 * What the server sends is checked like every answer: bounded lines, JSON, and an approval only with the fields
 * a view shows, of the right types (anything else is dropped). Showing it inert is the view's part.
 */
import { APPROVAL_STATES } from '../approvals/types.ts';
import type { ApprovalSummary, ProgressEvent } from '../commands/types.ts';
import { apiUrl, streamRefusal } from './remote.ts';
import { NDJSON } from './stream.ts';
import { lines, progressFromWire } from './stream-client.ts';

export interface ApprovalFeed {
  /**
   * The stream is open: read the list once, to catch up on what moved before it. `progress`: the server streams
   * the runs of my requests (an older one does not: follow their targets another way).
   */
  onReady(progress: boolean): void;
  /** One of my requests changed. */
  onApproval(approval: ApprovalSummary): void;
  /** Someone else's request opened or closed: read the pending list again. */
  onChanged(): void;
  /** A state a target of one of my approved requests reached as it ran on the server. */
  onProgress?(event: ProgressEvent): void;
  /** The server no longer follows the targets of that run (by its plan hash): no more progress of it. */
  onFollowed?(planHash: string): void;
  /** The stream ended (`unsupported`: the server has no such route, an older one; do not ask again). */
  onEnd(reason: string, unsupported: boolean): void;
}

const STATES = new Set<string>(APPROVAL_STATES);

const isString = (v: unknown): v is string => typeof v === 'string';
/** A plan hash: SHA-256 in hex (plan/hash.ts). */
const PLAN_HASH = /^[0-9a-f]{64}$/;

/** An approval summary from the wire, or undefined when a field a view relies on is missing or of another type. */
export function approvalFromWire(value: unknown): ApprovalSummary | undefined {
  const a = value as Partial<ApprovalSummary> | undefined;
  if (!a || typeof a !== 'object' || !isString(a.id) || !isString(a.requester) || !STATES.has(String(a.state)))
    return undefined;
  const plan = a.plan as Partial<ApprovalSummary['plan']> | undefined;
  const planOk =
    plan &&
    typeof plan === 'object' &&
    [plan.summary, plan.command, plan.region, plan.hash].every(isString) &&
    Array.isArray(plan.targets) &&
    plan.targets.every((t) => t && isString(t.id));
  const listsOk = [a.approvers, a.eligible].every((l) => Array.isArray(l) && l.every(isString));
  if (!planOk || !listsOk || typeof a.needed !== 'number' || !isString(a.expiresAt)) return undefined;
  if (a.reason !== undefined && !isString(a.reason)) return undefined;
  if (a.results !== undefined && !(Array.isArray(a.results) && a.results.every((r) => r && isString(r.id))))
    return undefined;
  return a as ApprovalSummary;
}

/** Follows until stopped or the stream ends; `idleMs`: the longest silence (the server beats every 15 s). */
export function followApprovals(
  options: { server: string; token: string; idleMs?: number },
  feed: ApprovalFeed,
): { stop(): void } {
  const controller = new AbortController();
  const idleMs = options.idleMs ?? 45_000;
  let timer: NodeJS.Timeout | undefined;
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no word from the server for ${idleMs / 1000} s`)), idleMs);
    timer.unref?.();
  };
  let stopped = false;

  async function read(): Promise<{ reason: string; unsupported: boolean }> {
    alive();
    const response = await fetch(apiUrl(options.server, 'approvals/follow'), {
      headers: { accept: NDJSON, authorization: `Bearer ${options.token}` },
      signal: controller.signal,
    });
    if (response.status === 404) return { reason: 'the server does not stream approvals', unsupported: true };
    if (response.status === 401) return { reason: 'not signed in, or the sign-in expired', unsupported: false };
    if (response.status === 429) {
      const refused = streamRefusal(429, ((await response.json().catch(() => ({}))) ?? {}) as Record<string, unknown>);
      if (refused) return { reason: refused, unsupported: false };
    }
    if (!(response.headers.get('content-type') ?? '').startsWith(NDJSON) || !response.body)
      return { reason: `the server answered HTTP ${response.status}`, unsupported: response.ok };
    for await (const text of lines(response.body, alive)) {
      if (!text.trim()) continue;
      let value: Record<string, unknown> | null;
      try {
        value = JSON.parse(text) as Record<string, unknown> | null;
      } catch {
        continue; // dropped, like any line not well formed
      }
      if (!value || typeof value !== 'object') continue;
      if (value.ready === true) feed.onReady(value.progress === true);
      else if (value.changed === true) feed.onChanged();
      else if ('approval' in value) {
        const approval = approvalFromWire(value.approval);
        if (approval) feed.onApproval(approval);
      } else if ('progress' in value) {
        const event = progressFromWire(value.progress);
        if (event) feed.onProgress?.(event);
      } else if (typeof value.followed === 'string' && PLAN_HASH.test(value.followed))
        feed.onFollowed?.(value.followed);
    }
    return { reason: 'the server closed the stream', unsupported: false };
  }

  void read()
    .catch((error: unknown) => ({
      reason: ((controller.signal.reason as Error | undefined) ?? (error as Error)).message,
      unsupported: false,
    }))
    .then(({ reason, unsupported }) => {
      clearTimeout(timer);
      controller.abort();
      if (!stopped) feed.onEnd(reason, unsupported);
    });
  return {
    stop() {
      stopped = true;
      controller.abort(new Error('stopped'));
    },
  };
}
