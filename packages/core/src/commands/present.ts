/**
 * Presentation every surface shares: approval records as summaries and tables, and one sentence per outcome that
 * says what actually happened (queued, ran, stale, cancelled, denied, failed), so no surface guesses.
 */
import type { ApprovalRecord } from '../approvals/types.ts';
import { planSummary } from './plan.ts';
import type { ApprovalSummary, TableView } from './types.ts';

export function approvalSummary(record: ApprovalRecord): ApprovalSummary {
  return {
    id: record.id,
    state: record.state,
    requester: record.requester.id,
    plan: planSummary(record.plan),
    approvers: record.approvals.map((a) => a.by),
    needed: record.needed,
    eligible: record.eligible,
    expiresAt: record.expiresAt,
    reason: record.reason,
    results: record.result?.targets,
  };
}

/** The approvals table from summaries; `items` is what JSON output carries for each row. */
export function approvalsTable(list: readonly ApprovalSummary[], items: unknown[]): TableView {
  return {
    kind: 'approval',
    title: 'Approval requests',
    columns: [
      { key: 'id', title: 'ID' },
      { key: 'state', title: 'State' },
      { key: 'requester', title: 'Requested by' },
      { key: 'approvals', title: 'Approvals' },
      { key: 'summary', title: 'Plan' },
      { key: 'expires', title: 'Expires' },
    ],
    rows: list.map((a) => ({
      id: a.id,
      state: a.state,
      requester: a.requester,
      approvals: `${a.approvers.length}/${a.needed}`,
      summary: a.plan.summary,
      expires: a.expiresAt,
    })),
    items: items as Record<string, unknown>[],
    ids: list.map((a) => a.id),
    states: list.map((a) => a.state),
    requestIds: [],
  };
}

export function approvalsView(records: ApprovalRecord[]): TableView {
  return approvalsTable(records.map(approvalSummary), records);
}

/** What happened to a request, in one sentence that never claims more than its state says. */
export function approvalHeadline(approval: Pick<ApprovalSummary, 'state' | 'reason'>): string {
  const why = approval.reason ? `: ${approval.reason}` : '';
  switch (approval.state) {
    case 'pending':
      return 'Queued for approval; nothing has run yet.';
    case 'approved':
      return approval.reason ? `Approved, but not run yet${why}.` : 'Approved; it runs now.';
    case 'executing':
      return 'Approved and running.';
    case 'succeeded':
      return 'Approved and ran: it succeeded.';
    case 'failed':
      return `Failed${why}.`;
    case 'denied':
      return `Denied${why}. Nothing ran.`;
    case 'expired':
      return `Expired${why}. Nothing ran.`;
    case 'cancelled':
      return `Cancelled${why}. Nothing ran.`;
    case 'stale':
      return `Stale${why}. Nothing ran.`;
  }
}
