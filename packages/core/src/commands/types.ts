/**
 * The shapes every surface (Slack, VS Code, terminal, console) shares: what was asked, by whom and where, and
 * what came back. Surfaces turn their input into a command text or argv, and render an Outcome.
 */
import type { TceopsError } from '../api/errors.ts';
import type { ApprovalState } from '../approvals/types.ts';
import type { Risk } from '../catalog/types.ts';
import type { Plan, PlanPrice, VerdictCheck } from '../plan/types.ts';
import type { ConfirmLevel, Decision, Surface } from '../policy/types.ts';

export interface Actor {
  /** Stable identity: a Slack user ID, a local user name. */
  id: string;
  name?: string;
  /** Slack user-group IDs the actor belongs to (roles in the policy may name them). */
  groups?: string[];
  /** The Slack enterprise or team of the ID, when Slack gives one. */
  org?: string;
}

export interface CommandContext {
  actor: Actor;
  surface: Surface;
  /** Slack channel ID, or undefined elsewhere. */
  channel?: string;
  /** Region when the command gives none. */
  region?: string;
}

/** A column of a table view: `key` into the row, `title` for people. */
export interface Column {
  key: string;
  title: string;
}

export type ResourceKind =
  | 'instance'
  | 'image'
  | 'keypair'
  | 'region'
  | 'zone'
  | 'filesystem'
  | 'pgroup'
  | 'rule'
  | 'job'
  | 'approval'
  | 'raw';

/** A read result, ready for any renderer. `items` keeps the raw API objects for details views. */
export interface TableView {
  kind: ResourceKind;
  title: string;
  columns: Column[];
  rows: Record<string, string>[];
  items: Record<string, unknown>[];
  /** The state of each row (e.g. RUNNING), for icons and emoji; same order as rows. */
  states?: string[];
  /** IDs of each row, same order. */
  ids?: string[];
  total?: number;
  /** Offset of the next page when there is one. */
  nextOffset?: number;
  requestIds: string[];
}

export interface PlanTargetView {
  id: string;
  name?: string;
  state?: string;
  type?: string;
  tags: Record<string, string>;
  /** Could not be described; the policy treated it as production. */
  unknown?: boolean;
}

/** What happened to each target of an executed command. */
export interface TargetResult {
  id: string;
  ok: boolean;
  code?: string;
  message?: string;
  requestId?: string;
}

export interface ProgressEvent {
  planHash: string;
  targetId: string;
  state: string;
  done: boolean;
  message: string;
}

export interface ErrorOutcome {
  kind: 'error';
  error: TceopsError;
}

export type { ApprovalState, ConfirmLevel, Risk, Surface };

/** What a command came to, for the surface to render or act on. `plan` and `approval` shapes: see plan/ and approvals/. */
export type Outcome =
  | { kind: 'table'; view: TableView }
  /** `private`: a sensitive read (a console URL) shown to the requester only, never posted where others see. */
  | { kind: 'detail'; title: string; item: Record<string, unknown>; requestIds: string[]; private?: boolean }
  | { kind: 'text'; text: string }
  /** Ask the requester; then call engine.confirm(planId, ctx, input). For typed, `expected` is what must be typed. */
  | { kind: 'confirm'; planId: string; plan: PlanSummary; level: ConfirmLevel; expected?: string }
  /** The plan needs a secret only the requester may give (reset password): collect it privately, then confirm. */
  | { kind: 'secret'; planId: string; plan: PlanSummary; field: 'Password' }
  /** Queued for approval by others. */
  | { kind: 'approval'; approval: ApprovalSummary }
  /**
   * `responses`: for `call`, the API's answers, shown to the requester only (CreateKeyPair's private key is in
   * one); never stored or audited.
   */
  | {
      kind: 'result';
      plan: PlanSummary;
      results: TargetResult[];
      requestIds: string[];
      responses?: Record<string, unknown>[];
    }
  | { kind: 'denied'; reason: string; plan?: PlanSummary }
  /**
   * `decisionKind`: the policy's decision on a plan (absent for approve|deny|cancel --dry-run). `auditRead`: for a
   * read, whether running it lands in the audit log.
   */
  | { kind: 'dry-run'; plan: PlanSummary; decision: string; decisionKind?: Decision['kind']; auditRead?: boolean }
  | ErrorOutcome;

/** The parts of a plan every surface shows. */
export interface PlanSummary {
  hash: string;
  command: string;
  service: string;
  action: string;
  risk: Risk;
  region: string;
  summary: string;
  irreversible: boolean;
  targets: PlanTargetView[];
  /** What it costs, per InquiryPrice* (numbers in yuan, with the unit). */
  price?: PlanPrice;
  /** What TCE said before anyone confirmed. */
  verdict?: VerdictCheck[];
}

export interface ApprovalSummary {
  id: string;
  state: ApprovalState;
  requester: string;
  plan: PlanSummary;
  approvers: string[];
  needed: number;
  /** Who may approve, as the policy names them (roles, users, groups). */
  eligible: string[];
  expiresAt: string;
  reason?: string;
  results?: TargetResult[];
}

/** The command pipeline every surface drives. */
export interface Engine {
  /** Parse, resolve, plan and apply the policy; runs reads and allowed writes straight away. */
  run(text: string | string[], ctx: CommandContext, options?: { dryRun?: boolean; yes?: boolean }): Promise<Outcome>;
  /**
   * What the policy would decide for `subject` (by default the caller) and why; runs nothing. Planning reads the
   * targets, so the caller's request is recorded, as a dry run's is. Throws on bad input.
   */
  explain(text: string, ctx: CommandContext, subject?: CommandContext): Promise<{ plan?: Plan; decision: Decision }>;
  /** The requester answered a confirm (or gave the secret): execute the plan if it still holds. */
  confirm(planId: string, ctx: CommandContext, input?: { typed?: string; password?: string }): Promise<Outcome>;
  approve(approvalId: string, ctx: CommandContext): Promise<Outcome>;
  deny(approvalId: string, ctx: CommandContext, reason?: string): Promise<Outcome>;
  cancel(approvalId: string, ctx: CommandContext): Promise<Outcome>;
  listApprovals(filter?: { state?: ApprovalState; requester?: string; approver?: string }): Promise<ApprovalSummary[]>;
  /** Progress of executions and waiters; returns an unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  onApprovalChange(listener: (approval: ApprovalSummary) => void): () => void;
  help(topic?: string): string;
  complete(partial: string): string[];
  /**
   * Resolves when no execution or waiter is running any more (a terminal waits for it before exiting); with a plan
   * hash, when none of that plan's is (a server streaming one command's progress).
   */
  idle(planHash?: string): Promise<void>;
  close(): Promise<void>;
}
