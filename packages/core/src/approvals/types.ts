/**
 * An approval request is a plain record: the exact plan, who asked and where, who may decide, and what happened.
 * Every change writes a new version through a compare-and-set in the store, so two deciders never both win.
 */
import type { Plan } from '../plan/types.ts';
import type { Principal, Surface } from '../policy/types.ts';

/** Every state a request can be in, for readers that check one they are given (a store's line, a server's answer). */
export const APPROVAL_STATES = [
  'pending',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'denied',
  'expired',
  'cancelled',
  'stale',
] as const;

export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** Where a request ends: nothing moves it on. */
export const TERMINAL_STATES: readonly ApprovalState[] = [
  'succeeded',
  'failed',
  'denied',
  'expired',
  'cancelled',
  'stale',
];

export interface ApprovalVote {
  /** The approver's ID (Slack user ID or local user name). */
  by: string;
  name?: string;
  /** The approver's Slack enterprise or team, when known. */
  org?: string;
  at: string;
  surface?: Surface;
}

/** A decision that closed the request without running it: denial or cancellation. */
export interface Closing {
  by: string;
  name?: string;
  at: string;
  reason?: string;
}

export interface TargetOutcome {
  id: string;
  ok: boolean;
  code?: string;
  message?: string;
  requestId?: string;
}

export interface ExecutionResult {
  ok: boolean;
  requestIds: string[];
  targets?: TargetOutcome[];
  /** Why it failed, when it did as a whole. */
  error?: string;
}

/** The process running an approved plan, and how long its claim lasts unless renewed. */
export interface Lease {
  owner: string;
  host: string;
  pid: number;
  until: string;
}

export interface ApprovalRecord {
  /** Short and typeable: "apr-" and eight letters or digits. */
  id: string;
  /** 1 when created; each change adds one. The store only accepts a change made from the latest version. */
  version: number;
  state: ApprovalState;
  plan: Plan;
  requester: Principal;
  surface: Surface;
  channel?: string;
  /** The policy rule that asked for approval. */
  rule: string;
  needed: number;
  /** Roles that may approve, and their members as the policy named them when asked (["*"]: anyone). */
  approverRoles: string[];
  eligible: string[];
  selfApproval: boolean;
  ttl: string;
  approvals: ApprovalVote[];
  closedBy?: Closing;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  /** Why it ended as it did (denied, expired, cancelled, stale, failed). */
  reason?: string;
  lease?: Lease;
  startedAt?: string;
  finishedAt?: string;
  result?: ExecutionResult;
  /** Surfaces keep their own references here (e.g. the Slack channel and message ts to update). */
  meta: Record<string, unknown>;
  /** Keyed MAC over the rest, added and checked by the sealed store (integrity/); absent in memory. */
  mac?: string;
  /** The record's place in the store's sealed chain of approval writes (integrity/chain.ts); absent in memory. */
  seq?: number;
  prev?: string;
  link?: string;
}
