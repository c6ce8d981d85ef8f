/**
 * The part of the core command pipeline (`Engine` in core's commands/types.ts) the extension drives, written
 * out structurally so the extension and its tests depend only on what they use. The core engine satisfies it.
 */
import type { TceClient } from '@tceops/core';
import type { PlanPrice } from '@tceops/core/plan/types.ts';

export interface CommandContext {
  actor: { id: string; name?: string };
  surface: 'vscode';
  region?: string;
}

export interface PlanTargetView {
  id: string;
  name?: string;
  state?: string;
  type?: string;
  tags: Record<string, string>;
}

export interface PlanSummary {
  hash: string;
  command: string;
  service: string;
  action: string;
  risk: string;
  region: string;
  summary: string;
  irreversible: boolean;
  targets: PlanTargetView[];
  /** What it costs (core's PlanPrice) and what TCE said, when the plan has them. */
  price?: PlanPrice;
  verdict?: { check: string; ok: boolean; detail: string }[];
}

export interface TargetResult {
  id: string;
  ok: boolean;
  code?: string;
  message?: string;
  requestId?: string;
}

export interface ApprovalSummary {
  id: string;
  state: string;
  requester: string;
  plan: PlanSummary;
  approvers: string[];
  needed: number;
  eligible: string[];
  expiresAt: string;
  reason?: string;
  results?: TargetResult[];
}

/** What any thrown or returned failure may carry; only `message` is certain. */
export interface FailureLike {
  message: string;
  code?: string;
  requestId?: string;
  kind?: string;
  hint?: string;
}

export type Outcome =
  | { kind: 'table'; view: { title: string; rows: Record<string, string>[]; requestIds: string[] } }
  | { kind: 'detail'; title: string; item: Record<string, unknown>; requestIds: string[] }
  | { kind: 'text'; text: string }
  | { kind: 'confirm'; planId: string; plan: PlanSummary; level: 'click' | 'typed'; expected?: string }
  | { kind: 'secret'; planId: string; plan: PlanSummary; field: 'Password' }
  | { kind: 'approval'; approval: ApprovalSummary }
  | { kind: 'result'; plan: PlanSummary; results: TargetResult[]; requestIds: string[] }
  | { kind: 'denied'; reason: string; plan?: PlanSummary }
  | { kind: 'dry-run'; plan: PlanSummary; decision: string; decisionKind?: 'allow' | 'confirm' | 'approve' | 'deny' }
  | { kind: 'error'; error: FailureLike };

export interface ProgressEvent {
  planHash: string;
  targetId: string;
  state: string;
  done: boolean;
  message: string;
}

export interface EnginePort {
  /** Text, or words (a value with spaces stays one value). */
  run(text: string | string[], ctx: CommandContext, options?: { dryRun?: boolean; yes?: boolean }): Promise<Outcome>;
  confirm(planId: string, ctx: CommandContext, input?: { typed?: string; password?: string }): Promise<Outcome>;
  approve(approvalId: string, ctx: CommandContext): Promise<Outcome>;
  deny(approvalId: string, ctx: CommandContext, reason?: string): Promise<Outcome>;
  cancel(approvalId: string, ctx: CommandContext): Promise<Outcome>;
  listApprovals(filter?: { state?: string; requester?: string }): Promise<ApprovalSummary[]>;
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /**
   * Only a tceops server's engine has it: the progress of what a command runs streams in on that command's
   * response (onProgress), and this settles once every such stream has ended (done, broken, or never offered).
   */
  idle?(): Promise<void>;
  /**
   * Only a local pipeline has it: a client for the tree's own reads, each decided by the pipeline first and sent
   * by the pipeline's client (core's commands/policed-reads.ts). A server's tree reads through commands (server/source.ts).
   */
  reads?(actor: { id: string; name?: string }): TceClient;
  close(): Promise<void>;
}
